"""nginx with the production configuration (deploy/nginx/vgp.conf) on loopback, for tests:
rendered by bench/nginx_conf.py, in front of whatever listens on ``upstream_port``."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="nginx is not installed (apt-get install nginx-light): deploy/nginx/vgp.conf unchecked",
)


def nginx_conf_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nginx_conf", ROOT / "bench" / "nginx_conf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(tmp_path: Path, port: int, upstream_port: int) -> Path:
    """nginx.conf for this port and upstream, its directories in ``tmp_path``."""
    nginx_conf = nginx_conf_module()
    site = nginx_conf.render_site(
        port=port,
        upstream_port=upstream_port,
        page_cache_dir=tmp_path / "pages",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )
    conf = tmp_path / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot enter pytest's temp directory.
    user = "root" if os.geteuid() == 0 else None
    conf.write_text(nginx_conf.render_main(tmp_path, site, user=user))
    return conf


@contextmanager
def running_nginx(tmp_path: Path, upstream_port: int) -> Iterator[int]:
    """nginx serving on a free port until the block ends; yields the port."""
    port = free_port()
    conf = render(tmp_path, port, upstream_port)
    nginx = shutil.which("nginx") or "nginx"
    error_log = str(tmp_path / "error.log")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, files of the test
        [nginx, "-p", str(tmp_path), "-c", str(conf), "-e", error_log, "-g", "daemon off;"]
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
