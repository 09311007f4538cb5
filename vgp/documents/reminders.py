"""Deadline reminders and escalations of official documents (issue 6, F9), by working days.

The job ``tasks.send_document_reminders`` runs every hour (the ops scheduler) and, on a working
day (``vgp.workdays.deadlines``: nothing goes out on weekends and holidays), looks at:

- **open tasks** (``TaskStatus.OPEN``) of open incoming documents with a deadline:

  - due today or within ``DOCUMENTS_REMIND_WORKING_DAYS`` working days (2 by default):
    :func:`remind_task` e-mails the task's handler, or the unit heads of its unit while nobody
    is assigned; at most once a day per task (``Task.reminded_on``);
  - overdue: :func:`escalate_task` e-mails the unit heads of the task's unit and the leader who
    directed it (``HandlingDirection.leader``; a sub-task's is its parent's), every working day
    until it is done, at most once a day per task (``Task.escalated_on``);

- **incoming documents not yet directed** (arrived, registered or presented) whose deadline has
  passed: :func:`escalate_undirected` e-mails the leaders of the register's organisation, once a
  day per document;
- **outgoing drafts in review** whose current step has waited more than
  ``DOCUMENTS_REVIEW_REMIND_WORKING_DAYS`` working days (2 by default) since the chain reached
  it (``Document.held_since``, set when the draft is submitted and whenever a step is done):
  :func:`remind_review` e-mails the reviewers of the pending steps, once a day per document.

Each alert is a system :class:`~vgp.documents.models.Event` on the document (``reminder`` or
``escalated``, its ``data`` saying what it was about, for which day and to whom) and an audit
record, written together by :func:`record_alert`. For the documents and review steps, which have
no date field of their own, that event is the day's marker (``data["day"]``).

The e-mail is sent while the document's row (and the task's) is locked and before the day is
marked, as for the feedback reminders: a second worker waits for the lock and then finds the
day done; an e-mail that cannot be sent rolls the alert back, so the next hourly run tries again
rather than losing the day's reminder (at the price of a second e-mail should the commit itself
fail). One failure stops no other; the run fails at the end so that it is listed under Settings
→ Background tasks. E-mails follow :mod:`.notifications`: the installation's language, a link to
the document, and never a classified document's summary.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts.models import User
from vgp.accounts.roles import Role
from vgp.audit.trail import record
from vgp.workdays.deadlines import (
    VN_TZ,
    add_working_days,
    is_working_day,
    local_date,
    subtract_working_days,
    working_days_between,
)

from . import notifications, queries
from .models import (
    INCOMING_OPEN,
    Direction,
    Document,
    Event,
    EventKind,
    ReviewStatus,
    ReviewStep,
    Status,
    Task,
    TaskRole,
    TaskStatus,
)

logger = logging.getLogger(__name__)

# Incoming documents still waiting for a leader's direction.
UNDIRECTED = (Status.RECEIVED, Status.REGISTERED, Status.PRESENTED)

# What an alert was about (``Event.data["scope"]``).
SCOPE_TASK = "task"
SCOPE_UNDIRECTED = "undirected"
SCOPE_REVIEW = "review"


def _setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    days = int(value)
    if days < 0:
        raise ValueError(f"{name} must be 0 or more, not {value!r}")
    return days


def reminder_days() -> int:
    """Working days ahead of a task's deadline when its reminder goes out."""
    return _setting("DOCUMENTS_REMIND_WORKING_DAYS", 2)


def review_reminder_days() -> int:
    """Working days a review step may wait before its reviewers are reminded."""
    return _setting("DOCUMENTS_REVIEW_REMIND_WORKING_DAYS", 2)


def today() -> dt.date:
    return local_date(timezone.now())


# --- Who is told ----------------------------------------------------------------------------


def _visible_with_address(document: Document, people: list[User]) -> list[User]:
    chosen: dict[int, User] = {}
    for user in people:
        if user.pk in chosen or not user.is_active or not user.email:
            continue
        if queries.can_view(user, document):
            chosen[user.pk] = user
    return list(chosen.values())


def task_reminder_recipients(task: Task) -> list[User]:
    """The task's handler; the unit heads of its unit while nobody is assigned."""
    if task.handler_id is not None and task.handler is not None and task.handler.is_active:
        people = [task.handler]
    else:
        people = notifications.officials(Role.UNIT_HEAD, task.unit_id)
    return _visible_with_address(task.document, people)


def directing_leader(task: Task) -> User | None:
    """The leader whose handling slip gave the task (a sub-task's: its parent's)."""
    node: Task | None = task
    while node is not None:
        if node.direction_id is not None and node.direction is not None:
            return node.direction.leader
        node = node.parent
    return None


def task_escalation_recipients(task: Task) -> list[User]:
    """The unit heads of the task's unit and the leader who directed it (else the register's
    leaders)."""
    people = notifications.officials(Role.UNIT_HEAD, task.unit_id)
    leader = directing_leader(task)
    if leader is not None:
        people.append(leader)
    else:
        people += notifications.officials(Role.LEADER, task.document.agency_id)
    return _visible_with_address(task.document, people)


def undirected_recipients(document: Document) -> list[User]:
    """The leaders of the organisation keeping the register."""
    return _visible_with_address(document, notifications.officials(Role.LEADER, document.agency_id))


def pending_review_steps(document: Document) -> list[ReviewStep]:
    return list(
        ReviewStep.objects.filter(
            document=document, round=document.review_round, status=ReviewStatus.PENDING
        ).select_related("reviewer")
    )


def review_recipients(document: Document) -> list[User]:
    """Whoever may decide one of the pending steps of the current round."""
    people: list[User] = []
    for step in pending_review_steps(document):
        people += notifications.step_reviewers(step, document)
    return _visible_with_address(document, people)


# --- The record -----------------------------------------------------------------------------


def _summary(text: str, **params: Any) -> str:
    """Audit summaries are data: in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(text) % {key: str(value) for key, value in params.items()}


def record_alert(
    document: Document,
    kind: str,
    *,
    scope: str,
    day: dt.date,
    recipients: list[User],
    due_on: dt.date | None,
    summary: str,
    data: dict[str, Any] | None = None,
) -> Event:
    """The system's reminder or escalation on the document's timeline, with its audit record,
    in one transaction (a savepoint inside the caller's)."""
    with transaction.atomic():
        event = Event.objects.create(
            document=document,
            kind=kind,
            at=timezone.now(),
            actor=None,
            holder_unit_id=document.holder_unit_id,
            holder_id=document.holder_id,
            due_on=due_on,
            message=summary,
            data={
                "scope": scope,
                "day": day.isoformat(),
                "recipients": [user.pk for user in recipients],
                **(data or {}),
            },
        )
        # Never the content: auditors may not read a classified document.
        record(
            action="documents.reminder" if kind == EventKind.REMINDER else "documents.escalate",
            actor=None,
            obj=document,
            object_repr=str(document.reference),
            summary=summary,
            agency_code=document.agency.code,
        )
    return event


def _alerted_today(kind: str, scope: str, day: dt.date) -> Exists:
    """On ``Document``: an alert of this kind and scope already went out for ``day``."""
    return Exists(
        Event.objects.filter(
            document=OuterRef("pk"), kind=kind, data__scope=scope, data__day=day.isoformat()
        )
    )


# --- The message ----------------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _left(due: dt.date, day: dt.date) -> str:
    left = working_days_between(day, due)
    if left <= 0:
        return _("It is due today.")
    return _("%(days)s working day(s) left.") % {"days": left}


def _late(due: dt.date, day: dt.date) -> str:
    return _("%(days)s working day(s) overdue.") % {"days": max(1, -working_days_between(day, due))}


def _task_lines(task: Task) -> list[str]:
    lines = [_("Task: %(role)s, %(unit)s.") % {"role": task.get_role_display(), "unit": task.unit}]
    if task.title and not task.document.is_classified:
        lines.append(_("What to do: %(title)s.") % {"title": task.title})
    if task.handler_id is not None and task.handler is not None:
        lines.append(_("Handler: %(name)s.") % {"name": notifications.person(task.handler)})
    else:
        lines.append(_("No handler assigned yet."))
    return lines


def _compose(
    document: Document, subject: str, when: str, extra: list[str] | None = None
) -> tuple[str, str]:
    lines = [
        subject + ".",
        when,
        "",
        *notifications.details(document),
        _("Status: %(status)s.") % {"status": document.get_status_display()},
        *(extra or []),
        "",
        _("Open it in the back office: %(url)s") % {"url": notifications.document_url(document)},
    ]
    return subject, "\n".join(lines)


def _send(recipients: list[User], compose: Callable[[], tuple[str, str]], what: str) -> None:
    if not recipients:
        logger.warning("documents: no one with an e-mail address to alert about %s", what)
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = compose()
    notifications.deliver(subject, body, [user.email for user in recipients])


# --- The alerts -----------------------------------------------------------------------------


def _lock_task(task_id: int) -> tuple[Task, Document] | None:
    """Lock the document, then the task (the actions' order)."""
    document_id = Task.objects.filter(pk=task_id).values_list("document_id", flat=True).first()
    if document_id is None:
        return None
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("agency", "document_type")
        .get(pk=document_id)
    )
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("unit", "handler", "direction__leader", "parent")
        .get(pk=task_id)
    )
    task.document = document
    return task, document


def _task_is_running(task: Task, document: Document) -> bool:
    return (
        task.status == TaskStatus.OPEN
        and task.due_on is not None
        and document.direction == Direction.INCOMING
        and document.status in INCOMING_OPEN
    )


@dataclass(frozen=True)
class _TaskAlert:
    """What differs between a task's reminder and its escalation; :func:`_alert_task` does
    the rest."""

    kind: str  # EventKind.REMINDER or EventKind.ESCALATED
    marker: str  # the Task field holding the day it last went out
    is_due: Callable[[dt.date, dt.date], bool]  # (deadline, day): does it go out today?
    recipients: Callable[[Task], list[User]]
    subject: str  # with %(document)s and %(date)s (the deadline), translated when sent
    when: Callable[[dt.date, dt.date], str]  # (deadline, day): the line after the subject
    summary: str  # the audit record's, with %(number)s, %(role)s, %(date)s and %(count)s


def _due_soon(due: dt.date, day: dt.date) -> bool:
    return day <= due <= add_working_days(day, reminder_days())


def _overdue(due: dt.date, day: dt.date) -> bool:
    return due < day


TASK_REMINDER = _TaskAlert(
    kind=EventKind.REMINDER,
    marker="reminded_on",
    is_due=_due_soon,
    recipients=task_reminder_recipients,
    subject=gettext_noop("Reminder: %(document)s is due by %(date)s"),
    when=_left,
    summary=gettext_noop(
        "Reminder about %(number)s (task: %(role)s, due by %(date)s) sent to %(count)s official(s)."
    ),
)
TASK_ESCALATION = _TaskAlert(
    kind=EventKind.ESCALATED,
    marker="escalated_on",
    is_due=_overdue,
    recipients=task_escalation_recipients,
    subject=gettext_noop("Overdue: %(document)s was due by %(date)s"),
    when=_late,
    summary=gettext_noop(
        "Overdue %(number)s (task: %(role)s, due by %(date)s) escalated to %(count)s official(s)."
    ),
)


def remind_task(task: Task | int, *, day: dt.date | None = None) -> Event | None:
    """Remind whoever holds ``task`` that its deadline is near, at most once a day.

    Returns the REMINDER event, or None when there was nothing to do."""
    return _alert_task(task, day or today(), TASK_REMINDER)


def escalate_task(task: Task | int, *, day: dt.date | None = None) -> Event | None:
    """Tell the unit heads and the directing leader that ``task`` is overdue, once a day.

    Returns the ESCALATED event, or None when there was nothing to do."""
    return _alert_task(task, day or today(), TASK_ESCALATION)


def _alert_task(task: Task | int, day: dt.date, alert: _TaskAlert) -> Event | None:
    """Send ``alert`` about a running task whose deadline calls for it on ``day``, unless it
    went out already that day; mark the day on the task and record the alert."""
    task_id = task if isinstance(task, int) else task.pk
    with transaction.atomic():
        locked = _lock_task(task_id)
        if locked is None:
            return None
        task, document = locked
        if not _task_is_running(task, document) or getattr(task, alert.marker) == day:
            return None
        due = task.due_on
        assert due is not None
        if not alert.is_due(due, day):
            return None
        people = alert.recipients(task)

        def compose() -> tuple[str, str]:
            subject = _(alert.subject) % {
                "document": notifications.describe(document, short=True),
                "date": _date(due),
            }
            return _compose(document, subject, alert.when(due, day), _task_lines(task))

        _send(people, compose, f"task {task.pk}")
        setattr(task, alert.marker, day)
        task.save(update_fields=[alert.marker])
        return record_alert(
            document,
            alert.kind,
            scope=SCOPE_TASK,
            day=day,
            recipients=people,
            due_on=due,
            data={"task": task.pk, "unit": task.unit_id, "role": task.role},
            summary=_summary(
                alert.summary,
                number=document.reference,
                role=TaskRole(task.role).label,
                date=due.strftime("%d/%m/%Y"),
                count=len(people),
            ),
        )


def _lock_document(document_id: int) -> Document | None:
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("agency", "document_type")
        .filter(pk=document_id)
        .first()
    )


def _alerted(document: Document, kind: str, scope: str, day: dt.date) -> bool:
    return Event.objects.filter(
        document=document, kind=kind, data__scope=scope, data__day=day.isoformat()
    ).exists()


def escalate_undirected(document: Document | int, *, day: dt.date | None = None) -> Event | None:
    """Tell the leaders that an incoming document is past its deadline without a direction,
    once a day. Returns the ESCALATED event, or None when there was nothing to do."""
    day = day or today()
    document_id = document if isinstance(document, int) else document.pk
    with transaction.atomic():
        locked = _lock_document(document_id)
        if (
            locked is None
            or locked.direction != Direction.INCOMING
            or locked.status not in UNDIRECTED
            or locked.due_on is None
            or not locked.due_on < day
            or _alerted(locked, EventKind.ESCALATED, SCOPE_UNDIRECTED, day)
        ):
            return None
        document = locked
        due = locked.due_on
        people = undirected_recipients(document)

        def compose() -> tuple[str, str]:
            subject = _("Overdue: %(document)s, due by %(date)s, has not been directed") % {
                "document": notifications.describe(document, short=True),
                "date": _date(due),
            }
            return _compose(document, subject, _late(due, day))

        _send(people, compose, f"document {document.pk}")
        return record_alert(
            document,
            EventKind.ESCALATED,
            scope=SCOPE_UNDIRECTED,
            day=day,
            recipients=people,
            due_on=due,
            summary=_summary(
                gettext_noop(
                    "%(number)s, due by %(date)s and not directed, escalated to %(count)s "
                    "official(s)."
                ),
                number=document.reference,
                date=due.strftime("%d/%m/%Y"),
                count=len(people),
            ),
        )


def review_waiting_since(document: Document) -> dt.date | None:
    """The day the chain reached its current step (``held_since``, in Vietnam)."""
    return local_date(document.held_since) if document.held_since else None


def remind_review(document: Document | int, *, day: dt.date | None = None) -> Event | None:
    """Remind the reviewers of a draft whose current step has waited too long, once a day.

    Returns the REMINDER event, or None when there was nothing to do."""
    day = day or today()
    document_id = document if isinstance(document, int) else document.pk
    with transaction.atomic():
        locked = _lock_document(document_id)
        if (
            locked is None
            or locked.direction != Direction.OUTGOING
            or locked.status != Status.IN_REVIEW
            or _alerted(locked, EventKind.REMINDER, SCOPE_REVIEW, day)
        ):
            return None
        document = locked
        since = review_waiting_since(document)
        if since is None or working_days_between(since, day) <= review_reminder_days():
            return None
        steps = pending_review_steps(document)
        if not steps:
            return None
        people = review_recipients(document)
        waited = working_days_between(since, day)

        def compose() -> tuple[str, str]:
            subject = _("Reminder: a draft awaits your review since %(date)s: %(document)s") % {
                "date": _date(since),
                "document": notifications.describe(document, short=True),
            }
            when = _("Waiting for %(days)s working day(s).") % {"days": waited}
            steps_line = _("Pending step(s): %(steps)s.") % {
                "steps": ", ".join(str(step.get_kind_display()) for step in steps)
            }
            return _compose(document, subject, when, [steps_line])

        _send(people, compose, f"document {document.pk}")
        return record_alert(
            document,
            EventKind.REMINDER,
            scope=SCOPE_REVIEW,
            day=day,
            recipients=people,
            due_on=None,
            data={"round": document.review_round, "steps": [step.pk for step in steps]},
            summary=_summary(
                gettext_noop(
                    "Review of %(number)s waiting since %(date)s: reminder sent to %(count)s "
                    "official(s)."
                ),
                number=document.reference,
                date=since.strftime("%d/%m/%Y"),
                count=len(people),
            ),
        )


# --- The run --------------------------------------------------------------------------------


@dataclass
class Report:
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"reminded": self.reminded, "escalated": self.escalated, "failed": self.failed}


def open_tasks() -> QuerySet[Task]:
    return Task.objects.filter(
        status=TaskStatus.OPEN,
        due_on__isnull=False,
        document__direction=Direction.INCOMING,
        document__status__in=INCOMING_OPEN,
    )


def run(day: dt.date | None = None) -> Report:
    """Remind and escalate whatever is due on ``day`` (a working day; on any other nothing is
    sent); one failure stops no other."""
    day = day or today()
    report = Report()
    if not is_working_day(day):
        return report
    tasks = open_tasks()
    near = tasks.filter(due_on__gte=day, due_on__lte=add_working_days(day, reminder_days()))
    late = tasks.filter(due_on__lt=day)
    undirected = (
        Document.objects.incoming()
        .filter(status__in=UNDIRECTED, due_on__lt=day)
        .exclude(_alerted_today(EventKind.ESCALATED, SCOPE_UNDIRECTED, day))
    )
    # Waiting more than N working days (counted after the day the chain reached the step):
    # reached before the N-th working day before today.
    reached_before = subtract_working_days(day, review_reminder_days())
    reviews = (
        Document.objects.outgoing()
        .filter(status=Status.IN_REVIEW, held_since__lt=_start_of(reached_before))
        .exclude(_alerted_today(EventKind.REMINDER, SCOPE_REVIEW, day))
    )
    steps: list[tuple[Callable[..., Event | None], list[str], str, list[int]]] = [
        (
            remind_task,
            report.reminded,
            "task",
            list(
                near.exclude(reminded_on=day).order_by("due_on", "pk").values_list("pk", flat=True)
            ),
        ),
        (
            escalate_task,
            report.escalated,
            "task",
            list(
                late.exclude(escalated_on=day).order_by("due_on", "pk").values_list("pk", flat=True)
            ),
        ),
        (
            escalate_undirected,
            report.escalated,
            "document",
            list(undirected.order_by("due_on", "pk").values_list("pk", flat=True)),
        ),
        (
            remind_review,
            report.reminded,
            "review",
            list(reviews.order_by("held_since", "pk").values_list("pk", flat=True)),
        ),
    ]
    for step, done, label, ids in steps:
        for pk in ids:
            name = f"{label}:{pk}"
            try:
                if step(pk, day=day) is not None:
                    done.append(name)
            except Exception:
                logger.exception("documents: could not %s %s", step.__name__, name)
                report.failed.append(name)
    return report


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)
