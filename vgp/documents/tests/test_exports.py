"""A register's file made in the background: asked for on the registers page, made by a task,
listed under "Your exports", downloaded by whoever may, removed after a week.

November 2026 at the Government Office (conftest.py's personas): chị Lan (``clerk``) registered
three incoming documents, one of them confidential (readable by her and by ông Hùng, the
``leader``). Registers of more than ``DOCUMENTS_EXPORT_INLINE_MAX_ROWS`` rows are prepared in
the background: the tests lower it to 2 so that these three rows are "a long register".
"""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from vgp.audit.models import AuditRecord
from vgp.documents import exports, registers
from vgp.documents.models import ExportStatus, RegisterExport, Secrecy
from vgp.documents.testing import doc_type, incoming

from .register_book import NOVEMBER, READ_AT, at, on

pytestmark = pytest.mark.django_db

NOVEMBER_QUERY = {"kind": "incoming", "date_from": "01/11/2026", "date_to": "30/11/2026"}
SYMBOLS = ["1925/BNV-TCBC", "15/QĐ-BNV", "07/BQP-TM"]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.DOCUMENTS_EXPORT_INLINE_MAX_ROWS = 2  # three rows are a long register here
    settings.VGP_REQUIRE_2FA = False  # the second factor has its own tests


@pytest.fixture
def november(clerk, leader):
    """Three incoming documents of November; the third confidential."""
    with on(at(11, 3)):
        incoming(clerk, number_symbol=SYMBOLS[0])
    with on(at(11, 10)):
        incoming(
            clerk,
            document_type=doc_type("QĐ"),
            number_symbol=SYMBOLS[1],
            summary="Về việc giao chỉ tiêu biên chế năm 2027",
        )
    with on(at(11, 12)):
        incoming(
            clerk,
            number_symbol=SYMBOLS[2],
            issuer_name="Bộ Quốc phòng",
            summary="Về việc phối hợp bảo đảm an ninh",
            secrecy=Secrecy.CONFIDENTIAL,
            readers=[leader],
            secret_roles=(),
        )


def sign_in(client, user):
    """Signed in, with the admin in English (the registers' words in their source)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)


def prepare(client, file_format="xlsx", **query):
    """Click "Prepare the … file" on the registers page (a POST carrying the page's filter)."""
    url = reverse("documents_registers_prepare", args=[file_format])
    with on(READ_AT):
        return client.post(f"{url}?{_query(**query)}")


def _query(**query):
    from urllib.parse import urlencode

    return urlencode({**NOVEMBER_QUERY, **query})


def page(client, **query):
    with on(READ_AT):
        return client.get(reverse("documents_registers"), {**NOVEMBER_QUERY, **query})


def download(client, export):
    with on(READ_AT):
        return client.get(reverse("documents_register_export_download", args=[export.pk]))


def asked(clerk, office, file_format="xlsx", kind="incoming", when=READ_AT):
    """The clerk asks for a file through the action (the task waits for the commit)."""
    with on(when):
        return exports.request_export(
            clerk,
            kind=kind,
            agency=office,
            date_from=NOVEMBER[0],
            date_to=NOVEMBER[1],
            file_format=file_format,
        )


def made(clerk, office, django_capture_on_commit_callbacks, file_format="xlsx", kind="incoming"):
    """Asked for, and made by its task once the request commits."""
    with on(READ_AT), django_capture_on_commit_callbacks(execute=True):
        export = asked(clerk, office, file_format, kind)
    export.refresh_from_db()
    return export


def build(export):
    """The task's body, run as the worker would (at the moment of the tests)."""
    with on(READ_AT):
        return exports.build_export(export.pk)


def stored_bytes(export):
    with exports.open_file(export) as stream:
        return stream.read()


# --- The fast path stays one click ----------------------------------------------------------


def test_a_short_register_is_still_downloaded_at_once(client, november, clerk, office, settings):
    settings.DOCUMENTS_EXPORT_INLINE_MAX_ROWS = 2000
    sign_in(client, clerk)
    with on(READ_AT):
        response = client.get(
            reverse("documents_registers_export", args=["xlsx"]),
            {**NOVEMBER_QUERY, "agency": office.pk},
        )

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-van-ban-den-2026-11.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[3] for row in list(sheet.values)[2:]] == SYMBOLS
    assert not RegisterExport.objects.exists()  # nothing queued, nothing stored
    html = page(client, agency=office.pk).content.decode()
    assert reverse("documents_registers_export", args=["xlsx"]) in html
    assert "Prepare the XLSX file" not in html


# --- The background path --------------------------------------------------------------------


def test_a_long_register_is_prepared_in_the_background_and_downloaded(
    client, november, clerk, office, django_capture_on_commit_callbacks, monkeypatch
):
    import openpyxl

    workbooks = []
    real_workbook = openpyxl.Workbook

    def spy(*args, **kwargs):
        workbooks.append(kwargs)
        return real_workbook(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "Workbook", spy)
    sign_in(client, clerk)
    html = page(client, agency=office.pk).content.decode()
    assert "Prepare the XLSX file" in html  # given: three rows, more than the inline limit

    with on(READ_AT), django_capture_on_commit_callbacks(execute=True):
        response = prepare(client, agency=office.pk)

    assert response.status_code == 302
    assert response["Location"].endswith("#register-exports")
    export = RegisterExport.objects.get()
    assert export.requested_by == clerk and export.agency == office
    assert (export.kind, export.file_format, export.language) == ("incoming", "xlsx", "en")
    assert export.status == ExportStatus.DONE
    assert export.row_count == 3 and export.has_classified  # she reads the confidential one
    assert export.stored_name.startswith("documents/exports/")
    assert workbooks == [{"write_only": True}]  # rows stream to disk, memory stays flat
    sheet = load_workbook(io.BytesIO(stored_bytes(export))).active
    values = list(sheet.values)
    assert values[0][0].startswith("Incoming documents register")  # her language: English
    assert [row[3] for row in values[2:]] == SYMBOLS

    listing = page(client, agency=office.pk)
    html = listing.content.decode()
    assert "is being prepared" in html  # the message after the click
    assert "Your exports" in html and "Ready" in html
    assert "01/12/2026 10:00" in html  # asked at 10:00 in Hà Nội (03:00 UTC)
    download_url = reverse("documents_register_export_download", args=[export.pk])
    assert download_url in html

    response = download(client, export)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="so-van-ban-den-2026-11.xlsx"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored_bytes(export)
    record = AuditRecord.objects.get(action="documents.request_register_export")
    assert record.actor_id == clerk.pk and record.object_id == str(export.pk)


def test_a_pdf_is_prepared_in_the_background_too(
    client, november, clerk, office, django_capture_on_commit_callbacks
):
    sign_in(client, clerk)
    with on(READ_AT), django_capture_on_commit_callbacks(execute=True):
        prepare(client, "pdf", agency=office.pk)

    export = RegisterExport.objects.get()
    assert export.status == ExportStatus.DONE and export.row_count == 3
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(stored_bytes(export))).pages
    )
    assert "Incoming documents register" in text and "Page 1 of 1" in text
    for symbol in SYMBOLS:
        assert symbol in text
    response = download(client, export)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="so-van-ban-den-2026-11.pdf"'


def test_asking_twice_while_it_is_made_gives_the_same_export(clerk, office, november):
    first = asked(clerk, office)  # its task waits for the commit, which never comes here
    again = asked(clerk, office)

    assert again.pk == first.pk and again.status == ExportStatus.QUEUED
    asked(clerk, office, "pdf")
    asked(clerk, office, kind="tracking")
    with pytest.raises(ValidationError, match="Đang chuẩn bị"):
        asked(clerk, office, kind="outgoing")
    assert RegisterExport.objects.count() == exports.MAX_WAITING_PER_USER


def test_making_it_again_changes_nothing(
    clerk, office, november, django_capture_on_commit_callbacks
):
    export = made(clerk, office, django_capture_on_commit_callbacks)

    assert build(export) == "skipped"
    again = RegisterExport.objects.get(pk=export.pk)
    assert (again.stored_name, again.attempts) == (export.stored_name, 1)


def test_the_list_refreshes_only_when_something_changed(
    client, clerk, office, november, django_capture_on_commit_callbacks
):
    sign_in(client, clerk)
    prepare(client, agency=office.pk)  # waiting: its task runs after the commit
    html = page(client, agency=office.pk).content.decode()
    assert 'hx-trigger="every 5s"' in html and "1 file is being prepared." in html
    export = RegisterExport.objects.get()
    state = f"{export.pk}-queued"

    url = reverse("documents_register_exports")
    query = {**NOVEMBER_QUERY, "agency": office.pk, "state": state}
    with on(READ_AT):
        unchanged = client.get(url, query)
    assert unchanged.status_code == 204
    build(export)
    with on(READ_AT):
        changed = client.get(url, query)
    assert changed.status_code == 200
    assert "Ready" in changed.content.decode()
    assert "hx-trigger" not in changed.content.decode()  # nothing left to wait for


# --- Who may ask, who may download ----------------------------------------------------------


def test_another_agencys_official_cannot_ask_for_the_offices_register(
    client, outsider, office, november
):
    with pytest.raises(PermissionDenied):
        asked(outsider, office)

    sign_in(client, outsider)
    response = prepare(client, agency=office.pk)
    assert response.status_code == 302  # back to the page, whose filter says why
    assert not RegisterExport.objects.exists()


def test_a_handler_without_the_register_permission_cannot_ask(client, handler, office):
    with pytest.raises(PermissionDenied):
        asked(handler, office)

    sign_in(client, handler)
    assert prepare(client, agency=office.pk).status_code == 403
    assert not RegisterExport.objects.exists()


def test_only_those_who_may_see_all_of_it_download_a_file(
    client,
    clerk,
    leader,
    legal_head,
    handler,
    outsider,
    office,
    november,
    django_capture_on_commit_callbacks,
):
    with_secret = made(clerk, office, django_capture_on_commit_callbacks)
    # Nothing was issued in November: an outgoing register without any classified line.
    plain = made(clerk, office, django_capture_on_commit_callbacks, kind="outgoing")
    assert with_secret.has_classified and not plain.has_classified

    sign_in(client, clerk)
    assert download(client, with_secret).status_code == 200  # the requester
    sign_in(client, leader)
    # ông Hùng reads the whole register, but a file listing a classified document is hers only
    assert download(client, with_secret).status_code == 404
    assert download(client, plain).status_code == 200
    sign_in(client, legal_head)
    # anh Phúc reads only his department's part of the register: hers may show him more
    assert download(client, plain).status_code == 404
    sign_in(client, outsider)
    assert download(client, plain).status_code == 404
    sign_in(client, handler)
    assert download(client, plain).status_code == 403


def test_a_file_not_ready_cannot_be_downloaded(client, clerk, office, november):
    export = asked(clerk, office)

    sign_in(client, clerk)
    assert download(client, export).status_code == 404


# --- Failures -------------------------------------------------------------------------------


def test_a_failing_build_marks_the_export_failed_shows_why_and_logs_it(
    client, clerk, office, november, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ValueError("a cell the writer refused")

    monkeypatch.setattr(registers, "save_xlsx", broken)
    sign_in(client, clerk)
    with (
        caplog.at_level(logging.ERROR, logger="vgp.documents.exports"),
        on(READ_AT),
        django_capture_on_commit_callbacks(execute=True),
    ):
        prepare(client, agency=office.pk)

    export = RegisterExport.objects.get()
    assert export.status == ExportStatus.FAILED and not export.stored_name
    assert "could not be made (ValueError)" in export.error
    assert f"export no. {export.pk}" in export.error
    assert "a cell the writer refused" not in export.error  # the details are for the log
    assert f"Register export {export.pk} could not be made" in caplog.text
    assert "a cell the writer refused" in caplog.text
    html = page(client, agency=office.pk).content.decode()
    assert "Failed" in html and "could not be made (ValueError)" in html
    assert reverse("documents_register_export_download", args=[export.pk]) not in html
    # The run fails too (listed under Settings → Background tasks); its Retry makes it again.
    monkeypatch.undo()
    assert build(export) == "done"


def test_a_failure_that_may_pass_is_tried_again_later(
    clerk, office, november, django_capture_on_commit_callbacks, monkeypatch
):
    retries = []
    monkeypatch.setattr(exports, "_can_defer", lambda: True)  # the database backend can
    export = asked(clerk, office)

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(registers, "save_xlsx", unreachable)
    monkeypatch.setattr(exports, "_enqueue", lambda pk, after=None: retries.append((pk, after)))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = build(export)

    assert outcome == "retrying"
    assert retries == [(export.pk, exports.RETRY_AFTER)]
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED and export.attempts == 1
    assert "Lần thử 1/3 không thành công" in export.error

    for _attempt in range(2):
        try:
            build(export)
        except exports.ExportFailed:
            break
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.attempts == 3


def test_a_pdf_without_its_fonts_fails_with_a_reason_a_clerk_understands(
    clerk, office, november, monkeypatch
):
    export = asked(clerk, office, "pdf")

    def missing():
        raise registers.FontsMissing("no fonts in build/fonts")

    monkeypatch.setattr(registers, "register_fonts", missing)
    with pytest.raises(exports.ExportFailed):
        build(export)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "thiếu phông chữ" in export.error


# --- Old exports ----------------------------------------------------------------------------


def test_exports_older_than_the_kept_days_are_removed_with_their_files(
    clerk, office, november, django_capture_on_commit_callbacks, settings
):
    settings.DOCUMENTS_EXPORT_KEEP_DAYS = 7
    old = made(clerk, office, django_capture_on_commit_callbacks)
    old_file = old.stored_name
    recent = asked(clerk, office, "pdf", when=READ_AT + dt.timedelta(days=6))
    stuck = asked(clerk, office, kind="tracking", when=READ_AT + dt.timedelta(days=6, hours=12))
    RegisterExport.objects.filter(pk=stuck.pk).update(
        status=ExportStatus.RUNNING, started_at=READ_AT + dt.timedelta(days=6, hours=12)
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        on(READ_AT + dt.timedelta(days=7, hours=1)),
    ):
        call_command("purge_register_exports", stdout=io.StringIO())

    assert not RegisterExport.objects.filter(pk=old.pk).exists()
    assert not exports._storage().exists(old_file)
    assert RegisterExport.objects.filter(pk=recent.pk, status=ExportStatus.QUEUED).exists()
    stuck.refresh_from_db()  # its worker died half a day ago
    assert stuck.status == ExportStatus.FAILED and "gián đoạn" in stuck.error
    record = AuditRecord.objects.get(action="documents.purge_register_exports")
    assert record.changes == {"removed": [[old.pk], None]}
