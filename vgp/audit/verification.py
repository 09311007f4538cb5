"""Checking the hash chain end to end, and keeping the outcome for the admin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AuditChainHead,
    AuditRecord,
    ChainVerification,
    record_hash,
)

# Reasons a chain is broken, by code. The code is stored; the text is translated when shown.
REASONS: dict[str, Promise] = {
    "missing": _("record #%(seq)s is missing (deleted)"),
    "broken_link": _("record #%(seq)s does not link to the record before it"),
    "altered": _("record #%(seq)s does not match its hash (altered)"),
    "tail_deleted": _("records after #%(last_seq)s were deleted (the chain head is #%(head_seq)s)"),
    "head_mismatch": _("the newest record #%(seq)s does not match the chain head"),
    "head_missing": _("the chain head is missing although there are records"),
}


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain is broken: the record's ``seq`` and why."""

    seq: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The reason in the active language (English when translations are off)."""
        return str(REASONS[self.code]) % {"seq": self.seq, **self.params}


@dataclass(frozen=True)
class ChainReport:
    records_checked: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def check_chain(
    batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> ChainReport:
    """Walk the whole chain in ``seq`` order, ``batch_size`` records per query.

    Detects an altered record (its hash no longer matches its content), a deleted record (a gap
    in the sequence), a re-linked record (a broken link), and deleted newest records (the head
    row points past the end). Keyset pagination on the unique ``seq`` keeps every query cheap.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    problem: ChainProblem | None = None
    # Plain rows rather than model instances: three times faster on 100k records, and the
    # hash is computed by the same function as AuditRecord.compute_hash().
    queryset = AuditRecord.objects.order_by("seq").values(*HASHED_FIELDS, "hash")
    while problem is None:
        batch = list(queryset.filter(seq__gte=expected_seq)[:batch_size])
        if not batch:
            break
        for row in batch:
            seq = row["seq"]
            if seq != expected_seq:
                problem = ChainProblem(expected_seq, "missing")
            elif row["prev_hash"] != expected_prev:
                problem = ChainProblem(seq, "broken_link")
            elif record_hash(row) != row["hash"]:
                problem = ChainProblem(seq, "altered")
            if problem is not None:
                break
            expected_prev = row["hash"]
            expected_seq += 1
            checked += 1
        if progress:
            progress(checked)

    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    last_seq = expected_seq - 1
    if problem is None:
        if head is None and last_seq:
            problem = ChainProblem(last_seq, "head_missing")
        elif head_seq > last_seq:
            problem = ChainProblem(
                last_seq + 1, "tail_deleted", {"last_seq": last_seq, "head_seq": head_seq}
            )
        elif head_seq != last_seq or head_hash != expected_prev:
            problem = ChainProblem(last_seq, "head_mismatch")
    return ChainReport(checked, head_seq, head_hash, problem)


def verify_chain(
    batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> ChainProblem | None:
    """The first problem in the chain, or ``None`` when it is intact."""
    return check_chain(batch_size=batch_size, progress=progress).problem


def run_verification(
    batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> tuple[ChainReport, ChainVerification]:
    """Verify the chain and keep the outcome, which the admin shows to auditors."""
    started_at = timezone.now()
    report = check_chain(batch_size=batch_size, progress=progress)
    problem = report.problem
    with transaction.atomic():
        stored = ChainVerification.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            records_checked=report.records_checked,
            intact=report.intact,
            problem_seq=problem.seq if problem else None,
            problem_code=problem.code if problem else "",
            reason=problem.reason[:255] if problem else "",
            head_seq=report.head_seq,
            head_hash=report.head_hash,
        )
    return report, stored


def last_verification() -> ChainVerification | None:
    return ChainVerification.objects.order_by("-finished_at", "-id").first()


def describe_problem(verification: ChainVerification) -> str:
    """The stored problem of a run, in the active language."""
    if verification.intact or verification.problem_code not in REASONS:
        return verification.reason
    params = {"seq": verification.problem_seq, "last_seq": "?", "head_seq": verification.head_seq}
    if verification.problem_code == "tail_deleted" and verification.problem_seq:
        params["last_seq"] = verification.problem_seq - 1
    return str(REASONS[verification.problem_code]) % params
