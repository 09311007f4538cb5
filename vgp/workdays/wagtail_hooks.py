"""The working-day calendar's place in the Wagtail admin (Settings menu)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from vgp.accounts.permissions import ScopedPermissionPolicy

from .admin_views import CalendarOverrideViewSet
from .models import CalendarOverride

register_permission_policy(CalendarOverride, ScopedPermissionPolicy(CalendarOverride))


@hooks.register("register_admin_viewset")
def register_calendar_override_viewset() -> CalendarOverrideViewSet:
    return CalendarOverrideViewSet()
