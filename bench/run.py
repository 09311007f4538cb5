"""Benchmark of the public home page, rendered and from the page cache.

    .venv/bin/python bench/run.py [--requests 3000] [--concurrency 4] [--seconds 25]

Builds a throwaway SQLite database in a temporary directory, migrates it, creates the home
pages, then for each scenario starts gunicorn (2 sync workers, loopback only), waits for
/healthz and drives a bounded load generator against ``/``: a fixed number of requests, a time
cap, keep-alive connections where the server keeps them open. Prints a table and writes
bench/results/home.json plus a timestamped copy. See bench/README.md.
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
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 2
WARMUP_REQUESTS = 50


@dataclass
class Scenario:
    name: str
    description: str
    page_cache_seconds: int


SCENARIOS = [
    Scenario("uncached", "every request renders the page (PAGE_CACHE_SECONDS=0)", 0),
    Scenario("cached", "anonymous requests answered from the page cache", 300),
]


@dataclass
class Result:
    scenario: str
    description: str
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    cache_hits: int
    stopped_by_time_cap: bool
    error_samples: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, page_cache_seconds: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development",
        DEBUG="false",
        DATABASE_URL=database_url,
        CACHE_URL="locmem://",
        TASKS_BACKEND="immediate",
        LOG_LEVEL="warning",
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
        BENCH_PAGE_CACHE_SECONDS=str(page_cache_seconds),
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [
            str(PYTHON),
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "from vgp.portal.demo import ensure_home_pages; ensure_home_pages()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"Database ready in {time.perf_counter() - started:.1f}s")


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(GUNICORN),
            "vgp.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_healthy(port: int, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before it was healthy")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            last = f"{response.status} {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"/healthz did not answer 200 within {timeout}s (last: {last})")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class LoadGenerator:
    """``concurrency`` threads share a budget of requests and stop at the time cap."""

    def __init__(self, port: int, path: str, total: int, concurrency: int, seconds: float):
        self.port, self.path = port, path
        self.total, self.concurrency, self.seconds = total, concurrency, seconds
        self._lock = threading.Lock()
        self._issued = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.hits = 0

    def _take(self) -> bool:
        with self._lock:
            if self._issued >= self.total:
                return False
            self._issued += 1
            return True

    def _worker(self, deadline: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        latencies, errors, hits = [], [], 0
        while time.monotonic() < deadline and self._take():
            started = time.perf_counter()
            try:
                conn.request("GET", self.path, headers={"Accept-Language": "vi"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    errors.append(f"HTTP {response.status}")
                else:
                    latencies.append(elapsed)
                    hits += response.getheader("X-Cache") == "HIT"
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()  # reconnects on the next request
        conn.close()
        with self._lock:
            self.latencies.extend(latencies)
            self.errors.extend(errors)
            self.hits += hits

    def run(self) -> tuple[float, bool]:
        started = time.monotonic()
        deadline = started + self.seconds
        threads = [
            threading.Thread(target=self._worker, args=(deadline,), daemon=True)
            for _ in range(self.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(self.seconds + 15)
        return time.monotonic() - started, self._issued < self.total


def warm_up(port: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(WARMUP_REQUESTS):
        conn.request("GET", "/")
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or b'<html lang="vi">' not in body:
            raise RuntimeError(f"GET / answered {response.status}; not the Vietnamese home page")
    conn.close()


def run_scenario(scenario: Scenario, database_url: str, args: argparse.Namespace) -> Result:
    env = server_env(database_url, scenario.page_cache_seconds)
    port = free_port()
    server = start_server(env, port)
    try:
        wait_until_healthy(port, server)
        warm_up(port)
        load = LoadGenerator(port, "/", args.requests, args.concurrency, args.seconds)
        seconds, capped = load.run()
    finally:
        stop_server(server)
    values = sorted(latency * 1000 for latency in load.latencies)
    done = len(values) + len(load.errors)
    return Result(
        scenario=scenario.name,
        description=scenario.description,
        requests=done,
        errors=len(load.errors),
        seconds=round(seconds, 2),
        requests_per_second=round(len(values) / seconds, 1) if seconds else 0.0,
        p50_ms=round(percentile(values, 0.50), 2),
        p95_ms=round(percentile(values, 0.95), 2),
        p99_ms=round(percentile(values, 0.99), 2),
        max_ms=round(values[-1], 2) if values else 0.0,
        cache_hits=load.hits,
        stopped_by_time_cap=capped,
        error_samples=sorted(set(load.errors))[:5],
    )


def machine_info() -> dict[str, object]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "commit": commit.stdout.strip() or None,
    }


def print_table(results: list[Result]) -> None:
    header = f"{'scenario':<10} {'req':>6} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
    header += f" {'p99 ms':>8} {'max ms':>8} {'hits':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.scenario:<10} {r.requests:>6} {r.errors:>4} {r.requests_per_second:>8.1f} "
            f"{r.p50_ms:>8.2f} {r.p95_ms:>8.2f} {r.p99_ms:>8.2f} {r.max_ms:>8.2f} "
            f"{r.cache_hits:>6}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=3000, help="requests per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=25.0, help="time cap per scenario")
    args = parser.parse_args()
    started_at = dt.datetime.now(dt.UTC)

    workdir = Path(tempfile.mkdtemp(prefix="vgp-bench-"))
    database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    try:
        prepare_database(server_env(database_url, 0))
        results = []
        for scenario in SCENARIOS:
            print(f"Running {scenario.name}: {scenario.description} ...", flush=True)
            results.append(run_scenario(scenario, database_url, args))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print_table(results)
    by_name = {r.scenario: r for r in results}
    speedup = None
    if by_name["uncached"].requests_per_second:
        speedup = round(
            by_name["cached"].requests_per_second / by_name["uncached"].requests_per_second, 1
        )
        print(f"\nCached / uncached throughput: {speedup}x")

    report = {
        "benchmark": "home",
        "path": "/",
        "started_at": started_at.isoformat(timespec="seconds"),
        "server": {"gunicorn_workers": WORKERS, "worker_class": "sync", "database": "sqlite"},
        "load": {
            "requests_per_scenario": args.requests,
            "concurrency": args.concurrency,
            "time_cap_seconds": args.seconds,
            "warmup_requests": WARMUP_REQUESTS,
        },
        "machine": machine_info(),
        "results": [asdict(r) for r in results],
        "cached_over_uncached": speedup,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "home.json").write_text(text, encoding="utf-8")
    (RESULTS / f"home-{started_at:%Y%m%dT%H%M%SZ}.json").write_text(text, encoding="utf-8")
    print(f"Wrote {RESULTS / 'home.json'}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
