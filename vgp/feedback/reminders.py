"""Deadline reminders and escalations of citizen submissions (ADR 0012).

The job ``tasks.send_feedback_reminders`` runs every hour and looks at every open item whose
clock runs (an item waiting for the citizen is paused and skipped):

- its current deadline is today or within ``FEEDBACK_REMINDER_DAYS`` working days (2 by
  default): :func:`remind` e-mails whoever holds the step — the assigned handler; the handling
  agency's clerks while nobody is assigned; portal reception while it is at reception;
- its deadline has passed: :func:`escalate` e-mails the unit heads and leaders of the handling
  agency (for an item still at reception, those of the agencies reception works in), every day
  until the step is done.

Each happens at most once a day per item: ``last_reminder_on`` / ``last_escalation_on`` say
when it last did, so a second run the same day sends nothing. Each is an internal
:class:`~vgp.feedback.models.Event` (REMINDER, ESCALATED) and an audit record.

The e-mail is sent while the item's row is locked, before the day is marked: a second worker
waits for the lock and then finds the day done, and an e-mail that cannot be sent rolls the
step back, so the next hourly run tries again (rather than losing the reminder for the day).
One failure does not stop the others; the run fails at the end so that it is listed under
Settings → Background tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vgp.accounts.roles import Role
from vgp.agencies.models import with_units
from vgp.audit.trail import record
from vgp.workdays.deadlines import add_working_days

from . import deadlines, worklists
from .models import OPEN_STATUSES, Event, EventKind, FeedbackItem, Kind, Status

logger = logging.getLogger(__name__)

REMINDER = "reminder"
ESCALATION = "escalation"


def reminder_days() -> int:
    """Working days ahead of a deadline when the reminder goes out (``FEEDBACK_REMINDER_DAYS``)."""
    value = getattr(settings, "FEEDBACK_REMINDER_DAYS", 2)
    days = int(value)
    if days < 0:
        raise ValueError(f"FEEDBACK_REMINDER_DAYS must be 0 or more, not {value!r}")
    return days


# --- who is told ---------------------------------------------------------------------------


def _with_address(users: Any) -> list[Any]:
    return [user for user in users if user.email]


def reminder_recipients(item: FeedbackItem) -> list[Any]:
    """Whoever holds the item's current step."""
    if item.agency_id is None:
        return _with_address(worklists.officials_with_role(None, Role.FEEDBACK_RECEPTION))
    if item.handler_id is not None and item.status in (Status.ASSIGNED, Status.IN_APPROVAL):
        return _with_address([item.handler])
    agencies = with_units({item.agency_id})
    return _with_address(worklists.officials_with_role(agencies, Role.CLERK))


def escalation_recipients(item: FeedbackItem) -> list[Any]:
    """The unit heads and leaders above whoever holds the step."""
    if item.agency_id is not None:
        agencies = with_units({item.agency_id})
    else:
        reception = worklists.officials_with_role(None, Role.FEEDBACK_RECEPTION)
        agencies = {user.agency_id for user in reception if user.agency_id}
    heads = _with_address(worklists.officials_with_role(agencies, Role.UNIT_HEAD, Role.LEADER))
    if heads or item.agency_id is not None:
        return heads
    return _with_address(worklists.officials_with_role(None, Role.FEEDBACK_RECEPTION))


# --- the message ---------------------------------------------------------------------------


def item_admin_url(item: FeedbackItem) -> str:
    path = reverse("feedback_inbox:item", args=[item.pk])
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _message(item: FeedbackItem, kind: str, due: dt.date, day: dt.date) -> tuple[str, str]:
    date = date_format(due, "SHORT_DATE_FORMAT")
    if kind == REMINDER:
        subject = _("Reminder: submission %(code)s is due by %(date)s") % {
            "code": item.code,
            "date": date,
        }
        left = deadlines.days_left(due, day)
        when = (
            _("It is due today.")
            if left <= 0
            else _("%(days)s working day(s) left.") % {"days": left}
        )
    else:
        subject = _("Overdue: submission %(code)s was due by %(date)s") % {
            "code": item.code,
            "date": date,
        }
        when = _("%(days)s working day(s) overdue.") % {"days": -deadlines.days_left(due, day)}
    lines = [
        subject + ".",
        when,
        "",
        _("Kind: %(kind)s. Title: %(title)s.")
        % {"kind": Kind(item.kind).label, "title": item.title},
        _("Status: %(status)s.") % {"status": Status(item.status).label},
    ]
    if item.agency_id:
        lines.append(_("Handling agency: %(agency)s.") % {"agency": item.agency})
    if item.handler_id:
        handler = item.handler
        name = handler.get_full_name() or handler.get_username() if handler else ""
        lines.append(_("Handler: %(name)s.") % {"name": name})
    lines += ["", _("Open it in the back office: %(url)s") % {"url": item_admin_url(item)}]
    return subject, "\n".join(lines)


def _send(item: FeedbackItem, kind: str, due: dt.date, day: dt.date, to: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _message(item, kind, due, day)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send(fail_silently=False)


# --- the two steps -------------------------------------------------------------------------


def _summary(message: str, **params: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


def remind(item: FeedbackItem, *, day: dt.date | None = None) -> Event | None:
    """E-mail a reminder about ``item`` if its deadline is near and none went out today.

    Returns the REMINDER event, or None when there was nothing to do.
    """
    day = day or worklists.today()
    return _alert(
        item,
        day,
        due_applies=lambda due: day <= due <= add_working_days(day, reminder_days()),
        sent_field="last_reminder_on",
        message=REMINDER,
        recipients=reminder_recipients,
        event_kind=EventKind.REMINDER,
        action="feedback.reminder",
        summary="Reminder about %(code)s (due by %(date)s) sent to %(count)s official(s).",
        nobody="No one with an e-mail address to remind about %s",
    )


def escalate(item: FeedbackItem, *, day: dt.date | None = None) -> Event | None:
    """E-mail the unit heads and leaders about an overdue ``item``, once a day.

    Returns the ESCALATED event, or None when there was nothing to do.
    """
    day = day or worklists.today()
    return _alert(
        item,
        day,
        due_applies=lambda due: due < day,
        sent_field="last_escalation_on",
        message=ESCALATION,
        recipients=escalation_recipients,
        event_kind=EventKind.ESCALATED,
        action="feedback.escalate",
        summary="Overdue %(code)s (due by %(date)s) escalated to %(count)s official(s).",
        nobody="No one with an e-mail address to escalate %s to",
    )


def _alert(
    item: FeedbackItem,
    day: dt.date,
    *,
    due_applies: Callable[[dt.date], bool],
    sent_field: str,
    message: str,
    recipients: Callable[[FeedbackItem], list[Any]],
    event_kind: EventKind,
    action: str,
    summary: str,
    nobody: str,
) -> Event | None:
    """Send one reminder or escalation, at most once a day per item (``sent_field`` keeps the
    day), with its internal event and audit record; None when nothing was due."""
    with transaction.atomic():
        item = (
            FeedbackItem.objects.select_related("agency", "handler")
            .select_for_update(of=("self",))
            .get(pk=item.pk)
        )
        due = item.current_due
        if (
            due is None
            or item.paused_at is not None
            or getattr(item, sent_field) == day
            or not due_applies(due)
        ):
            return None
        people = recipients(item)
        if people:
            _send(item, message, due, day, [user.email for user in people])
        else:
            logger.warning(nobody, item.code)
        setattr(item, sent_field, day)
        item.save(update_fields=[sent_field])
        event = _record(item, event_kind, due, people)
        record(
            action=action,
            obj=item,
            object_repr=item.code,
            summary=_summary(summary, code=item.code, date=due.isoformat(), count=len(people)),
        )
    return event


def _record(item: FeedbackItem, kind: EventKind, due: dt.date, recipients: list[Any]) -> Event:
    return Event.objects.create(
        item=item,
        kind=kind,
        at=timezone.now(),
        agency=item.agency,
        public=False,
        data={"due": due.isoformat(), "recipients": [user.pk for user in recipients]},
    )


# --- the run -------------------------------------------------------------------------------


@dataclass
class Report:
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"reminded": self.reminded, "escalated": self.escalated, "failed": self.failed}


def run(day: dt.date | None = None) -> Report:
    """Remind and escalate whatever is due today; one failure stops no other."""
    day = day or worklists.today()
    running = worklists.with_current_due(
        FeedbackItem.objects.filter(status__in=OPEN_STATUSES, paused_at__isnull=True)
    )
    near = running.filter(
        worklists.due_soon_q(day, add_working_days(day, reminder_days()))
    ).exclude(last_reminder_on=day)
    late = running.filter(worklists.overdue_q(day)).exclude(last_escalation_on=day)
    report = Report()
    for step, done, candidates in (
        (remind, report.reminded, near),
        (escalate, report.escalated, late),
    ):
        for item in candidates.order_by(F("due_on").asc(), "pk").only("pk", "code"):
            try:
                if step(item, day=day) is not None:
                    done.append(item.code)
            except Exception:
                logger.exception("Could not %s %s", step.__name__, item.code)
                report.failed.append(item.code)
    return report
