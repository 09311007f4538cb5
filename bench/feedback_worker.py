"""Django-side steps of the feedback benchmark (bench/feedback.py), each run in its own process.

    feedback_worker.py prepare                 agencies + an API key: RESULT {"key": ...}
    feedback_worker.py count KEYS_FILE         stored rows against the keys answered 201
    feedback_worker.py register                the backlog registered as items, timed
    feedback_worker.py profile N               N submissions in process, under cProfile

Prints one ``RESULT {json}`` line for the caller.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import django

AGENCY_CODE = "000.00.00.G12"  # Ministry of Finance, in the shipped registry


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "feedback_settings")
    django.setup()


def result(data: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(data, ensure_ascii=False), flush=True)


def prepare() -> None:
    """The shipped agency registry (so that codes resolve as in production) and an API key."""
    from vgp.accounts.actions import issue_api_key
    from vgp.agencies.importing import load_initial_agencies
    from vgp.agencies.models import Agency

    load_initial_agencies()
    agency = Agency.objects.get(code=AGENCY_CODE)
    key, raw = issue_api_key(None, agency=agency, name="benchmark")
    result({"key": raw, "key_id": key.pk, "agencies": Agency.objects.count()})


def count(keys_file: str) -> None:
    """Every Idempotency-Key answered 201 must name one stored submission (an Intake row, ADR
    0013); no key twice; and every registered intake has its item, event and audit record."""
    from django.db import connection
    from django.db.models import Count

    from vgp.audit.models import AuditRecord
    from vgp.feedback.models import Channel, Event, FeedbackItem, Intake

    accepted = [line for line in Path(keys_file).read_text().split("\n") if line]
    intakes = Intake.objects.filter(channel=Channel.API)
    stored_keys = list(intakes.values_list("idempotency_key", flat=True))
    # Stored keys are "api<key id>:<client key>" (actions.receive).
    client_keys = Counter(key.split(":", 1)[1] for key in stored_keys if key)
    accepted_set = set(accepted)
    # The check and warm-up submissions sent before the burst (bench/feedback.py).
    before_burst = {key for key in client_keys if key.startswith(("smoke-", "warm-"))}
    stored_set = set(client_keys) - before_burst
    duplicated = intakes.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).count()
    tables = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd,"
                " autovacuum_count FROM pg_stat_user_tables WHERE relname IN"
                " ('audit_auditchainhead', 'audit_auditrecord', 'feedback_feedbackitem',"
                " 'feedback_intake', 'django_tasks_database_dbtaskresult') ORDER BY relname"
            )
            columns = [column.name for column in cursor.description]
            tables = {row[0]: dict(zip(columns[1:], row[1:], strict=True)) for row in cursor}
    items = FeedbackItem.objects.filter(channel=Channel.API)
    result(
        {
            "postgres_tables": tables,
            "accepted_201": len(accepted),
            "accepted_distinct": len(accepted_set),
            "rows": intakes.count(),
            "rows_before_burst": len(before_burst),
            "rows_with_key": len(stored_keys),
            "lost": len(accepted_set - stored_set),
            # Stored but never answered 201 to the client (the answer was lost on the way, e.g.
            # a timeout): not lost, the client's retry with the same key gets it with 200.
            "stored_not_acknowledged": len(stored_set - accepted_set),
            "duplicate_keys": duplicated + sum(1 for n in client_keys.values() if n > 1),
            "pending": intakes.filter(item__isnull=True).count(),
            "items": items.count(),
            "items_without_intake": items.filter(intake__isnull=True).count(),
            "events": Event.objects.filter(item__channel=Channel.API).count(),
            "audit_records": AuditRecord.objects.filter(action="feedback.submit").count(),
        }
    )


def register() -> None:
    """Register every pending submission as the background task does (``register_intakes``,
    batches of 200), timed: how long a burst's backlog takes to become items."""
    from vgp.feedback import actions
    from vgp.feedback.models import Intake

    pending = Intake.objects.filter(item__isnull=True).count()
    started, cpu = time.perf_counter(), time.process_time()
    registered, failed = 0, []
    while True:
        report = actions.register_intakes(max_seconds=3600)
        registered += len(report.registered)
        failed += report.failed
        if not report.registered:
            break
    seconds = time.perf_counter() - started
    result(
        {
            "pending_before": pending,
            "registered": registered,
            "failed": failed[:20],
            "seconds": round(seconds, 2),
            "per_second": round(registered / seconds, 1) if seconds else None,
            "cpu_ms_each": round((time.process_time() - cpu) / max(1, registered) * 1000, 2),
            "pending_after": Intake.objects.filter(item__isnull=True).count(),
        }
    )


def body(n: int) -> bytes:
    return json.dumps(
        {
            "kind": "petition",
            "name": "Nguyễn Thị Hoa",
            "email": f"hoa.nguyen{n % 1000}@example.vn",
            "phone": "0912 345 678",
            "title": f"Kiến nghị về thủ tục cấp phép số {n}",
            "content": "Đề nghị cơ quan xem xét rút ngắn thời gian giải quyết thủ tục cấp phép "
            "xây dựng nhà ở riêng lẻ, hiện kéo dài quá thời hạn quy định.",
            "consent_to_publish": True,
        },
        ensure_ascii=False,
    ).encode()


def profile(n: int) -> None:
    """``n`` submissions through the whole Django stack in this process (django.test.Client,
    no network), the first 20 as warm-up; the costliest functions by cumulative time."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vgp.accounts.actions import issue_api_key
    from vgp.agencies.models import Agency

    agency = Agency.objects.get(code=AGENCY_CODE)
    _key, raw = issue_api_key(None, agency=agency, name="profile")
    client = Client()

    def post(i: int) -> int:
        response = client.post(
            "/api/v1/feedback",
            data=body(i),
            content_type="application/json",
            headers={"X-API-Key": raw, "Idempotency-Key": f"profile-{i}"},
        )
        return response.status_code

    for i in range(20):
        assert post(i) == 201, post(i)
    with CaptureQueriesContext(connection) as captured:
        post(10_000)
    queries = [query["sql"] for query in captured.captured_queries]
    reset_queries()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    cpu = time.process_time()
    profiler.enable()
    for i in range(20, 20 + n):
        post(i)
    profiler.disable()
    wall = (time.perf_counter() - started) / n * 1000
    cpu_ms = (time.process_time() - cpu) / n * 1000
    # Without the profiler, for the honest time per request; CPU time of this process is what
    # one request costs a core, whatever else the machine runs (SQLite works in this process,
    # PostgreSQL's own work is not in it). Interleaved in rounds with the refusals, so that a
    # change of the machine's load or of the database's size weighs on both alike.
    from vgp.feedback import api, rate_limits

    bound = rate_limits.default_max_in_flight()
    guard = rate_limits._semaphore(api.ADMISSION_NAME, bound)
    wall_s = {"plain": 0.0}
    cpu_s = {"plain": 0.0, "refused": 0.0}
    refused: Counter[int] = Counter()
    rounds, per_round = 10, max(1, n // 10)
    number = 100_000
    for _round in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        for _i in range(per_round):
            number += 1
            post(number)
        wall_s["plain"] += time.perf_counter() - started
        cpu_s["plain"] += time.process_time() - cpu
        # What a refusal costs: every slot of the admission guard taken, each answer a 429.
        for _slot in range(bound):
            guard.acquire(blocking=False)
        cpu = time.process_time()
        for _i in range(per_round):
            number += 1
            refused[post(number)] += 1
        cpu_s["refused"] += time.process_time() - cpu
        for _slot in range(bound):
            guard.release()
    count = rounds * per_round
    plain_ms = wall_s["plain"] / count * 1000
    plain_cpu_ms = cpu_s["plain"] / count * 1000
    refusal_cpu_ms = cpu_s["refused"] / count * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(60)
    result(
        {
            "requests": n,
            "ms_per_request": round(plain_ms, 2),
            "cpu_ms_per_request": round(plain_cpu_ms, 2),
            "cpu_ms_per_429": round(refusal_cpu_ms, 2),
            "statuses_when_full": {str(k): v for k, v in refused.items()},
            "ms_per_request_profiled": round(wall, 2),
            "cpu_ms_per_request_profiled": round(cpu_ms, 2),
            "queries_per_request": len(queries),
            "queries": [sql[:160] for sql in queries],
            "profile": out.getvalue(),
        }
    )


def main() -> None:
    setup()
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare()
    elif command == "register":
        register()
    elif command == "count":
        count(args[0])
    elif command == "profile":
        profile(int(args[0]) if args else 300)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
