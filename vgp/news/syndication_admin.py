"""The editors' queue of news sent by agencies' systems, in the back office.

"Tin từ bộ, ngành, địa phương" lists the syndicated items that have something for the editors
to do: drafts never published, and published items whose agency sent a new version. Each row
leads to Wagtail's editor (where editors review, submit to the workflow and publish) and to the
draft's preview. Whoever may edit or publish pages sees the items of the trees they work in;
the hooks at the end register the screen and its menu item (imported by ``wagtail_hooks``).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, LocaleColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from vgp.agencies.models import Agency

from . import syndication
from .models import NewsItemPage

URL_NAMESPACE = "news_syndication"


def _agencies(request: HttpRequest) -> Any:
    return Agency.objects.filter(
        pk__in=syndication.syndicated_items().values("source_agency")
    ).order_by("name_vi")


class QueueFilterSet(WagtailFilterSet):
    source_agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Agency"), queryset=_agencies
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            (syndication.DRAFT, gettext_lazy("Draft")),
            (syndication.AWAITING_APPROVAL, gettext_lazy("New version awaiting approval")),
        ],
        method="filter_status",
    )

    class Meta:
        model = NewsItemPage
        fields = ["source_agency", "status"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(live=value == syndication.AWAITING_APPROVAL)


class StatusColumn(Column):
    def get_value(self, instance: NewsItemPage) -> Any:
        if syndication.status_of(instance) == syndication.DRAFT:
            return _("Draft")
        return _("New version awaiting approval")


class PreviewColumn(Column):
    def get_value(self, instance: NewsItemPage) -> Any:
        url = reverse("wagtailadmin_pages:view_draft", args=[instance.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noreferrer">{}</a>', url, _("Preview")
        )


class SyndicationQueueView(ReportView):
    page_title = gettext_lazy("News from ministries and provinces")
    header_icon = "download"
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:results"
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["change", "publish"]
    filterset_class = QueueFilterSet
    no_results_message = gettext_lazy("No news from agencies is waiting for the editors.")
    columns = [
        TitleColumn("draft_title", label=gettext_lazy("Title"), url_name="wagtailadmin_pages:edit"),
        Column("source_agency", label=gettext_lazy("Agency"), accessor="source_agency.name"),
        DateColumn("latest_revision_created_at", label=gettext_lazy("Received")),
        StatusColumn("status", label=gettext_lazy("Status")),
        LocaleColumn(label=gettext_lazy("Language")),
        PreviewColumn("preview", label=gettext_lazy("Preview")),
    ]
    list_export = ["draft_title", "source_agency.name", "latest_revision_created_at", "locale"]
    export_headings = {
        "draft_title": gettext_lazy("Title"),
        "source_agency.name": gettext_lazy("Agency"),
        "latest_revision_created_at": gettext_lazy("Received"),
        "locale": gettext_lazy("Language"),
    }

    def get_filename(self) -> str:
        return "tin-tu-bo-nganh-dia-phuong"

    def get_queryset(self) -> Any:
        workable = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.any_permission_required
        )
        return (
            syndication.syndicated_items()
            .filter(has_unpublished_changes=True, pk__in=workable.values("pk"))
            .select_related("source_agency", "locale")
            .order_by("-latest_revision_created_at", "-pk")
        )


class QueueMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(
            SyndicationQueueView.permission_policy.user_has_any_permission(
                request.user, SyndicationQueueView.any_permission_required
            )
        )


@hooks.register("register_admin_urls")
def register_queue_urls() -> list[Any]:
    urls = [
        path("", SyndicationQueueView.as_view(), name="index"),
        path("results/", SyndicationQueueView.as_view(results_only=True), name="results"),
    ]
    return [
        path("tin-bo-nganh-dia-phuong/", include((urls, URL_NAMESPACE), namespace=URL_NAMESPACE))
    ]


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    return QueueMenuItem(
        gettext_lazy("News from ministries and provinces"),
        reverse(f"{URL_NAMESPACE}:index"),
        name="news-from-agencies",
        icon_name="download",
        order=250,
    )
