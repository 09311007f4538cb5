"""Public statistics of citizen submissions: the page (a table, charts over it) and its CSV.

``?agency=<id>&months=12``: one agency's figures, or nationwide without ``agency``; a value in
the address that cannot be read is reported on the form and replaced by its default, so the
page always answers 200. The table is the content and needs no JavaScript; the charts are
drawn over the same figures (``static/feedback/statistics.js`` with Chart.js), which the page
carries as JSON. Definitions of every figure: :mod:`vgp.feedback.statistics`.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from vgp.agencies.models import Agency
from vgp.search.analysis import fold

from . import statistics as stats
from .models import FeedbackItem

MONTH_CHOICES = (3, 6, 12, 24, 36)
# Excel reads a CSV file as UTF-8 only when it starts with the byte order mark.
UTF8_BOM = "\ufeff"
EN_DASH = "\u2013"  # between the months of a period, and for a figure there is none of


# --- the form -------------------------------------------------------------------------------


def agency_choices() -> list[tuple[int, str, str]]:
    """(id, Vietnamese name, English name) of every agency that holds a submission."""
    key = f"{stats.CACHE_PREFIX}:agencies"
    choices = cache.get(key)
    if choices is None:
        holders = FeedbackItem.objects.filter(agency__isnull=False).values("agency_id")
        choices = list(
            Agency.objects.filter(pk__in=holders)
            .order_by("name_vi", "pk")
            .values_list("pk", "name_vi", "name_en")
        )
        cache.set(key, choices, stats.CACHE_SECONDS)
    return choices


class StatisticsForm(forms.Form):
    agency = forms.TypedChoiceField(
        label=gettext_lazy("Agency"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose an agency from the list.")},
    )
    months = forms.TypedChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Choose a period from the list.")},
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = _is_english()
        agency = self.fields["agency"]
        months = self.fields["months"]
        assert isinstance(agency, forms.TypedChoiceField)
        assert isinstance(months, forms.TypedChoiceField)
        agency.choices = [
            ("", _("Nationwide (all agencies)")),
            *(
                (str(pk), (name_en or name_vi) if english else name_vi)
                for pk, name_vi, name_en in agencies
            ),
        ]
        months.choices = [
            (str(n), translation.ngettext("Last %(n)d month", "Last %(n)d months", n) % {"n": n})
            for n in MONTH_CHOICES
        ]
        months.initial = str(stats.DEFAULT_MONTHS)

    def chosen(self) -> tuple[int | None, int]:
        """(agency id or None, months): a value missing or not valid falls back to its
        default, which the form then shows, so the page shows what it can next to the error."""
        if not self.is_bound:
            return None, stats.DEFAULT_MONTHS
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        agency = None if "agency" in self.errors else data.get("agency")
        months = (None if "months" in self.errors else data.get("months")) or stats.DEFAULT_MONTHS
        shown = QueryDict(mutable=True)
        shown.update({"agency": str(agency or ""), "months": str(months)})
        self.data = shown
        return agency, months

    def describe_errors(self) -> None:
        """Tie each field's error message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


# --- presentation ---------------------------------------------------------------------------


def _is_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def month_label(month: dt.date) -> str:
    return f"{month:%m/%Y}"


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return EN_DASH
    return formats.number_format(value, digits, force_grouping=True)


def _percent(rate: float | None) -> str:
    return EN_DASH if rate is None else f"{_number(rate * 100)} %"


@dataclass(frozen=True)
class Row:
    """One row of the table, as shown."""

    label: str
    iso: str
    received: str
    answered: str
    on_time: str
    late: str
    overdue_open: str
    overdue: str
    median_days: str


def _row(row: stats.MonthRow) -> Row:
    return Row(
        label=month_label(row.month) if row.month else pgettext("feedback statistics", "Total"),
        iso=f"{row.month:%Y-%m}" if row.month else "",
        received=_number(row.received),
        answered=_number(row.answered),
        on_time=_number(row.on_time),
        late=_number(row.late),
        overdue_open=_number(row.overdue_open),
        overdue=_number(row.overdue),
        median_days=_number(row.median_days, 1),
    )


@dataclass(frozen=True)
class AgencyView:
    name: str
    url: str
    received: str
    answered: str
    on_time_rate: str
    overdue_open_now: str
    median_days: str


def _chart_data(figures: stats.Figures, scope: str) -> dict[str, Any]:
    """What statistics.js draws: the figures, and the words around them in the page's
    language (the script has no catalogue of its own)."""
    months = figures.months
    labels = [month_label(row.month) for row in months if row.month]
    period = _period(figures)
    total = figures.total
    see_table = _("The figures are in the table “%(caption)s” above.") % {
        "caption": _table_caption(scope, period)
    }
    return {
        "labels": labels,
        "received": [row.received for row in months],
        "answered": [row.answered for row in months],
        "on_time": [row.on_time for row in months],
        "overdue": [row.overdue for row in months],
        "median_days": [row.median_days for row in months],
        "locale": translation.get_language() or "vi",
        "text": {
            "received": pgettext("feedback statistics", "Received"),
            "answered": pgettext("feedback statistics", "Answered"),
            "on_time": _("Answered on time"),
            "overdue": pgettext("feedback statistics", "Overdue"),
            "median_days": _("Median working days to answer"),
            "months": pgettext("feedback statistics", "Month"),
            "count": _("Submissions"),
            "days": _("Working days"),
        },
        "summary": {
            "received": _(
                "Bar chart of submissions received and answered per month, %(period)s: "
                "%(received)s received and %(answered)s answered in all. %(see)s"
            )
            % {
                "period": period,
                "received": _number(total.received),
                "answered": _number(total.answered),
                "see": see_table,
            },
            "timeliness": _(
                "Stacked bar chart of answers on time and of overdue submissions per month, "
                "%(period)s: %(on_time)s answered on time, %(overdue)s overdue in all. %(see)s"
            )
            % {
                "period": period,
                "on_time": _number(total.on_time),
                "overdue": _number(total.overdue),
                "see": see_table,
            },
            "median": _(
                "Line chart of the median working days to answer per month, %(period)s: "
                "%(median)s over the whole period. %(see)s"
            )
            % {"period": period, "median": _number(total.median_days, 1), "see": see_table},
        },
    }


def _period(figures: stats.Figures) -> str:
    first, last = figures.months[0].month, figures.months[-1].month
    assert first is not None and last is not None
    return f"{month_label(first)}{EN_DASH}{month_label(last)}"


def _table_caption(scope: str, period: str) -> str:
    return _("Submissions per month: %(scope)s, %(period)s") % {"scope": scope, "period": period}


def _agency_name(agency_id: int | None, agencies: list[tuple[int, str, str]]) -> str:
    for pk, name_vi, name_en in agencies:
        if pk == agency_id:
            return (name_en or name_vi) if _is_english() else name_vi
    return _("Nationwide")


def _query(agency_id: int | None, months: int, **extra: str) -> str:
    query = QueryDict(mutable=True)
    if agency_id:
        query["agency"] = str(agency_id)
    if months != stats.DEFAULT_MONTHS:
        query["months"] = str(months)
    query.update(extra)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


# --- the page -------------------------------------------------------------------------------


@require_GET
def statistics(request: HttpRequest) -> TemplateResponse:
    agencies = agency_choices()
    form = StatisticsForm(request.GET or None, agencies=agencies)
    agency_id, months = form.chosen()
    if form.is_bound and form.errors:
        form.describe_errors()
    figures = stats.figures(agency_id, months)
    scope = _agency_name(agency_id, agencies)
    period = _period(figures)
    context: dict[str, Any] = {
        "form": form,
        "agency_id": agency_id,
        "months": months,
        "scope": scope,
        "period": period,
        "caption": _table_caption(scope, period),
        "rows": [_row(row) for row in figures.months],
        "total": _row(figures.total),
        "overdue_open_now": _number(figures.overdue_open_now),
        "chart_data": _chart_data(figures, scope),
        "csv_url": reverse("feedback:statistics_csv") + _query(agency_id, months),
        "nationwide": agency_id is None,
    }
    if agency_id is None:
        page_url = reverse("feedback:statistics")
        english = _is_english()
        context["agency_rows"] = [
            AgencyView(
                name=row.name(english),
                url=page_url + _query(row.agency_id, months),
                received=_number(row.received),
                answered=_number(row.answered),
                on_time_rate=_percent(row.on_time_rate),
                overdue_open_now=_number(row.overdue_open_now),
                median_days=_number(row.median_days, 1),
            )
            for row in stats.by_agency(months)
        ]
        context["agencies_csv_url"] = reverse("feedback:statistics_csv") + _query(
            None, months, table="agencies"
        )
    return TemplateResponse(request, "feedback/statistics.html", context)


# --- the CSV --------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    writer = csv.writer(_Echo())
    body = UTF8_BOM + "".join(writer.writerow(line) for line in [header, *rows])
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _plain(value: float | None, digits: int = 1) -> str:
    """Numbers in the CSV: no grouping, a dot for decimals, empty when there is none."""
    return "" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    agencies = agency_choices()
    form = StatisticsForm(request.GET or None, agencies=agencies)
    agency_id, months = form.chosen()
    if agency_id is None and request.GET.get("table") == "agencies":
        return _agencies_csv(months)
    figures = stats.figures(agency_id, months)
    header = [
        _("Month (MM/YYYY)"),
        pgettext("feedback statistics", "Received"),
        pgettext("feedback statistics", "Answered"),
        _("Answered on time"),
        _("Answered late"),
        _("Open and overdue"),
        pgettext("feedback statistics", "Overdue"),
        _("Median working days to answer"),
    ]
    rows = [
        [
            month_label(row.month) if row.month else pgettext("feedback statistics", "Total"),
            row.received,
            row.answered,
            row.on_time,
            row.late,
            row.overdue_open,
            row.overdue,
            _plain(row.median_days),
        ]
        for row in [*figures.months, figures.total]
    ]
    name = "toan-quoc"
    if agency_id is not None:
        name = slugify(fold(_agency_name_vi(agency_id, agencies))) or str(agency_id)
    return _csv_response(f"thong-ke-phan-anh-{name}.csv", header, rows)


def _agency_name_vi(agency_id: int, agencies: list[tuple[int, str, str]]) -> str:
    return next((name_vi for pk, name_vi, _name_en in agencies if pk == agency_id), "")


def _agencies_csv(months: int) -> HttpResponse:
    english = _is_english()
    header = [
        _("Agency"),
        _("Electronic code"),
        pgettext("feedback statistics", "Received"),
        pgettext("feedback statistics", "Answered"),
        _("Answered on time"),
        _("On-time rate (%)"),
        _("Open and overdue now"),
        _("Median working days to answer"),
    ]
    rows = [
        [
            row.name(english),
            row.code,
            row.received,
            row.answered,
            row.on_time,
            _plain(row.on_time_rate * 100 if row.on_time_rate is not None else None),
            row.overdue_open_now,
            _plain(row.median_days),
        ]
        for row in stats.by_agency(months)
    ]
    return _csv_response("thong-ke-phan-anh-toan-quoc-theo-co-quan.csv", header, rows)
