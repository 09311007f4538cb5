"""Documents received for the gazette and their 15-day deadline (Decree 34/2016)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from vgp.audit.models import AuditRecord
from vgp.gazette import actions, deadlines
from vgp.gazette.models import GazetteSubmission
from vgp.gazette.testing import publish
from vgp.gazette.wagtail_hooks import show_gazette_deadline
from vgp.legal.models import LegalDocument
from vgp.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def english():
    """The actions' messages are checked in English here (the admin's tests read Vietnamese)."""
    with translation.override("en"):
        yield


def receive(editor, document, received_on: dt.date, **kwargs) -> GazetteSubmission:
    return actions.receive_for_gazette(editor, document=document, received_on=received_on, **kwargs)


def annotated(submission: GazetteSubmission) -> GazetteSubmission:
    return deadlines.with_publication(GazetteSubmission.objects.filter(pk=submission.pk)).get()


def test_the_deadline_is_fifteen_calendar_days_after_receipt(gazette_editor, documents):
    submission = receive(gazette_editor, documents.decree, dt.date(2026, 11, 2))

    assert submission.due_on == dt.date(2026, 11, 17)
    record = AuditRecord.objects.get(action="gazette.document_received")
    assert record.changes["due_on"] == "2026-11-17"


def test_the_number_of_days_is_a_setting(settings, gazette_editor, documents):
    settings.GAZETTE_PUBLISH_WITHIN_DAYS = 10
    assert receive(gazette_editor, documents.decree, TODAY).due_on == dt.date(2026, 12, 2)

    settings.GAZETTE_PUBLISH_WITHIN_DAYS = "fifteen"
    with pytest.raises(ImproperlyConfigured):
        deadlines.due_date(TODAY)


def test_a_document_is_received_once_and_never_in_the_future(gazette_editor, documents):
    today = timezone.localdate()
    receive(gazette_editor, documents.decree, today)

    with pytest.raises(ValidationError, match="already received"):
        receive(gazette_editor, documents.decree, today)
    with pytest.raises(ValidationError) as raised:
        receive(gazette_editor, documents.decision, today + dt.timedelta(days=1))
    assert "received_on" in raised.value.message_dict


def test_a_citizen_cannot_register_a_receipt(citizen, documents):
    with pytest.raises(PermissionDenied):
        receive(citizen, documents.decree, TODAY)


def test_correcting_the_receipt_date_moves_the_deadline(
    gazette_editor, documents, ministry_of_finance
):
    submission = receive(gazette_editor, documents.decree, dt.date(2026, 11, 2))

    actions.update_submission(
        gazette_editor,
        submission,
        received_on=dt.date(2026, 11, 4),
        sending_agency=ministry_of_finance,
        note="Nhận qua trục liên thông.",
    )

    submission.refresh_from_db()
    assert submission.due_on == dt.date(2026, 11, 19)
    assert submission.sending_agency == ministry_of_finance
    assert AuditRecord.objects.filter(action="gazette.submission_updated").count() == 1


def test_states_follow_the_calendar(gazette_editor, documents):
    submission = annotated(receive(gazette_editor, documents.decree, dt.date(2026, 11, 2)))

    assert deadlines.state_of(submission, dt.date(2026, 11, 10)) == deadlines.PENDING
    assert deadlines.state_of(submission, dt.date(2026, 11, 14)) == deadlines.DUE_SOON
    assert deadlines.state_of(submission, dt.date(2026, 11, 17)) == deadlines.DUE_SOON
    assert deadlines.state_of(submission, dt.date(2026, 11, 18)) == deadlines.OVERDUE


def test_a_submission_is_resolved_by_a_published_issue_only(
    gazette_editor, second_editor, documents, draft_issue
):
    received = timezone.localdate() - dt.timedelta(days=20)
    submission = receive(gazette_editor, documents.decree, received)
    assert deadlines.state_of(annotated(submission)) == deadlines.OVERDUE

    # In a draft or in review the document is still waiting.
    actions.submit_for_review(gazette_editor, draft_issue)
    assert list(deadlines.pending()) == [submission]

    actions.publish_issue(second_editor, draft_issue)
    resolved = annotated(submission)
    assert resolved.published_on == draft_issue.issue_date
    assert resolved.published_issue_id == draft_issue.pk
    assert deadlines.state_of(resolved) == deadlines.PUBLISHED_LATE
    assert list(deadlines.pending()) == []


def test_the_report_lists_overdue_and_due_soon_documents(gazette_editor, documents):
    overdue = receive(gazette_editor, documents.decree, dt.date(2026, 11, 1))  # due 16/11
    soon = receive(gazette_editor, documents.decision, dt.date(2026, 11, 9))  # due 24/11
    receive(gazette_editor, documents.letter, dt.date(2026, 11, 20))  # due 05/12: not yet

    report = deadlines.report(TODAY)

    assert report.overdue == [overdue] and report.overdue_total == 1
    assert report.due_soon == [soon] and report.due_soon_total == 1


def test_the_dashboard_panel_lists_overdue_documents_for_gazette_editors(
    client, settings, gazette_editor, clerk, documents
):
    settings.VGP_REQUIRE_2FA = False
    today = timezone.localdate()
    receive(gazette_editor, documents.decree, today - dt.timedelta(days=16))
    receive(gazette_editor, documents.letter, today)

    client.force_login(gazette_editor)
    html = client.get("/quan-tri/").content.decode()

    assert 'id="gazette-deadlines' in html
    assert "Nghị định 08/2022/NĐ-CP" in html
    assert (today - dt.timedelta(days=1)).strftime("%d/%m/%Y") in html
    assert "Công văn 1925/VPCP-KGVX" not in html  # due in 15 days: nothing to say yet

    client.force_login(clerk)
    assert 'id="gazette-deadlines' not in client.get("/quan-tri/").content.decode()


def test_the_dashboard_panel_stays_away_when_nothing_is_due(client, settings, gazette_editor):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(gazette_editor)

    assert 'id="gazette-deadlines' not in client.get("/quan-tri/").content.decode()


def test_the_document_editor_says_by_when_it_must_be_published(rf, gazette_editor, documents):
    receive(gazette_editor, documents.decree, timezone.localdate() - dt.timedelta(days=3))
    request = rf.get("/quan-tri/snippets/legal/legaldocument/edit/1/")
    request.user = gazette_editor
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    show_gazette_deadline(request, documents.decree)
    show_gazette_deadline(request, documents.decision)  # not received: nothing to say

    shown = [str(message).strip() for message in get_messages(request)]
    due = (timezone.localdate() + dt.timedelta(days=12)).strftime("%d/%m/%Y")
    assert len(shown) == 1 and shown[0].endswith(f"{due}.")


def test_published_issue_helper_keeps_the_deadline_resolved(
    gazette_editor, second_editor, documents, draft_issue
):
    receive(gazette_editor, documents.decision, timezone.localdate())
    publish(draft_issue, gazette_editor, second_editor)

    assert list(deadlines.pending()) == []


def test_the_legal_document_editor_shows_the_deadline(client, settings, gazette_editor, documents):
    settings.VGP_REQUIRE_2FA = False
    receive(gazette_editor, documents.decree, timezone.localdate())
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse(LegalDocument.snippet_viewset.get_url_name("edit"), args=[documents.decree.pk])

    response = client.get(url)

    assert response.status_code == 200
    due = (timezone.localdate() + dt.timedelta(days=15)).strftime("%d/%m/%Y")
    assert due in response.content.decode()
