"""Calendar overrides in the Wagtail admin; every change goes through ``actions``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import actions
from .models import CalendarOverride


def _year_choices() -> list[tuple[int, str]]:
    years = {d.year for d in CalendarOverride.objects.dates("date", "year")}
    today = timezone.localdate()
    years |= {today.year, today.year + 1}
    return [(year, str(year)) for year in sorted(years, reverse=True)]


class CalendarOverrideFilterSet(WagtailFilterSet):
    year = django_filters.TypedChoiceFilter(
        label=_("Year"), choices=_year_choices, coerce=int, method="filter_year"
    )

    class Meta:
        model = CalendarOverride
        fields = ["kind"]

    def filter_year(self, queryset: QuerySet[CalendarOverride], name: str, value: int) -> Any:
        return queryset.filter(date__year=value) if value else queryset


class OverrideIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[CalendarOverride]:
        return CalendarOverride.objects.select_related("created_by")


class OverrideCreateView(generic.CreateView):
    def save_instance(self) -> CalendarOverride:
        data = self.form.cleaned_data
        return actions.set_override(
            actor=self.request.user, day=data["date"], kind=data["kind"], reason=data["reason"]
        )


class OverrideEditView(generic.EditView):
    def save_instance(self) -> CalendarOverride:
        data = self.form.cleaned_data
        return actions.set_override(
            actor=self.request.user,
            day=data["date"],
            kind=data["kind"],
            reason=data["reason"],
            override=self.object,
        )


class OverrideDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        actions.remove_override(actor=self.request.user, override=self.object)


def _weekday(override: CalendarOverride) -> str:
    return date_format(override.date, "l")


class CalendarOverrideViewSet(ModelViewSet):
    """IT administrators keep the days the Government moves; auditors may look."""

    model = CalendarOverride
    icon = "date"
    menu_label = _("Working-day calendar")
    add_to_settings_menu = True
    name = "calendar_overrides"
    url_prefix = "ngay-lam-viec"
    index_view_class = OverrideIndexView
    add_view_class = OverrideCreateView
    edit_view_class = OverrideEditView
    delete_view_class = OverrideDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [FieldPanel("date"), FieldPanel("kind"), FieldPanel("reason")]
    filterset_class = CalendarOverrideFilterSet
    ordering = "date"
    list_per_page = 100
    list_display = [
        "date",
        Column("weekday", label=_("Weekday"), accessor=_weekday),
        "kind",
        "reason",
        Column("created_by", label=_("Created by"), accessor="created_by.get_username"),
        "updated_at",
    ]
