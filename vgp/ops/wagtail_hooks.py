"""Operations screens in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from vgp.accounts import permissions

from .admin_views import (
    BackgroundTaskViewSet,
    ReadOnlyTaskPolicy,
    failed_recently,
    uses_database_queue,
)

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
