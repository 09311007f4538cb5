"""nginx sheds excess submissions in front of Django (deploy/nginx/vgp.conf, ADR 0013): past
the in-flight limit of ``POST /api/v1/feedback`` it answers 429 itself, at once, in the shape
and language of Django's own 429."""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 12  # limit_conn vgp_feedback_intake in deploy/nginx/vgp.conf

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="nginx is not installed (apt-get install nginx-light): its shedding is unchecked",
)


class SlowApp(BaseHTTPRequestHandler):
    """Stands for gunicorn: every submission takes half a second."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(0.5)
        body = b'{"code": "7K3M-9QXA-2BFE"}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx_port(tmp_path) -> Iterator[int]:
    app = ThreadingHTTPServer(("127.0.0.1", 0), SlowApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    spec = importlib.util.spec_from_file_location("nginx_conf", ROOT / "bench" / "nginx_conf.py")
    assert spec is not None and spec.loader is not None
    nginx_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nginx_conf)
    port = _free_port()
    site = nginx_conf.render_site(
        port=port,
        upstream_port=app.server_address[1],
        page_cache_dir=tmp_path / "pages",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )
    conf = tmp_path / "nginx.conf"
    user = "root" if os.geteuid() == 0 else None
    conf.write_text(nginx_conf.render_main(tmp_path, site, user=user))
    command = [shutil.which("nginx") or "nginx", "-p", str(tmp_path), "-c", str(conf)]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, files of this test
        [*command, "-e", str(tmp_path / "error.log"), "-g", "daemon off;"]
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        app.shutdown()


def _post(port: int, language: str = "vi") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(
            "POST",
            "/api/v1/feedback",
            body=b"{}",
            headers={"Content-Type": "application/json", "Accept-Language": language},
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_past_the_limit_nginx_answers_429_at_once(nginx_port):
    with ThreadPoolExecutor(max_workers=LIMIT + 8) as pool:
        started = time.monotonic()
        answers = list(pool.map(lambda _n: _post(nginx_port), range(LIMIT + 8)))

    statuses = [status for status, _headers, _body in answers]
    assert statuses.count(201) <= LIMIT
    assert statuses.count(429) >= 8
    assert set(statuses) <= {201, 429}
    _status, headers, body = next(answer for answer in answers if answer[0] == 429)
    assert headers["Retry-After"] == "1"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "detail": "Hệ thống đang bận. Hãy thử lại sau 1 giây.",
        "retry_after": 1,
    }
    assert time.monotonic() - started < 5


def test_the_refusal_speaks_english_to_an_english_client(nginx_port):
    with ThreadPoolExecutor(max_workers=LIMIT + 4) as pool:
        answers = list(pool.map(lambda _n: _post(nginx_port, "en-GB,en;q=0.8"), range(LIMIT + 4)))

    refused = [json.loads(body) for status, _headers, body in answers if status == 429]
    assert refused and refused[0]["detail"] == "The server is busy. Try again in 1 second."
