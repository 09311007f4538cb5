"""Operations screens in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from vgp.accounts import permissions
from vgp.accounts.roles import Role

from .admin_views import (
    BackgroundTaskViewSet,
    ReadOnlyTaskPolicy,
    failed_recently,
    uses_database_queue,
)
from .late_publishing import LateReport, late_report

register_permission_policy(DBTaskResult, ReadOnlyTaskPolicy(DBTaskResult), exact_class=True)


@hooks.register("register_admin_viewset")
def register_background_tasks() -> BackgroundTaskViewSet:
    return BackgroundTaskViewSet()


class TasksPanel(Component):
    """Failed and waiting tasks on the IT administrator's dashboard: nothing fails silently."""

    name = "background_tasks"
    template_name = "ops/tasks_panel.html"
    order = 80

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        waiting = DBTaskResult.objects.ready()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        minutes = int((timezone.now() - oldest).total_seconds() // 60) if oldest else 0
        return {
            "failed": failed_recently(),
            "pending": waiting.count(),
            "oldest_minutes": minutes if minutes >= 5 else 0,
            "index_url": reverse("background_tasks:index"),
        }


@hooks.register("construct_homepage_panels")
def add_tasks_panel(request: Any, panels: list[Any]) -> None:
    # With RQ the queue lives in Redis (`manage.py rqstats`); this panel reads the database queue.
    if uses_database_queue() and permissions.can(
        request.user, "django_tasks_database.view_dbtaskresult"
    ):
        panels.append(TasksPanel())


# Those who publish pages, and the IT centre that keeps the scheduler running.
SCHEDULE_WATCHERS = frozenset({Role.PORTAL_EDITOR, Role.EDITOR_IN_CHIEF, Role.IT_ADMIN})


def watches_scheduled_publishing(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        user.is_superuser
        or bool(permissions.roles_of(user) & SCHEDULE_WATCHERS)
        or PagePermissionPolicy().user_has_permission(user, "publish")
    )


class LatePublishingPanel(Component):
    """Pages that missed their go-live or expiry time, and a silent scheduler: never silent."""

    name = "late_publishing"
    template_name = "ops/late_publishing_panel.html"
    order = 20  # above the tasks panel and Wagtail's own lists: something needs doing now

    def __init__(self, report: LateReport, tasks_url: str | None) -> None:
        self.report = report
        self.tasks_url = tasks_url

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {"report": self.report, "tasks_url": self.tasks_url}


@hooks.register("construct_homepage_panels")
def add_late_publishing_panel(request: Any, panels: list[Any]) -> None:
    if not watches_scheduled_publishing(request.user):
        return
    report = late_report(request.user)
    if not report.anything_wrong:
        return
    can_see_tasks = uses_database_queue() and permissions.can(
        request.user, "django_tasks_database.view_dbtaskresult"
    )
    tasks_url = reverse("background_tasks:index") + "?status=FAILED" if can_see_tasks else None
    panels.append(LatePublishingPanel(report, tasks_url))
