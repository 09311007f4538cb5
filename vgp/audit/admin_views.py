"""The audit trail in the Wagtail admin: read-only list, filters, detail and CSV/XLSX export."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button

from vgp.accounts import permissions
from vgp.accounts.permissions import ScopedPermissionPolicy
from vgp.core.readonly_admin import ReadOnlyModelViewSet

from . import trail
from .models import HASHED_FIELDS, AuditRecord
from .tasks import verify_audit_chain
from .verification import describe_problem, last_verification

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_time(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM:SS in Hà Nội time, whatever the user's or server's time zone."""
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S") if value else ""


class ReadOnlyAuditPolicy(ScopedPermissionPolicy):
    """The permission module's answer for viewing; adding, changing and deleting never exist.

    Even a superuser (who holds every Django permission) gets no add, edit or delete button:
    records are written by actions through ``trail.record`` only.
    """

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return action == "view" and super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> Any:
        if action != "view":
            return self.model._default_manager.none()
        return super().instances_user_has_permission_for(user, action)


def _distinct_values(field: str) -> list[tuple[str, str]]:
    values = AuditRecord.objects.order_by(field).values_list(field, flat=True).distinct()
    return [(value, value) for value in values if value]


class AuditRecordFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=lambda: _distinct_values("action")
    )
    actor_username = django_filters.CharFilter(label=_("Actor (username)"), lookup_expr="iexact")
    agency_code = django_filters.CharFilter(label=_("Agency code"), lookup_expr="iexact")
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=lambda: _distinct_values("object_type")
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    period = django_filters.DateFromToRangeFilter(
        label=_("Date"), method="filter_period", widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditRecord
        fields: list[str] = []

    def filter_period(self, queryset: QuerySet[AuditRecord], name: str, value: Any) -> Any:
        """Whole days in Hà Nội time, so that the range matches the times shown in the list."""
        if value.start:
            start = dt.datetime.combine(value.start, dt.time.min, tzinfo=VN_TZ)
            queryset = queryset.filter(created_at__gte=start)
        if value.stop:
            stop = dt.datetime.combine(value.stop + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
            queryset = queryset.filter(created_at__lt=stop)
        return queryset


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in exported text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class AuditIndexView(generic.IndexView):
    def get_page_subtitle(self) -> str:
        return chain_status_text()

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        return [
            *super().header_more_buttons,
            Button(_("Verify now"), url=reverse("audit:verify"), icon_name="success", priority=50),
        ]

    def as_spreadsheet(self, queryset: QuerySet[AuditRecord], spreadsheet_format: str) -> Any:
        # Exporting the trail is itself worth a record: who took which part of it, and when.
        filters = {k: v for k, v in self.request.GET.items() if k not in ("export", "p") and v}
        with transaction.atomic():
            trail.record(
                action="audit.trail_exported",
                actor=self.request.user,
                summary=f"{spreadsheet_format}: {queryset.count()} records",
                changes={"filters": filters},
            )
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def stream_csv(self, queryset: QuerySet[AuditRecord]) -> Any:
        return super().stream_csv(queryset.iterator(chunk_size=2000))

    def get_heading(self, queryset: Any, field: str) -> str:
        # stream_csv passes the iterator above, which has no ``.model`` to take labels from.
        return super().get_heading(AuditRecord.objects.none(), field)

    def to_row_dict(self, item: AuditRecord) -> dict[str, Any]:
        row = super().to_row_dict(item)
        row["created_at"] = local_time(item.created_at)
        return {field: _csv_safe(value) for field, value in row.items()}


class AuditInspectView(generic.InspectView):
    def get_changes_display_value(self) -> SafeString:
        return changes_table(self.object.changes)

    def get_created_at_display_value(self) -> str:
        return local_time(self.object.created_at)


def changes_table(changes: dict[str, Any]) -> SafeString:
    """Before/after as an HTML table; values that are not a [before, after] pair span both."""
    if not changes:
        return format_html("<p>{}</p>", _("No changes recorded."))

    def cells(value: Any) -> SafeString:
        if isinstance(value, list) and len(value) == 2:
            return format_html("<td>{}</td><td>{}</td>", _show(value[0]), _show(value[1]))
        return format_html('<td colspan="2">{}</td>', _show(value))

    rows = format_html_join(
        "", '<tr><th scope="row">{}</th>{}</tr>', ((key, cells(v)) for key, v in changes.items())
    )
    return format_html(
        '<table class="listing"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("Field"),
        _("Before"),
        _("After"),
        rows,
    )


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def actor_label(entry: AuditRecord) -> str:
    """Who acted, or the channel when no signed-in person did (commands, the system)."""
    if entry.actor_username:
        return entry.actor_username
    return str(_("system (%(channel)s)")) % {"channel": entry.via or "command"}


def chain_status_text() -> str:
    """One line on the last verification, for the list header and the dashboard panel."""
    last = last_verification()
    if last is None:
        return str(_("Chain not verified yet"))
    when = local_time(last.finished_at)
    if last.intact:
        return str(_("Chain intact at %(when)s (%(count)s records)")) % {
            "when": when,
            "count": last.records_checked,
        }
    return str(_("Chain BROKEN at %(when)s: %(reason)s")) % {
        "when": when,
        "reason": describe_problem(last),
    }


def verify_now_view(request: HttpRequest) -> HttpResponse:
    """Queue a verification of the whole chain in the worker (auditors and IT admins)."""
    if not permissions.can(request.user, "audit.view_auditrecord"):
        raise PermissionDenied
    if request.method == "POST":
        with transaction.atomic():
            trail.record(action="audit.verify_requested", summary="Chain verification requested")
            transaction.on_commit(verify_audit_chain.enqueue)
        messages.success(
            request,
            _("Verification queued. The result appears here when the worker has finished."),
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("audit:index")
        return redirect(target)
    return TemplateResponse(request, "audit/verify_now.html", {"status": chain_status_text()})


class AuditRecordViewSet(ReadOnlyModelViewSet):
    """Auditors and IT administrators read the trail here; nobody writes to it."""

    model = AuditRecord
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 9000
    add_to_admin_menu = True
    name = "audit"
    url_prefix = "nhat-ky-kiem-toan"
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    list_per_page = 50
    ordering = "-seq"
    filterset_class = AuditRecordFilterSet
    search_fields = ["summary", "object_repr", "actor_username", "object_id"]
    search_backend_name = None
    list_display = [
        "seq",
        Column(
            "created_at",
            label=_("Time"),
            accessor=lambda r: local_time(r.created_at),
            sort_key="created_at",
        ),
        Column(
            "actor_username",
            label=_("Actor"),
            accessor=actor_label,
            sort_key="actor_username",
        ),
        "agency_code",
        "action",
        "object_repr",
        "summary",
        "ip",
    ]
    list_export = [
        "seq",
        "created_at",
        "actor_username",
        "agency_code",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "summary",
        "ip",
        "via",
        "hash",
    ]
    inspect_view_fields = [*HASHED_FIELDS, "hash"]  # everything the hash covers, and the hash

    def extra_urlpatterns(self) -> list[Any]:
        return [
            path("verify/", verify_now_view, name="verify"),
        ]
