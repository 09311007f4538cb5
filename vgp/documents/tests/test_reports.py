"""The processing report of incoming documents: per lead unit, received, done on time, done
late, pending and pending past the deadline; its admin page and its XLSX.

The data is November 2026 at the Government Office (``register_book.py``): the General Affairs
Department answered 1925/BNV-TCBC on time; the Legal Affairs Department reported 15/QĐ-BNV
three days late and has not started 88/TB-BTC, due 25/11.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from vgp.documents import actions, reports
from vgp.documents.models import Secrecy
from vgp.documents.testing import incoming

from .register_book import NOVEMBER, READ_AT, at, fresh_user, on, write_book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def book(
    clerk, leader, unit_head, handler, legal_head, legal_handler, general, legal_unit, outsider
):
    return write_book(
        clerk=clerk,
        leader=leader,
        unit_head=unit_head,
        handler=handler,
        legal_head=legal_head,
        legal_handler=legal_handler,
        general=general,
        legal_unit=legal_unit,
        outsider=outsider,
    )


def report(user, agency, period=NOVEMBER):
    with on(READ_AT):
        return [
            row.values()
            for row in reports.processing_report(
                fresh_user(user), agency=agency, date_from=period[0], date_to=period[1]
            )
        ]


def test_each_lead_unit_has_its_figures_and_a_total(book, clerk, office):
    assert report(clerk, office) == [
        # unit, received, on time, late, pending, pending and overdue
        ("Vụ Pháp luật", 2, 0, 1, 1, 1),
        ("Vụ Tổng hợp", 1, 1, 0, 0, 0),
        ("Total", 3, 1, 1, 1, 1),
    ]


def test_the_period_counts_documents_by_the_day_they_arrived(book, clerk, office):
    # October: the one document of 31/10 was never directed
    assert report(clerk, office, (dt.date(2026, 10, 1), dt.date(2026, 10, 31))) == [
        ("Total", 0, 0, 0, 0, 0)
    ]
    # 10/11 to 20/11: the two documents of the Legal Affairs Department
    assert report(clerk, office, (dt.date(2026, 11, 10), dt.date(2026, 11, 20))) == [
        ("Vụ Pháp luật", 2, 0, 1, 1, 1),
        ("Total", 2, 0, 1, 1, 1),
    ]


def test_pending_is_overdue_only_after_the_deadline(book, clerk, office):
    with on(at(11, 25, 16)):
        figures = reports.processing_report(
            fresh_user(clerk), agency=office, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
        )
    assert [(row.name, row.pending, row.pending_overdue) for row in figures] == [
        ("Vụ Pháp luật", 1, 0),  # 88/TB-BTC is due today
        ("Vụ Tổng hợp", 0, 0),
        ("Total", 1, 0),
    ]


def test_done_on_the_deadline_late_in_the_evening_is_on_time(
    clerk, leader, unit_head, handler, general, office
):
    # reported at 23:30 on the deadline in Hà Nội (16:30 UTC): on time
    with on(at(11, 2)):
        document = incoming(clerk)
        actions.direct(leader, document, lead_unit=general, due_on=dt.date(2026, 11, 4))
        task = actions.lead_task(document)
        actions.assign_handler(unit_head, task, handler)
    with on(at(11, 4, 23, 30)):
        actions.report_done(handler, document, result="Xong.")

    assert report(clerk, office)[0] == ("Vụ Tổng hợp", 1, 1, 0, 0, 0)


def test_a_returned_lead_task_counts_for_the_unit_that_handles_it(
    clerk, leader, unit_head, general, legal_unit, office
):
    with on(at(11, 2)):
        document = incoming(clerk)
        actions.direct(leader, document, lead_unit=general, due_on=dt.date(2026, 11, 9))
        actions.return_task(unit_head, actions.lead_task(document), reason="Không thuộc chức năng.")
        actions.direct(leader, document, lead_unit=legal_unit, due_on=dt.date(2026, 11, 9))

    assert report(clerk, office) == [
        ("Vụ Pháp luật", 1, 0, 0, 1, 1),
        ("Total", 1, 0, 0, 1, 1),
    ]


def test_only_documents_the_reader_may_see_are_counted(
    book, clerk, leader, legal_clerk, outsider, general, office, home_ministry
):
    # a classified document directed to General Affairs: ông Hùng and chị Lan see it
    with on(at(11, 14)):
        actions.direct(leader, book.secret, lead_unit=general, due_on=dt.date(2026, 11, 20))
    assert report(leader, office)[1] == ("Vụ Tổng hợp", 2, 1, 0, 1, 1)
    assert report(clerk, office)[1] == ("Vụ Tổng hợp", 2, 1, 0, 1, 1)
    # chị Hoa, a clerk of the Office not named on it, counts it nowhere
    assert report(legal_clerk, office)[1] == ("Vụ Tổng hợp", 1, 1, 0, 0, 0)
    # another agency sees nothing of the Office's, and the Office nothing of the Ministry's
    assert report(outsider, office) == [("Total", 0, 0, 0, 0, 0)]
    assert report(clerk, home_ministry) == [("Total", 0, 0, 0, 0, 0)]
    assert book.secret.secrecy == Secrecy.CONFIDENTIAL


def test_the_report_is_counted_in_the_database(book, clerk, office, django_assert_num_queries):
    user = fresh_user(clerk)
    # the user's permissions (2), roles (1) and agency tree (2 levels); then one query
    with on(READ_AT), django_assert_num_queries(6):
        reports.processing_report(user, agency=office, date_from=NOVEMBER[0], date_to=NOVEMBER[1])


def test_the_xlsx_file_has_the_units_and_a_bold_total(book, clerk, office):
    with on(READ_AT):
        rows = reports.processing_report(
            fresh_user(clerk), agency=office, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
        )
    data = reports.report_xlsx(rows, agency=office, date_from=NOVEMBER[0], date_to=NOVEMBER[1])

    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.values)
    assert values[0][0].startswith("Report on the processing of incoming documents")
    assert "from 01/11/2026 to 30/11/2026" in values[0][0]
    assert values[1] == (
        "Unit",
        "Received",
        "Done on time",
        "Done late",
        "Pending",
        "Pending and overdue",
    )
    assert values[2:] == [
        ("Vụ Pháp luật", 2, 0, 1, 1, 1),
        ("Vụ Tổng hợp", 1, 1, 0, 0, 0),
        ("Total", 3, 1, 1, 1, 1),
    ]
    assert sheet.cell(row=5, column=1).font.bold
    assert not sheet.cell(row=4, column=1).font.bold
    assert sheet.freeze_panes == "A3"


# --- The admin page --------------------------------------------------------------------------


@pytest.fixture
def _password_only(settings):
    settings.VGP_REQUIRE_2FA = False


def sign_in(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


QUERY = {"date_from": "01/11/2026", "date_to": "30/11/2026"}


def get(client, name, **query):
    with on(READ_AT):
        return client.get(reverse(name), query)


@pytest.mark.usefixtures("_password_only")
def test_the_report_page_shows_the_table_and_its_download(client, book, leader, unit_head, office):
    sign_in(client, leader)
    response = get(client, "documents_report", **QUERY, agency=office.pk)

    assert response.status_code == 200
    html = response.content.decode()
    assert [unit.name for unit in response.context["units"]] == ["Vụ Pháp luật", "Vụ Tổng hợp"]
    assert response.context["total"].received == 3
    assert "Pending and overdue" in html
    url = reverse("documents_report_export") + (
        f"?agency={office.pk}&amp;date_from=01%2F11%2F2026&amp;date_to=30%2F11%2F2026"
    )
    assert url in html

    download = get(client, "documents_report_export", **QUERY, agency=office.pk)
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="bao-cao-xu-ly-van-ban-den-2026-11.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert list(sheet.values)[-1] == ("Total", 3, 1, 1, 1, 1)

    # a unit head reads the figures of the documents her unit takes part in
    sign_in(client, unit_head)
    response = get(client, "documents_report", **QUERY, agency=office.pk)
    assert [unit.name for unit in response.context["units"]] == ["Vụ Tổng hợp"]


@pytest.mark.usefixtures("_password_only")
def test_the_report_needs_the_report_permission(client, handler, legal_handler, office):
    for user in (handler, legal_handler):
        sign_in(client, user)
        assert get(client, "documents_report", **QUERY).status_code == 403
        assert get(client, "documents_report_export", **QUERY).status_code == 403


@pytest.mark.usefixtures("_password_only")
def test_an_unreadable_filter_is_said_on_the_page(client, clerk, home_ministry):
    sign_in(client, clerk)
    response = get(client, "documents_report", agency=home_ministry.pk, date_from="1/13/2026")

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"agency", "date_from"}
    assert "total" not in response.context
    export = get(client, "documents_report_export", agency=home_ministry.pk)
    assert export.status_code == 302
    assert export["Location"].startswith(reverse("documents_report"))
