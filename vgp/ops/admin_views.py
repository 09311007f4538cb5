"""Background tasks in the admin: what ran, what failed and why, and a retry button."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button

from vgp.accounts import permissions
from vgp.accounts.permissions import ScopedPermissionPolicy
from vgp.core.readonly_admin import ReadOnlyModelViewSet

from .actions import FAILED, retry_task


def uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


def failed_recently(days: int = 7) -> int:
    since = timezone.now() - dt.timedelta(days=days)
    return DBTaskResult.objects.filter(status=FAILED, finished_at__gte=since).count()


class ReadOnlyTaskPolicy(ScopedPermissionPolicy):
    """IT administrators look at tasks; nobody adds, edits or deletes them here."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return action == "view" and super().user_has_permission_for_instance(user, action, instance)


class TaskFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            ("READY", gettext_lazy("Waiting")),
            ("RUNNING", gettext_lazy("Running")),
            ("SUCCESSFUL", gettext_lazy("Successful")),
            ("FAILED", gettext_lazy("Failed")),
        ],
    )
    task_path = django_filters.CharFilter(label=gettext_lazy("Task"), lookup_expr="icontains")

    class Meta:
        model = DBTaskResult
        fields = ["status", "task_path"]


class StatusColumn(Column):
    def get_value(self, instance: DBTaskResult) -> Any:
        labels = {
            "READY": _("Waiting"),
            "RUNNING": _("Running"),
            "SUCCESSFUL": _("Successful"),
            "FAILED": _("Failed"),
        }
        label = labels.get(instance.status, instance.status)
        if instance.status == FAILED:
            return format_html("<strong>{}</strong>", label)
        return label


class TaskInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = list(super().header_more_buttons)
        if self.object.status == FAILED and permissions.can(
            self.request.user, "django_tasks_database.change_dbtaskresult"
        ):
            buttons.append(
                Button(
                    _("Retry"),
                    url=reverse("background_tasks:retry", args=[self.object.pk]),
                    icon_name="redirect",
                    priority=10,
                )
            )
        return buttons

    def get_traceback_display_value(self) -> Any:
        return format_html("<pre>{}</pre>", self.object.traceback or "—")


def retry_view(request: HttpRequest, pk: str) -> HttpResponse:
    result = get_object_or_404(DBTaskResult, pk=pk)
    if not permissions.can(request.user, "django_tasks_database.change_dbtaskresult"):
        raise PermissionDenied
    if request.method != "POST":
        return TemplateResponse(request, "ops/retry_task.html", {"result": result})
    try:
        new_id = retry_task(request.user, result)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("background_tasks:inspect", pk)
    messages.success(request, _("Task queued again (id %(id)s).") % {"id": new_id})
    return redirect("background_tasks:index")


class BackgroundTaskViewSet(ReadOnlyModelViewSet):
    pk_converter = "str"  # task ids are UUIDs
    model = DBTaskResult
    icon = "cogs"
    name = "background_tasks"
    url_prefix = "tac-vu-nen"
    menu_label = gettext_lazy("Background tasks")
    add_to_settings_menu = True
    inspect_view_class = TaskInspectView
    filterset_class = TaskFilterSet
    ordering = ["-enqueued_at"]
    list_per_page = 50
    list_display = [
        TitleColumn("task_path", label=gettext_lazy("Task"), url_name="background_tasks:inspect"),
        StatusColumn("status", label=gettext_lazy("Status")),
        DateColumn("enqueued_at", label=gettext_lazy("Queued")),
        DateColumn("finished_at", label=gettext_lazy("Finished")),
        "queue_name",
    ]
    inspect_view_fields = [
        "task_path",
        "status",
        "queue_name",
        "priority",
        "enqueued_at",
        "run_after",
        "started_at",
        "finished_at",
        "args_kwargs",
        "return_value",
        "exception_class_path",
        "traceback",
        "worker_ids",
    ]

    def extra_urlpatterns(self) -> list[Any]:
        return [
            path("retry/<str:pk>/", retry_view, name="retry"),
        ]
