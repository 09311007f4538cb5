"""Public statistics of citizen submissions: the figures, the page and its CSV.

One story, built through the actions with the clock moved (time_machine), seen on 16 June 2025
over the six months January to June 2025. At the Ministry of Finance (``mof_*`` personas):

- A, a complaint received 10 Feb, answered 5 Mar, on time: 17 working days;
- B, feedback received 3 Mar, accepted 4 Mar (due 25 Mar), answered 28 Mar, late: 19 days;
- C, a complaint received 10 Mar, answered 20 Mar, on time: 8 days;
- D, feedback received 2 Jun, answered 5 Jun, on time: 3 days;
- E, feedback received and accepted 5 May (due 26 May), still open: overdue in May;
- F, a denunciation received 10 Jun, accepted, not yet due.

At the Ministry of Health (``other_ministry``): J, a petition received 3 Jun, answered 10 Jun
on time, 5 days. At the portal's reception, never routed: G, received 2 Jun (route by 9 Jun),
overdue in June; I, received at half past midnight on Saturday 1 March, Hà Nội time (still
28 February in UTC), rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from vgp.accounts.roles import Role
from vgp.feedback import actions, statistics, testing
from vgp.feedback.models import FeedbackItem, Kind
from vgp.testing.factories import UserFactory
from vgp.workdays.deadlines import VN_TZ

TODAY = dt.date(2025, 6, 16)
MONTHS = 6


def at(day: str, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=VN_TZ)


class Desk:
    """Moves items through the steps of an agency, each at a given time."""

    def __init__(self, receptionist, clerk, unit_head, handler, leader):
        self.receptionist = receptionist
        self.clerk, self.unit_head, self.handler, self.leader = clerk, unit_head, handler, leader

    def receive(self, when: dt.datetime, **overrides) -> FeedbackItem:
        with time_machine.travel(when, tick=False):
            return testing.submit(**overrides)

    def route_and_accept(self, item: FeedbackItem, agency, when: dt.datetime) -> FeedbackItem:
        with time_machine.travel(when, tick=False):
            item = actions.route(self.receptionist, item, agency)
            return actions.accept(self.clerk, item)

    def answer(self, item: FeedbackItem, when: dt.datetime) -> FeedbackItem:
        with time_machine.travel(when, tick=False):
            item = actions.assign(self.unit_head, item, self.handler)
            item = actions.draft_reply(
                self.handler, item, text="Bộ đã kiểm tra và trả lời như sau: hồ sơ đã được xử lý."
            )
            return actions.approve_reply(self.leader, item)


@pytest.fixture
def story(
    receptionist,
    mof_clerk,
    mof_unit_head,
    mof_handler,
    mof_leader,
    ministry_of_finance,
    other_ministry,
    other_clerk,
):
    mof = Desk(receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader)
    other_handler = UserFactory(username="lan", agency=other_ministry, roles=[Role.HANDLER])
    health = Desk(receptionist, other_clerk, other_clerk, other_handler, other_clerk)
    items = {}

    items["A"] = mof.receive(at("2025-02-10"))
    items["A"] = mof.route_and_accept(items["A"], ministry_of_finance, at("2025-02-12"))
    items["A"] = mof.answer(items["A"], at("2025-03-05", 10))

    items["B"] = mof.receive(at("2025-03-03"), kind=Kind.FEEDBACK)
    items["B"] = mof.route_and_accept(items["B"], ministry_of_finance, at("2025-03-04"))
    items["B"] = mof.answer(items["B"], at("2025-03-28"))

    items["C"] = mof.receive(at("2025-03-10"))
    items["C"] = mof.route_and_accept(items["C"], ministry_of_finance, at("2025-03-11"))
    items["C"] = mof.answer(items["C"], at("2025-03-20", 16))

    items["D"] = mof.receive(at("2025-06-02"), kind=Kind.FEEDBACK)
    items["D"] = mof.route_and_accept(items["D"], ministry_of_finance, at("2025-06-02", 14))
    items["D"] = mof.answer(items["D"], at("2025-06-05"))

    items["E"] = mof.receive(at("2025-05-05", 8), kind=Kind.FEEDBACK)
    items["E"] = mof.route_and_accept(items["E"], ministry_of_finance, at("2025-05-05", 15))

    items["F"] = mof.receive(at("2025-06-10"), kind=Kind.DENUNCIATION)
    items["F"] = mof.route_and_accept(items["F"], ministry_of_finance, at("2025-06-11"))

    items["J"] = health.receive(at("2025-06-03"), kind=Kind.PETITION)
    items["J"] = health.route_and_accept(items["J"], other_ministry, at("2025-06-03", 11))
    items["J"] = health.answer(items["J"], at("2025-06-10"))

    items["G"] = mof.receive(at("2025-06-02", 10))
    items["I"] = mof.receive(at("2025-03-01", 0, 30), kind=Kind.PETITION)
    with time_machine.travel(at("2025-03-03"), tick=False):
        actions.reject(receptionist, items["I"], reason="Không thuộc thẩm quyền giải quyết.")
    return items


def url(name: str, language: str = "vi") -> str:
    with translation.override(language):
        return reverse(name)


def by_month(rows: list[statistics.MonthRow]) -> dict[str, statistics.MonthRow]:
    return {f"{row.month:%m/%Y}": row for row in rows}


# --- the figures ----------------------------------------------------------------------------


def test_the_story_has_the_deadlines_it_assumes(story):
    # Given the story, its deadlines fall where its figures say.
    assert story["B"].answer_due == dt.date(2025, 3, 25)
    assert story["B"].answered_on_time is False
    assert story["A"].answered_on_time and story["C"].answered_on_time
    assert story["E"].answer_due == dt.date(2025, 5, 26)
    assert story["G"].routing_due == dt.date(2025, 6, 9)
    assert story["I"].received_at.astimezone(dt.UTC).date() == dt.date(2025, 2, 28)


def test_monthly_figures_of_an_agency(story, ministry_of_finance):
    # When the Ministry of Finance's figures are computed for January to June 2025
    rows = statistics.monthly(ministry_of_finance.pk, months=MONTHS, today=TODAY)

    # Then there is one row per month, oldest first
    assert [f"{row.month:%m/%Y}" for row in rows] == [
        "01/2025",
        "02/2025",
        "03/2025",
        "04/2025",
        "05/2025",
        "06/2025",
    ]
    month = by_month(rows)
    assert month["01/2025"] == statistics.MonthRow(month=dt.date(2025, 1, 1))
    assert (month["02/2025"].received, month["02/2025"].answered) == (1, 0)
    march = month["03/2025"]
    assert (march.received, march.answered, march.on_time, march.late) == (2, 3, 2, 1)
    assert (march.overdue_open, march.overdue, march.median_days) == (0, 1, 17.0)
    may = month["05/2025"]
    assert (may.received, may.answered, may.overdue_open, may.overdue) == (1, 0, 1, 1)
    assert may.median_days is None
    june = month["06/2025"]  # D answered, F (the denunciation) counted as received
    assert (june.received, june.answered, june.on_time, june.overdue, june.median_days) == (
        2,
        1,
        1,
        0,
        3.0,
    )


def test_totals_of_an_agency(story, ministry_of_finance):
    figures = statistics.figures(ministry_of_finance.pk, months=MONTHS, today=TODAY)

    total = figures.total
    assert (total.received, total.answered, total.on_time, total.late) == (6, 4, 3, 1)
    assert (total.overdue_open, total.overdue) == (1, 2)
    # The median of every answer (17, 19, 8, 3), not a median of the months' medians.
    assert total.median_days == 12.5
    assert figures.overdue_open_now == 1  # E


def test_nationwide_figures_count_every_agency_and_reception(story):
    figures = statistics.figures(None, months=MONTHS, today=TODAY)
    month = by_month(figures.months)

    # I was received at 00:30 on 1 March in Hà Nội (28 February in UTC): a March submission.
    assert (month["02/2025"].received, month["03/2025"].received) == (1, 3)
    assert month["03/2025"].median_days == 17.0
    june = month["06/2025"]  # D, F, G, J received; D and J answered; G overdue at reception
    assert (june.received, june.answered, june.on_time, june.overdue_open) == (4, 2, 2, 1)
    assert june.median_days == 4.0
    total = figures.total
    assert (total.received, total.answered, total.on_time, total.late) == (9, 5, 4, 1)
    assert (total.overdue_open, total.overdue, total.median_days) == (2, 3, 8.0)
    assert figures.overdue_open_now == 2  # E and G


def test_a_shorter_window_leaves_older_months_out(story):
    figures = statistics.figures(None, months=3, today=TODAY)

    assert [f"{row.month:%m/%Y}" for row in figures.months] == ["04/2025", "05/2025", "06/2025"]
    assert (figures.total.received, figures.total.answered, figures.total.median_days) == (
        5,
        2,
        4.0,
    )


def test_by_agency_table(story, ministry_of_finance, other_ministry):
    rows = statistics.by_agency(months=MONTHS, today=TODAY)

    assert [row.agency_id for row in rows] == [ministry_of_finance.pk, other_ministry.pk]
    mof, health = rows
    assert (mof.received, mof.answered, mof.on_time, mof.overdue_open_now) == (6, 4, 3, 1)
    assert mof.on_time_rate == 0.75 and mof.median_days == 12.5
    assert (health.received, health.answered, health.on_time_rate, health.median_days) == (
        1,
        1,
        1.0,
        5.0,
    )
    assert mof.name(english=True) == "Ministry of Finance"


def test_figures_are_cached_for_ten_minutes(story, ministry_of_finance, django_assert_num_queries):
    statistics.figures(ministry_of_finance.pk, months=MONTHS, today=TODAY)

    with django_assert_num_queries(0):
        again = statistics.figures(ministry_of_finance.pk, months=MONTHS, today=TODAY)
    assert again.total.received == 6


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def seen_on_16_june():
    with time_machine.travel(at("2025-06-16", 10), tick=False):
        yield


def test_nationwide_page(client, story, seen_on_16_june, django_assert_max_num_queries):
    # When a citizen opens the statistics (nothing cached yet)
    # (the site's shell — navigation, language versions — takes about nine of them)
    with django_assert_max_num_queries(22):
        response = client.get(url("feedback:statistics"), {"months": MONTHS})

    # Then the figures are a table with its caption and headers
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert response.context["total"].received == "9"
    assert [row.label for row in response.context["rows"]][-1] == "06/2025"
    # the charts' figures travel as JSON, the canvases describe themselves
    data = response.context["chart_data"]
    assert data["received"] == [0, 1, 3, 0, 1, 4]
    assert data["overdue"] == [0, 0, 1, 0, 1, 1]
    assert data["median_days"] == [None, None, 17.0, None, None, 4.0]
    assert 'id="feedback-statistics-data" type="application/json"' in html
    assert 'role="img"' in html and "vendor/chartjs/chart.umd.min.js" in html
    # and the nationwide page lists the agencies, most received first
    names = [row.name for row in response.context["agency_rows"]]
    assert names == ["Bộ Tài chính", "Bộ Y tế"]
    assert "thong-ke.csv?months=6" in html
    # and, for ten minutes, the next visitor's page runs none of the statistics' queries
    with django_assert_max_num_queries(11):
        client.get(url("feedback:statistics"), {"months": MONTHS})


def test_agency_page(client, story, ministry_of_finance, seen_on_16_june):
    response = client.get(
        url("feedback:statistics"), {"agency": ministry_of_finance.pk, "months": MONTHS}
    )

    assert response.status_code == 200
    assert response.context["scope"] == "Bộ Tài chính"
    assert response.context["total"].median_days == "12,5"
    assert response.context["overdue_open_now"] == "1"
    assert "agency_rows" not in response.context
    chart = json.loads(
        response.content.decode()
        .split('id="feedback-statistics-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert chart["received"] == [0, 1, 2, 0, 1, 2]


def test_the_page_in_english(client, story, ministry_of_finance, seen_on_16_june):
    response = client.get(url("feedback:statistics", "en"), {"agency": ministry_of_finance.pk})

    assert response.status_code == 200
    assert response.context["scope"] == "Ministry of Finance"
    assert response.context["chart_data"]["text"]["received"] == "Received"


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "abc"},
        {"agency": "999999"},
        {"months": "-4"},
        {"months": "many"},
        {"months": "10000"},
        {"agency": "1e9", "months": "0"},
    ],
)
def test_values_that_cannot_be_read_are_reported_never_a_server_error(
    client, story, seen_on_16_june, query
):
    response = client.get(url("feedback:statistics"), query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["months"] == statistics.DEFAULT_MONTHS
    html = response.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    # the form shows the value the figures were computed with
    assert '<option value="12" selected>' in html


def test_an_empty_installation_has_a_page(client, db, seen_on_16_june):
    response = client.get(url("feedback:statistics"))

    assert response.status_code == 200
    assert response.context["total"].received == "0"
    assert response.context["agency_rows"] == []


# --- the CSV --------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_of_an_agency(client, story, ministry_of_finance, seen_on_16_june):
    response = client.get(
        url("feedback:statistics_csv"), {"agency": ministry_of_finance.pk, "months": MONTHS}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="thong-ke-phan-anh-bo-tai-chinh.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = read_csv(response)
    with translation.override("vi"):
        assert rows[0][:2] == [
            gettext("Month (MM/YYYY)"),
            pgettext("feedback statistics", "Received"),
        ]
    assert [row[0] for row in rows[1:]] == [
        "01/2025",
        "02/2025",
        "03/2025",
        "04/2025",
        "05/2025",
        "06/2025",
        rows[-1][0],
    ]
    assert rows[3] == ["03/2025", "2", "3", "2", "1", "0", "1", "17"]
    assert rows[-1][1:] == ["6", "4", "3", "1", "1", "2", "12.5"]


def test_csv_header_follows_the_language(client, story, seen_on_16_june):
    response = client.get(url("feedback:statistics_csv", "en"))

    rows = read_csv(response)
    assert rows[0] == [
        "Month (MM/YYYY)",
        "Received",
        "Answered",
        "Answered on time",
        "Answered late",
        "Open and overdue",
        "Overdue",
        "Median working days to answer",
    ]
    assert rows[-1][0] == "Total"
    assert (
        response["Content-Disposition"] == 'attachment; filename="thong-ke-phan-anh-toan-quoc.csv"'
    )


def test_csv_by_agency(client, story, other_ministry, seen_on_16_june):
    response = client.get(
        url("feedback:statistics_csv", "en"), {"table": "agencies", "months": MONTHS}
    )

    rows = read_csv(response)
    assert rows[0][0] == "Agency"
    assert rows[1] == ["Ministry of Finance", "000.00.00.G12", "6", "4", "3", "75", "1", "12.5"]
    assert rows[2][:2] == [other_ministry.name_en, other_ministry.code]
