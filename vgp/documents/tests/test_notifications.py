"""Urgent documents notify their new holders at once, by e-mail, once; normal ones wait in the
queue (and the deadline reminders).

Personas are in conftest.py: chị Lan (clerk), ông Hùng (leader), chị Mai (unit head of General
Affairs) and anh Nam (its handler), anh Phúc (head of Legal Affairs), chị Hoa (Legal Affairs'
own clerk).
"""

from __future__ import annotations

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django_tasks import TaskResultStatus

from vgp.documents import actions, notifications
from vgp.documents.models import Event, EventKind, Secrecy, Status, Urgency
from vgp.documents.tasks import notify_document_event
from vgp.documents.testing import draft, incoming

pytestmark = pytest.mark.django_db

SUMMARY = "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ"


def event_of(document, kind: str) -> Event:
    return document.events.filter(kind=kind).latest("id")


def test_an_urgent_document_presented_emails_the_leader_once(
    clerk, leader, django_capture_on_commit_callbacks
):
    # given an urgent letter in chị Lan's register
    document = incoming(clerk, urgency=Urgency.VERY_URGENT)
    mail.outbox.clear()

    # when she presents it to ông Hùng
    with django_capture_on_commit_callbacks(execute=True):
        actions.present(clerk, document, leader=leader, note="Đề nghị anh cho ý kiến sớm.")

    # then ông Hùng gets one e-mail at once, with the summary and the link to the document
    assert [message.to for message in mail.outbox] == [[leader.email]]
    message = mail.outbox[0]
    assert document.reference in message.subject
    assert SUMMARY[:40] in message.body
    assert "Đề nghị anh cho ý kiến sớm." in message.body
    assert notifications.document_url(document) in message.body
    event = event_of(document, EventKind.PRESENTED)
    assert event.data["notified"]["to"] == [leader.pk]

    # and running the task again (a retry, a second worker) sends nothing more
    result = notify_document_event.enqueue(event.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == []
    assert len(mail.outbox) == 1


def test_a_normal_document_waits_in_the_queue(clerk, leader, django_capture_on_commit_callbacks):
    document = incoming(clerk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.present(clerk, document, leader=leader)

    assert mail.outbox == []
    assert "notified" not in event_of(document, EventKind.PRESENTED).data
    # even if the task were run for it, a normal document is not e-mailed
    assert (
        notify_document_event.enqueue(event_of(document, EventKind.PRESENTED).pk).return_value == []
    )
    assert mail.outbox == []


def test_a_classified_documents_email_never_carries_its_summary(
    clerk, leader, django_capture_on_commit_callbacks
):
    document = incoming(clerk, urgency=Urgency.FLASH, secrecy=Secrecy.SECRET)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.present(clerk, document, leader=leader, note="Nội dung mật: không gửi qua thư.")

    assert [message.to for message in mail.outbox] == [[leader.email]]
    message = mail.outbox[0]
    for text in (message.subject, message.body):
        assert SUMMARY[:20] not in text
        assert "Bộ Nội vụ" not in text and "1925/BNV-TCBC" not in text
        assert "Nội dung mật" not in text
    assert document.reference in message.subject and document.reference in message.body


def test_an_urgent_direction_emails_the_heads_of_the_lead_and_supporting_units(
    clerk,
    leader,
    unit_head,
    handler,
    legal_head,
    general,
    legal_unit,
    django_capture_on_commit_callbacks,
):
    document = incoming(clerk, urgency=Urgency.URGENT)
    actions.present(clerk, document, leader=leader)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.direct(leader, document, lead_unit=general, supporting_units=[legal_unit])

    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([unit_head.email, legal_head.email])
    assert handler.email not in mail.outbox[0].to

    # then chị Mai assigns anh Nam: he is told at once
    task = document.tasks.get(unit=general)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_handler(unit_head, task, handler)
    assert [message.to for message in mail.outbox] == [[handler.email]]


def test_the_official_who_acted_and_officials_without_an_address_are_not_emailed(
    clerk, leader, django_capture_on_commit_callbacks
):
    # chị Lan registers an urgent letter: she holds it herself, nobody else is told
    with django_capture_on_commit_callbacks(execute=True):
        document = incoming(clerk, urgency=Urgency.URGENT)
    assert mail.outbox == []
    assert event_of(document, EventKind.REGISTERED).data["notified"]["to"] == []

    leader.email = ""
    leader.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.present(clerk, document, leader=leader)
    assert mail.outbox == []


def test_an_urgent_draft_follows_its_review_chain_to_the_recipients_clerk(
    handler, unit_head, leader, clerk, legal_clerk, legal_unit, django_capture_on_commit_callbacks
):
    document = draft(handler, signer=leader, recipients=[legal_unit], urgency=Urgency.URGENT)

    def sent_to(step):  # type: ignore[no-untyped-def]
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        document.refresh_from_db()
        return [sorted(message.to) for message in mail.outbox]

    # sent for review: chị Mai (the unit head's step)
    assert sent_to(lambda: actions.submit_for_review(handler, document)) == [[unit_head.email]]
    # she approves: ông Hùng (the leader's step)
    step = actions.pending_steps(unit_head, document)[0]
    assert sent_to(lambda: actions.review(unit_head, step, decision="approve")) == [[leader.email]]
    # he approves as leader, then signs: nobody to tell but chị Lan, who issues it
    step = actions.pending_steps(leader, document)[0]
    assert sent_to(lambda: actions.review(leader, step, decision="approve")) == []
    step = actions.pending_steps(leader, document)[0]
    assert sent_to(lambda: actions.review(leader, step, decision="approve")) == [[clerk.email]]
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    # she issues it (she holds it herself) and dispatches it: chị Hoa receives the copy
    assert sent_to(lambda: actions.issue(clerk, document)) == []
    assert sent_to(lambda: actions.dispatch(clerk, document)) == [[legal_clerk.email]]


def test_a_returned_draft_goes_back_to_its_drafter(
    handler, unit_head, leader, django_capture_on_commit_callbacks
):
    document = draft(handler, signer=leader, urgency=Urgency.URGENT)
    actions.submit_for_review(handler, document)
    step = actions.pending_steps(unit_head, document)[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        actions.review(unit_head, step, decision="return", comment="Bổ sung căn cứ pháp lý.")

    assert [message.to for message in mail.outbox] == [[handler.email]]
    assert "Bổ sung căn cứ pháp lý." in mail.outbox[0].body


def test_a_failed_email_fails_the_task_and_a_retry_sends_it(
    clerk, leader, django_capture_on_commit_callbacks
):
    document = incoming(clerk, urgency=Urgency.URGENT)
    mail.outbox.clear()

    with (
        mock.patch.object(
            notifications, "send_mail", side_effect=SMTPServerDisconnected("down")
        ) as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.present(clerk, document, leader=leader)

    # the action is done; the task run failed visibly, and the event is not marked
    assert refused.call_count == 1
    document.refresh_from_db()
    assert document.status == Status.PRESENTED
    event = event_of(document, EventKind.PRESENTED)
    assert "notified" not in event.data

    # retried (as from Settings → Background tasks): sent once
    result = notify_document_event.enqueue(event.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == [leader.pk]
    assert [message.to for message in mail.outbox] == [[leader.email]]


def test_the_failed_run_is_recorded_as_failed(clerk, leader):
    document = incoming(clerk, urgency=Urgency.URGENT)
    actions.present(clerk, document, leader=leader)
    event = event_of(document, EventKind.PRESENTED)

    with mock.patch.object(notifications, "send_mail", side_effect=SMTPServerDisconnected("down")):
        result = notify_document_event.enqueue(event.pk)

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "smtplib.SMTPServerDisconnected"
    event.refresh_from_db()
    assert "notified" not in event.data


def test_the_link_is_the_documents_admin_page(clerk, settings):
    document = incoming(clerk)
    assert notifications.document_url(document) == (
        f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/quan-tri/van-ban/{document.pk}/"
    )
    with mock.patch.object(notifications, "DOCUMENT_URL_NAMES", ("no_such:view",)):
        assert notifications.document_url(document.pk).endswith(f"/quan-tri/van-ban/{document.pk}/")
