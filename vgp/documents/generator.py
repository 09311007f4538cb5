"""Synthetic official documents in bulk, for benchmarks and load tests (``generate_documents``).

Rows are written with ``bulk_create`` rather than through the actions: a benchmark needs
100,000 documents in a minute, and what it measures is reading them. The rows still look like
what the actions make — incoming numbers per register, year and series without gaps (the
series rows are brought up to date at the end), issued numbers and symbols, a handling slip
and tasks for directed documents, the units' ``Access`` rows, a few events each — so that list
pages, filters and visibility queries meet realistic data. Never used on a live installation's
data: the command refuses when documents already exist unless told otherwise.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from vgp.agencies.models import Agency
from vgp.core.text import fold

from . import numbering
from .models import (
    Access,
    Direction,
    Document,
    DocumentType,
    Event,
    EventKind,
    HandlingDirection,
    NumberingSeries,
    Secrecy,
    Status,
    Task,
    TaskRole,
    TaskStatus,
    Urgency,
)

SENDERS = [
    ("Bộ Nội vụ", "BNV"),
    ("Bộ Tài chính", "BTC"),
    ("Bộ Tư pháp", "BTP"),
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT"),
    ("Bộ Y tế", "BYT"),
    ("Ủy ban nhân dân thành phố Hà Nội", "UBND"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT"),
]
SUBJECTS = [
    "góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ",
    "báo cáo tình hình thực hiện Nghị quyết của Chính phủ",
    "đề nghị bố trí vốn đầu tư công năm",
    "triển khai Chương trình chuyển đổi số quốc gia",
    "tăng cường phòng chống thiên tai, tìm kiếm cứu nạn",
    "cải cách thủ tục hành chính trong lĩnh vực đất đai",
    "tổ chức hội nghị trực tuyến với các địa phương",
    "xử lý kiến nghị của cử tri gửi tới kỳ họp Quốc hội",
    "phân bổ kinh phí thực hiện nhiệm vụ chi thường xuyên",
    "kiểm tra công tác văn thư, lưu trữ",
]
INCOMING_STATUSES = [
    (Status.REGISTERED, 8),
    (Status.PRESENTED, 6),
    (Status.DIRECTED, 8),
    (Status.IN_PROGRESS, 25),
    (Status.REPORTED, 5),
    (Status.CLOSED, 46),
    (Status.RECEIVED, 2),
]
OUTGOING_STATUSES = [
    (Status.DRAFT, 10),
    (Status.IN_REVIEW, 8),
    (Status.APPROVED, 2),
    (Status.ISSUED, 5),
    (Status.DISPATCHED, 75),
]


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def generate(
    count: int,
    *,
    agency: Agency,
    units: list[Agency],
    leader: Any,
    handlers: dict[int, list[Any]],
    seed: int = 2026,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``count`` documents into ``agency``'s register (and its units' tasks)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    types = list(DocumentType.objects.filter(always_legal_normative=False))
    now = timezone.now()
    counters = _next_numbers(agency)
    written = 0
    for batch in _batches(count, batch_size):
        with transaction.atomic():
            _write_batch(batch, rng, types, agency, units, leader, handlers, now, counters)
        written += batch
        if progress is not None:
            progress(batch)
    _catch_up_series(agency)
    return written


def _batches(count: int, size: int) -> Iterator[int]:
    while count > 0:
        yield min(size, count)
        count -= size


def _write_batch(
    size: int,
    rng: random.Random,
    types: list[DocumentType],
    agency: Agency,
    units: list[Agency],
    leader: Any,
    handlers: dict[int, list[Any]],
    now: dt.datetime,
    counters: defaultdict[tuple[int, str], int],
) -> None:
    documents: list[Document] = []
    for _ in range(size):
        received = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
        year = timezone.localtime(received).year
        document_type = rng.choice(types)
        secrecy = Secrecy.CONFIDENTIAL if rng.random() < 0.03 else Secrecy.NONE
        urgency = rng.choices(list(Urgency.values), [85, 10, 4, 1])[0]
        subject = f"Về việc {rng.choice(SUBJECTS)} {year}"
        unit = rng.choice(units)
        due = timezone.localtime(received).date() + dt.timedelta(days=rng.randint(3, 40))
        if rng.random() < 0.6:
            sender, abbreviation = rng.choice(SENDERS)
            # What came in more than two months ago is, as in a real register, nearly all done.
            old = received < now - dt.timedelta(days=60) and rng.random() < 0.97
            status = Status.CLOSED if old else _weighted(rng, INCOMING_STATUSES)
            key = numbering.incoming_series(secrecy)
            arrival = None
            if status != Status.RECEIVED:
                counters[(year, key)] += 1
                arrival = counters[(year, key)]
            number = str(rng.randint(1, 3000)).zfill(2)
            notation = (
                f"{document_type.abbreviation}-{abbreviation}"
                if document_type.abbreviation
                else f"{abbreviation}-VP"
            )
            document = Document(
                direction=Direction.INCOMING,
                agency=agency,
                status=status,
                document_type=document_type,
                number=number,
                notation=notation,
                number_symbol=f"{number}/{notation}",
                document_date=timezone.localtime(received).date() - dt.timedelta(days=2),
                issuer_name=sender,
                summary=subject,
                urgency=urgency,
                secrecy=secrecy,
                secret_roles=",leader," if secrecy else "",
                arrival_number=arrival,
                arrival_year=year if arrival else None,
                series_key=key if arrival else "",
                received_at=received,
                channel="paper",
                due_on=due if status not in (Status.RECEIVED, Status.REGISTERED) else None,
                holder_unit=unit if status in (Status.DIRECTED, Status.IN_PROGRESS) else agency,
                holder=(
                    rng.choice(handlers[unit.pk])
                    if status == Status.IN_PROGRESS and handlers.get(unit.pk)
                    else None
                ),
                held_since=received,
                closed_at=received + dt.timedelta(days=rng.randint(1, 30))
                if status == Status.CLOSED
                else None,
            )
        else:
            old = received < now - dt.timedelta(days=60) and rng.random() < 0.97
            status = Status.DISPATCHED if old else _weighted(rng, OUTGOING_STATUSES)
            issued = status in (Status.ISSUED, Status.DISPATCHED)
            key = numbering.outgoing_series(document_type, legal_normative=False, secrecy=secrecy)
            number = ""
            notation = ""
            if issued:
                counters[(year, key)] += 1
                number = numbering.format_number(counters[(year, key)])
                notation = (
                    f"{document_type.abbreviation}-{agency.abbreviation}"
                    if document_type.abbreviation
                    else f"{agency.abbreviation}-{unit.abbreviation}"
                )
            document = Document(
                direction=Direction.OUTGOING,
                agency=agency,
                status=status,
                document_type=document_type,
                number=number,
                notation=notation,
                number_symbol=f"{number}/{notation}" if issued else "",
                document_date=timezone.localtime(received).date() if issued else None,
                issuer=agency,
                issuer_name=agency.name_vi,
                summary=subject,
                content=f"{subject}. Nội dung văn bản.",
                urgency=urgency,
                secrecy=secrecy,
                secret_roles=",leader,clerk," if secrecy else "",
                signer=leader,
                signer_name=leader.get_full_name()[:50],
                drafting_unit=unit,
                series_key=key if issued else "",
                issued_year=year if issued else None,
                issued_at=received if issued else None,
                holder_unit=unit if not issued else agency,
                held_since=received,
            )
        document.search_text = fold(f"{document.number_symbol} {document.summary}")
        documents.append(document)
    Document.objects.bulk_create(documents)
    _write_handling(documents, rng, agency, leader, handlers, now)


def _write_handling(
    documents: list[Document],
    rng: random.Random,
    agency: Agency,
    leader: Any,
    handlers: dict[int, list[Any]],
    now: dt.datetime,
) -> None:
    accesses: list[Access] = []
    events: list[Event] = []
    slips: list[tuple[Document, HandlingDirection]] = []
    for document in documents:
        at = document.received_at or document.held_since or now
        events.append(
            Event(
                document=document,
                kind=EventKind.REGISTERED if document.is_incoming else EventKind.DRAFTED,
                at=at,
                holder_unit_id=document.holder_unit_id,
                holder_id=document.holder_id,
            )
        )
        if document.holder_unit_id and document.holder_unit_id != agency.pk:
            accesses.append(Access(document=document, unit_id=document.holder_unit_id))
        if not document.is_incoming and document.drafting_unit_id:
            accesses.append(Access(document=document, unit_id=document.drafting_unit_id))
        if document.is_incoming and document.status in (
            Status.DIRECTED,
            Status.IN_PROGRESS,
            Status.REPORTED,
            Status.CLOSED,
        ):
            slips.append(
                (
                    document,
                    HandlingDirection(
                        document=document,
                        leader=leader,
                        lead_unit_id=int(
                            document.holder_unit_id
                            if document.holder_unit_id and document.holder_unit_id != agency.pk
                            else rng.choice(list(handlers))
                        ),
                        due_on=document.due_on,
                        at=at,
                    ),
                )
            )
    HandlingDirection.objects.bulk_create([slip for _, slip in slips])
    tasks: list[Task] = []
    for document, slip in slips:
        done = document.status in (Status.REPORTED, Status.CLOSED)
        unit_handlers = handlers.get(slip.lead_unit_id) or [None]
        tasks.append(
            Task(
                document=document,
                direction=slip,
                role=TaskRole.LEAD,
                unit_id=slip.lead_unit_id,
                handler=document.holder or rng.choice(unit_handlers)
                if document.status != Status.DIRECTED
                else None,
                due_on=document.due_on,
                status=TaskStatus.DONE if done else TaskStatus.OPEN,
                created_by=leader,
                created_at=slip.at,
                done_at=document.closed_at or slip.at + dt.timedelta(days=3) if done else None,
            )
        )
        accesses.append(Access(document=document, unit_id=slip.lead_unit_id))
        events.append(
            Event(
                document=document,
                kind=EventKind.DIRECTED,
                at=slip.at + dt.timedelta(hours=2),
                holder_unit_id=slip.lead_unit_id,
                due_on=slip.due_on,
            )
        )
    Task.objects.bulk_create(tasks)
    Access.objects.bulk_create(accesses, ignore_conflicts=True)
    Event.objects.bulk_create(events)


def _next_numbers(agency: Agency) -> defaultdict[tuple[int, str], int]:
    counters: defaultdict[tuple[int, str], int] = defaultdict(int)
    for series in NumberingSeries.objects.filter(agency=agency):
        counters[(series.year, series.key)] = series.last_number
    return counters


def _catch_up_series(agency: Agency) -> None:
    """Bring the series rows up to the highest number written, so that the actions continue."""
    from django.db.models import Max

    highest: dict[tuple[int, str], int] = {}
    incoming = (
        Document.objects.filter(agency=agency, arrival_number__isnull=False)
        .values("arrival_year", "series_key")
        .annotate(top=Max("arrival_number"))
    )
    for row in incoming:
        highest[(int(row["arrival_year"] or 0), row["series_key"])] = row["top"]
    issued = (
        Document.objects.filter(agency=agency, direction=Direction.OUTGOING)
        .exclude(number="")
        .values_list("issued_year", "series_key", "number")
    )
    for year, key, number in issued.iterator():
        slot = (int(year or 0), key)
        highest[slot] = max(highest.get(slot, 0), int(number))
    with transaction.atomic():
        for (year, key), top in highest.items():
            series, _ = NumberingSeries.objects.select_for_update().get_or_create(
                agency=agency, year=year, key=key
            )
            if series.last_number < top:
                series.last_number = top
                series.save(update_fields=["last_number"])
