"""Benchmark of the official documents' admin pages at 100,000 documents.

    .venv/bin/python bench/documents.py [--docs 100000] [--rounds 40] [--only sqlite|postgres]

On SQLite and on PostgreSQL: a throwaway database, the agency registry, roles and demo accounts,
then ``generate_documents N`` (incoming and outgoing documents in every status, tasks, access
rows, events); then each list and filter page staff open (incoming and outgoing lists, filters,
search, deep pages, my work, tracking, a document's page) requested ``--rounds`` times by a
signed-in official through Django's test client, after three warm-up requests: p50/p95/max and
the page's query count. Goal (issue 6): p95 ≤ 200 ms for every page.

Prints a table and writes bench/results/documents.json (and a timestamped copy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
WORKER = ROOT / "bench" / "documents_worker.py"
PG_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "vgp_bench_documents"
GOAL_P95_MS = 200


def worker(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(PYTHON), str(WORKER), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
    raise SystemExit(f"worker {args} failed ({done.returncode})")


def base_env(tmp: Path, database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "vgp.settings.base",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "VGP_REQUIRE_2FA": "false",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp / "search"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_ROOT": str(tmp / "private"),
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "warning",
    }


def run(tmp: Path, engine: str, docs: int, rounds: int) -> dict[str, Any]:
    if engine == "sqlite":
        url = f"sqlite:///{tmp / 'documents.sqlite3'}"
    else:
        subprocess.run(["psql", PG_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", PG_URL, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        url = PG_URL.rsplit("/", 1)[0] + "/" + PG_DB
    (tmp / engine).mkdir(exist_ok=True)
    env = base_env(tmp / engine, url)
    try:
        subprocess.run(
            [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
        prepared = worker(env, "prepare", str(docs))
        if engine == "postgres":
            # What autovacuum does after a bulk load (PostgreSQL 13+ vacuums after inserts
            # too): statistics, and the visibility map that index-only scans rely on.
            subprocess.run(["psql", url, "-qc", "VACUUM ANALYZE"], check=True)
        measured = worker(env, "pages", str(rounds))
        return {**prepared, **measured}
    finally:
        if engine == "postgres":
            subprocess.run(["psql", PG_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)


def table(results: dict[str, Any]) -> tuple[str, bool]:
    lines = []
    ok = True
    for engine in ("sqlite", "postgres"):
        if engine not in results:
            continue
        found = results[engine]
        lines.append(
            f"\n{engine}: {found['documents']:,} documents, generated at "
            f"{found['generate_docs_per_s']:,}/s, indexed for search at "
            f"{found.get('index_docs_per_s', 0):,}/s; load average before the pages "
            f"{found.get('load_before', '?')}"
        )
        lines.append(
            f"{'page':<40} {'p50':>8} {'p95':>8} {'max':>8} {'cpu p50':>8} {'queries':>8}  goal"
        )
        for name, page in found["pages"].items():
            passed = page["p95_ms"] <= GOAL_P95_MS
            ok = ok and passed
            lines.append(
                f"{name:<40} {page['p50_ms']:>8.1f} {page['p95_ms']:>8.1f} {page['max_ms']:>8.1f} "
                f"{page.get('cpu_p50_ms', 0):>8.1f} {page['queries']:>8}  {'ok' if passed else 'MISSED'} (p95 ≤ {GOAL_P95_MS} ms)"
            )
    return "\n".join(lines), ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "goal_p95_ms": GOAL_P95_MS,
    }
    tmp = Path(tempfile.mkdtemp(prefix="vgp-bench-documents-"))
    try:
        for engine in ("sqlite", "postgres"):
            if args.only in (None, engine):
                results[engine] = run(tmp, engine, args.docs, args.rounds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text, ok = table(results)
    print(text)
    results["all_goals_met"] = ok
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("documents.json", f"documents-{stamp}.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
