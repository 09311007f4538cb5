"""The working-day engine against the real Vietnamese calendar.

Facts checked against the official schedules: Tết Bính Ngọ 2026 is Mon 16/02 to Fri 20/02 for
officials (nine days off with the two weekends); in 2025 Saturday 26/04 was worked in exchange
for Friday 02/05; in 2026 Saturday 22/08 is worked in exchange for Monday 31/08, and Hùng Kings'
day (Sunday 26/04) is observed on Monday 27/04.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vgp.workdays.deadlines import (
    FixedOverrides,
    WorkCalendar,
    add_working_days,
    deadline_end,
    is_working_day,
    local_date,
    next_working_day,
    previous_working_day,
    statutory_year,
    subtract_working_days,
    working_days_between,
)

D = dt.date
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def calendar() -> WorkCalendar:
    """Weekends and statutory holidays only: no admin overrides, no database."""
    return WorkCalendar(FixedOverrides())


class TestStatutoryCalendar:
    def test_tet_2026_is_five_weekdays_off(self, calendar):
        tet = [D(2026, 2, d) for d in range(16, 21)]
        assert not any(calendar.is_working_day(day) for day in tet)
        assert calendar.is_working_day(D(2026, 2, 13))  # Friday before
        assert calendar.is_working_day(D(2026, 2, 23))  # Monday after

    def test_tet_2026_plus_five_working_days(self, calendar):
        # Thu 12/02 → Fri 13/02 (1), then Tết and two weekends, Mon 23 … Thu 26 (2-5).
        assert add_working_days(D(2026, 2, 12), 5, calendar) == D(2026, 2, 26)
        assert add_working_days(D(2026, 2, 12), 1, calendar) == D(2026, 2, 13)
        assert add_working_days(D(2026, 2, 12), 2, calendar) == D(2026, 2, 23)

    def test_tet_2027_as_the_package_computes_it(self, calendar):
        # Lunar New Year is Saturday 06/02/2027; the package gives Thu 04/02 - Wed 10/02.
        # The official schedule for 2027 is decided late in 2026; any difference is an override.
        off = [D(2027, 2, d) for d in (4, 5, 8, 9, 10)]
        assert not any(calendar.is_working_day(day) for day in off)
        assert calendar.is_working_day(D(2027, 2, 3))
        assert add_working_days(D(2027, 2, 1), 5, calendar) == D(2027, 2, 15)

    def test_reunification_and_labour_day_2025_with_the_worked_saturday(self, calendar):
        assert calendar.is_working_day(D(2025, 4, 26))  # Saturday worked in exchange for 02/05
        assert not calendar.is_working_day(D(2025, 4, 30))
        assert not calendar.is_working_day(D(2025, 5, 1))
        assert not calendar.is_working_day(D(2025, 5, 2))
        assert add_working_days(D(2025, 4, 25), 1, calendar) == D(2025, 4, 26)
        # Fri 25/04 → Sat 26 (1), Mon 28 (2), Tue 29 (3), then 30/04-04/05 off, Mon 05/05 (4).
        assert add_working_days(D(2025, 4, 25), 3, calendar) == D(2025, 4, 29)
        assert add_working_days(D(2025, 4, 25), 4, calendar) == D(2025, 5, 5)

    def test_hung_kings_2026_on_a_sunday_is_observed_on_monday(self, calendar):
        assert not calendar.is_working_day(D(2026, 4, 27))
        # Fri 24/04 → Tue 28 (1), Wed 29 (2), then 30/04, 01/05 and the weekend, Mon 04/05 (3).
        assert add_working_days(D(2026, 4, 24), 3, calendar) == D(2026, 5, 4)

    def test_national_day_2026_with_the_swap(self, calendar):
        assert calendar.is_working_day(D(2026, 8, 22))  # Saturday worked for Monday 31/08
        for day in (D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)):
            assert not calendar.is_working_day(day)
        assert add_working_days(D(2026, 8, 28), 1, calendar) == D(2026, 9, 3)

    def test_weekends(self, calendar):
        assert not calendar.is_working_day(D(2026, 3, 7))
        assert not calendar.is_working_day(D(2026, 3, 8))
        assert add_working_days(D(2026, 3, 6), 1, calendar) == D(2026, 3, 9)

    def test_the_package_names_the_holidays_in_vietnamese(self):
        year = statutory_year(2026)
        assert year.holidays[D(2026, 9, 2)] == "Quốc khánh"
        assert year.weekend_workdays == frozenset({D(2026, 8, 22)})


class TestCountingRule:
    def test_start_day_itself_is_not_counted(self, calendar):
        assert add_working_days(D(2026, 3, 9), 1, calendar) == D(2026, 3, 10)

    def test_zero_days_from_a_working_day_is_that_day(self, calendar):
        assert add_working_days(D(2026, 3, 9), 0, calendar) == D(2026, 3, 9)

    def test_zero_days_from_a_day_off_is_the_next_working_day(self, calendar):
        assert add_working_days(D(2026, 3, 8), 0, calendar) == D(2026, 3, 9)
        assert add_working_days(D(2026, 2, 16), 0, calendar) == D(2026, 2, 23)

    def test_counting_from_a_weekend(self, calendar):
        assert add_working_days(D(2026, 3, 7), 1, calendar) == D(2026, 3, 9)

    def test_negative_n_is_refused(self, calendar):
        with pytest.raises(ValueError, match="0 or more"):
            add_working_days(D(2026, 3, 9), -1, calendar)

    def test_subtracting_mirrors_adding(self, calendar):
        # Thu 26/02 ← Wed 25 (1), Tue 24 (2), Mon 23 (3), Fri 13 (4), Thu 12 (5).
        assert subtract_working_days(D(2026, 2, 26), 5, calendar) == D(2026, 2, 12)
        assert subtract_working_days(D(2026, 2, 26), 4, calendar) == D(2026, 2, 13)
        assert subtract_working_days(D(2026, 2, 22), 0, calendar) == D(2026, 2, 13)
        assert subtract_working_days(D(2026, 3, 10), 1, calendar) == D(2026, 3, 9)

    def test_next_and_previous_working_day(self, calendar):
        assert next_working_day(D(2026, 2, 13), calendar) == D(2026, 2, 23)
        assert next_working_day(D(2026, 2, 13), calendar, inclusive=True) == D(2026, 2, 13)
        assert previous_working_day(D(2026, 2, 23), calendar) == D(2026, 2, 13)

    @pytest.mark.parametrize(
        ("a", "b", "expected"),
        [
            (D(2026, 2, 12), D(2026, 2, 26), 5),
            (D(2026, 2, 26), D(2026, 2, 12), -5),
            (D(2026, 3, 9), D(2026, 3, 9), 0),
            (D(2026, 3, 6), D(2026, 3, 8), 0),
        ],
    )
    def test_working_days_between(self, calendar, a, b, expected):
        assert working_days_between(a, b, calendar) == expected

    def test_between_is_the_inverse_of_add(self, calendar):
        start = D(2026, 1, 2)
        for n in range(0, 120, 7):
            end = add_working_days(start, n, calendar)
            assert working_days_between(start, end, calendar) == n


class TestTimeZones:
    def test_late_evening_utc_is_already_the_next_day_in_hanoi(self, calendar):
        # 18:30 UTC on Thu 12/02 is 01:30 on Fri 13/02 in Hà Nội.
        start = dt.datetime(2026, 2, 12, 18, 30, tzinfo=dt.UTC)
        assert local_date(start) == D(2026, 2, 13)
        assert add_working_days(start, 1, calendar) == D(2026, 2, 23)
        assert add_working_days(D(2026, 2, 12), 1, calendar) == D(2026, 2, 13)

    def test_a_holiday_evening_in_utc(self, calendar):
        # 17:00 UTC Sunday 15/02 is Monday 16/02 in Hà Nội: still Tết.
        assert not is_working_day(dt.datetime(2026, 2, 15, 17, 0, tzinfo=dt.UTC), calendar)

    def test_naive_datetimes_are_refused(self, calendar):
        with pytest.raises(ValueError, match="naive"):
            add_working_days(dt.datetime(2026, 2, 12, 9, 0), 1, calendar)  # noqa: DTZ001

    def test_deadline_ends_at_the_last_microsecond_in_hanoi(self, calendar):
        end = deadline_end(dt.datetime(2026, 2, 12, 2, 0, tzinfo=dt.UTC), 5, calendar)
        assert end == dt.datetime(2026, 2, 26, 23, 59, 59, 999999, tzinfo=HANOI)
        assert end.utcoffset() == dt.timedelta(hours=7)


class TestFixedOverrides:
    def test_an_extra_day_off_shifts_the_deadline(self):
        calendar = WorkCalendar(FixedOverrides(days_off=[D(2026, 2, 24)]))
        assert add_working_days(D(2026, 2, 12), 5, calendar) == D(2026, 2, 27)

    def test_a_working_saturday_counts(self):
        calendar = WorkCalendar(FixedOverrides(working_days=[D(2026, 2, 28)]))
        assert add_working_days(D(2026, 2, 26), 2, calendar) == D(2026, 2, 28)

    def test_an_override_wins_over_the_package(self):
        calendar = WorkCalendar(
            FixedOverrides(working_days=[D(2026, 8, 31)], days_off=[D(2026, 8, 22)])
        )
        assert calendar.is_working_day(D(2026, 8, 31))
        assert not calendar.is_working_day(D(2026, 8, 22))


def test_working_days_between_counts_as_walking_the_calendar_day_by_day():
    # The per-year running counts must give what walking each day gives: across years,
    # leap days, holidays, Tết and overrides, in both directions.
    import random

    calendar = WorkCalendar(
        FixedOverrides(working_days=[D(2026, 2, 28)], days_off=[D(2025, 12, 31), D(2024, 2, 29)])
    )

    def walked(a: dt.date, b: dt.date) -> int:
        low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
        days = [low + dt.timedelta(days=n) for n in range((high - low).days + 1)]
        inside = days[1:] if sign > 0 else days[:-1]
        return sign * sum(calendar.is_working_day(day) for day in inside)

    rng = random.Random(7)
    start = D(2023, 11, 1)
    for _ in range(300):
        a = start + dt.timedelta(days=rng.randrange(1200))
        b = a + dt.timedelta(days=rng.randrange(-500, 500))
        assert calendar.working_days_between(a, b) == walked(a, b), (a, b)
