"""nginx sheds excess submissions in front of Django (deploy/nginx/vgp.conf, ADR 0013): past
the in-flight limit of ``POST /api/v1/feedback`` it answers 429 itself, at once, in the shape
and language of Django's own 429."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vgp.testing.nginx import needs_nginx, running_nginx

LIMIT = 12  # limit_conn vgp_feedback_intake in deploy/nginx/vgp.conf

pytestmark = needs_nginx


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


@pytest.fixture
def nginx_port(tmp_path) -> Iterator[int]:
    app = ThreadingHTTPServer(("127.0.0.1", 0), SlowApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    try:
        with running_nginx(tmp_path, app.server_address[1]) as port:
            yield port
    finally:
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
