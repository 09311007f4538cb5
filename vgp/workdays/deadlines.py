"""The working-day deadline engine shared by feedback, documents, meetings and data submissions.

A day is a working day unless it is a Saturday or Sunday, a Vietnamese public holiday, or an
extra day off; a compensatory working day (a Saturday worked in exchange for a weekday off) is a
working day. Precedence, highest first:

1. an admin :class:`~vgp.workdays.models.CalendarOverride` for that date;
2. a weekend day the ``holidays`` package marks as worked in compensation (``weekend_workdays``);
3. a public holiday from the ``holidays`` package (country ``VN``), including the days it
   observes when a holiday falls on a weekend and the swaps it knows from official letters;
4. Saturday and Sunday.

**Counting rule** (Civil Code 2015, art. 147: the first day of a period is not counted):
``add_working_days(start, n)`` returns the *n*-th working day after the date of ``start``;
day 1 is the first working day strictly after it, whether or not ``start`` is a working day.
With ``n = 0`` it returns the date of ``start`` if that is a working day, otherwise the next
working day (a deadline "within 0 days" of a Sunday request falls on Monday).
``subtract_working_days`` mirrors this towards the past.

Dates are Vietnamese dates: an aware datetime is converted to Asia/Ho_Chi_Minh before its date
is taken (23:30 UTC on 12/02 is already 13/02 in Hà Nội). Naive datetimes are refused.

The statutory holidays of a year are computed once per process. Admin overrides are cached per
process too, under a version number kept in Django's cache (read at most once a second,
``vgp.core.versions``); :func:`overrides_changed` (called by the actions) bumps it so that every
process reloads them.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays as holidays_package

from vgp.core.versions import SharedVersion

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
DAY_OFF = "day_off"
WORKING_DAY = "working_day"

_VERSION_KEY = "vgp:workdays:overrides-version"
_shared_version = SharedVersion(_VERSION_KEY)
# Even without a version change a process reloads overrides this often, which bounds staleness
# if the shared cache was unreachable or evicted when an override changed.
_MAX_AGE_SECONDS = 300.0

DayLike = dt.date | dt.datetime


def local_date(value: DayLike) -> dt.date:
    """The Vietnamese calendar date of ``value`` (a date, or an aware datetime)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: give an aware datetime or a date")
        return value.astimezone(VN_TZ).date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date or an aware datetime, got {type(value).__name__}")


@dataclass(frozen=True)
class StatutoryYear:
    """What the ``holidays`` package says about one year."""

    holidays: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@functools.lru_cache(maxsize=64)
def statutory_year(year: int) -> StatutoryYear:
    """Public holidays and compensatory working weekend days of ``year`` (names in Vietnamese)."""
    calendar = holidays_package.country_holidays("VN", years=year, language="vi")
    days = {day: str(name) for day, name in calendar.items() if day.year == year}
    # weekend_workdays accumulates the make-up days of every year the package knows.
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return StatutoryYear(holidays=days, weekend_workdays=worked)


class OverrideSource(Protocol):
    """Where a calendar finds the days that differ from the statutory calendar."""

    def version(self) -> str: ...

    def load(self, year: int) -> Mapping[dt.date, str]: ...


class FixedOverrides:
    """Overrides given in code: for tests and for callers computing "what if"."""

    def __init__(
        self, days_off: Iterable[dt.date] = (), working_days: Iterable[dt.date] = ()
    ) -> None:
        self._days: dict[dt.date, str] = dict.fromkeys(days_off, DAY_OFF)
        self._days.update(dict.fromkeys(working_days, WORKING_DAY))

    def version(self) -> str:
        return "fixed"

    def load(self, year: int) -> Mapping[dt.date, str]:
        return {day: kind for day, kind in self._days.items() if day.year == year}


class StoredOverrides:
    """The admin's :class:`~vgp.workdays.models.CalendarOverride` rows."""

    def version(self) -> str:
        # Without a version (cache out of reach), the calendar reloads every _MAX_AGE_SECONDS.
        return _shared_version.current()

    def load(self, year: int) -> Mapping[dt.date, str]:
        from .models import CalendarOverride

        rows = CalendarOverride.objects.filter(date__year=year).values_list("date", "kind")
        return dict(rows)


def overrides_changed() -> None:
    """Tell every process that the overrides changed (the actions call this)."""
    _shared_version.bump()
    _DEFAULT.clear_cache()


class WorkCalendar:
    """Weekends, Vietnamese public holidays and overrides: which days are working days."""

    def __init__(self, overrides: OverrideSource | None = None) -> None:
        self.overrides: OverrideSource = overrides or FixedOverrides()
        self._lock = threading.Lock()
        self._version: str | None = None
        self._loaded_at = 0.0
        self._years: dict[int, Mapping[dt.date, str]] = {}
        self._prefixes: dict[int, list[int]] = {}

    def clear_cache(self) -> None:
        with self._lock:
            self._version = None
            self._years = {}
            self._prefixes = {}

    def _view(self) -> _CalendarView:
        """A consistent view for one computation: the override version is checked once."""
        version = self.overrides.version()
        now = time.monotonic()
        with self._lock:
            if version != self._version or now - self._loaded_at > _MAX_AGE_SECONDS:
                self._version, self._loaded_at, self._years = version, now, {}
                self._prefixes = {}
            return _CalendarView(self, self._years, self._prefixes)

    def _overrides_for(
        self, year: int, years: dict[int, Mapping[dt.date, str]]
    ) -> Mapping[dt.date, str]:
        if year not in years:
            years[year] = dict(self.overrides.load(year))
        return years[year]

    # -- queries -----------------------------------------------------------------------------

    def is_working_day(self, day: DayLike) -> bool:
        return self._view().is_working(local_date(day))

    def next_working_day(self, day: DayLike, *, inclusive: bool = False) -> dt.date:
        return self._view().step(local_date(day), +1, inclusive=inclusive)

    def previous_working_day(self, day: DayLike, *, inclusive: bool = False) -> dt.date:
        return self._view().step(local_date(day), -1, inclusive=inclusive)

    def add_working_days(self, start: DayLike, n: int) -> dt.date:
        return self._view().move(local_date(start), n, +1)

    def subtract_working_days(self, start: DayLike, n: int) -> dt.date:
        return self._view().move(local_date(start), n, -1)

    def working_days_between(self, a: DayLike, b: DayLike) -> int:
        """Working days in (a, b] when a <= b; minus those in [b, a) when b < a.

        So ``add_working_days(a, working_days_between(a, b)) == b`` for a working day b after a.
        """
        first, last = local_date(a), local_date(b)
        if first == last:
            return 0
        view = self._view()
        sign = 1 if first < last else -1
        low, high = (first, last) if sign > 0 else (last, first)
        day = low + dt.timedelta(days=1) if sign > 0 else low
        end = high if sign > 0 else high - dt.timedelta(days=1)
        return sign * view.count_working(day, end)

    def deadline_end(self, start: DayLike, n: int) -> dt.datetime:
        """The last moment of the ``n``-th working day: 23:59:59.999999 in Hà Nội."""
        return end_of_day(self.add_working_days(start, n))


class _CalendarView:
    def __init__(
        self,
        calendar: WorkCalendar,
        years: dict[int, Mapping[dt.date, str]],
        prefixes: dict[int, list[int]],
    ) -> None:
        self.calendar = calendar
        self.years = years
        self.prefixes = prefixes

    def _prefix(self, year: int) -> list[int]:
        """``counts[n]``: working days among the first ``n`` days of ``year``; worked out
        once per year and override version (a list of overdue documents asks for the
        working days since dates years back, hundreds of times)."""
        counts = self.prefixes.get(year)
        if counts is None:
            counts = [0]
            day = dt.date(year, 1, 1)
            while day.year == year:
                counts.append(counts[-1] + self.is_working(day))
                day += dt.timedelta(days=1)
            self.prefixes[year] = counts
        return counts

    def count_working(self, first: dt.date, last: dt.date) -> int:
        """Working days in [first, last] (0 when last < first)."""
        total = 0
        for year in range(first.year, last.year + 1):
            counts = self._prefix(year)
            start = first.timetuple().tm_yday if year == first.year else 1
            end = last.timetuple().tm_yday if year == last.year else len(counts) - 1
            if end >= start:
                total += counts[end] - counts[start - 1]
        return total

    def is_working(self, day: dt.date) -> bool:
        override = self.calendar._overrides_for(day.year, self.years).get(day)
        if override is not None:
            return override == WORKING_DAY
        statutory = statutory_year(day.year)
        if day in statutory.weekend_workdays:
            return True
        if day in statutory.holidays:
            return False
        return day.weekday() not in WEEKEND

    def step(self, day: dt.date, direction: int, *, inclusive: bool) -> dt.date:
        if inclusive and self.is_working(day):
            return day
        day += dt.timedelta(days=direction)
        # A year never has more than a few weeks off in a row; the bound only catches a
        # misconfigured calendar (e.g. every day of a year marked off).
        for _ in range(366):
            if self.is_working(day):
                return day
            day += dt.timedelta(days=direction)
        raise ValueError(f"no working day within a year of {day}")

    def move(self, start: dt.date, n: int, direction: int) -> dt.date:
        if n < 0:
            raise ValueError("n must be 0 or more; use the other direction for negative spans")
        if n == 0:
            return self.step(start, direction, inclusive=True)
        day = start
        for _ in range(n):
            day = self.step(day, direction, inclusive=False)
        return day


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59.999999 of ``day`` in Hà Nội, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=VN_TZ)


_DEFAULT = WorkCalendar(StoredOverrides())


def default_calendar() -> WorkCalendar:
    """The installation's calendar: statutory holidays plus the admin's overrides."""
    return _DEFAULT


def is_working_day(day: DayLike, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or _DEFAULT).is_working_day(day)


def next_working_day(
    day: DayLike, calendar: WorkCalendar | None = None, *, inclusive: bool = False
) -> dt.date:
    """The first working day after ``day`` (or ``day`` itself if ``inclusive`` and working)."""
    return (calendar or _DEFAULT).next_working_day(day, inclusive=inclusive)


def previous_working_day(
    day: DayLike, calendar: WorkCalendar | None = None, *, inclusive: bool = False
) -> dt.date:
    """The last working day before ``day`` (or ``day`` itself if ``inclusive`` and working)."""
    return (calendar or _DEFAULT).previous_working_day(day, inclusive=inclusive)


def add_working_days(start: DayLike, n: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The ``n``-th working day after ``start`` (see the counting rule in the module doc)."""
    return (calendar or _DEFAULT).add_working_days(start, n)


def subtract_working_days(start: DayLike, n: int, calendar: WorkCalendar | None = None) -> dt.date:
    """The ``n``-th working day before ``start``; ``n = 0`` gives start or the working day before."""
    return (calendar or _DEFAULT).subtract_working_days(start, n)


def working_days_between(a: DayLike, b: DayLike, calendar: WorkCalendar | None = None) -> int:
    """Working days in (a, b]; negative when ``b`` is before ``a``."""
    return (calendar or _DEFAULT).working_days_between(a, b)


def deadline_end(start: DayLike, n: int, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The end (23:59:59.999999 Hà Nội time) of the ``n``-th working day after ``start``."""
    return (calendar or _DEFAULT).deadline_end(start, n)
