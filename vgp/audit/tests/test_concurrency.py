"""Many writers appending at once still produce one gap-free, intact chain (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from vgp.audit import trail
from vgp.audit.models import AuditChainHead, AuditRecord
from vgp.audit.verification import verify_chain

THREADS = 8
PER_THREAD = 15

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers itself, so the row lock is not tested",
    ),
]


def test_parallel_appends_keep_the_chain_gap_free_and_intact(transactional_db):
    head = AuditChainHead.objects.filter(pk=1).first()
    start = head.last_seq if head else 0
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                with transaction.atomic():
                    trail.record(action="test.parallel", summary=f"luồng {number}, lần {i}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    seqs = list(
        AuditRecord.objects.filter(seq__gt=start).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(start + 1, start + 1 + THREADS * PER_THREAD))
    assert verify_chain() is None
