"""Wagtail admin wiring for the agency registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import (
    MERGE_LOG_ACTION,
    RETIRE_LOG_ACTION,
    AgencyViewSet,
    agency_permission_policy,
    agency_viewset,
)
from .models import Agency

# Wagtail 8 looks permission policies up by model; registering ours makes every admin view
# (and the menu item) answer through vgp.accounts.permissions.
register_permission_policy(Agency, agency_permission_policy)


@hooks.register("register_admin_viewset")
def register_agency_viewset() -> AgencyViewSet:
    return agency_viewset


@hooks.register("register_log_actions")
def register_agency_log_actions(actions: Any) -> None:
    actions.register_action(MERGE_LOG_ACTION, _("Merge agency"), _("Merged into another agency"))
    actions.register_action(RETIRE_LOG_ACTION, _("Retire agency"), _("Retired"))
