"""What waits for whom and what is late: one definition for the inbox's filters, the staff's
dashboard panels and the daily reminders.

An item's *current deadline* is the one of the stage it is in (``FeedbackItem.current_due``):
routing at reception, acceptance once routed, the answer from acceptance until approval. A
paused item (waiting for the citizen) and a closed one have none. :func:`with_current_due` puts
that date in the query (``due_on``) so that lists filter and sort on it in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vgp.accounts import permissions
from vgp.accounts.roles import Role, group_name
from vgp.workdays.deadlines import add_working_days

from . import deadlines
from .actions import PERM_ACCEPT, PERM_APPROVE, PERM_ASSIGN, PERM_RECEIVE
from .models import OPEN_STATUSES, FeedbackItem, Status, current_due_expression

# "Due soon" on the dashboard and in the inbox: the deadline falls within this many working days.
DUE_SOON_WORKING_DAYS = 3


def with_current_due(items: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    """``items`` annotated with ``due_on``: the current deadline, None when paused or closed."""
    return items.annotate(due_on=current_due_expression())


def today() -> dt.date:
    return deadlines.today()


def due_soon_until(day: dt.date) -> dt.date:
    return add_working_days(day, DUE_SOON_WORKING_DAYS)


def overdue_q(day: dt.date) -> Q:
    """On an annotated queryset: the current deadline has passed."""
    return Q(due_on__lt=day)


def due_soon_q(day: dt.date, until: dt.date | None = None) -> Q:
    """On an annotated queryset: the current deadline is today or within the next days."""
    return Q(due_on__gte=day, due_on__lte=until or due_soon_until(day))


OVERDUE = "overdue"
DUE_SOON = "soon"
LATER = "later"


def due_state(due: dt.date, day: dt.date) -> tuple[str, str]:
    """How urgent ``due`` is on ``day``, and the words saying it ("overdue by 2 working days")."""
    left = deadlines.days_left(due, day)
    if due < day:
        late = -left
        return OVERDUE, ngettext(
            "overdue by %(days)s working day", "overdue by %(days)s working days", late
        ) % {"days": late}
    if due <= due_soon_until(day):
        if left <= 0:
            return DUE_SOON, _("due today")
        return DUE_SOON, ngettext(
            "%(days)s working day left", "%(days)s working days left", left
        ) % {"days": left}
    return LATER, ngettext("%(days)s working day left", "%(days)s working days left", left) % {
        "days": left
    }


def my_queue_q(user: Any) -> Q:
    """Items waiting for ``user``: those assigned to them, and those at the step their roles
    take in their agency (reception: to classify and route; a clerk: to accept; a unit head or
    leader: to assign; a leader: to approve)."""
    query = Q(handler_id=user.pk, status=Status.ASSIGNED)
    if permissions.can(user, PERM_RECEIVE):
        query |= Q(status=Status.RECEIVED)
    own = (
        Q() if permissions.is_nationwide(user) else Q(agency_id__in=permissions.agency_ids_of(user))
    )
    for perm, status in (
        (PERM_ACCEPT, Status.ROUTED),
        (PERM_ASSIGN, Status.ACCEPTED),
        (PERM_APPROVE, Status.IN_APPROVAL),
    ):
        if permissions.can(user, perm):
            query |= Q(status=status) & own
    return query


def officials_with_role(agency_ids: set[int] | None, *roles: Role) -> Any:
    """Active officials who hold one of ``roles``, in those agencies (None: in any)."""
    from vgp.accounts.models import User

    users = User.objects.filter(
        is_active=True, groups__name__in=[group_name(role) for role in roles]
    )
    if agency_ids is not None:
        users = users.filter(agency_id__in=agency_ids)
    return users.distinct().order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class HandlerLoad:
    handler: Any
    open: int
    overdue: int


def handler_load(user: Any, items: QuerySet[FeedbackItem], day: dt.date) -> list[HandlerLoad]:
    """Open items per handler of ``user``'s agency (every handler, even one with none), most
    overdue first. Two queries whatever the number of items or handlers."""
    counts: dict[int, tuple[int, int]] = {
        row["handler_id"]: (row["open"], row["overdue"])
        for row in with_current_due(items.filter(status__in=OPEN_STATUSES, handler__isnull=False))
        .order_by()
        .values("handler_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(day)))
    }
    handlers: dict[int, Any] = {}
    if getattr(user, "agency_id", None):
        handlers = {
            u.pk: u
            for u in officials_with_role(permissions.agency_ids_of(user), Role.HANDLER).only(
                "id", "username", "first_name", "last_name"
            )
        }
    missing = set(counts) - set(handlers)
    if missing:
        from vgp.accounts.models import User

        handlers.update(
            (u.pk, u)
            for u in User.objects.filter(pk__in=missing).only(
                "id", "username", "first_name", "last_name"
            )
        )
    rows = [
        HandlerLoad(
            handler=handler,
            open=counts.get(pk, (0, 0))[0],
            overdue=counts.get(pk, (0, 0))[1],
        )
        for pk, handler in handlers.items()
    ]
    rows.sort(key=lambda r: (-r.overdue, -r.open, r.handler.get_full_name() or r.handler.username))
    return rows
