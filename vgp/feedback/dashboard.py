"""The feedback staff's dashboard panels: my queue, due soon, overdue, and the load per handler.

Each panel counts in one query and lists a few of the most urgent items in another; each links
to the inbox filtered the same way (``worklists`` holds the one definition of each list). The
number of queries does not grow with the number of items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from vgp.accounts import permissions

from . import queries, worklists
from .actions import PERM_ASSIGN, PERM_RECEIVE, PERM_VIEW, intake_backlog, intake_stalled
from .models import OPEN_STATUSES, FeedbackItem

LISTED = 5  # items shown in a panel; the rest is one click away in the inbox
ADMIN_CSS = "feedback/admin.css"


def inbox_url(**filters: Any) -> str:
    index = reverse("feedback_inbox:index")
    return f"{index}?{urlencode(filters)}" if filters else index


@dataclass(frozen=True)
class ItemList:
    total: int
    items: list[FeedbackItem]
    url: str

    @property
    def more(self) -> int:
        return self.total - len(self.items)


class ItemsPanel(Component):
    """A count, the most urgent few items, and a link to all of them."""

    template_name = "feedback/admin/items_panel.html"

    class Media:
        css = {"all": [ADMIN_CSS]}

    def __init__(
        self,
        *,
        name: str,
        heading: Any,
        listing: ItemList,
        today: dt.date,
        empty: Any,
        order: int,
        warning: bool = False,
    ) -> None:
        self.name = name
        self.heading = heading
        self.listing = listing
        self.today = today
        self.empty = empty
        self.order = order
        self.warning = warning

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {
            "panel_id": self.name.replace("_", "-"),
            "heading": self.heading,
            "listing": self.listing,
            "rows": [
                (item, worklists.due_state(due, self.today) if due else None)
                for item in self.listing.items
                for due in [getattr(item, "due_on", None)]
            ],
            "empty": self.empty,
            "warning": self.warning,
        }


class HandlerLoadPanel(Component):
    """Open and overdue items per handler of the agency, for those who assign them."""

    name = "feedback_by_handler"
    template_name = "feedback/admin/handlers_panel.html"
    order = 34

    class Media:
        css = {"all": [ADMIN_CSS]}

    def __init__(self, rows: list[worklists.HandlerLoad]) -> None:
        self.rows = rows

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {
            "rows": [(row, inbox_url(handler=row.handler.pk, status="open")) for row in self.rows]
        }


class IntakePanel(Component):
    """For portal reception: submissions received through the API that are not registered
    yet, when some failed or the worker seems stopped (ADR 0013)."""

    name = "feedback_intake"
    template_name = "feedback/admin/intake_panel.html"
    order = 30

    def __init__(self, backlog: dict[str, Any]) -> None:
        self.backlog = backlog
        self.stalled = intake_stalled(backlog)

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {
            "heading": gettext_lazy("Citizen feedback: registration of received submissions"),
            "backlog": self.backlog,
            "stalled": self.stalled,
            "minutes": settings.FEEDBACK_INTAKE_STALL_SECONDS // 60,
        }


def _most_urgent(items: Any, condition: Q) -> list[FeedbackItem]:
    return list(
        items.filter(condition).order_by(F("due_on").asc(nulls_last=True), "received_at", "pk")[
            :LISTED
        ]
    )


def panels_for(request: Any) -> list[Component]:
    user = request.user
    if not permissions.can(user, PERM_VIEW):
        return []
    today = worklists.today()
    visible = queries.staff_items(user)
    items = worklists.with_current_due(visible)
    mine = worklists.my_queue_q(user)
    overdue = worklists.overdue_q(today)
    soon = worklists.due_soon_q(today)
    counts = items.aggregate(
        mine=Count("pk", filter=mine & Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue),
        soon=Count("pk", filter=soon),
    )
    panels: list[Component] = []
    if permissions.can(user, PERM_RECEIVE):
        intake = IntakePanel(intake_backlog())
        if intake.backlog["failed"] or intake.stalled:
            panels.append(intake)
    panels.append(
        ItemsPanel(
            name="feedback_my_queue",
            heading=gettext_lazy("Citizen feedback: my queue"),
            listing=ItemList(counts["mine"], _most_urgent(items, mine), inbox_url(queue="mine")),
            today=today,
            empty=gettext_lazy("Nothing is waiting for you."),
            order=31,
        )
    )
    if counts["overdue"]:
        panels.append(
            ItemsPanel(
                name="feedback_overdue",
                heading=gettext_lazy("Citizen feedback: overdue"),
                listing=ItemList(
                    counts["overdue"], _most_urgent(items, overdue), inbox_url(due="overdue")
                ),
                today=today,
                empty="",
                order=32,
                warning=True,
            )
        )
    if counts["soon"]:
        panels.append(
            ItemsPanel(
                name="feedback_due_soon",
                heading=gettext_lazy("Citizen feedback: due within 3 working days"),
                listing=ItemList(counts["soon"], _most_urgent(items, soon), inbox_url(due="soon")),
                today=today,
                empty="",
                order=33,
            )
        )
    if permissions.can(user, PERM_ASSIGN):
        rows = worklists.handler_load(user, visible, today)
        if rows:
            panels.append(HandlerLoadPanel(rows))
    return panels
