"""Assembling, reviewing and publishing a gazette issue (actions.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from vgp.audit.models import AuditRecord
from vgp.gazette import actions
from vgp.gazette.models import GazetteEntry, GazetteIssue, IssueStatus
from vgp.gazette.numbering import next_free_number
from vgp.gazette.printing import PrintedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The actions' messages are checked in English here (the admin's tests read Vietnamese)."""
    with translation.override("en"):
        yield


def documents_of(issue: GazetteIssue) -> list[int]:
    return list(
        GazetteEntry.objects.filter(issue=issue)
        .order_by("sort_order")
        .values_list("document_id", flat=True)
    )


def page_text(pdf: bytes, page: int) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page - 1].extract_text()


# --- Assembling -----------------------------------------------------------------------------


def test_the_number_suggested_is_the_next_free_one_of_the_year(gazette_editor, draft_issue):
    year = draft_issue.year

    assert next_free_number(year) == 2
    assert next_free_number(year + 1) == 1


def test_an_editor_assembles_a_draft_with_documents_in_order(
    gazette_editor, documents, draft_issue
):
    assert draft_issue.status == IssueStatus.DRAFT
    assert draft_issue.created_by == gazette_editor
    assert documents_of(draft_issue) == [documents.decree.pk, documents.decision.pk]
    record = AuditRecord.objects.filter(action="gazette.issue_created").get()
    assert record.object_id == str(draft_issue.pk)
    assert record.changes["documents"] == [[], [documents.decree.pk, documents.decision.pk]]


def test_documents_are_added_removed_and_reordered(gazette_editor, documents, draft_issue):
    actions.add_document(gazette_editor, draft_issue, documents.letter)
    assert documents_of(draft_issue) == [
        documents.decree.pk,
        documents.decision.pk,
        documents.letter.pk,
    ]

    actions.reorder(
        gazette_editor,
        draft_issue,
        [documents.letter.pk, documents.decree.pk, documents.decision.pk],
    )
    assert documents_of(draft_issue) == [
        documents.letter.pk,
        documents.decree.pk,
        documents.decision.pk,
    ]

    actions.remove_document(gazette_editor, draft_issue, documents.decree)
    assert documents_of(draft_issue) == [documents.letter.pk, documents.decision.pk]
    assert list(
        GazetteEntry.objects.filter(issue=draft_issue)
        .order_by("sort_order")
        .values_list("sort_order", flat=True)
    ) == [0, 1]
    assert AuditRecord.objects.filter(action__startswith="gazette.document_").count() == 2
    assert AuditRecord.objects.filter(action="gazette.issue_reordered").count() == 1


def test_a_document_appears_once_per_issue(gazette_editor, documents, draft_issue):
    with pytest.raises(ValidationError, match="once per issue"):
        actions.add_document(gazette_editor, draft_issue, documents.decree)


def test_only_documents_published_in_the_legal_database_go_in(
    gazette_editor, documents, draft_issue
):
    with pytest.raises(ValidationError, match="not published in the legal database"):
        actions.add_document(gazette_editor, draft_issue, documents.draft)
    assert documents_of(draft_issue) == [documents.decree.pk, documents.decision.pk]


def test_numbers_are_unique_within_a_year(gazette_editor, draft_issue):
    with pytest.raises(ValidationError) as raised:
        actions.create_issue(
            gazette_editor,
            year=draft_issue.year,
            number=draft_issue.number,
            issue_date=draft_issue.issue_date,
        )
    assert "number" in raised.value.message_dict

    next_year = actions.create_issue(
        gazette_editor,
        year=draft_issue.year + 1,
        number=draft_issue.number,
        issue_date=dt.date(draft_issue.year + 1, 1, 2),
    )
    assert next_year.number == draft_issue.number


def test_the_issue_date_falls_in_the_issue_year(gazette_editor):
    with pytest.raises(ValidationError) as raised:
        actions.create_issue(gazette_editor, year=2026, number=5, issue_date=dt.date(2025, 12, 31))
    assert "issue_date" in raised.value.message_dict


def test_a_citizen_cannot_assemble_an_issue(citizen, documents):
    with pytest.raises(PermissionDenied):
        actions.create_issue(citizen, year=2026, number=1, issue_date=dt.date(2026, 1, 2))


# --- Review -----------------------------------------------------------------------------------


def test_an_empty_issue_is_neither_submitted_nor_published(gazette_editor, second_editor):
    empty = actions.create_issue(
        gazette_editor, year=2026, number=9, issue_date=timezone.localdate()
    )

    with pytest.raises(ValidationError, match="no documents"):
        actions.submit_for_review(gazette_editor, empty)

    # Even when it got into review somehow, publishing refuses it with the same message.
    GazetteIssue.objects.filter(pk=empty.pk).update(status=IssueStatus.IN_REVIEW)
    with pytest.raises(ValidationError, match="no documents"):
        actions.publish_issue(second_editor, empty)


def test_an_issue_in_review_cannot_be_edited(gazette_editor, documents, draft_issue):
    actions.submit_for_review(gazette_editor, draft_issue)

    with pytest.raises(ValidationError, match="return it to draft"):
        actions.add_document(gazette_editor, draft_issue, documents.letter)


def test_the_submitter_cannot_publish_four_eyes(gazette_editor, draft_issue):
    actions.submit_for_review(gazette_editor, draft_issue)

    with pytest.raises(ValidationError, match="another gazette editor"):
        actions.publish_issue(gazette_editor, draft_issue)
    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.IN_REVIEW


def test_a_reviewer_returns_the_issue_with_a_reason(gazette_editor, second_editor, draft_issue):
    actions.submit_for_review(gazette_editor, draft_issue)

    with pytest.raises(ValidationError):
        actions.return_to_draft(second_editor, draft_issue, "  ")
    actions.return_to_draft(second_editor, draft_issue, "Thiếu Nghị định 45/2026.")

    draft_issue.refresh_from_db()
    assert draft_issue.status == IssueStatus.DRAFT
    assert draft_issue.reviewer == second_editor
    assert draft_issue.return_reason == "Thiếu Nghị định 45/2026."
    assert draft_issue.submitted_by is None
    record = AuditRecord.objects.get(action="gazette.issue_returned")
    assert record.changes["reason"] == "Thiếu Nghị định 45/2026."


def test_an_issue_must_be_submitted_before_it_is_published(second_editor, draft_issue):
    with pytest.raises(ValidationError, match="submit it first"):
        actions.publish_issue(second_editor, draft_issue)


def test_an_issue_dated_in_the_future_waits_for_its_day(gazette_editor, second_editor, documents):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    issue = actions.create_issue(
        gazette_editor,
        year=tomorrow.year,
        number=40,
        issue_date=tomorrow,
        documents=[documents.letter],
    )
    actions.submit_for_review(gazette_editor, issue)

    with pytest.raises(ValidationError, match="publish it on that day"):
        actions.publish_issue(second_editor, issue)


# --- Publication ----------------------------------------------------------------------------


def test_publishing_renders_and_stores_the_pdf_with_the_page_map(
    gazette_editor, second_editor, documents, draft_issue
):
    actions.submit_for_review(gazette_editor, draft_issue)
    actions.publish_issue(second_editor, draft_issue)

    issue = GazetteIssue.objects.get(pk=draft_issue.pk)
    assert issue.status == IssueStatus.PUBLISHED
    assert issue.published_by == second_editor
    assert issue.pdf.name.startswith(f"gazette/{issue.year}/cong-bao-{issue.year}-0001")
    pdf = issue.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert issue.pdf_size == len(pdf)
    assert issue.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert issue.page_count == len(PdfReader(io.BytesIO(pdf)).pages)

    decree, decision = GazetteEntry.objects.filter(issue=issue).order_by("sort_order")
    # Cover, contents, then each document on a new page.
    assert decree.start_page == 3
    assert decree.end_page >= decree.start_page
    assert decision.start_page == decree.end_page + 1
    assert decision.end_page == issue.page_count
    assert "08/2022/NĐ-CP" in page_text(pdf, decree.start_page)
    assert "Phạm vi điều chỉnh" in page_text(pdf, decree.start_page)
    assert "83/2008/QĐ-TTg" in page_text(pdf, decision.start_page)
    # The contents page names each document with its first page.
    contents = page_text(pdf, 2)
    assert "Quy định chi tiết một số điều của Luật Bảo vệ môi trường" in contents
    record = AuditRecord.objects.get(action="gazette.issue_published")
    assert record.changes["documents"] == [
        [documents.decree.pk, decree.start_page, decree.end_page],
        [documents.decision.pk, decision.start_page, decision.end_page],
    ]


def test_publishing_keeps_the_text_as_printed(second_editor, published_issue, documents):
    entry = GazetteEntry.objects.filter(issue=published_issue).order_by("sort_order").first()
    printed = PrintedDocument.from_json(entry.printed)

    labels = [(unit.kind, unit.label) for unit in printed.units]
    assert labels[:4] == [
        ("preamble", ""),
        ("chapter", "Chương I"),
        ("article", "Điều 1."),
        ("article", "Điều 2."),
    ]
    assert ("clause", "2.") in labels and ("point", "a)") in labels
    point = next(unit for unit in printed.units if unit.label == "a)")
    assert point.anchor == "dieu-2-khoan-2-diem-a"
    assert point.depth == 3  # chapter 0, article 1, clause 2, point 3
    assert printed.signer_name == "Lê Văn Thành"

    # Later edits in the legal database do not change what the gazette printed.
    documents.decree.title = "Tiêu đề đã sửa"
    documents.decree.save()
    entry.refresh_from_db()
    assert PrintedDocument.from_json(entry.printed).title == (
        "Quy định chi tiết một số điều của Luật Bảo vệ môi trường"
    )


def test_a_document_without_articles_is_printed_as_plain_text(
    gazette_editor, second_editor, documents
):
    issue = actions.create_issue(
        gazette_editor,
        year=timezone.localdate().year,
        number=7,
        issue_date=timezone.localdate(),
        documents=[documents.letter],
    )
    actions.submit_for_review(gazette_editor, issue)
    actions.publish_issue(second_editor, issue)

    entry = GazetteEntry.objects.get(issue=issue)
    printed = PrintedDocument.from_json(entry.printed)
    assert [unit.kind for unit in printed.units] == ["preamble"]
    issue.refresh_from_db()
    assert "Kính gửi" in page_text(issue.pdf.read(), entry.start_page)


def test_a_published_issue_never_changes(gazette_editor, second_editor, documents, published_issue):
    for attempt in (
        lambda: actions.add_document(gazette_editor, published_issue, documents.letter),
        lambda: actions.remove_document(gazette_editor, published_issue, documents.decree),
        lambda: actions.update_issue(gazette_editor, published_issue, number=99),
        lambda: actions.return_to_draft(second_editor, published_issue, "Sửa lại"),
        lambda: actions.delete_issue(gazette_editor, published_issue),
    ):
        with pytest.raises(ValidationError):
            attempt()
    with pytest.raises(ValidationError, match="already published"):
        actions.publish_issue(second_editor, published_issue)
    published_issue.refresh_from_db()
    assert published_issue.status == IssueStatus.PUBLISHED
    assert published_issue.number == 1


def test_a_document_that_left_the_legal_database_stops_publication(
    gazette_editor, second_editor, documents, draft_issue
):
    actions.submit_for_review(gazette_editor, draft_issue)
    type(documents.decision).objects.filter(pk=documents.decision.pk).update(live=False)

    with pytest.raises(ValidationError, match="not published in the legal database"):
        actions.publish_issue(second_editor, draft_issue)


def test_only_drafts_are_deleted(gazette_editor, draft_issue):
    actions.delete_issue(gazette_editor, draft_issue)

    assert not GazetteIssue.objects.filter(pk=draft_issue.pk).exists()
    assert AuditRecord.objects.filter(action="gazette.issue_deleted").count() == 1
