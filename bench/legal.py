"""Benchmark of the legal documents search: relevance on real questions, speed at scale.

    .venv/bin/python bench/legal.py [--docs 200000] [--only relevance|sqlite|postgres]

1. Relevance: a throwaway SQLite database; ``import_legal`` of the law census and the 2,249
   ALQAC articles (../shared/data/legal); the 100 ALQAC questions searched as articles, as
   written and with every diacritic removed; recall@1/5/10 next to the anchor (plain BM25
   over syllables and syllable pairs, rank_bm25, as written).
2. Speed, on SQLite and on PostgreSQL: ``generate_legal N`` into an empty database (import
   rate, peak memory), then the mixed query set of ``content_generator.query_mix`` (rare and
   common phrases, numbers in several spellings, folded words, filters, citizens' questions)
   through ``queries.search`` — what the search page and the API call — three times after a
   warm-up: p50/p95/p99/max, index size.

Prints a table with the goals and writes bench/results/legal.json (and a timestamped copy).
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
WORKER = ROOT / "bench" / "legal_worker.py"
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = "vgp_bench_legal"

GOALS = {
    "recall@1": 0.76,  # the anchor's, as written
    "recall@10": 0.98,
    "folded_loss": 0.05,
    "p95_ms": 50,
    "p99_ms": 150,
    "max_ms": 300,
    "import_docs_per_s": 1000,
}


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
            return json.loads(line[7:])
    sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
    raise SystemExit(f"worker {args} failed ({done.returncode})")


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )


def base_env(tmp: Path, database_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "vgp.settings.base",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(tmp / "search"),
        "MEDIA_ROOT": str(tmp / "media"),
        "TASKS_BACKEND": "immediate",
    }


def relevance(tmp: Path) -> dict[str, Any]:
    env = base_env(tmp, f"sqlite:///{tmp / 'relevance.sqlite3'}")
    migrate(env)
    return worker(env, "relevance", str(SHARED))


def speed(tmp: Path, engine: str, docs: int) -> dict[str, Any]:
    if engine == "sqlite":
        url = f"sqlite:///{tmp / 'speed.sqlite3'}"
    else:
        admin = PG_URL
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
        url = admin.rsplit("/", 1)[0] + "/" + PG_DB
    env = base_env(tmp / engine, url)
    (tmp / engine).mkdir(exist_ok=True)
    try:
        migrate(env)
        generated = worker(env, "generate", str(docs))
        measured = worker(env, "queries")
        size = None
        if engine == "sqlite":
            size = (tmp / "speed.sqlite3").stat().st_size
        else:
            out = subprocess.run(
                ["psql", url, "-tAc", f"SELECT pg_database_size('{PG_DB}')"],
                capture_output=True,
                text=True,
                check=True,
            )
            size = int(out.stdout.strip())
        return {**generated, **measured, "database_bytes": size}
    finally:
        if engine == "postgres":
            subprocess.run(["psql", PG_URL, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)


def table(results: dict[str, Any]) -> str:
    lines = []
    rel = results.get("relevance")
    if rel:
        lines.append(f"Relevance — 100 ALQAC questions over {rel['articles']} articles")
        lines.append(f"{'':24} {'recall@1':>9} {'recall@5':>9} {'recall@10':>10}")
        for name in ("anchor_as_written", "as_written", "anchor_folded", "folded"):
            row = rel[name]
            lines.append(
                f"{name:24} {row['recall@1']:9.2f} {row['recall@5']:9.2f} {row['recall@10']:10.2f}"
            )
        lines.append(
            f"goal: as written ≥ anchor ({GOALS['recall@1']:.2f} / {GOALS['recall@10']:.2f}), "
            f"folded loses ≤ {GOALS['folded_loss']}"
        )
        lines.append("")
    for engine in ("sqlite", "postgres"):
        run = results.get(engine)
        if not run:
            continue
        lines.append(
            f"Speed on {engine}: {run['documents']:,} documents, {run['articles']:,} articles; "
            f"import {run['documents_per_second']:,.0f} docs/s (goal ≥ "
            f"{GOALS['import_docs_per_s']:,}), peak memory {run['peak_memory_mb']:,.0f} MB "
            f"(import), index {run['index_bytes'] / 1e9:.2f} GB, database "
            f"{run['database_bytes'] / 1e9:.2f} GB"
        )
        lines.append(f"{'query class':28} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
        for name, row in run["by_class"].items():
            lines.append(
                f"{name:28} {row['n']:5d} {row['p50']:8.1f} {row['p95']:8.1f} "
                f"{row['p99']:8.1f} {row['max']:8.1f}"
            )
        lines.append(
            f"goal (all): p95 ≤ {GOALS['p95_ms']} ms, p99 ≤ {GOALS['p99_ms']} ms, "
            f"max ≤ {GOALS['max_ms']} ms; numbers found first: "
            f"{run['numbers_found_first']:.0%} of all, "
            f"{run.get('numbers_found_first_unambiguous', 0):.0%} of the "
            f"{run.get('number_queries_unambiguous', 0)} unambiguous spellings"
        )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--only", choices=["relevance", "sqlite", "postgres"])
    args = parser.parse_args()
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "goals": GOALS,
    }
    tmp = Path(tempfile.mkdtemp(prefix="vgp-bench-legal-"))
    try:
        if args.only in (None, "relevance"):
            if (SHARED / "data" / "legal").is_dir():
                results["relevance"] = relevance(tmp)
            else:
                print(f"relevance skipped: {SHARED / 'data' / 'legal'} is absent")
        for engine in ("sqlite", "postgres"):
            if args.only in (None, engine):
                results[engine] = speed(tmp, engine, args.docs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in ("legal.json", f"legal-{stamp}.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
