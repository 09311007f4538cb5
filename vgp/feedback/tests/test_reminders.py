"""Reminders before a deadline and escalations after it: once a day, to the right people."""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPRecipientsRefused

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem

from vgp.accounts.roles import Role
from vgp.audit.models import AuditRecord
from vgp.feedback import actions, reminders
from vgp.feedback.models import Event, EventKind, FeedbackItem
from vgp.feedback.tasks import FeedbackRemindersFailed, send_feedback_reminders
from vgp.testing.factories import UserFactory
from vgp.workdays.deadlines import VN_TZ, add_working_days, subtract_working_days

from .desk import Desk, desk_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)


def at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=VN_TZ)


def events(item: FeedbackItem, kind: EventKind) -> list[Event]:
    return list(Event.objects.filter(item=item, kind=kind))


@pytest.fixture
def assigned(desk: Desk) -> FeedbackItem:
    """A complaint assigned to anh Minh on Monday 2 March: to be answered by 14 April."""
    with time_machine.travel(MONDAY, tick=False):
        return desk.assigned()


def test_the_handler_is_reminded_once_a_day_as_the_deadline_nears(desk, assigned):
    due = assigned.answer_due
    two_days_before = subtract_working_days(due, 2)
    mail.outbox.clear()

    first = reminders.run(two_days_before)
    again = reminders.run(two_days_before)

    assert first.reminded == [assigned.code] and again.reminded == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [desk.handler.email]
    assert assigned.code in message.subject
    assert f"/quan-tri/phan-anh-kien-nghi/{assigned.pk}/" in message.body
    reminder = events(assigned, EventKind.REMINDER)
    assert len(reminder) == 1 and not reminder[0].public
    assert reminder[0].data["recipients"] == [desk.handler.pk]
    assigned.refresh_from_db()
    assert assigned.last_reminder_on == two_days_before
    assert (
        AuditRecord.objects.filter(action="feedback.reminder", object_id=str(assigned.pk)).count()
        == 1
    )

    # The next working day: reminded again (and on the day itself).
    reminders.run(add_working_days(two_days_before, 1))
    reminders.run(due)
    assert len(mail.outbox) == 3


def test_nothing_is_sent_while_the_deadline_is_far(assigned):
    mail.outbox.clear()

    report = reminders.run(subtract_working_days(assigned.answer_due, 3))

    assert report.reminded == [] and mail.outbox == []


def test_without_a_handler_the_agency_clerks_are_reminded(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = desk.routed()
    mail.outbox.clear()

    reminders.run(subtract_working_days(item.acceptance_due, 1))

    assert [m.to for m in mail.outbox] == [[desk.clerk.email]]


def test_at_reception_reception_is_reminded(desk):
    with time_machine.travel(MONDAY, tick=False):
        item = desk.received()
    mail.outbox.clear()

    reminders.run(item.routing_due)

    assert [m.to for m in mail.outbox] == [[desk.reception.email]]


def test_an_overdue_item_is_escalated_daily_to_the_unit_heads_and_leaders(
    desk, assigned, other_clerk
):
    day_after = add_working_days(assigned.answer_due, 1)
    mail.outbox.clear()

    first = reminders.run(day_after)
    again = reminders.run(day_after)

    assert first.escalated == [assigned.code] and again.escalated == []
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([desk.unit_head.email, desk.leader.email])
    assert other_clerk.email not in mail.outbox[0].to
    assert "1" in mail.outbox[0].body  # one working day overdue
    assert len(events(assigned, EventKind.ESCALATED)) == 1

    reminders.run(add_working_days(day_after, 1))
    assert len(mail.outbox) == 2
    assigned.refresh_from_db()
    assert assigned.last_escalation_on == add_working_days(day_after, 1)


def test_an_item_waiting_for_the_citizen_is_neither_reminded_nor_escalated(desk, assigned):
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        actions.request_information(desk.handler, assigned, question="Xin bản sao biên nhận.")
    mail.outbox.clear()

    for day in (
        subtract_working_days(assigned.answer_due, 1),
        add_working_days(assigned.answer_due, 5),
    ):
        report = reminders.run(day)
        assert report.reminded == report.escalated == []
    assert mail.outbox == []


class RefusingMinh(locmem.EmailBackend):
    """A mail server refusing one mailbox (anh Minh's)."""

    refused = "minh@example.gov.vn"

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        for message in messages:
            if self.refused in message.to:
                raise SMTPRecipientsRefused({self.refused: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_a_failing_email_stops_no_other_and_fails_the_task_at_the_end(
    desk, assigned, ministry_of_finance, settings
):
    lan = UserFactory(username="lan.btc", agency=ministry_of_finance, roles=[Role.HANDLER])
    with time_machine.travel(MONDAY, tick=False):
        other = actions.assign(desk.unit_head, desk.accepted(title="Đơn thứ hai"), lan)
    assert other.answer_due == assigned.answer_due
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMinh"
    mail.outbox = []

    with (
        time_machine.travel(at_ten(subtract_working_days(assigned.answer_due, 1)), tick=False),
        pytest.raises(FeedbackRemindersFailed, match=assigned.code),
    ):
        send_feedback_reminders.call()

    assert [m.to for m in mail.outbox] == [[lan.email]]
    assert len(events(other, EventKind.REMINDER)) == 1
    # The failed one is not marked done: the next hourly run tries again.
    assigned.refresh_from_db()
    assert assigned.last_reminder_on is None and events(assigned, EventKind.REMINDER) == []


def test_the_job_is_registered_every_hour():
    from vgp.ops import scheduler

    job = next(j for j in scheduler.registered_jobs() if j.name == "feedback.send_reminders")
    assert job.every == dt.timedelta(hours=1)
