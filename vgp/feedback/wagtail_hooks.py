"""Citizen feedback's hooks into Wagtail's admin: the inbox menu, the settings of routing and
deadlines, and the staff's dashboard panels (see ``admin_views.py`` and ``dashboard.py``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import dashboard
from .admin_views import (
    DeadlineRuleViewSet,
    InboxViewSet,
    RoutingRuleViewSet,
    SectorViewSet,
    deadline_rule_permission_policy,
    item_permission_policy,
    routing_rule_permission_policy,
    sector_permission_policy,
)
from .models import DeadlineRule, FeedbackItem, RoutingRule, Sector

# Every admin view of these models (and their menu items) answers through
# vgp.accounts.permissions and queries.staff_items, like the actions.
register_permission_policy(FeedbackItem, item_permission_policy)
register_permission_policy(Sector, sector_permission_policy)
register_permission_policy(RoutingRule, routing_rule_permission_policy)
register_permission_policy(DeadlineRule, deadline_rule_permission_policy)


@hooks.register("register_admin_viewset")
def register_inbox() -> InboxViewSet:
    return InboxViewSet()


@hooks.register("register_admin_viewset")
def register_feedback_settings() -> list[Any]:
    return [SectorViewSet(), RoutingRuleViewSet(), DeadlineRuleViewSet()]


@hooks.register("construct_homepage_panels")
def add_feedback_panels(request: Any, panels: list[Any]) -> None:
    panels.extend(dashboard.panels_for(request))
