"""Checking the hash chain end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import GENESIS_HASH, AuditChainHead, AuditRecord


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def verify_chain(
    batch_size: int = 2000, progress: Callable[[int], None] | None = None
) -> ChainProblem | None:
    """Walk the chain in order and return the first problem, or ``None`` when it is intact.

    Detects an altered record (its hash no longer matches its content), a deleted record (a gap
    in the sequence or a broken link), and deleted newest records (the head points past the end).
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    last_seq = 0
    queryset = AuditRecord.objects.order_by("seq")
    checked = 0
    after = 0
    while True:
        batch = list(queryset.filter(seq__gt=after)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return ChainProblem(expected_seq, f"record #{expected_seq} is missing")
            if entry.prev_hash != expected_prev:
                return ChainProblem(entry.seq, "link to the previous record is broken")
            if entry.compute_hash() != entry.hash:
                return ChainProblem(entry.seq, "content does not match its hash (altered)")
            expected_prev = entry.hash
            expected_seq += 1
            last_seq = entry.seq
        checked += len(batch)
        after = batch[-1].seq
        if progress:
            progress(checked)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_seq != last_seq:
            return ChainProblem(
                last_seq + 1, f"records after #{last_seq} were deleted (head is #{head.last_seq})"
            )
        if head.last_hash != expected_prev:
            return ChainProblem(last_seq, "the newest record does not match the chain head")
    return None
