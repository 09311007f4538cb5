"""The processing report of incoming documents (Decree 30/2020: registers and reports).

Per lead unit, for the incoming documents registered in one organisation's register over a
period (the day each arrived, in Hà Nội time): how many it received to handle, how many it
finished on time and late, how many are still open and how many of those are past their
deadline. The unit is the lead unit of the document's lead task (``Task`` with role ``lead``);
a task the unit returned or that was cancelled is not counted (the document went to another
unit, which counts it).

- received: lead tasks (open or done);
- done on time: done, and the day it was done (Hà Nội time) is on or before its deadline, or
  it had no deadline;
- done late: done after its deadline;
- pending: still open; pending overdue: still open and its deadline is before today.

received = done on time + done late + pending. The deadline is the task's own (extensions
move it), else the document's. Counting happens in the database, one query grouped by unit;
only documents the reader may see are counted (``queries.visible_documents``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vgp.agencies.models import Agency
from vgp.workdays.deadlines import VN_TZ

from .models import Task, TaskRole, TaskStatus
from .registers import (
    EN_DASH,
    Column,
    RegisterKind,
    period_slug,
    period_text,
    register_queryset,
    write_xlsx,
)

__all__ = ["REPORT_COLUMNS", "UnitRow", "processing_report", "report_file_name", "report_xlsx"]

REPORT_COLUMNS = (
    Column("unit", gettext_lazy("Unit"), 36),
    Column("received", pgettext_lazy("documents report", "Received"), 12, "number"),
    Column("on_time", gettext_lazy("Done on time"), 12, "number"),
    Column("late", gettext_lazy("Done late"), 12, "number"),
    Column("pending", gettext_lazy("Pending"), 12, "number"),
    Column("pending_overdue", gettext_lazy("Pending and overdue"), 14, "number"),
)


@dataclass(frozen=True)
class UnitRow:
    """One unit's figures; ``unit_id`` is None on the totals row (the last one)."""

    unit_id: int | None
    name: str
    received: int
    on_time: int
    late: int
    pending: int
    pending_overdue: int

    @property
    def is_total(self) -> bool:
        return self.unit_id is None

    @property
    def done(self) -> int:
        return self.on_time + self.late

    def values(self) -> tuple[str | int, ...]:
        return (
            self.name,
            self.received,
            self.on_time,
            self.late,
            self.pending,
            self.pending_overdue,
        )


def processing_report(
    user: Any,
    *,
    agency: Agency | int,
    date_from: dt.date,
    date_to: dt.date,
    today: dt.date | None = None,
) -> list[UnitRow]:
    """The figures per lead unit, by unit name, then the totals row."""
    today = today or timezone.localdate(timezone=VN_TZ)
    documents = register_queryset(
        user, RegisterKind.INCOMING, agency=agency, date_from=date_from, date_to=date_to
    )
    done = Q(status=TaskStatus.DONE)
    open_ = Q(status=TaskStatus.OPEN)
    counted = (
        Task.objects.filter(
            role=TaskRole.LEAD,
            status__in=[TaskStatus.OPEN, TaskStatus.DONE],
            document__in=documents.order_by().values("pk"),
        )
        .annotate(
            deadline=Coalesce("due_on", "document__due_on"),
            done_on=TruncDate("done_at", tzinfo=VN_TZ),
        )
        .values("unit_id", "unit__name_vi", "unit__name_en")
        .annotate(
            received=Count("id"),
            on_time=Count(
                "id", filter=done & (Q(deadline__isnull=True) | Q(done_on__lte=F("deadline")))
            ),
            late=Count("id", filter=done & Q(done_on__gt=F("deadline"))),
            pending=Count("id", filter=open_),
            pending_overdue=Count("id", filter=open_ & Q(deadline__lt=today)),
        )
        .order_by("unit__name_vi", "unit_id")
    )
    english = _is_english()
    rows = [
        UnitRow(
            unit_id=row["unit_id"],
            name=(row["unit__name_en"] or row["unit__name_vi"])
            if english
            else row["unit__name_vi"],
            received=row["received"],
            on_time=row["on_time"],
            late=row["late"],
            pending=row["pending"],
            pending_overdue=row["pending_overdue"],
        )
        for row in counted
    ]
    rows.append(
        UnitRow(
            unit_id=None,
            name=_("Total"),
            received=sum(row.received for row in rows),
            on_time=sum(row.on_time for row in rows),
            late=sum(row.late for row in rows),
            pending=sum(row.pending for row in rows),
            pending_overdue=sum(row.pending_overdue for row in rows),
        )
    )
    return rows


def _is_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def report_title() -> str:
    return _("Report on the processing of incoming documents")


def report_file_name(date_from: dt.date, date_to: dt.date) -> str:
    return f"bao-cao-xu-ly-van-ban-den-{period_slug(date_from, date_to)}.xlsx"


def report_xlsx(
    rows: list[UnitRow], *, agency: Agency, date_from: dt.date, date_to: dt.date
) -> bytes:
    """The report as an XLSX sheet: title row, header, one row per unit, the totals row."""
    units, total = rows[:-1], rows[-1]
    title = report_title()
    return write_xlsx(
        title=title,
        heading=f"{title} {EN_DASH} {agency.name} {EN_DASH} {period_text(date_from, date_to)}",
        columns=REPORT_COLUMNS,
        rows=(row.values() for row in units),
        total=total.values(),
    )
