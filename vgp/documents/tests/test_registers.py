"""The registers of Decree 30 (incoming, outgoing, tracking): rows, XLSX, PDF and the admin page.

The data is November 2026 at the Government Office (``register_book.py``), made through the
actions by the personas of conftest.py: chị Lan (clerk), ông Hùng (leader), chị Mai and anh Nam
(General Affairs), anh Phúc and chị Thu (Legal Affairs), chị Hoa (clerk of Legal Affairs), and
the Ministry of Home Affairs' clerk (``outsider``).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from vgp.documents import actions, register_views, registers
from vgp.documents.registers import Column, Register, RegisterKind
from vgp.documents.testing import doc_type, incoming

from .register_book import (
    NOVEMBER,
    READ_AT,
    approved_draft,
    at,
    fresh_user,
    issue_and_send,
    on,
    write_book,
)

pytestmark = pytest.mark.django_db

DASH = registers.EN_DASH
SECRET_CONTENT = "Kế hoạch bảo vệ mục tiêu trọng yếu"


@pytest.fixture(autouse=True)
def _english():
    # The registers' words in their English source; the Vietnamese catalogue is tested apart.
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


def rows(user, kind, agency, period=NOVEMBER):
    with on(READ_AT):
        return [
            row.texts()
            for row in registers.register_rows(
                fresh_user(user), kind, agency=agency, date_from=period[0], date_to=period[1]
            )
        ]


def numbers(table):
    return [row[0] for row in table]


def arrival_numbers(table):
    return [row[1] for row in table]


# --- The rows --------------------------------------------------------------------------------


def test_the_incoming_register_has_the_decree_30_columns_in_number_order(book, clerk, office):
    table = rows(clerk, RegisterKind.INCOMING, office)

    # every incoming document that arrived in November, ordinary series first, then the
    # classified series (chị Lan registered it, so she is named on it)
    assert arrival_numbers(table) == ["02", "03", "04", "05", "06", "01-M"]
    answered = table[1]
    assert answered == [
        "03/11/2026",  # date received
        "03",  # incoming number
        "Bộ Nội vụ",  # sender
        "1925/BNV-TCBC",  # number and symbol
        "01/11/2026",  # document date
        "Công văn Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ",
        f"Vụ Tổng hợp {DASH} Phạm Văn Nam",  # lead unit of the direction, and its handler
        "04/11/2026",  # transferred when the leader directed it
        "",  # the receiver signs on paper
        "Urgent (khẩn)",
    ]
    # directed, nobody assigned: the lead unit alone; not directed: whoever holds it
    assert table[3][6] == "Vụ Pháp luật"
    assert table[4][6] == f"Government Office {DASH} Trần Thị Lan" and table[4][7] == ""
    assert table[5][9] == "Confidential (mật)"


def test_the_period_is_whole_days_in_hanoi_time(book, clerk, office):
    # 31/10 23:30 in Hà Nội is 16:30 UTC, 01/11 00:30 is 17:30 UTC the day before: both are
    # read as Hà Nội days
    october = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [row[3] for row in rows(clerk, RegisterKind.INCOMING, office, october)] == [
        "301/UBND-VP"
    ]
    november = rows(clerk, RegisterKind.INCOMING, office)
    assert november[0][:4] == ["01/11/2026", "02", "UBND tỉnh Bắc Ninh", "302/UBND-VP"]
    # one day
    assert arrival_numbers(
        rows(clerk, RegisterKind.INCOMING, office, (dt.date(2026, 11, 3), dt.date(2026, 11, 3)))
    ) == ["03"]


def test_the_outgoing_register_lists_issued_documents(book, clerk, office):
    table = rows(clerk, RegisterKind.OUTGOING, office)

    assert table == [
        [
            book.reply.number_symbol,
            "06/11/2026",
            "Công văn Về việc tham gia ý kiến dự thảo Nghị định",
            "Nguyễn Văn Hùng",
            "Vụ Pháp luật; Bộ Nội vụ",
            "Vụ Tổng hợp",
            "",
            "06/11/2026",
            "",
            "",
        ]
    ]
    assert book.reply.number_symbol.startswith("01/")
    # a draft never issued is not in the register
    with on(at(11, 9)):
        actions.create_draft(
            book.reply.drafted_by,
            document_type=doc_type("CV"),
            summary="Dự thảo chưa ban hành",
            content="…",
        )
    assert len(rows(clerk, RegisterKind.OUTGOING, office)) == 1


def test_a_recalled_document_is_marked_in_the_outgoing_register(book, clerk, leader, office):
    with on(at(11, 8)):
        actions.recall(leader, book.reply, reason="Sai sót số liệu.")

    assert rows(clerk, RegisterKind.OUTGOING, office)[0][9] == "Recalled"


def test_the_tracking_register_follows_directed_documents(book, clerk, office):
    table = rows(clerk, RegisterKind.TRACKING, office)

    # only documents a leader directed; the registered-only one (06) is not tracked
    assert table == [
        [
            "03",
            "1925/BNV-TCBC Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ",
            f"Vụ Tổng hợp {DASH} Phạm Văn Nam",
            "10/11/2026",
            "Closed, 07/11/2026",
            book.reply.number_symbol,
            "Urgent (khẩn)",
        ],
        [
            "04",
            "15/QĐ-BNV Về việc giao chỉ tiêu biên chế năm 2027",
            f"Vụ Pháp luật {DASH} Đặng Thị Thu",
            "13/11/2026",
            "Handled, to close, 16/11/2026",
            "",
            "Done late",
        ],
        [
            "05",
            "88/TB-BTC Về việc công khai ngân sách",
            "Vụ Pháp luật",
            "25/11/2026",
            "Directed, to assign",
            "",
            "Overdue",
        ],
    ]


# --- Who sees what ---------------------------------------------------------------------------


def test_another_agencys_documents_never_appear(book, clerk, outsider, office, home_ministry):
    for kind in RegisterKind:
        assert all("99/VPCP-TH" not in row for row in rows(clerk, kind, office))
        # the Ministry's clerk asking for the Office's register gets nothing of it
        assert rows(outsider, kind, office) == []
    assert [row[3] for row in rows(outsider, RegisterKind.INCOMING, home_ministry)] == [
        "99/VPCP-TH"
    ]
    # and the Office's clerk reading the Ministry's register sees nothing either
    assert rows(clerk, RegisterKind.INCOMING, home_ministry) == []


def test_a_classified_document_appears_only_to_its_readers(
    book, clerk, leader, legal_clerk, unit_head, auditor, office
):
    secret = "07/BQP-TM"

    def shows(user):
        return any(secret in row for row in rows(user, RegisterKind.INCOMING, office))

    # chị Lan registered it and ông Hùng is named on it
    assert shows(clerk) and shows(leader)
    # another clerk of the Office, a unit head and the auditor see the rest, not it
    for user in (legal_clerk, unit_head, auditor):
        assert not shows(user)
    assert len(rows(legal_clerk, RegisterKind.INCOMING, office)) == 5


def test_a_classified_documents_content_is_never_printed(book, clerk, office):
    with on(at(11, 13)):
        incoming(
            clerk,
            number_symbol="08/BQP-TM",
            issuer_name="Bộ Quốc phòng",
            summary="Về việc bảo vệ mục tiêu",
            content=SECRET_CONTENT,
            secrecy=2,
            secret_roles=(),
        )
    register = Register(RegisterKind.INCOMING, office, *NOVEMBER)
    with on(READ_AT):
        xlsx = registers.to_xlsx(register, register.rows(fresh_user(clerk)))
        pdf = registers.to_pdf(register, register.rows(fresh_user(clerk)))

    cells = [str(value) for row in load_workbook(io.BytesIO(xlsx)).active.values for value in row]
    assert any("08/BQP-TM" in cell for cell in cells)
    assert "Secret (tối mật)" in cells
    assert not any(SECRET_CONTENT in cell for cell in cells)
    text = pdf_text(pdf)
    assert "08/BQP-TM" in text and SECRET_CONTENT not in text


def test_a_register_costs_the_same_queries_for_few_or_many_documents(
    book, clerk, leader, unit_head, handler, office, general, django_assert_num_queries
):
    def read(kind):
        with on(READ_AT):
            user = fresh_user(clerk)
            with CaptureQueriesContext(connection) as queries:
                count = len(
                    list(
                        registers.register_rows(
                            user, kind, agency=office, date_from=NOVEMBER[0], date_to=NOVEMBER[1]
                        )
                    )
                )
        return count, len(queries)

    before = {kind: read(kind) for kind in RegisterKind}
    for day in range(2, 12):
        with on(at(11, day, 15)):
            document = incoming(clerk, number_symbol=f"{day}/UBND-VP", issuer_name="UBND")
            actions.direct(leader, document, lead_unit=general, due_on=dt.date(2026, 11, 28))
    for day in range(16, 19):
        with on(at(11, day, 15)):
            draft = approved_draft(handler, unit_head, leader, summary=f"Về việc số {day}")
            issue_and_send(clerk, draft)
    after = {kind: read(kind) for kind in RegisterKind}

    assert after[RegisterKind.INCOMING][0] == before[RegisterKind.INCOMING][0] + 10
    assert after[RegisterKind.TRACKING][0] == before[RegisterKind.TRACKING][0] + 10
    assert after[RegisterKind.OUTGOING][0] == before[RegisterKind.OUTGOING][0] + 3
    for kind in RegisterKind:
        assert after[kind][1] == before[kind][1], kind
    # the user's permissions (2), roles (1) and agency tree (2 levels); then the documents,
    # their directions, lead tasks and replies: one query each
    user = fresh_user(clerk)
    with on(READ_AT), django_assert_num_queries(9):
        list(
            registers.register_rows(
                user,
                RegisterKind.TRACKING,
                agency=office,
                date_from=NOVEMBER[0],
                date_to=NOVEMBER[1],
            )
        )


# --- The files -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_xlsx_file_has_a_title_a_frozen_header_and_the_rows(book, clerk, office):
    register = Register(RegisterKind.INCOMING, office, *NOVEMBER)
    with on(READ_AT):
        data = registers.to_xlsx(register, register.rows(fresh_user(clerk)))

    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.values)
    assert values[0][0] == (
        f"Incoming documents register {DASH} Government Office {DASH} from 01/11/2026 to 30/11/2026"
    )
    assert list(values[1]) == [str(column.label) for column in register.columns]
    assert values[1][0] == "Date received" and values[1][9] == "Notes"
    assert len(values) == 2 + 6
    answered = values[3]
    assert answered[0] == dt.datetime(2026, 11, 3)  # noqa: DTZ001 (Excel dates are naive)
    assert sheet.cell(row=4, column=1).number_format == "DD/MM/YYYY"
    assert answered[1:4] == ("03", "Bộ Nội vụ", "1925/BNV-TCBC")
    assert answered[6] == f"Vụ Tổng hợp {DASH} Phạm Văn Nam"
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["F"].width == 44
    assert sheet.cell(row=4, column=6).alignment.wrap_text


def test_text_that_looks_like_a_formula_stays_text_in_the_xlsx_file():
    columns = (Column("a", "A", 10), Column("b", "B", 10, "number"))
    data = registers.write_xlsx(
        title="T", heading="T", columns=columns, rows=[('=HYPERLINK("x")', 3), ("a\x07b", None)]
    )

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row=3, column=1).value == '=HYPERLINK("x")'
    assert sheet.cell(row=3, column=1).data_type == "s"
    assert sheet.cell(row=3, column=2).value == 3
    assert sheet.cell(row=4, column=1).value == "ab"  # control characters dropped


def test_the_pdf_file_prints_the_register_in_vietnamese(book, clerk, office):
    register = Register(RegisterKind.TRACKING, office, *NOVEMBER)
    with on(READ_AT):
        data = registers.to_pdf(register, register.rows(fresh_user(clerk)))

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    assert round(float(page.mediabox.width)) == 842
    text = pdf_text(data)
    assert "Register for tracking the handling of incoming documents" in text
    assert "Government Office" in text
    assert "Về việc giao chỉ tiêu biên chế năm 2027" in text
    assert f"Vụ Pháp luật {DASH} Đặng Thị Thu" in text
    assert "Page 1 of 1" in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("NotoSerif" in font for font in fonts), fonts


def test_a_long_pdf_repeats_the_header_and_numbers_its_pages():
    columns = registers.COLUMNS[RegisterKind.OUTGOING]
    lines = [
        (
            f"{n:02d}/VPCP-TH",
            dt.date(2026, 11, 6),
            "Công văn Về việc thử",
            "Nguyễn Văn Hùng",
            "Bộ Nội vụ",
            "Vụ Tổng hợp",
            2,
            None,
            "",
            "",
        )
        for n in range(1, 121)
    ]
    data = registers.write_pdf(
        title="Outgoing documents register", subtitle="VPCP", columns=columns, rows=lines
    )

    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Recipients" in text and "Signer" in text  # the header row on every page
        assert f"Page {number} of {len(pages)}" in text
    assert "120/VPCP-TH" in pages[-1].extract_text()


def test_the_file_names_follow_the_period(office):
    assert (
        Register(RegisterKind.INCOMING, office, *NOVEMBER).file_name("xlsx")
        == "so-van-ban-den-2026-11.xlsx"
    )
    assert (
        Register(
            RegisterKind.OUTGOING, office, dt.date(2026, 12, 1), dt.date(2026, 12, 31)
        ).file_name("pdf")
        == "so-van-ban-di-2026-12.pdf"
    )
    assert (
        Register(
            RegisterKind.TRACKING, office, dt.date(2026, 11, 3), dt.date(2026, 11, 20)
        ).file_name("xlsx")
        == "so-theo-doi-giai-quyet-van-ban-den-2026-11-03-2026-11-20.xlsx"
    )


# --- The admin page and its downloads --------------------------------------------------------


@pytest.fixture
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


NOVEMBER_QUERY = {"kind": "incoming", "date_from": "01/11/2026", "date_to": "30/11/2026"}


def get(client, name, *args, **query):
    with on(READ_AT):
        return client.get(reverse(name, args=args), query)


def sign_in(client, user):
    """Signed in, with the admin in English (the registers' words in their source)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


@pytest.mark.usefixtures("_password_only")
def test_the_registers_page_shows_the_register_and_its_downloads(client, book, clerk, office):
    sign_in(client, clerk)
    response = get(client, "documents_registers", **NOVEMBER_QUERY, agency=office.pk)

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["count"] == 6
    assert "1925/BNV-TCBC" in html and f"Vụ Tổng hợp {DASH} Phạm Văn Nam" in html
    assert "6 documents." in html
    query = "kind=incoming&amp;agency={}&amp;date_from=01%2F11%2F2026&amp;date_to=30%2F11%2F2026"
    assert (
        reverse("documents_registers_export", args=["xlsx"]) + "?" + query.format(office.pk) in html
    )
    assert (
        reverse("documents_registers_export", args=["pdf"]) + "?" + query.format(office.pk) in html
    )


@pytest.mark.usefixtures("_password_only")
def test_the_page_shows_the_first_rows_and_says_how_many_there_are(
    client, book, clerk, office, monkeypatch
):
    monkeypatch.setattr(register_views, "PAGE_ROWS", 2)
    sign_in(client, clerk)
    response = get(client, "documents_registers", **NOVEMBER_QUERY, agency=office.pk)

    assert len(response.context["rows"]) == 2 and response.context["count"] == 6
    assert "6 documents; the first 2 are shown here" in response.content.decode()


@pytest.mark.usefixtures("_password_only")
def test_by_default_the_page_shows_this_months_incoming_register_of_the_users_agency(
    client, clerk, legal_unit, office
):
    sign_in(client, clerk)
    response = get(client, "documents_registers")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["kind"] == "incoming" and form.data["agency"] == str(office.pk)
    assert (form.data["date_from"], form.data["date_to"]) == ("01/12/2026", "31/12/2026")
    # the Office and its units, the Office first
    choices = [label for _value, label in form.fields["agency"].choices]
    assert choices == ["Government Office", "Vụ Pháp luật"]
    assert response.context["count"] == 0


@pytest.mark.usefixtures("_password_only")
def test_downloads_carry_the_register_with_a_file_name(client, book, clerk, office):
    sign_in(client, clerk)
    xlsx = get(client, "documents_registers_export", "xlsx", **NOVEMBER_QUERY, agency=office.pk)

    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == register_views.XLSX_TYPE
    assert xlsx["Content-Disposition"] == 'attachment; filename="so-van-ban-den-2026-11.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[3] for row in list(sheet.values)[2:]] == [
        "302/UBND-VP",
        "1925/BNV-TCBC",
        "15/QĐ-BNV",
        "88/TB-BTC",
        "42/BYT-KH",
        "07/BQP-TM",
    ]

    pdf = get(
        client,
        "documents_registers_export",
        "pdf",
        **{**NOVEMBER_QUERY, "kind": "outgoing"},
        agency=office.pk,
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="so-van-ban-di-2026-11.pdf"'
    assert book.reply.number_symbol in pdf_text(pdf.content)


@pytest.mark.usefixtures("_password_only")
def test_a_register_too_long_to_download_at_once_sends_back_to_the_page(
    client, book, clerk, office, settings
):
    # Longer registers are prepared in the background (test_exports.py).
    settings.DOCUMENTS_EXPORT_INLINE_MAX_ROWS = 3
    sign_in(client, clerk)
    for file_format in ("xlsx", "pdf"):
        response = get(
            client, "documents_registers_export", file_format, **NOVEMBER_QUERY, agency=office.pk
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("documents_registers") + "?kind=incoming")
    page = get(client, "documents_registers", **NOVEMBER_QUERY, agency=office.pk)
    html = page.content.decode()
    assert "too many for its file to be made while you wait" in html
    assert page.context["prepare"]
    assert reverse("documents_registers_prepare", args=["xlsx"]) in html
    assert reverse("documents_registers_export", args=["xlsx"]) not in html


@pytest.mark.usefixtures("_password_only")
def test_officials_without_the_report_permission_get_403(client, handler, office):
    sign_in(client, handler)  # a handler handles documents, and keeps no register
    for name, args in (
        ("documents_registers", ()),
        ("documents_registers_export", ("xlsx",)),
        ("documents_registers_export", ("pdf",)),
    ):
        response = get(client, name, *args, **NOVEMBER_QUERY, agency=office.pk)
        assert response.status_code == 403, name
        assert b"1925" not in response.content


@pytest.mark.usefixtures("_password_only")
def test_the_register_of_another_agency_cannot_be_chosen(client, book, outsider, office):
    sign_in(client, outsider)
    response = get(client, "documents_registers", **NOVEMBER_QUERY, agency=office.pk)

    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert "rows" not in response.context
    export = get(client, "documents_registers_export", "xlsx", **NOVEMBER_QUERY, agency=office.pk)
    assert export.status_code == 302  # back to the page, which says why


@pytest.mark.usefixtures("_password_only")
def test_dates_are_read_day_first_and_checked(client, clerk, office):
    sign_in(client, clerk)
    response = get(
        client, "documents_registers", kind="tracking", date_from="31/11/2026", date_to="01/11/2026"
    )

    form = response.context["form"]
    assert form.errors["date_from"] == ["Hãy nhập ngày theo dạng dd/mm/yyyy."]
    response = get(
        client, "documents_registers", kind="tracking", date_from="15/11/2026", date_to="01/11/2026"
    )
    assert response.context["form"].errors["date_to"] == [
        "The end of the period cannot be before its start."
    ]
    assert 'aria-invalid="true"' in response.content.decode()
    response = get(
        client, "documents_registers", kind="tracking", date_from="2026-11-01", date_to="30/11/2026"
    )
    assert response.context["register"].date_from == dt.date(2026, 11, 1)


def test_the_menu_entries_are_shown_to_report_readers_only(rf, clerk, handler):
    items = register_views.menu_items()
    assert [item.name for item in items] == ["documents-registers", "documents-report"]
    request = rf.get("/")
    request.user = clerk
    assert all(item.is_shown(request) for item in items)
    request.user = handler
    assert not any(item.is_shown(request) for item in items)
