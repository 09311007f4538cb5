"""Benchmark of an article page: the physical limit, our page cache, our rendering, plain Wagtail.

    .venv/bin/python bench/run.py [--seconds 15] [--connections 32] [--workers 3] ...

One run, on loopback, in a temporary directory deleted afterwards; wrk drives each scenario with
the same connections, threads and duration:

(a) nginx sends a static HTML file of the article page's size (the machine's physical limit);
(b) our cached article page: nginx with deploy/nginx/vgp.conf in front of gunicorn, the page
    cache writing files to PAGE_CACHE_DIR (warmed with one request), nginx serving them;
(c) our uncached article page (PAGE_CACHE_SECONDS=0), straight from gunicorn;
(d) the same text as an uncached page of a plain ``wagtail start`` project (the tutorial's
    BlogPage) made here with the same installed Wagtail, behind the same gunicorn settings.

Prints a table with the goals and writes bench/results/portal.json plus a timestamped copy.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nginx_conf

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python"
GUNICORN = BIN / "gunicorn"
WAGTAIL = BIN / "wagtail"
GENERATE_ARTICLES = ROOT / "vgp" / "news" / "management" / "commands" / "generate_articles.py"
ARTICLES = 200
# Share of the CPUs that other processes used in the second before a scenario (our servers are
# idle then) above which the scenario is flagged as measured on a busy machine.
BUSY_PERCENT = 20

# wrk prints this line from its `done` hook; latencies in microseconds.
WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-RESULT {\"requests\": %.0f, \"duration_us\": %.0f, \"bytes\": %.0f, " ..
    "\"connect\": %.0f, \"read\": %.0f, \"write\": %.0f, \"status\": %.0f, \"timeout\": %.0f, " ..
    "\"p50\": %.0f, \"p90\": %.0f, \"p95\": %.0f, \"p99\": %.0f, \"max\": %.0f, " ..
    "\"mean\": %.1f}\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


@dataclass
class Goal:
    requests_per_second: float
    percentile: str  # "p95_ms" or "p99_ms"
    max_ms: float

    def describe(self) -> str:
        return f">= {self.requests_per_second:,.0f} req/s, {self.percentile[:3]} <= {self.max_ms:.0f} ms"


GOALS = {
    "b": Goal(3000, "p99_ms", 50),
    "c": Goal(300, "p95_ms", 100),
}


@dataclass
class Result:
    scenario: str
    description: str
    url: str
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_kinds: dict[str, int]
    body_bytes: int
    transferred_bytes_per_request: float
    # CPU use in the second before the run, while our servers were idle: what else was running.
    cpu_busy_before_percent: float = 0.0
    goal: str = ""
    passed: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Server:
    workers: int
    worker_class: str
    threads: int

    def gunicorn_args(self) -> list[str]:
        args = ["-w", str(self.workers), "--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            args += ["--threads", str(self.threads)]
        return args

    def describe(self) -> str:
        text = f"gunicorn -w {self.workers} {self.worker_class}"
        return text + (f" --threads {self.threads}" if self.worker_class == "gthread" else "")


# --- Tools and processes --------------------------------------------------------------------


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if not missing:
        return
    packages = ["wrk" if tool == "wrk" else "nginx-light" for tool in missing]
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        sys.exit(
            f"bench: {', '.join(missing)} not found. Install them first, e.g. "
            f"`sudo apt-get install -y {' '.join(packages)}` (Debian/Ubuntu)."
        )
    print(f"Installing {' '.join(packages)} with apt-get ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", *packages]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        if subprocess.run(install, env=env, check=False).returncode != 0:
            sys.exit(f"bench: could not install {' '.join(packages)} with apt-get.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def wait_until_answering(
    port: int, path: str, process: subprocess.Popen, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            status, _headers, body = fetch(port, path)
            if status == 200:
                return
            last = f"{status} {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{path} on port {port} did not answer 200 within {timeout}s ({last})")


def start_gunicorn(
    cwd: Path, wsgi: str, env: dict[str, str], port: int, server: Server
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(GUNICORN),
            wsgi,
            "-b",
            f"127.0.0.1:{port}",
            *server.gunicorn_args(),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ],
        cwd=cwd,
        env=env,
        start_new_session=True,
    )


def manage(env: dict[str, str], *args: str, cwd: Path = ROOT) -> str:
    command = [str(PYTHON), "manage.py", *args]
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-3000:] + completed.stderr[-5000:])
        raise RuntimeError(f"manage.py {args[0]} failed with {completed.returncode} in {cwd}")
    return completed.stdout


def shell(env: dict[str, str], code: str, cwd: Path = ROOT) -> str:
    return manage(env, "shell", "-v", "0", "-c", textwrap.dedent(code), cwd=cwd)


def tagged_json(output: str, tag: str) -> Any:
    for line in output.splitlines():
        if line.startswith(tag):
            return json.loads(line[len(tag) :])
    raise RuntimeError(f"no {tag} line in output:\n{output[-2000:]}")


def cpu_busy_percent(seconds: float = 1.0) -> float:
    """How busy all CPUs were during ``seconds`` (from /proc/stat; 0 where there is none)."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    total = total_after - total_before
    return round(100 * (1 - (idle_after - idle_before) / total), 1) if total else 0.0


# --- wrk ------------------------------------------------------------------------------------


def run_wrk(url: str, args: argparse.Namespace, script: Path) -> dict[str, float]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return tagged_json(completed.stdout, "WRK-RESULT ")


def measure(
    key: str,
    description: str,
    url: str,
    body_bytes: int,
    args: argparse.Namespace,
    script: Path,
) -> Result:
    print(
        f"({key}) {description}: wrk {args.connections} connections, {args.seconds}s ...",
        flush=True,
    )
    # Let the servers finish starting (gunicorn boots its workers after the first answers) and
    # give a passing burst of other work a moment, then note how busy the machine still is.
    for _attempt in range(15):
        busy_before = cpu_busy_percent()
        if busy_before <= BUSY_PERCENT:
            break
    raw = run_wrk(url, args, script)
    seconds = raw["duration_us"] / 1e6
    kinds = {k: int(raw[k]) for k in ("connect", "read", "write", "status", "timeout") if raw[k]}
    requests = int(raw["requests"])
    return Result(
        scenario=key,
        description=description,
        url=url,
        requests=requests,
        seconds=round(seconds, 2),
        requests_per_second=round(requests / seconds, 1) if seconds else 0.0,
        p50_ms=round(raw["p50"] / 1000, 2),
        p90_ms=round(raw["p90"] / 1000, 2),
        p95_ms=round(raw["p95"] / 1000, 2),
        p99_ms=round(raw["p99"] / 1000, 2),
        max_ms=round(raw["max"] / 1000, 2),
        errors=sum(kinds.values()),
        error_kinds=kinds,
        body_bytes=body_bytes,
        transferred_bytes_per_request=round(raw["bytes"] / requests, 1) if requests else 0.0,
        cpu_busy_before_percent=busy_before,
    )


# --- Our project ----------------------------------------------------------------------------


def portal_env(
    workdir: Path, page_cache_seconds: int, page_cache_dir: Path | None = None
) -> dict[str, str]:
    """The project's settings as production runs them, with embedded engines."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development",  # production would insist on HTTPS redirects and Redis
        DEBUG="false",  # and so the cached template loader
        DATABASE_URL=f"sqlite:///{workdir / 'portal.sqlite3'}",
        DATABASE_CONN_MAX_AGE="60",  # as in production: one connection per worker
        CACHE_URL="locmem://",
        TASKS_BACKEND="immediate",
        LOG_LEVEL="warning",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        PAGE_CACHE_DIR=str(page_cache_dir or ""),
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
        BENCH_PAGE_CACHE_SECONDS=str(page_cache_seconds),
    )
    return env


NEWEST_ARTICLE = """
from vgp.news.models import ArticlePage
page = (
    ArticlePage.objects.live().filter(locale__language_code="vi")
    .order_by("-date", "-pk").first()
)
print("BENCH-URL " + page.url)
"""


def prepare_article(env: dict[str, str], home_page: bool = False) -> str:
    """Fill the database with what the page under test needs; return the page's path.

    With the news app, 200 generated articles and the newest live Vietnamese one; before it
    existed (or with ``home_page``), the home page.
    """
    manage(env, "migrate", "--noinput", "-v", "0")
    if GENERATE_ARTICLES.exists() and not home_page:
        manage(env, "generate_articles", str(ARTICLES), "-v", "0")
        return shell(env, NEWEST_ARTICLE).split("BENCH-URL ", 1)[1].strip()
    shell(env, "from vgp.portal.demo import ensure_home_pages; ensure_home_pages()")
    return "/"


ARTICLE_CONTENT = """
import json
from wagtail.models import Page, Site
root = Site.objects.get(is_default_site=True).root_page
page = Page.objects.get(url_path=root.url_path + {path!r}.lstrip("/")).specific
lead = next(
    (str(getattr(page, name)) for name in ("lead", "intro", "search_description")
     if getattr(page, name, "")),
    "",
)
body = getattr(page, "body", None)
date = getattr(page, "date", None) or page.first_published_at
print("BENCH-JSON " + json.dumps({{
    "type": type(page).__name__,
    "title": page.title,
    "lead": lead,
    "body": str(body) if body else "",
    "date": date.date().isoformat(),
}}))
"""


def article_content(env: dict[str, str], path: str) -> dict[str, str]:
    return tagged_json(shell(env, ARTICLE_CONTENT.format(path=path)), "BENCH-JSON ")


# --- A plain `wagtail start` project ----------------------------------------------------------

PLAIN_MODEL = '''

from wagtail.fields import RichTextField


class BlogPage(Page):
    """Wagtail's tutorial blog page (intro as text: our leads are longer than 250 characters)."""

    date = models.DateField("Post date")
    intro = models.TextField()
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + ["date", "intro", "body"]
'''

PLAIN_TEMPLATE = """\
{% extends "base.html" %}
{% load wagtailcore_tags %}

{% block body_class %}template-blogpage{% endblock %}

{% block content %}
    <h1>{{ page.title }}</h1>
    <p class="meta">{{ page.date }}</p>

    <div class="intro">{{ page.intro }}</div>

    {{ page.body|richtext }}

    <p><a href="{{ page.get_parent.url }}">Return to blog</a></p>

{% endblock %}
"""

PLAIN_SETTINGS = """\
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = "bench-only-" + "x" * 50
# No collectstatic in the benchmark: plain static storage, as our development posture has.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
LOGGING = {"version": 1, "disable_existing_loggers": False}
"""

PLAIN_PAGE = """
import datetime, json
from home.models import BlogPage, HomePage
content = json.loads({content!r})
home = HomePage.objects.first()
page = BlogPage(
    title=content["title"], slug="bai-viet", intro=content["lead"], body=content["body"],
    date=datetime.date.fromisoformat(content["date"]),
)
home.add_child(instance=page)
page.save_revision().publish()
print("BENCH-URL " + page.url)
"""


def build_plain_wagtail(workdir: Path, content: dict[str, str]) -> tuple[Path, dict[str, str], str]:
    project = workdir / "plain"
    project.mkdir()
    subprocess.run(
        [str(WAGTAIL), "start", "benchproj", str(project)],
        check=True,
        capture_output=True,
    )
    with (project / "home" / "models.py").open("a", encoding="utf-8") as models:
        models.write(PLAIN_MODEL)
    (project / "home" / "templates" / "home" / "blog_page.html").write_text(PLAIN_TEMPLATE)
    with (project / "benchproj" / "settings" / "local.py").open("w", encoding="utf-8") as local:
        local.write("from .base import STORAGES\n\n" + PLAIN_SETTINGS)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PAGE_CACHE", "CACHE_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="benchproj.settings.production", PYTHONPATH=str(project))
    manage(env, "makemigrations", "home", "-v", "0", cwd=project)
    manage(env, "migrate", "--noinput", "-v", "0", cwd=project)
    output = shell(env, PLAIN_PAGE.format(content=json.dumps(content)), cwd=project)
    return project, env, output.split("BENCH-URL ", 1)[1].strip()


# --- Scenarios --------------------------------------------------------------------------------


def check(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def cached_and_static(
    workdir: Path, path: str, server: Server, args: argparse.Namespace, script: Path
) -> list[Result]:
    """(a) and (b): one nginx serving a static file and our site through vgp.conf."""
    pages = workdir / "page-cache"
    env = portal_env(workdir, page_cache_seconds=300, page_cache_dir=pages)
    app_port, site_port, static_port = free_port(), free_port(), free_port()
    prefix = workdir / "nginx"
    static = workdir / "static-html"
    for directory in (prefix, static, workdir / "static", workdir / "media"):
        directory.mkdir(exist_ok=True)
    site = nginx_conf.render_site(
        port=site_port,
        upstream_port=app_port,
        page_cache_dir=pages,
        static_root=workdir / "static",
        media_root=workdir / "media",
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        nginx_conf.render_main(prefix, nginx_conf.static_server(static_port, static) + site)
    )
    app = start_gunicorn(ROOT, "vgp.wsgi", env, app_port, server)
    nginx = None
    try:
        wait_until_answering(app_port, "/healthz", app)
        nginx = subprocess.Popen(
            [
                "nginx",
                "-p",
                str(prefix),
                "-c",
                str(conf),
                "-e",
                str(prefix / "error.log"),
                "-g",
                "daemon off;",
            ],
            start_new_session=True,
        )
        wait_until_answering(site_port, "/healthz", nginx)

        # Warm: the first request renders and writes the file, the next ones are nginx's.
        status, headers, body = fetch(site_port, path)
        check(status == 200, f"(b) warm-up: GET {path} answered {status}")
        status, headers, body = fetch(site_port, path)
        check(status == 200 and headers.get("x-cache") == "HIT", f"(b) not a hit: {headers}")
        check("etag" in headers, f"(b) the hit did not come from a file: {headers}")
        for name in ("x-frame-options", "x-content-type-options", "content-language", "vary"):
            check(name in headers, f"(b) the file hit lacks {name}: {headers}")
        check(
            headers.get("content-type") == "text/html; charset=utf-8",
            f"(b) {headers['content-type']}",
        )
        # (a): the same bytes as a plain static file.
        (static / "article.html").write_bytes(body)
        status, _headers, static_body = fetch(static_port, "/article.html")
        check(status == 200 and static_body == body, "(a) the static file is not served")

        return [
            measure(
                "a",
                "static HTML file of the article's size, nginx",
                f"http://127.0.0.1:{static_port}/article.html",
                len(body),
                args,
                script,
            ),
            measure(
                "b",
                "cached article: nginx (deploy/nginx/vgp.conf) serving the page cache's file",
                f"http://127.0.0.1:{site_port}{path}",
                len(body),
                args,
                script,
            ),
        ]
    finally:
        if nginx is not None:
            stop(nginx, signal.SIGQUIT)
        stop(app)


def uncached(
    workdir: Path, path: str, server: Server, args: argparse.Namespace, script: Path
) -> Result:
    """(c): our page rendered on every request, straight from gunicorn."""
    env = portal_env(workdir, page_cache_seconds=0)
    port = free_port()
    app = start_gunicorn(ROOT, "vgp.wsgi", env, port, server)
    try:
        wait_until_answering(port, "/healthz", app)
        status, headers, body = fetch(port, path)
        check(status == 200 and "x-cache" not in headers, f"(c) GET {path}: {status} {headers}")
        return measure(
            "c",
            f"uncached article: {server.describe()}, PAGE_CACHE_SECONDS=0",
            f"http://127.0.0.1:{port}{path}",
            len(body),
            args,
            script,
        )
    finally:
        stop(app)


def plain_wagtail(
    workdir: Path, content: dict[str, str], server: Server, args: argparse.Namespace, script: Path
) -> Result:
    """(d): the same text in a plain `wagtail start` project, uncached."""
    project, env, path = build_plain_wagtail(workdir, content)
    port = free_port()
    app = start_gunicorn(project, "benchproj.wsgi", env, port, server)
    try:
        wait_until_answering(port, path, app)
        status, _headers, body = fetch(port, path)
        check(status == 200 and content["title"].encode() in body, f"(d) GET {path}: {status}")
        return measure(
            "d",
            f"uncached page of a plain `wagtail start` project (BlogPage), {server.describe()}",
            f"http://127.0.0.1:{port}{path}",
            len(body),
            args,
            script,
        )
    finally:
        stop(app)


# --- Report -----------------------------------------------------------------------------------


def judge(results: dict[str, Result]) -> list[tuple[str, bool]]:
    verdicts = []
    for key, goal in GOALS.items():
        result = results.get(key)
        if result is None:
            continue
        passed = (
            result.requests_per_second >= goal.requests_per_second
            and getattr(result, goal.percentile) <= goal.max_ms
            and result.errors == 0
        )
        result.goal, result.passed = goal.describe(), passed
        verdicts.append((f"({key}) {goal.describe()}, no errors", passed))
    if "c" in results and "d" in results:
        faster = results["c"].requests_per_second > results["d"].requests_per_second
        verdicts.append(("(c) more req/s than (d)", faster))
    return verdicts


def print_table(results: list[Result], verdicts: list[tuple[str, bool]]) -> None:
    header = (
        f"{'':<4}{'scenario':<46} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'bytes':>7}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        goal = f"{r.goal}: {'PASS' if r.passed else 'FAIL'}" if r.goal else ""
        print(
            f"({r.scenario}) {r.description[:46]:<46} {r.requests_per_second:>8.0f} "
            f"{r.p50_ms:>8.2f} {r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors:>7} "
            f"{r.body_bytes:>7}  {goal}"
        )
    print()
    for text, passed in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    busy = [
        f"({r.scenario}) {r.cpu_busy_before_percent:.0f}%"
        for r in results
        if r.cpu_busy_before_percent > BUSY_PERCENT
    ]
    if busy:
        print(
            f"\n  WARNING: other processes kept the CPUs busy just before {', '.join(busy)}: "
            "they competed with the servers and wrk; run again on a quiet machine."
        )


def machine_info() -> dict[str, object]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    versions = {}
    for tool, flag in (("nginx", "-v"), ("wrk", "-v")):
        out = subprocess.run([tool, flag], capture_output=True, text=True, check=False)
        versions[tool] = (out.stdout + out.stderr).strip().splitlines()[0]
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "commit": commit.stdout.strip() or None,
        **versions,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (default: one per CPU)"
    )
    parser.add_argument(
        "--worker-class", choices=("sync", "gthread"), default="sync", help="gunicorn workers"
    )
    parser.add_argument("--gthreads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument(
        "--only", default="abcd", help="scenarios to run, e.g. 'c' or 'cd' (default abcd)"
    )
    parser.add_argument(
        "--home-page", action="store_true", help="measure the home page instead of an article"
    )
    args = parser.parse_args()
    ensure_tools()
    server = Server(args.workers, args.worker_class, args.gthreads)
    started_at = dt.datetime.now(dt.UTC)

    workdir = Path(tempfile.mkdtemp(prefix="vgp-bench-"))
    workdir.chmod(0o755)  # nginx's workers (user nobody) read the page files inside
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    results: list[Result] = []
    try:
        started = time.perf_counter()
        path = prepare_article(portal_env(workdir, 0), home_page=args.home_page)
        content = article_content(portal_env(workdir, 0), path)
        print(
            f"Page under test: {path} ({content['type']}), ready in {time.perf_counter() - started:.0f}s"
        )
        if {"a", "b"} & set(args.only):
            results += [
                r
                for r in cached_and_static(workdir, path, server, args, script)
                if r.scenario in args.only
            ]
        if "c" in args.only:
            results.append(uncached(workdir, path, server, args, script))
        if "d" in args.only:
            results.append(plain_wagtail(workdir, content, server, args, script))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    verdicts = judge({r.scenario: r for r in results})
    print()
    print_table(results, verdicts)

    report = {
        "benchmark": "portal",
        "page": path,
        "page_type": content["type"],
        "started_at": started_at.isoformat(timespec="seconds"),
        "load": {
            "tool": "wrk",
            "connections": args.connections,
            "threads": args.threads,
            "seconds_per_scenario": args.seconds,
            "address": "127.0.0.1 (loopback)",
        },
        "server": {
            "gunicorn": server.describe(),
            "database": "sqlite",
            "cache": "locmem",
            "settings": "DEBUG=false, cached template loader, DATABASE_CONN_MAX_AGE=60",
        },
        "machine": machine_info(),
        "results": [asdict(r) for r in results],
        "goals": [{"goal": text, "passed": passed} for text, passed in verdicts],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "portal.json").write_text(text, encoding="utf-8")
    (RESULTS / f"portal-{started_at:%Y%m%dT%H%M%SZ}.json").write_text(text, encoding="utf-8")
    print(f"\nWrote {RESULTS / 'portal.json'}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
