"""Searching official documents: folded queries, numbers and symbols, file text, classified
documents, filters, catching up, scheduling and rebuilding; files' text read by a task after
the upload (and what the document's page says meanwhile)."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from vgp.documents import files, search_index, testing
from vgp.documents.models import (
    Attachment,
    AttachmentKind,
    Direction,
    Document,
    DocumentType,
    Secrecy,
    Status,
    TextStatus,
)
from vgp.documents.tests.test_files import make_pdf
from vgp.search.engine import get_index

pytestmark = pytest.mark.django_db

SCAN_PAGES = [
    ["ĐỀ ÁN", "Chuyển đổi số trong công tác văn thư, lưu trữ"],
    ["Mục tiêu: số hóa toàn bộ hồ sơ lưu trữ lịch sử trước năm 2030."],
]


def make_document(agency, *, direction: str = Direction.INCOMING, **fields) -> Document:
    values = {
        "document_type": DocumentType.objects.get(code="QĐ"),
        "status": Status.REGISTERED if direction == Direction.INCOMING else Status.ISSUED,
        "issuer_name": "Bộ Nội vụ",
        "summary": "Về việc tổ chức hội nghị",
    }
    if direction == Direction.INCOMING:
        values["received_at"] = timezone.now()
    else:
        values["issued_at"] = timezone.now()
    values.update(fields)
    return Document.objects.create(direction=direction, agency=agency, **values)


def attach(document: Document, content: bytes, name: str = "van-ban.pdf") -> Attachment:
    """A file attached to ``document``, its text read as the task after the upload reads it."""
    stored = files.store(SimpleUploadedFile(name, content))
    attachment = Attachment.objects.create(
        document=document,
        kind=AttachmentKind.MAIN,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        page_count=stored.page_count,
        uploaded_at=timezone.now(),
    )
    search_index.extract_texts([attachment.pk])
    return attachment


@pytest.fixture
def decision(government_office) -> Document:
    """Quyết định 15/QĐ-BNV of the Ministry of Home Affairs, received by the Office."""
    return make_document(
        government_office,
        number_symbol="15/QĐ-BNV",
        summary="Quyết định phê duyệt Đề án vị trí việc làm",
        signer_name="Nguyễn Văn Thắng",
        content="Căn cứ Luật Cán bộ, công chức; xét đề nghị của Văn phòng Chính phủ.",
    )


@pytest.fixture
def letter(government_office) -> Document:
    return make_document(
        government_office,
        document_type=DocumentType.objects.get(code="CV"),
        number_symbol="16/BNV-TCBC",
        summary="Về việc góp ý dự thảo Nghị định",
        issuer_name="Bộ Nội vụ",
    )


# --- Finding ------------------------------------------------------------------------------------


def test_a_query_without_diacritics_finds_text_with_them(decision, letter):
    search_index.catch_up()

    assert search_index.search_ids("quyet dinh phe duyet") == [decision.pk]
    assert search_index.search_ids("Quyết định phê duyệt") == [decision.pk]
    assert search_index.search_ids("gop y du thao nghi dinh") == [letter.pk]


def test_a_signer_an_issuer_and_the_content_are_found(decision, letter):
    search_index.catch_up()

    assert search_index.search_ids("nguyen van thang") == [decision.pk]
    assert set(search_index.search_ids("bo noi vu")) == {decision.pk, letter.pk}
    assert search_index.search_ids("luat can bo") == [decision.pk]


@pytest.mark.parametrize(
    "query", ["15/QĐ-BNV", "15/qd-bnv", "15/QD-BNV", "QĐ-BNV 15", "số 15/QĐ-BNV"]
)
def test_a_number_and_symbol_finds_its_document_first(government_office, decision, query):
    other = make_document(
        government_office, number_symbol="150/QĐ-BNV", summary="Quyết định khen thưởng"
    )
    search_index.catch_up()

    found = search_index.search_ids(query)

    assert found[0] == decision.pk
    assert other.pk not in found[:1]


def test_a_symbol_outside_decree_30_is_found_as_written(government_office):
    odd = make_document(government_office, number_symbol="CV 12-UBND/VP", summary="Thư mời")
    search_index.catch_up()

    assert search_index.identifiers("CV 12-UBND/VP") == ["cv12-ubnd/vp"]
    assert search_index.search_ids("thu moi") == [odd.pk]


def test_text_inside_an_attached_pdf_is_found(government_office, decision, letter):
    attach(letter, make_pdf(SCAN_PAGES))
    search_index.catch_up()

    assert search_index.search_ids("so hoa ho so luu tru") == [letter.pk]
    assert search_index.search_ids("van thu luu tru") == [letter.pk]


def test_a_classified_document_is_found_by_number_and_summary_only(government_office):
    secret = make_document(
        government_office,
        number_symbol="07/QĐ-BQP",
        summary="Quyết định về công tác bảo đảm",
        issuer_name="Bộ Quốc phòng",
        signer_name="Trần Quang Khải",
        content="Nội dung mật: phương án bố trí lực lượng biên giới.",
        secrecy=Secrecy.SECRET,
    )
    attach(secret, make_pdf(SCAN_PAGES), name="mat.pdf")
    search_index.catch_up()

    assert search_index.search_ids("07/QĐ-BQP") == [secret.pk]
    assert search_index.search_ids("cong tac bao dam") == [secret.pk]
    # Neither the file's text, nor the content, nor who issued or signed it.
    assert search_index.search_ids("so hoa ho so luu tru") == []
    assert search_index.search_ids("phuong an bo tri luc luong") == []
    assert search_index.search_ids("bo quoc phong") == []
    assert search_index.search_ids("tran quang khai") == []
    entry = search_index.document_entry(secret, ["văn bản của tệp"])
    assert entry.body == ""
    assert entry.title == "07/QĐ-BQP Quyết định về công tác bảo đảm"


def test_a_document_classified_later_loses_its_text_in_the_index(decision):
    attach(decision, make_pdf(SCAN_PAGES))
    search_index.catch_up()
    assert search_index.search_ids("so hoa ho so") == [decision.pk]

    decision.secrecy = Secrecy.CONFIDENTIAL
    decision.save()
    search_index.index_documents([decision.pk])

    assert search_index.search_ids("so hoa ho so") == []
    assert search_index.search_ids("15/QĐ-BNV") == [decision.pk]


# --- Filters ------------------------------------------------------------------------------------


def test_results_narrow_by_direction_agency_and_year(government_office, ministry_of_finance):
    received = make_document(government_office, summary="Báo cáo tình hình kinh tế")
    issued = make_document(
        government_office,
        direction=Direction.OUTGOING,
        summary="Báo cáo tình hình kinh tế quý",
        issued_at=timezone.now() - dt.timedelta(days=800),
    )
    elsewhere = make_document(ministry_of_finance, summary="Báo cáo tình hình kinh tế năm")
    search_index.catch_up()

    query = "bao cao tinh hinh"
    assert set(search_index.search_ids(query)) == {received.pk, issued.pk, elsewhere.pk}
    assert set(search_index.search_ids(query, direction="in")) == {received.pk, elsewhere.pk}
    assert search_index.search_ids(query, direction="out") == [issued.pk]
    assert set(search_index.search_ids(query, agency_ids=[government_office.pk])) == {
        received.pk,
        issued.pk,
    }
    assert search_index.search_ids(query, agency_ids=[]) == []
    old_year = timezone.localdate(issued.issued_at).year
    assert search_index.search_ids(query, years=[old_year]) == [issued.pk]
    with pytest.raises(ValueError, match="Unknown direction"):
        search_index.search_ids(query, direction="sideways")


def test_no_text_lists_the_newest_first_and_the_limit_holds(government_office):
    now = timezone.now()
    older = make_document(government_office, received_at=now - dt.timedelta(days=3))
    newest = make_document(government_office, received_at=now)
    middle = make_document(government_office, received_at=now - dt.timedelta(days=1))
    search_index.catch_up()

    assert search_index.search_ids("") == [newest.pk, middle.pk, older.pk]
    assert search_index.search_ids("", limit=2) == [newest.pk, middle.pk]


# --- Keeping the index current ------------------------------------------------------------------


def test_catch_up_picks_up_a_changed_document(decision, letter):
    assert search_index.catch_up() == 2

    decision.summary = "Quyết định điều động cán bộ"
    decision.save()
    # Only what changed since the last pass is read again.
    assert search_index.catch_up(margin=dt.timedelta(0)) == 1

    assert search_index.search_ids("dieu dong can bo") == [decision.pk]
    assert search_index.search_ids("vi tri viec lam") == []


def test_catch_up_picks_up_a_file_attached_later(decision):
    search_index.catch_up()
    assert search_index.search_ids("so hoa ho so") == []

    attach(decision, make_pdf(SCAN_PAGES))  # the document's row is not saved again

    assert search_index.catch_up(margin=dt.timedelta(0)) == 1
    assert search_index.search_ids("so hoa ho so") == [decision.pk]


def test_catch_up_forgets_a_deleted_document(decision, letter):
    search_index.catch_up()
    letter_id = letter.pk

    letter.delete()
    search_index.catch_up(margin=dt.timedelta(0))

    assert get_index(search_index.DOCUMENTS).ids() == {decision.pk}
    assert search_index.search_ids("gop y du thao") == []
    assert letter_id not in search_index.search_ids("")


def test_indexing_twice_changes_nothing(decision):
    search_index.index_documents([decision.pk])
    search_index.index_documents([decision.pk, decision.pk])

    assert get_index(search_index.DOCUMENTS).count() == 1
    assert search_index.search_ids("phe duyet de an") == [decision.pk]


def test_a_scheduled_document_is_indexed_after_commit(decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        search_index.schedule_document(decision.pk)
    assert len(callbacks) == 1
    assert search_index.search_ids("phe duyet de an") == []  # nothing before the commit

    with django_capture_on_commit_callbacks(execute=True):
        search_index.schedule_document(decision.pk)

    assert search_index.search_ids("phe duyet de an") == [decision.pk]


def test_the_catch_up_job_runs_every_minute(decision):
    from vgp.documents.tasks import catch_up_documents_index
    from vgp.ops import scheduler

    job = next(j for j in scheduler.registered_jobs() if j.name == "documents.catch_up_index")
    assert job.every == dt.timedelta(minutes=1)
    assert job.task.module_path == "vgp.documents.tasks.catch_up_documents_index"

    result = catch_up_documents_index.enqueue()  # the test settings run tasks at once

    assert result.return_value == 1
    assert search_index.search_ids("15/qd-bnv") == [decision.pk]


def test_the_index_is_rebuilt_by_a_command(decision, letter):
    search_index.catch_up()
    get_index(search_index.DOCUMENTS).clear()
    assert search_index.search_ids("phe duyet") == []

    output = io.StringIO()
    call_command("rebuild_documents_index", stdout=output)

    assert "Indexed 2 official documents" in output.getvalue()
    assert get_index(search_index.DOCUMENTS).ids() == {decision.pk, letter.pk}


# --- Files' text, read after the upload -----------------------------------------------------


def register_with_pdf(clerk, content: bytes) -> Document:
    """Chị Lan registers a letter with its scan, as the registration form does."""
    return testing.incoming(
        clerk,
        number_symbol="88/BNV-VP",
        summary="Về việc triển khai đề án",
        files_=[(AttachmentKind.MAIN, SimpleUploadedFile("de-an.pdf", content))],
    )


def signed_in(client, user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def test_an_uploaded_pdf_is_found_by_its_words_once_the_task_read_it(
    clerk, client, settings, django_capture_on_commit_callbacks
):
    settings.VGP_REQUIRE_2FA = False
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        document = register_with_pdf(clerk, make_pdf(SCAN_PAGES))

    # Given: registered, the file stored; its text not read while the clerk waited
    attachment = document.attachments.get()
    assert (attachment.text, attachment.text_status) == ("", TextStatus.PENDING)
    page = signed_in(client, clerk).get(reverse("documents:document", args=[document.pk]))
    assert "its text is being read for search" in page.content.decode()

    # When: the transaction commits, and the tasks it enqueued run
    with django_capture_on_commit_callbacks(execute=True):
        for callback in after_commit:
            callback()

    # Then: the text is on the file and the document is found by a word of its scan
    attachment.refresh_from_db()
    assert attachment.text_status == TextStatus.DONE
    assert "Chuyển đổi số trong công tác văn thư" in attachment.text
    assert search_index.search_ids("so hoa ho so luu tru") == [document.pk]
    page = client.get(reverse("documents:document", args=[document.pk]))
    assert "its text is" not in page.content.decode()


def test_a_failed_extraction_is_logged_and_shown_on_the_documents_page(
    clerk, client, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    settings.VGP_REQUIRE_2FA = False

    def unreadable(stored_name, *, name=""):
        raise ValueError("pypdf could not read the content streams")

    monkeypatch.setattr(files, "extract_stored_text", unreadable)
    with (
        caplog.at_level(logging.ERROR, logger="vgp.documents.search_index"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document = register_with_pdf(clerk, make_pdf(SCAN_PAGES))

    attachment = document.attachments.get()
    assert (attachment.text, attachment.text_status) == ("", TextStatus.FAILED)
    assert "The text of 'de-an.pdf'" in caplog.text and "could not be extracted" in caplog.text
    assert "pypdf could not read the content streams" in caplog.text  # the traceback
    page = signed_in(client, clerk).get(reverse("documents:document", args=[document.pk]))
    assert "its text could not be read for search" in page.content.decode()
    # Still found by what the clerk typed.
    assert search_index.search_ids("88/BNV-VP") == [document.pk]


def test_a_file_still_waiting_is_read_again_then_given_up(decision):
    stored = files.store(SimpleUploadedFile("de-an.pdf", make_pdf(SCAN_PAGES)))
    now = timezone.now()

    def waiting(age: dt.timedelta) -> Attachment:
        return Attachment.objects.create(
            document=decision,
            kind=AttachmentKind.ANNEX,
            stored_name=stored.stored_name,
            original_name="de-an.pdf",
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_at=now - age,
        )

    just_now = waiting(dt.timedelta(minutes=1))  # its task is surely on its way
    lost = waiting(dt.timedelta(minutes=12))  # its task was lost, or its worker died
    ancient = waiting(dt.timedelta(days=2))

    search_index.catch_up()

    statuses = dict(Attachment.objects.values_list("pk", "text_status"))
    assert statuses == {
        just_now.pk: TextStatus.PENDING,
        lost.pk: TextStatus.DONE,
        ancient.pk: TextStatus.FAILED,
    }
    assert search_index.search_ids("so hoa ho so luu tru") == [decision.pk]


def test_reading_the_text_twice_changes_nothing(decision, monkeypatch):
    attachment = attach(decision, make_pdf(SCAN_PAGES))

    def read_again(*args, **kwargs):
        raise AssertionError("a file whose text was read is read again")

    monkeypatch.setattr(files, "extract_stored_text", read_again)

    assert search_index.extract_texts([attachment.pk]) == {"done": 0, "failed": 0}
    attachment.refresh_from_db()
    assert attachment.text_status == TextStatus.DONE and attachment.text
