"""The production nginx configuration (deploy/nginx/vgp.conf), rendered to run on loopback.

Used by bench/run.py and by the page cache's tests (``nginx -t``). The rendering replaces the
installation's paths and ports and drops TLS; every replacement must find its text, so a change
to vgp.conf that the benchmark would silently stop measuring fails loudly instead.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_CONF = ROOT / "deploy" / "nginx" / "vgp.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"deploy/nginx/vgp.conf no longer contains {old!r}")
    return text.replace(old, new)


def render_site(
    *,
    port: int,
    upstream_port: int,
    page_cache_dir: Path,
    static_root: Path,
    media_root: Path,
) -> str:
    """vgp.conf listening on 127.0.0.1:port over plain HTTP, with these directories."""
    text = SITE_CONF.read_text(encoding="utf-8")
    # Comments mention the values too: only the directives must match.
    text = re.sub(r"^\s*#.*\n", "", text, flags=re.MULTILINE)
    # The port-80 server only redirects to HTTPS.
    text, count = re.subn(r"server \{\n    listen 80;.*?\n\}\n", "", text, flags=re.DOTALL)
    if count != 1:
        raise ValueError("deploy/nginx/vgp.conf: the port-80 redirect server was not found")
    text = _replace(text, "    listen [::]:443 ssl http2;\n", "")
    text = _replace(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = re.sub(r"^\s*ssl_[a-z_]+ .*;\n", "", text, flags=re.MULTILINE)
    text = _replace(text, "server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream_port};")
    text = _replace(text, "/srv/vgp/var/page-cache", str(page_cache_dir))
    text = _replace(text, "/srv/vgp/var/static/", f"{static_root}/")
    text = _replace(text, "/srv/vgp/var/media/", f"{media_root}/")
    return text


def render_main(prefix: Path, servers: str, user: str | None = None) -> str:
    """A whole nginx.conf around ``servers``, with every path inside ``prefix``.

    ``user``: whom the worker processes run as when nginx starts as root (default nobody, who
    must then be able to read the files).
    """
    user_line = f"user {user};\n" if user else ""
    return f"""\
{user_line}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

{servers}
}}
"""


def static_server(port: int, root: Path) -> str:
    """A server that only sends files from ``root``: the physical limit."""
    return f"""\
server {{
    listen 127.0.0.1:{port};
    root {root};
    location / {{
    }}
}}
"""
