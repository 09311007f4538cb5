"""Public statistics of citizen submissions: per calendar month, nationwide or per agency.

Months are calendar months in Hà Nội time (Asia/Ho_Chi_Minh). A window of ``months`` months
ends with the month of ``today``. Every kind counts, denunciations included (only numbers are
published, never their content). "Per agency" means the items whose handling agency
(``FeedbackItem.agency``) is that agency now: an item still at reception, or returned to it,
belongs to no agency and counts only nationwide.

For one month M:

- **received**: items whose ``received_at`` falls in M, whatever became of them since
  (rejected and merged duplicates included);
- **answered**: items whose reply was sent (``answered_at``) in M;
- **answered on time**: of those, the ones whose local date of ``answered_at`` is on or before
  ``answer_due`` (the answer deadline, extensions and pauses included); **answered late**: the
  others;
- **overdue open**: items open today whose current deadline (the stage they are in: routing,
  acceptance or answer; none while waiting for the citizen) fell in M and has passed (is before
  ``today``);
- **overdue** = answered late + overdue open. Each missed deadline counts once, in the month it
  shows: the month of the late answer, or else the month the deadline of the pending stage fell.
  An item open and overdue that is later answered moves from the month of its deadline to the
  month of its answer, so figures of past months change as items are answered;
- **median days to answer**: the median, over the items answered in M, of the working days
  from ``received_at`` to ``answered_at`` (``workdays.deadlines.working_days_between``: the
  day of receipt is not counted, the day of the answer is; pauses are not taken out); None
  when nothing was answered.

The totals add the months up; the total median is the median over every answer in the window
(not a median of medians). :func:`by_agency` gives, per agency over the same window, received,
answered, on time and the median, and its items **overdue open now** (open, current deadline
before today, whichever month it fell in).

Counts are grouped by month in the database (``TruncMonth`` in Hà Nội time), the same on
SQLite and PostgreSQL; the median needs each answer's duration, so only the two timestamps of
the answered items in the window are fetched. Results are kept ten minutes in Django's cache.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

from vgp.agencies.models import Agency
from vgp.workdays.deadlines import VN_TZ, local_date, working_days_between

from . import deadlines
from .models import FeedbackItem, current_due_expression

CACHE_SECONDS = 600
CACHE_PREFIX = "vgp:feedback:statistics:v1"
DEFAULT_MONTHS = 12
MAX_MONTHS = 36


@dataclass(frozen=True)
class MonthRow:
    """The figures of one month (``month`` is its first day); the totals row has ``None``."""

    month: dt.date | None
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue_open: int = 0
    median_days: float | None = None

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def overdue(self) -> int:
        return self.late + self.overdue_open

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None


@dataclass(frozen=True)
class Figures:
    """One scope (an agency, or nationwide) over a window of months."""

    agency_id: int | None
    months: list[MonthRow]
    total: MonthRow
    overdue_open_now: int
    today: dt.date


@dataclass(frozen=True)
class AgencyRow:
    agency_id: int
    code: str
    name_vi: str
    name_en: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue_open_now: int = 0
    median_days: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    def name(self, english: bool = False) -> str:
        return (self.name_en or self.name_vi) if english else self.name_vi


@dataclass
class _Window:
    first_months: list[dt.date]  # the first day of each month, oldest first
    start: dt.datetime  # the first moment of the window, Hà Nội time
    end: dt.datetime  # the first moment after it
    first_day: dt.date
    end_day: dt.date  # the day after the window
    today: dt.date
    month_index: dict[tuple[int, int], int] = field(default_factory=dict)

    def index(self, day: dt.date) -> int | None:
        return self.month_index.get((day.year, day.month))


def _add_months(day: dt.date, count: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _window(months: int, today: dt.date) -> _Window:
    this_month = today.replace(day=1)
    firsts = [_add_months(this_month, offset) for offset in range(-(months - 1), 1)]
    end_day = _add_months(this_month, 1)
    return _Window(
        first_months=firsts,
        start=dt.datetime.combine(firsts[0], dt.time.min, tzinfo=VN_TZ),
        end=dt.datetime.combine(end_day, dt.time.min, tzinfo=VN_TZ),
        first_day=firsts[0],
        end_day=end_day,
        today=today,
        month_index={(first.year, first.month): i for i, first in enumerate(firsts)},
    )


def _clamp_months(months: int) -> int:
    return max(1, min(MAX_MONTHS, int(months)))


def _median(values: list[int]) -> float | None:
    return float(pystats.median(values)) if values else None


def _month_of(value: Any) -> dt.date:
    """A month truncated by the database (a datetime in Hà Nội time, or a date)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VN_TZ).date() if value.tzinfo else value.date()
    return value.replace(day=1)


# --- queries --------------------------------------------------------------------------------


def _items(agency_id: int | None) -> QuerySet[FeedbackItem]:
    items = FeedbackItem.objects.all()
    return items if agency_id is None else items.filter(agency_id=agency_id)


def _received(items: QuerySet[FeedbackItem], window: _Window, by: str) -> Iterable[dict[str, Any]]:
    return (
        items.filter(received_at__gte=window.start, received_at__lt=window.end)
        .annotate(month=TruncMonth("received_at", tzinfo=VN_TZ))
        .values(by)
        .annotate(n=Count("id"))
        .order_by(by)
    )


def _answered(items: QuerySet[FeedbackItem], window: _Window, by: str) -> Iterable[dict[str, Any]]:
    answered_on = TruncDate("answered_at", tzinfo=VN_TZ)
    return (
        items.filter(answered_at__gte=window.start, answered_at__lt=window.end)
        .annotate(month=TruncMonth("answered_at", tzinfo=VN_TZ))
        .values(by)
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(answer_due__gte=answered_on)))
        .order_by(by)
    )


def _overdue_open(items: QuerySet[FeedbackItem], since: dt.date | None, today: dt.date) -> Any:
    """Open items whose current deadline is before ``today`` (and not before ``since``)."""
    overdue = items.annotate(due=current_due_expression()).filter(due__lt=today)
    return overdue.filter(due__gte=since) if since else overdue


def _durations(
    items: QuerySet[FeedbackItem], window: _Window, *fields: str
) -> Iterable[tuple[Any, ...]]:
    """(received_at, answered_at, *fields) of every item answered in the window."""
    return items.filter(answered_at__gte=window.start, answered_at__lt=window.end).values_list(
        "received_at", "answered_at", *fields
    )


# --- the two tables -------------------------------------------------------------------------


def _key(*parts: object) -> str:
    return ":".join([CACHE_PREFIX, *(str(part) for part in parts)])


def figures(
    agency_id: int | None, months: int = DEFAULT_MONTHS, today: dt.date | None = None
) -> Figures:
    """The monthly figures of one agency (``None``: nationwide) and their totals."""
    months = _clamp_months(months)
    today = today or deadlines.today()
    key = _key("monthly", agency_id or "all", months, today.isoformat())
    cached = cache.get(key)
    if cached is None:
        cached = _compute_figures(agency_id, months, today)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def monthly(
    agency_id: int | None, months: int = DEFAULT_MONTHS, today: dt.date | None = None
) -> list[MonthRow]:
    """One row per month of the window, oldest first (see the module's definitions)."""
    return figures(agency_id, months, today).months


def _compute_figures(agency_id: int | None, months: int, today: dt.date) -> Figures:
    window = _window(months, today)
    items = _items(agency_id)
    size = len(window.first_months)
    received, answered, on_time, overdue_open = ([0] * size for _ in range(4))
    durations: list[list[int]] = [[] for _ in range(size)]

    for row in _received(items, window, "month"):
        if (i := window.index(_month_of(row["month"]))) is not None:
            received[i] += row["n"]
    for row in _answered(items, window, "month"):
        if (i := window.index(_month_of(row["month"]))) is not None:
            answered[i] += row["n"]
            on_time[i] += row["on_time"]
    by_due_month = (
        _overdue_open(items, window.first_day, today)
        .annotate(month=TruncMonth("due"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    for row in by_due_month:
        if (i := window.index(_month_of(row["month"]))) is not None:
            overdue_open[i] += row["n"]
    for received_at, answered_at in _durations(items, window):
        if (i := window.index(local_date(answered_at))) is not None:
            durations[i].append(working_days_between(received_at, answered_at))

    rows = [
        MonthRow(
            month=first,
            received=received[i],
            answered=answered[i],
            on_time=on_time[i],
            overdue_open=overdue_open[i],
            median_days=_median(durations[i]),
        )
        for i, first in enumerate(window.first_months)
    ]
    total = MonthRow(
        month=None,
        received=sum(received),
        answered=sum(answered),
        on_time=sum(on_time),
        overdue_open=sum(overdue_open),
        median_days=_median([days for month in durations for days in month]),
    )
    return Figures(
        agency_id=agency_id,
        months=rows,
        total=total,
        overdue_open_now=_overdue_open(items, None, today).count(),
        today=today,
    )


def by_agency(months: int = DEFAULT_MONTHS, today: dt.date | None = None) -> list[AgencyRow]:
    """Every agency that received, answered or holds overdue items in the window, most
    received first."""
    months = _clamp_months(months)
    today = today or deadlines.today()
    key = _key("by_agency", months, today.isoformat())
    cached = cache.get(key)
    if cached is None:
        cached = _compute_by_agency(months, today)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _compute_by_agency(months: int, today: dt.date) -> list[AgencyRow]:
    window = _window(months, today)
    items = FeedbackItem.objects.filter(agency__isnull=False)
    facts: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"received": 0, "answered": 0, "on_time": 0, "overdue_open_now": 0}
    )
    for row in _received(items, window, "agency_id"):
        facts[row["agency_id"]]["received"] = row["n"]
    for row in _answered(items, window, "agency_id"):
        facts[row["agency_id"]]["answered"] = row["n"]
        facts[row["agency_id"]]["on_time"] = row["on_time"]
    overdue = _overdue_open(items, None, today).values("agency_id").annotate(n=Count("id"))
    for row in overdue.order_by("agency_id"):
        facts[row["agency_id"]]["overdue_open_now"] = row["n"]
    durations: dict[int, list[int]] = defaultdict(list)
    for received_at, answered_at, agency_id in _durations(items, window, "agency_id"):
        durations[agency_id].append(working_days_between(received_at, answered_at))

    names = Agency.objects.filter(pk__in=list(facts)).values_list(
        "pk", "code", "name_vi", "name_en"
    )
    rows = [
        AgencyRow(
            agency_id=pk,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            median_days=_median(durations.get(pk, [])),
            **facts[pk],
        )
        for pk, code, name_vi, name_en in names
    ]
    rows.sort(key=lambda row: (-row.received, -row.answered, row.name_vi, row.agency_id))
    return rows
