"""What waits for whom and what is late among official documents: one definition for the
admin's lists ("My work", "Tracking"), the dashboard panel and the reminders.

Pure functions over querysets: nothing here changes a row, and nothing here checks who may see
a document — callers intersect with ``queries.visible_documents(user)`` (the views) or act as
the system (the reminders). Dates are Vietnamese calendar dates; "due soon" counts working
days (``vgp.workdays.deadlines``: weekends, public holidays and the admin's overrides).

Deadlines live in two places:

- ``Task.due_on``: a unit's (then a person's) share of handling an incoming document, set by
  the leader's direction (``actions.direct``) and moved by a granted extension;
- ``Document.due_on``: the document's own deadline (given at registration, then the lead
  task's), which matters while nobody has a task yet (registered, presented) or once the
  handling is reported and the leader must close it.

Per unit means ``Task.unit`` (and ``Document.holder_unit`` for a document held before or after
its tasks); per person ``Task.handler`` (and ``Document.holder``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vgp.accounts import permissions
from vgp.accounts.roles import Role
from vgp.workdays.deadlines import add_working_days, local_date, working_days_between

from . import queries
from .models import (
    INCOMING_OPEN,
    OUTGOING_OPEN,
    Document,
    ReviewStatus,
    ReviewStep,
    Status,
    Task,
    TaskStatus,
)

# "Due soon": the deadline falls today or within this many working days.
DUE_SOON_WORKING_DAYS = 3

OVERDUE = "overdue"
DUE_SOON = "soon"
LATER = "later"

# A document somebody must still act on (either register).
OPEN_STATUSES: tuple[str, ...] = (*INCOMING_OPEN, *OUTGOING_OPEN)
# Incoming documents whose deadline is followed on the document itself (no open task carries
# it): registered or presented, waiting for a direction, or reported, waiting to be closed.
DOCUMENT_DEADLINE_STATUSES: tuple[str, ...] = (
    Status.REGISTERED,
    Status.PRESENTED,
    Status.REPORTED,
)


# --- Dates ----------------------------------------------------------------------------------


def today() -> dt.date:
    """Today in Hà Nội."""
    return local_date(timezone.now())


def due_soon_until(day: dt.date) -> dt.date:
    """The last day that still counts as "due soon" on ``day``."""
    return add_working_days(day, DUE_SOON_WORKING_DAYS)


def due_state(due: dt.date, day: dt.date, *, until: dt.date | None = None) -> tuple[str, str]:
    """How urgent ``due`` is on ``day`` (:data:`OVERDUE`, :data:`DUE_SOON` or :data:`LATER`),
    and the words saying it ("overdue by 2 working days"). ``until`` is
    :func:`due_soon_until` of ``day`` when the caller already has it."""
    left = working_days_between(day, due)
    if due < day:
        late = max(-left, 1)
        return OVERDUE, ngettext(
            "overdue by %(days)s working day", "overdue by %(days)s working days", late
        ) % {"days": late}
    if due <= (until or due_soon_until(day)):
        if left <= 0:
            return DUE_SOON, _("due today")
        return DUE_SOON, ngettext(
            "%(days)s working day left", "%(days)s working days left", left
        ) % {"days": left}
    return LATER, ngettext("%(days)s working day left", "%(days)s working days left", left) % {
        "days": left
    }


class DueStates:
    """:func:`due_state` of many deadlines on one day (a list page), each date worked out
    once: counting working days walks the calendar day by day."""

    def __init__(self, day: dt.date | None = None) -> None:
        self.day = day or today()
        self.until = due_soon_until(self.day)
        self._known: dict[dt.date, tuple[str, str]] = {}

    def __call__(self, due: dt.date) -> tuple[str, str]:
        state = self._known.get(due)
        if state is None:
            state = self._known[due] = due_state(due, self.day, until=self.until)
        return state


def overdue_q(day: dt.date, field: str = "due_on") -> Q:
    """The deadline in ``field`` has passed on ``day``."""
    return Q(**{f"{field}__lt": day})


def due_soon_q(day: dt.date, field: str = "due_on", until: dt.date | None = None) -> Q:
    """The deadline in ``field`` is ``day`` or within the next working days."""
    return Q(**{f"{field}__gte": day, f"{field}__lte": until or due_soon_until(day)})


def late_or_soon_q(day: dt.date, field: str = "due_on", until: dt.date | None = None) -> Q:
    """Overdue or due soon: everything to chase."""
    return Q(**{f"{field}__lte": until or due_soon_until(day)})


# --- Tasks ----------------------------------------------------------------------------------


def open_tasks() -> QuerySet[Task]:
    """Tasks still to do (a closed or recalled document has none: its tasks were done or
    cancelled by the action)."""
    return Task.objects.filter(status=TaskStatus.OPEN)


def tasks_of_units(unit_ids: set[int] | None, tasks: QuerySet[Task] | None = None) -> Any:
    """Open tasks of these units (``None``: of every unit)."""
    tasks = open_tasks() if tasks is None else tasks
    return tasks if unit_ids is None else tasks.filter(unit_id__in=unit_ids)


def tasks_of_person(user: Any, tasks: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Open tasks ``user`` handles (lead, supporting or sub-tasks)."""
    tasks = open_tasks() if tasks is None else tasks
    return tasks.filter(handler_id=user.pk)


def overdue_tasks(tasks: QuerySet[Task], day: dt.date) -> QuerySet[Task]:
    return tasks.filter(overdue_q(day))


def due_soon_tasks(tasks: QuerySet[Task], day: dt.date) -> QuerySet[Task]:
    return tasks.filter(due_soon_q(day))


# --- Documents ------------------------------------------------------------------------------


def open_documents(documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    documents = Document.objects.all() if documents is None else documents
    return documents.filter(status__in=OPEN_STATUSES)


def held_by(user: Any, documents: QuerySet[Document] | None = None) -> QuerySet[Document]:
    """Open documents ``user`` holds now (the "where is it now" of each names them)."""
    return open_documents(documents).filter(holder_id=user.pk)


def held_by_units(
    unit_ids: set[int] | None, documents: QuerySet[Document] | None = None
) -> QuerySet[Document]:
    """Open documents these units hold (``None``: any unit)."""
    documents = open_documents(documents)
    return documents if unit_ids is None else documents.filter(holder_unit_id__in=unit_ids)


def followed_on_document(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Incoming documents whose deadline no open task carries (see the module's docstring)."""
    return documents.filter(status__in=DOCUMENT_DEADLINE_STATUSES, due_on__isnull=False)


def registers_of_clerk(user: Any) -> set[int]:
    """The registers a clerk keeps: their unit's (and its divisions') when they belong to a
    unit with its own register, else their whole organisation's."""
    if getattr(user, "unit_id", None):
        return queries.unit_ids_of(user)
    return permissions.agency_ids_of(user)


def arrivals_to_register(user: Any, documents: QuerySet[Document] | None = None) -> Any:
    """Documents that arrived inside the system in the registers ``user`` keeps, waiting for
    an incoming number (clerks only)."""
    documents = Document.objects.all() if documents is None else documents
    if not permissions.can(user, queries.PERM_REGISTER):
        return documents.none()
    return documents.filter(status=Status.RECEIVED, agency_id__in=registers_of_clerk(user))


def pending_reviews_q(user: Any) -> Q:
    """On ``ReviewStep``: steps of a current review round waiting for ``user`` — named on the
    step (the signer), or holding its role in its unit (a leader: anywhere in their
    organisation), as ``actions.may_review`` decides."""
    query = Q(reviewer_id=user.pk)
    roles = permissions.roles_of(user)
    if Role.LEADER in roles:
        query |= Q(
            reviewer__isnull=True,
            role=Role.LEADER,
            unit_id__in=permissions.agency_ids_of(user),
        )
    unit_roles = sorted(roles & {Role.UNIT_HEAD, Role.HANDLER, Role.CLERK})
    units = queries.unit_ids_of(user)
    if unit_roles and units:
        query |= Q(reviewer__isnull=True, role__in=unit_roles, unit_id__in=units)
    return query


def pending_reviews(user: Any) -> QuerySet[ReviewStep]:
    """Review steps waiting for ``user``'s decision now."""
    return ReviewStep.objects.filter(
        pending_reviews_q(user),
        status=ReviewStatus.PENDING,
        round=F("document__review_round"),
        document__status=Status.IN_REVIEW,
    )


def my_work_q(user: Any) -> Q:
    """On ``Document``: everything waiting for ``user`` — what they hold, the documents of
    their open tasks, the drafts waiting for their review, and (clerks) the arrivals to
    register."""
    query = Q(holder_id=user.pk, status__in=OPEN_STATUSES)
    query |= Q(pk__in=tasks_of_person(user).values("document_id"))
    query |= Q(pk__in=pending_reviews(user).values("document_id"))
    if permissions.can(user, queries.PERM_REGISTER):
        query |= Q(status=Status.RECEIVED, agency_id__in=registers_of_clerk(user))
    return query


def my_work(user: Any, documents: QuerySet[Document]) -> QuerySet[Document]:
    """``documents`` (already what ``user`` may see) that wait for ``user``."""
    return documents.filter(my_work_q(user))


def urgent_first(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Most urgent first, then the nearest deadline, then the newest."""
    return documents.order_by(
        F("urgency").desc(), F("due_on").asc(nulls_last=True), "-received_at", "-pk"
    )


# --- Tracking: who follows what ------------------------------------------------------------


def tracked_units(user: Any) -> set[int] | None:
    """The units whose deadlines ``user`` follows: a nationwide role every unit (``None``); a
    leader or a clerk their organisation; a unit head their unit and its divisions; anyone
    else nothing."""
    if permissions.is_nationwide(user):
        return None
    roles = permissions.roles_of(user)
    if roles & {Role.LEADER, Role.CLERK}:
        return permissions.agency_ids_of(user)
    if Role.UNIT_HEAD in roles:
        return queries.unit_ids_of(user)
    return set()


@dataclass(frozen=True)
class Load:
    """Open, due soon and overdue deadlines of one unit or one person."""

    key: int
    open: int
    due_soon: int
    overdue: int


def _loads(rows: Any, key: str) -> list[Load]:
    return [
        Load(key=row[key], open=row["open"], due_soon=row["soon"], overdue=row["late"])
        for row in rows
        if row[key] is not None
    ]


def load_by(tasks: QuerySet[Task], field: str, day: dt.date) -> list[Load]:
    """Open tasks counted per ``field`` (``"unit_id"`` or ``"handler_id"``), with how many are
    due soon and overdue; one query, most overdue first."""
    rows = (
        tasks.order_by()
        .values(field)
        .annotate(
            open=Count("pk"),
            soon=Count("pk", filter=due_soon_q(day)),
            late=Count("pk", filter=overdue_q(day)),
        )
        .order_by("-late", "-soon", "-open", field)
    )
    return _loads(rows, field)


def document_load_by(documents: QuerySet[Document], field: str, day: dt.date) -> list[Load]:
    """Documents followed on themselves (:func:`followed_on_document`) counted per ``field``
    (``"holder_unit_id"`` or ``"holder_id"``); one query."""
    rows = (
        followed_on_document(documents)
        .order_by()
        .values(field)
        .annotate(
            open=Count("pk"),
            soon=Count("pk", filter=due_soon_q(day)),
            late=Count("pk", filter=overdue_q(day)),
        )
        .order_by("-late", "-soon", "-open", field)
    )
    return _loads(rows, field)


def merge_loads(*groups: list[Load]) -> list[Load]:
    """Add up loads of the same key (tasks and documents of one person), most overdue first."""
    totals: dict[int, list[int]] = {}
    for group in groups:
        for load in group:
            total = totals.setdefault(load.key, [0, 0, 0])
            total[0] += load.open
            total[1] += load.due_soon
            total[2] += load.overdue
    merged = [Load(key, *values) for key, values in totals.items()]
    merged.sort(key=lambda load: (-load.overdue, -load.due_soon, -load.open, load.key))
    return merged
