"""Reminders before a deadline and escalations after it, in working days: once a day, to the
right people, on the document's timeline and in the audit trail.

Everything happens from Monday 2 March 2026 (a working week without holidays) at the
Government Office: ông Hùng directs a letter to the General Affairs Department (chị Mai, its
head), where anh Nam handles it, by Monday 9 March.
"""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django_tasks import TaskResultStatus

from vgp.audit.models import AuditRecord
from vgp.documents import actions, notifications, reminders
from vgp.documents.models import Document, Event, EventKind, Secrecy, Task, TaskRole
from vgp.documents.tasks import send_document_reminders
from vgp.documents.testing import draft, incoming
from vgp.workdays.deadlines import VN_TZ, add_working_days, subtract_working_days

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
DUE = dt.date(2026, 3, 9)  # the next Monday: five working days later
SUMMARY = "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ"


@pytest.fixture(autouse=True)
def on_monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=VN_TZ)


def alerts(document: Document, kind: str) -> list[Event]:
    return list(document.events.filter(kind=kind).order_by("id"))


def directed(clerk, leader, general, **overrides) -> Document:  # type: ignore[no-untyped-def]
    document = incoming(clerk, **overrides)
    actions.present(clerk, document, leader=leader)
    actions.direct(leader, document, lead_unit=general, due_on=DUE)
    document.refresh_from_db()
    return document


@pytest.fixture
def lead_task(clerk, leader, general, unit_head, handler) -> Task:
    """The lead task of the letter, assigned to anh Nam, due by Monday 9 March."""
    document = directed(clerk, leader, general)
    task = document.tasks.get(role=TaskRole.LEAD)
    return actions.assign_handler(unit_head, task, handler)


def test_the_handler_is_reminded_once_a_day_as_the_deadline_nears(lead_task, handler):
    day = subtract_working_days(DUE, 2)  # Thursday 5 March
    mail.outbox.clear()

    first = reminders.run(day)
    again = reminders.run(day)

    assert first.reminded == [f"task:{lead_task.pk}"] and again.reminded == []
    assert [message.to for message in mail.outbox] == [[handler.email]]
    message = mail.outbox[0]
    assert lead_task.document.reference in message.subject
    assert "09/03/2026" in message.subject
    assert f"{lead_task.document.pk}" in message.body
    lead_task.refresh_from_db()
    assert lead_task.reminded_on == day
    [event] = alerts(lead_task.document, EventKind.REMINDER)
    assert event.actor is None and event.due_on == DUE
    assert event.data["task"] == lead_task.pk and event.data["recipients"] == [handler.pk]
    assert event.data["day"] == day.isoformat()
    assert (
        AuditRecord.objects.filter(
            action="documents.reminder", object_id=str(lead_task.document.pk)
        ).count()
        == 1
    )

    # the next working day, and on the day itself: reminded again
    reminders.run(add_working_days(day, 1))
    reminders.run(DUE)
    assert len(mail.outbox) == 3


def test_nothing_is_sent_while_the_deadline_is_far(lead_task):
    mail.outbox.clear()

    report = reminders.run(subtract_working_days(DUE, 3))

    assert report.as_dict() == {"reminded": [], "escalated": [], "failed": []}
    assert mail.outbox == []


def test_the_reminder_window_is_a_setting(lead_task, settings):
    settings.DOCUMENTS_REMIND_WORKING_DAYS = 0
    mail.outbox.clear()

    assert reminders.run(subtract_working_days(DUE, 1)).reminded == []
    assert reminders.run(DUE).reminded == [f"task:{lead_task.pk}"]


def test_without_a_handler_the_unit_heads_are_reminded(clerk, leader, general, unit_head, handler):
    document = directed(clerk, leader, general)
    mail.outbox.clear()

    reminders.run(subtract_working_days(DUE, 1))

    assert [message.to for message in mail.outbox] == [[unit_head.email]]
    assert "task" in alerts(document, EventKind.REMINDER)[0].data["scope"]


def test_nothing_goes_out_on_a_day_off(lead_task):
    saturday = dt.date(2026, 3, 7)
    mail.outbox.clear()

    assert reminders.run(saturday).reminded == []
    assert reminders.run(dt.date(2026, 3, 14)).escalated == []
    assert mail.outbox == []


def test_an_overdue_task_is_escalated_daily_to_the_unit_head_and_the_leader(
    lead_task, unit_head, leader, handler, legal_head
):
    day_after = add_working_days(DUE, 1)
    mail.outbox.clear()

    first = reminders.run(day_after)
    again = reminders.run(day_after)

    assert first.escalated == [f"task:{lead_task.pk}"] and again.escalated == []
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([unit_head.email, leader.email])
    assert handler.email not in mail.outbox[0].to and legal_head.email not in mail.outbox[0].to
    assert "1" in mail.outbox[0].body  # one working day overdue
    [event] = alerts(lead_task.document, EventKind.ESCALATED)
    assert sorted(event.data["recipients"]) == sorted([unit_head.pk, leader.pk])
    assert AuditRecord.objects.filter(action="documents.escalate").count() == 1
    lead_task.refresh_from_db()
    assert lead_task.escalated_on == day_after

    reminders.run(add_working_days(day_after, 1))
    assert len(mail.outbox) == 2


def test_a_sub_task_escalates_to_the_leader_who_directed_its_parent(
    lead_task, unit_head, leader, handler, office, general
):
    from vgp.accounts.roles import Role
    from vgp.documents.testing import official

    colleague = official("binh", office, Role.HANDLER, unit=general, name="Hoàng Văn Bình")
    sub = actions.add_subtask(handler, lead_task, handler=colleague, title="Tổng hợp ý kiến")
    mail.outbox.clear()

    reminders.run(add_working_days(DUE, 1))

    to = {tuple(sorted(message.to)) for message in mail.outbox}
    assert tuple(sorted([unit_head.email, leader.email])) in to
    assert len(mail.outbox) == 2  # the lead task and the sub-task
    sub.refresh_from_db()
    assert sub.escalated_on == add_working_days(DUE, 1)


def test_a_closed_document_is_left_alone(lead_task, leader):
    actions.close(leader, lead_task.document, note="Đã trao đổi trực tiếp.")
    mail.outbox.clear()

    report = reminders.run(add_working_days(DUE, 1))

    assert report.escalated == [] and mail.outbox == []


def test_an_undirected_document_past_its_deadline_goes_to_the_leaders(clerk, leader, unit_head):
    tuesday = add_working_days(MONDAY, 1)
    document = incoming(clerk, due_on=tuesday)
    actions.present(clerk, document, leader=leader)
    mail.outbox.clear()

    assert reminders.run(tuesday).escalated == []
    day = add_working_days(tuesday, 1)
    first = reminders.run(day)
    again = reminders.run(day)

    assert first.escalated == [f"document:{document.pk}"] and again.escalated == []
    assert [message.to for message in mail.outbox] == [[leader.email]]
    [event] = alerts(document, EventKind.ESCALATED)
    assert event.data["scope"] == "undirected" and event.data["day"] == day.isoformat()
    assert reminders.run(add_working_days(day, 1)).escalated == [f"document:{document.pk}"]


def test_a_review_waiting_too_long_reminds_its_reviewers_once_a_day(
    handler, unit_head, leader, settings
):
    document = draft(handler, signer=leader)
    actions.submit_for_review(handler, document)
    mail.outbox.clear()

    # Tuesday and Wednesday: the step has waited 1, then 2 working days
    assert reminders.run(add_working_days(MONDAY, 2)).reminded == []
    thursday = add_working_days(MONDAY, 3)
    first = reminders.run(thursday)
    again = reminders.run(thursday)

    assert first.reminded == [f"review:{document.pk}"] and again.reminded == []
    assert [message.to for message in mail.outbox] == [[unit_head.email]]
    [event] = alerts(document, EventKind.REMINDER)
    assert event.data["scope"] == "review" and event.data["recipients"] == [unit_head.pk]

    # once chị Mai approves (on Friday), the leader's step starts its own count
    friday = at_ten(add_working_days(MONDAY, 4))
    with time_machine.travel(friday, tick=False):
        document.refresh_from_db()
        step = actions.pending_steps(unit_head, document)[0]
        actions.review(unit_head, step, decision="approve")
    mail.outbox.clear()
    assert reminders.run(friday.date()).reminded == []
    settings.DOCUMENTS_REVIEW_REMIND_WORKING_DAYS = 0
    assert reminders.run(add_working_days(friday, 1)).reminded == [f"review:{document.pk}"]
    assert [message.to for message in mail.outbox] == [[leader.email]]


def test_a_classified_reminder_carries_no_summary(clerk, leader, general, unit_head, handler):
    document = incoming(clerk, secrecy=Secrecy.CONFIDENTIAL)
    actions.present(clerk, document, leader=leader)
    actions.direct(leader, document, lead_unit=general, due_on=DUE)
    mail.outbox.clear()

    reminders.run(add_working_days(DUE, 1))

    # chị Mai may not read it (she is not named): only the leader who directed it is told
    assert [message.to for message in mail.outbox] == [[leader.email]]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert SUMMARY[:20] not in body and "Bộ Nội vụ" not in body
    assert document.reference in body


def test_a_failing_email_leaves_the_day_unmarked_and_fails_the_run(lead_task, handler):
    day = subtract_working_days(DUE, 1)
    mail.outbox.clear()

    with (
        time_machine.travel(at_ten(day), tick=False),
        mock.patch.object(notifications, "send_mail", side_effect=SMTPServerDisconnected("down")),
    ):
        result = send_document_reminders.enqueue()

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path.endswith("DocumentRemindersFailed")
    lead_task.refresh_from_db()
    assert lead_task.reminded_on is None
    assert alerts(lead_task.document, EventKind.REMINDER) == []
    assert not AuditRecord.objects.filter(action="documents.reminder").exists()

    # the next hourly run sends it
    with time_machine.travel(at_ten(day) + dt.timedelta(hours=1), tick=False):
        result = send_document_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["reminded"] == [f"task:{lead_task.pk}"]
    assert [message.to for message in mail.outbox] == [[handler.email]]
    lead_task.refresh_from_db()
    assert lead_task.reminded_on == day


def test_the_job_is_registered_every_hour():
    from vgp.ops import scheduler

    job = next(j for j in scheduler.registered_jobs() if j.name == "documents.send_reminders")
    assert job.every == dt.timedelta(hours=1)
    assert job.task is send_document_reminders
