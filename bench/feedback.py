"""Benchmark of citizen submissions through the API: a burst of POST /api/v1/feedback.

    .venv/bin/python bench/feedback.py [--seconds 60] [--connections 64] [--only sqlite|postgres]

For each database (SQLite, then PostgreSQL with Redis as the cache), on loopback and in a
temporary directory deleted afterwards: a fresh database, migrated, with the shipped agency
registry and an API key (``create_api_key``); gunicorn behind nginx as bench/run.py runs the
portal (deploy/nginx/vgp.conf rendered by nginx_conf.py); then a load generator in its own
process (feedback_load.py: asyncio, HTTP/1.1 keep-alive, unique Idempotency-Keys) fires
submissions for ``--seconds`` over ``--connections`` connections. The API key's rate limit is
lifted (feedback_settings.py) so that capacity is measured; the admission guard
(``FEEDBACK_MAX_IN_FLIGHT`` requests per worker process) answers what exceeds it with 429.
Afterwards every key answered 201 is looked up in the database (lost = answered 201 but not
stored; duplicates by key), and one request is profiled in process (cProfile) to show where the
time goes.

Prints a table with the goals and writes bench/results/feedback.json and a timestamped copy.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nginx_conf
import run

ROOT = run.ROOT
RESULTS = run.RESULTS
PYTHON = run.PYTHON
WORKER = ROOT / "bench" / "feedback_worker.py"
LOAD = ROOT / "bench" / "feedback_load.py"
PG_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "vgp_bench_feedback"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

GOALS = {
    "accepted_per_second_postgres": 500,
    "lost": 0,
    "server_errors": 0,
    "p99_ms": 200,
}

# The functions whose cumulative time per request the profile reports, in the order of a request.
PROFILE_STEPS = [
    ("whole request (Django test client)", "django/test/client.py", "request"),
    ("API key authentication", "vgp/accounts/actions.py", "authenticate_api_key"),
    ("rate limit (cache)", "vgp/feedback/rate_limits.py", "hit_policy"),
    ("read and check the JSON body", "vgp/feedback/api.py", "_read_submission"),
    ("actions.receive", "vgp/feedback/actions.py", "receive"),
    ("  checks of the fields", "vgp/feedback/actions.py", "_validate"),
    ("  digest (idempotency)", "vgp/feedback/actions.py", "digest"),
    ("  routing deadline (working days)", "vgp/feedback/deadlines.py", "routing_due"),
    ("  the intake row's insert", "vgp/feedback/actions.py", "_insert"),
    ("receipt (response body)", "vgp/feedback/api.py", "_receipt"),
    ("SQL executed (all statements)", "django/db/backends/utils.py", "_execute"),
]


# --- processes ------------------------------------------------------------------------------


def worker(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(PYTHON), str(WORKER), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
    raise RuntimeError(f"feedback_worker {args[0]} failed ({done.returncode})")


def server_env(
    workdir: Path, database_url: str, cache_url: str, args: argparse.Namespace
) -> dict[str, str]:
    """The project's settings as production runs them, with the API key's limit lifted."""
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="development",  # production would insist on HTTPS redirects and secrets
        DEBUG="false",
        DATABASE_URL=database_url,
        # Longer than the burst, so that PostgreSQL's backends live through it and the CPU
        # meter, which reads them at its start and end, sees all their work.
        DATABASE_CONN_MAX_AGE="600",
        CACHE_URL=cache_url,
        CACHE_KEY_PREFIX=f"vgp-bench-{os.getpid()}",
        # The default queue: each task is a row. No worker runs during the burst; the backlog
        # of intakes is registered afterwards (timed).
        TASKS_BACKEND="database",
        LOG_LEVEL="warning",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_ROOT=str(workdir / "private"),
        STATIC_ROOT=str(workdir / "static"),
        PAGE_CACHE_DIR=str(workdir / "page-cache"),
        BEHIND_PROXY="true",
        TRUSTED_PROXY_COUNT="1",
        FEEDBACK_MAX_IN_FLIGHT=str(args.max_in_flight),
        DJANGO_SETTINGS_MODULE="feedback_settings",
        PYTHONPATH=os.pathsep.join([str(run.BENCH), str(ROOT)]),
    )
    return env


def post(port: int, key: str, idempotency_key: str) -> tuple[int, bytes]:
    body = json.dumps(
        {
            "kind": "feedback",
            "name": "Trần Văn Dũng",
            "email": "dung.tran@example.vn",
            "title": "Kiểm tra trước khi đo",
            "content": "Một kiến nghị để kiểm tra máy chủ trước khi đo tải.",
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/v1/feedback",
            body=body.encode(),
            headers={
                "Content-Type": "application/json",
                "X-API-Key": key,
                "Idempotency-Key": idempotency_key,
            },
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_gunicorn(
    env: dict[str, str], port: int, server: run.Server, log: Path
) -> subprocess.Popen:
    """gunicorn as run.start_gunicorn starts it, its log (a warning per 429) in a file."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                str(run.GUNICORN),
                "vgp.wsgi",
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
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )


def cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (gunicorn's master and workers, nginx's)."""
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        found.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                children = (task / "children").read_text().split()
                frontier.extend(int(child) for child in children)
        except OSError:
            continue
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds each process has used so far (from /proc/<pid>/stat)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return used


def postgres_backends(database_url: str) -> list[int]:
    query = (
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    out = subprocess.run(["psql", database_url, "-tAc", query], capture_output=True, text=True)
    return [int(line) for line in out.stdout.split() if line.strip().isdigit()]


class CpuMeter:
    """CPU seconds used by the server's processes between two readings: gunicorn (Django),
    nginx and, on PostgreSQL, the backends of our database; independent of what else the
    machine runs, so a busy machine distorts it far less than the rates."""

    def __init__(self, app: subprocess.Popen, nginx: subprocess.Popen, database_url: str):
        self.app, self.nginx, self.database_url = app, nginx, database_url
        self.before: dict[str, dict[int, float]] = {}

    def _read(self) -> dict[str, dict[int, float]]:
        groups = {
            "django": cpu_seconds(descendants(self.app.pid)),
            "nginx": cpu_seconds(descendants(self.nginx.pid)),
        }
        if self.database_url.startswith("postgres"):
            groups["postgres"] = cpu_seconds(postgres_backends(self.database_url))
        return groups

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> dict[str, float]:
        after = self._read()
        return {
            group: round(
                sum(t - self.before.get(group, {}).get(pid, 0.0) for pid, t in times.items()), 2
            )
            for group, times in after.items()
        }


def start_nginx(workdir: Path, site_port: int, app_port: int) -> subprocess.Popen:
    prefix = workdir / "nginx"
    for directory in (prefix, workdir / "static", workdir / "media", workdir / "page-cache"):
        directory.mkdir(exist_ok=True)
    site = nginx_conf.render_site(
        port=site_port,
        upstream_port=app_port,
        page_cache_dir=workdir / "page-cache",
        static_root=workdir / "static",
        media_root=workdir / "media",
    )
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf.render_main(prefix, site))
    command = ["nginx", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    return subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)


# --- one database -----------------------------------------------------------------------------


def measure(engine: str, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    if engine == "sqlite":
        database_url, cache_url = f"sqlite:///{workdir / 'feedback.sqlite3'}", "locmem://"
    else:
        subprocess.run(["psql", PG_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", PG_URL, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        database_url, cache_url = PG_URL.rsplit("/", 1)[0] + "/" + PG_DB, REDIS_URL
        subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    env = server_env(workdir, database_url, cache_url, args)
    started = time.perf_counter()
    run.manage(env, "migrate", "--noinput", "-v", "0")
    prepared = worker(env, "prepare")
    # The key of the run comes from the project's own command, as an installation makes one.
    out = run.manage(env, "create_api_key", "000.00.00.G12", "--name", "benchmark load")
    key = out.strip().splitlines()[-1].strip()
    print(f"[{engine}] database ready in {time.perf_counter() - started:.0f}s", flush=True)

    cpus = os.cpu_count() or 2
    workers = args.workers or (cpus if engine == "sqlite" else 3 * cpus)
    server = run.Server(workers, args.worker_class, args.threads)
    app_port, site_port = run.free_port(), run.free_port()
    app = start_gunicorn(env, app_port, server, workdir / "gunicorn.log")
    nginx = None
    try:
        run.wait_until_answering(app_port, "/healthz", app)
        nginx = start_nginx(workdir, site_port, app_port)
        run.wait_until_answering(site_port, "/healthz", nginx)
        status, body = post(site_port, key, "smoke-1")
        run.check(status == 201, f"[{engine}] smoke submission answered {status}: {body[:300]!r}")
        status, body = post(site_port, key, "smoke-1")
        run.check(status == 200, f"[{engine}] replayed submission answered {status}")
        # Warm every worker and thread (imports, connections) before the clock runs.
        for i in range(4 * workers * args.threads):
            post(site_port, key, f"warm-{i}")
        busy_before = run.cpu_busy_percent()
        for _attempt in range(10):
            if busy_before <= run.BUSY_PERCENT:
                break
            busy_before = run.cpu_busy_percent()
        keys_file = workdir / f"{engine}-keys.txt"
        print(
            f"[{engine}] burst: {args.connections} connections, {args.seconds}s, "
            f"{server.describe()}, FEEDBACK_MAX_IN_FLIGHT={args.max_in_flight} ...",
            flush=True,
        )
        meter = CpuMeter(app, nginx, database_url)
        meter.start()
        idle_before, total_before = cpu_times()
        load = subprocess.run(
            [
                str(PYTHON),
                str(LOAD),
                "--port",
                str(site_port),
                "--key",
                key,
                "--connections",
                str(args.connections),
                "--seconds",
                str(args.seconds),
                "--backoff-ms",
                str(args.backoff_ms),
                "--run",
                f"{engine}{int(time.time())}",
                "--keys-out",
                str(keys_file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        idle_after, total_after = cpu_times()
        server_cpu = meter.stop()
        burst = run.tagged_json(load.stdout + load.stderr, "RESULT ")
        server_cpu["load generator"] = burst["generator_cpu_seconds"]
        accepted = max(1, burst["accepted"])
        cpu_per_accepted = {k: round(v / accepted * 1000, 2) for k, v in server_cpu.items()}
        total = total_after - total_before
        busy_during = round(100 * (1 - (idle_after - idle_before) / total), 1) if total else 0.0
        log_text = (workdir / "gunicorn.log").read_text(errors="replace")
        errors_logged = [line for line in log_text.splitlines() if " ERROR " in line][:20]
    finally:
        if nginx is not None:
            run.stop(nginx, signal.SIGQUIT)
        run.stop(app)
    # The burst's submissions are stored as intake rows; the registration task (stopped during
    # the burst, as on a separate worker machine) turns them into items: timed here, then
    # everything is counted.
    registered = worker(env, "register")
    counted = worker(env, "count", str(keys_file))
    profile = worker(env, "profile", str(args.profile_requests)) if args.profile_requests else {}
    size = None
    if engine == "sqlite":
        size = (workdir / "feedback.sqlite3").stat().st_size
    else:
        psql = ["psql", database_url, "-tAc", f"SELECT pg_database_size('{PG_DB}')"]
        size = int(subprocess.run(psql, capture_output=True, text=True, check=True).stdout)
    return {
        "engine": engine,
        "cache": cache_url.split(":", 1)[0],
        "server": f"{server.describe()}, FEEDBACK_MAX_IN_FLIGHT={args.max_in_flight} per worker",
        "agencies": prepared["agencies"],
        "cpu_busy_before_percent": busy_before,
        "cpu_busy_during_percent": busy_during,
        # CPU seconds each part used during the burst, and per accepted submission (the 429s
        # the part answered included): what the rate would be on this machine if it ran
        # nothing else, whatever it ran during the measurement.
        "cpu_seconds": server_cpu,
        "cpu_ms_per_accepted": cpu_per_accepted,
        "capacity_estimate_per_second": round(
            (os.cpu_count() or 1) * 1000 / sum(cpu_per_accepted.values()), 1
        ),
        "server_errors_logged": errors_logged,
        "burst": burst,
        "database": {**counted, "bytes": size},
        "registration": registered,
        "profile": _profile_summary(profile),
    }


def _profile_summary(profile: dict[str, Any]) -> dict[str, Any]:
    if not profile:
        return {}
    steps = []
    for label, path, function in PROFILE_STEPS:
        ms = _cumulative_ms(profile["profile"], path, function, profile["requests"])
        if ms is not None:
            steps.append({"step": label, "ms_per_request_profiled": ms})
    return {
        "requests": profile["requests"],
        "ms_per_request": profile["ms_per_request"],
        "cpu_ms_per_request": profile["cpu_ms_per_request"],
        "cpu_ms_per_429": profile["cpu_ms_per_429"],
        "ms_per_request_profiled": profile["ms_per_request_profiled"],
        "queries_per_request": profile["queries_per_request"],
        "queries": profile["queries"],
        "steps": steps,
    }


def _cumulative_ms(text: str, path: str, function: str, requests: int) -> float | None:
    """Cumulative seconds of ``function`` in ``path`` from pstats' text, per request in ms."""
    best = None
    for line in text.splitlines():
        if path in line and line.rstrip().endswith(f"({function})"):
            parts = line.split()
            try:
                cumulative = float(parts[3])
            except (IndexError, ValueError):
                continue
            best = max(best or 0.0, cumulative)
    return round(best / requests * 1000, 2) if best is not None else None


# --- report -----------------------------------------------------------------------------------


def judge(results: dict[str, dict[str, Any]]) -> list[tuple[str, bool | None]]:
    verdicts: list[tuple[str, bool | None]] = []
    pg = results.get("postgres")
    if pg:
        rate = pg["burst"]["accepted_per_second"]
        goal = GOALS["accepted_per_second_postgres"]
        verdicts.append((f"PostgreSQL: >= {goal} accepted/s (measured {rate:,.0f})", rate >= goal))
    for engine, result in results.items():
        burst, db = result["burst"], result["database"]
        p99 = burst["accepted_latency"]["p99_ms"]
        verdicts += [
            (f"{engine}: zero lost (lost {db['lost']})", db["lost"] == 0),
            (
                f"{engine}: no duplicate (duplicate keys {db['duplicate_keys']})",
                db["duplicate_keys"] == 0,
            ),
            (
                f"{engine}: every stored submission registered afterwards ({db['items']:,} items "
                f"of {db['rows']:,} intakes, {db['pending']} pending)",
                db["pending"] == 0 and db["items"] == db["rows"],
            ),
            (f"{engine}: zero 5xx ({burst['server_errors']})", burst["server_errors"] == 0),
            (
                f"{engine}: p99 of accepted <= {GOALS['p99_ms']} ms (measured {p99} ms)",
                p99 is not None and p99 <= GOALS["p99_ms"],
            ),
            (
                f"{engine}: excess answered 429, not dropped "
                f"({burst['statuses'].get('429', 0):,} answers 429, {burst['connection_errors']} "
                f"connection errors, {burst['timeouts']} timeouts)",
                burst["connection_errors"] == 0 and burst["timeouts"] == 0,
            ),
        ]
    return verdicts


def print_table(
    results: dict[str, dict[str, Any]], verdicts: list[tuple[str, bool | None]]
) -> None:
    header = (
        f"{'database':10} {'accepted/s':>10} {'201':>8} {'429':>8} {'5xx':>5} {'other':>6} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'stored':>8} {'lost':>5} {'gen CPU':>8}"
    )
    print(header)
    print("-" * len(header))
    for engine, result in results.items():
        burst, db = result["burst"], result["database"]
        statuses = burst["statuses"]
        other = sum(v for k, v in statuses.items() if k not in {"201", "429"} and int(k) < 500)
        lat = burst["accepted_latency"]
        print(
            f"{engine:10} {burst['accepted_per_second']:>10,.1f} {burst['accepted']:>8,} "
            f"{statuses.get('429', 0):>8,} {burst['server_errors']:>5} {other:>6} "
            f"{lat['p50_ms'] or 0:>7.1f} {lat['p95_ms'] or 0:>7.1f} {lat['p99_ms'] or 0:>7.1f} "
            f"{lat['max_ms'] or 0:>7.1f} {db['rows']:>8,} {db['lost']:>5} "
            f"{burst['generator_cpu_percent_of_one_core']:>7.0f}%"
        )
    print("(latencies in ms, of the answers 201; 'stored' counts every API row, warm-up included)")
    for engine, result in results.items():
        parts = ", ".join(f"{k} {v}" for k, v in result["cpu_ms_per_accepted"].items())
        print(
            f"{engine}: CPUs busy {result['cpu_busy_before_percent']:.0f}% before the burst "
            f"(other processes), {result['cpu_busy_during_percent']:.0f}% during it; CPU ms "
            f"per accepted submission: {parts}; so at most "
            f"~{result['capacity_estimate_per_second']:,.0f}/s on {os.cpu_count()} CPUs with "
            "nothing else running"
        )
    for engine, result in results.items():
        reg = result["registration"]
        print(
            f"{engine}: the burst's backlog of {reg['pending_before']:,} registered as items in "
            f"{reg['seconds']} s ({reg['per_second']}/s, {reg['cpu_ms_each']} ms of CPU each, "
            f"one worker process, batches of 200)"
        )
    for engine, result in results.items():
        profile = result["profile"]
        if not profile:
            continue
        print(
            f"\nWhere the time goes on {engine}: {profile['ms_per_request']} ms per request in "
            f"one process without the profiler ({profile['cpu_ms_per_request']} ms of its CPU), "
            f"{profile['queries_per_request']} SQL statements; under cProfile (times inflated):"
        )
        for step in profile["steps"]:
            print(f"  {step['step']:48} {step['ms_per_request_profiled']:7.2f} ms")
        print(f"  a refusal (429, admission guard full): {profile['cpu_ms_per_429']} ms of CPU")
    print()
    for text, passed in verdicts:
        mark = "PASS" if passed else ("n/a " if passed is None else "FAIL")
        print(f"[{mark}] {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="duration of the burst")
    parser.add_argument("--connections", type=int, default=64, help="concurrent connections")
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default: one per CPU on SQLite, whose writes take turns; three "
        "per CPU on PostgreSQL, whose workers wait for the commit)",
    )
    parser.add_argument(
        "--worker-class",
        default="sync",
        choices=["sync", "gthread"],
        help="gunicorn's worker class: sync (default; nginx's limit_conn sheds the excess in "
        "front of it) or gthread (threads, with Django's admission guard shedding)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--max-in-flight",
        type=int,
        default=1,
        help="FEEDBACK_MAX_IN_FLIGHT per worker: one submission runs, the other threads answer "
        "429 (threads share a worker's GIL, so a second admitted one only slows the first)",
    )
    parser.add_argument(
        "--backoff-ms",
        type=float,
        default=0,
        help="client pause after a 429; 0 (default): the Retry-After, as a client should",
    )
    parser.add_argument(
        "--profile-requests", type=int, default=300, help="in-process profile (0: none)"
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    run.ensure_tools()  # nginx (and wrk, whose version the report records like run.py's)
    started_at = dt.datetime.now(dt.UTC)
    results: dict[str, dict[str, Any]] = {}
    for engine in ("sqlite", "postgres"):
        if args.only not in (None, engine):
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"vgp-bench-feedback-{engine}-"))
        workdir.chmod(0o755)
        try:
            results[engine] = measure(engine, workdir, args)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if engine == "postgres":
                drop = ["psql", PG_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"]
                subprocess.run(drop, check=False, capture_output=True)
    verdicts = judge(results)
    print()
    print_table(results, verdicts)
    report = {
        "benchmark": "feedback",
        "started_at": started_at.isoformat(timespec="seconds"),
        "load": {
            "tool": "bench/feedback_load.py (asyncio, HTTP/1.1 keep-alive, its own process)",
            "connections": args.connections,
            "seconds": args.seconds,
            "backoff_after_429_ms": args.backoff_ms,
            "address": "127.0.0.1 (loopback), through nginx (deploy/nginx/vgp.conf)",
        },
        "goals": GOALS,
        "machine": run.machine_info(),
        "results": results,
        "verdicts": [{"goal": text, "passed": passed} for text, passed in verdicts],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "feedback.json").write_text(text, encoding="utf-8")
    (RESULTS / f"feedback-{started_at:%Y%m%dT%H%M%SZ}.json").write_text(text, encoding="utf-8")
    print(f"\nWrote {RESULTS / 'feedback.json'}")
    return 0 if all(passed is not False for _text, passed in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
