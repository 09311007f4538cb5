"""Registers and the processing report in the back office, with their XLSX and PDF files.

Two pages, each with a filter in the address (``?kind=incoming&agency=<id>&date_from=01/12/2026
&date_to=31/12/2026``; dates dd/mm/yyyy, ISO accepted): the registers (the first
:data:`PAGE_ROWS` rows of the chosen register and how many it holds, with its XLSX and PDF) and
the processing report (one row per lead unit, with its XLSX). A missing field takes its default
(the incoming register of the user's agency, this month). The downloads answer to the same
address with ``/tai-ve/`` added, so a link carries exactly what the page shows.

Who: holders of ``documents.report_document`` (clerks, unit heads, leaders, auditors), for the
registers of their agency and its units (nationwide holders: any agency keeping documents);
anyone else gets a 403 page. What each register lists is decided by ``queries``: a classified
document appears only to those allowed to read it. Reading a register is not audited (only
identity reveals are, in this project).

Mounted by the app's ``wagtail_hooks`` through :func:`register_urls`; :func:`menu_items` gives
the menu entries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from wagtail.admin.menu import MenuItem

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.workdays.deadlines import VN_TZ

from . import registers, reports
from .models import Document
from .queries import PERM_REPORT
from .registers import Register, RegisterKind

# Rows shown on the page; the files hold the whole register.
PAGE_ROWS = 200
# A PDF is laid out in memory, page by page: beyond this, the XLSX file is the register.
PDF_MAX_ROWS = 5000

DATE_FORMAT = "%d/%m/%Y"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REGISTERS = "documents_registers"
REGISTERS_EXPORT = "documents_registers_export"
REPORT = "documents_report"
REPORT_EXPORT = "documents_report_export"


# --- Who may read which register -------------------------------------------------------------


def register_agencies(user: Any) -> list[Agency]:
    """The organisations whose registers ``user`` may open: their agency first, then its units
    by name (and, for nationwide roles, every other agency keeping documents)."""
    ids = permissions.agency_ids_of(user)
    if permissions.is_nationwide(user):
        ids |= set(Document.objects.order_by().values_list("agency_id", flat=True).distinct())
    own = getattr(user, "agency_id", None)
    agencies = list(Agency.objects.filter(pk__in=ids))
    agencies.sort(key=lambda agency: (agency.pk != own, agency.parent_id is not None, agency.name))
    return agencies


def this_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    next_first = (first + dt.timedelta(days=32)).replace(day=1)
    return first, next_first - dt.timedelta(days=1)


# --- The filter ------------------------------------------------------------------------------


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=DATE_FORMAT,
            attrs={"placeholder": gettext_lazy("dd/mm/yyyy"), "inputmode": "numeric", "size": 10},
        ),
        error_messages={"invalid": gettext_lazy("Write the date as dd/mm/yyyy.")},
    )


class PeriodForm(forms.Form):
    """Agency and period; always bound, with the defaults filled in where the address is
    silent, so the page and its files read the same values."""

    agency = forms.TypedChoiceField(
        label=gettext_lazy("Register of"),
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Choose a register from the list.")},
    )
    date_from = _date_field(gettext_lazy("From"))
    date_to = _date_field(gettext_lazy("To"))

    def __init__(self, query: QueryDict, *, agencies: list[Agency], user: Any) -> None:
        self.agencies = {agency.pk: agency for agency in agencies}
        first, last = this_month(timezone.localdate(timezone=VN_TZ))
        own = getattr(user, "agency_id", None)
        default_agency = own if own in self.agencies else next(iter(self.agencies), "")
        data = {
            "agency": str(default_agency),
            "date_from": first.strftime(DATE_FORMAT),
            "date_to": last.strftime(DATE_FORMAT),
            **self.defaults(),
        }
        for name in data:
            value = query.get(name)
            if isinstance(value, str) and value:
                data[name] = value
        super().__init__(data)
        field = self.fields["agency"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(pk), agency.name) for pk, agency in self.agencies.items()]

    def defaults(self) -> dict[str, str]:
        return {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data

    @property
    def chosen_agency(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]

    def query_string(self) -> str:
        query = QueryDict(mutable=True)
        query.update({name: str(self.data[name]) for name in self.fields})
        return query.urlencode()

    def describe_errors(self) -> None:
        """Tie each field's error message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class RegisterForm(PeriodForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Register"),
        choices=RegisterKind.choices,
        error_messages={"invalid_choice": gettext_lazy("Choose a register from the list.")},
    )
    field_order = ["kind", "agency", "date_from", "date_to"]

    def defaults(self) -> dict[str, str]:
        return {"kind": RegisterKind.INCOMING.value}

    def register(self) -> Register:
        return Register(
            kind=self.cleaned_data["kind"],
            agency=self.chosen_agency,
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
        )


# --- Responses -------------------------------------------------------------------------------


def forbidden(request: HttpRequest) -> HttpResponse:
    """403 with a page saying so (Wagtail's admin would redirect a PermissionDenied to the
    dashboard without a word)."""
    return TemplateResponse(
        request,
        "documents/admin/registers_forbidden.html",
        {
            "page_title": _("Not allowed"),
            "reason": _(
                "The registers and the processing report are for clerks, unit heads, leaders "
                "and auditors."
            ),
        },
        status=403,
    )


def _allowed(request: HttpRequest) -> bool:
    return permissions.can(request.user, PERM_REPORT)


def _download(body: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Registers -------------------------------------------------------------------------------


@require_GET
def registers_page(request: HttpRequest) -> HttpResponseBase:
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = RegisterForm(request.GET, agencies=register_agencies(user), user=user)
    context: dict[str, Any] = {"form": form, "page_title": _("Registers of documents")}
    if form.is_valid():
        register = form.register()
        query = form.query_string()
        count = register.count(user)
        rows = list(register.rows(user, limit=PAGE_ROWS))
        context.update(
            register=register,
            columns=register.columns,
            rows=[row.texts() for row in rows],
            count=count,
            truncated=count > len(rows),
            xlsx_url=f"{reverse(REGISTERS_EXPORT, args=['xlsx'])}?{query}",
            pdf_url=f"{reverse(REGISTERS_EXPORT, args=['pdf'])}?{query}",
            pdf_too_long=count > PDF_MAX_ROWS,
            pdf_max_rows=PDF_MAX_ROWS,
        )
    else:
        form.describe_errors()
    return TemplateResponse(request, "documents/admin/registers.html", context)


@require_GET
def registers_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = RegisterForm(request.GET, agencies=register_agencies(user), user=user)
    if not form.is_valid():
        return redirect(f"{reverse(REGISTERS)}?{request.GET.urlencode()}")
    register = form.register()
    rows = register.rows(user)
    if file_format == "xlsx":
        return _download(registers.to_xlsx(register, rows), XLSX_TYPE, register.file_name("xlsx"))
    page = f"{reverse(REGISTERS)}?{form.query_string()}"
    count = register.count(user)
    if count > PDF_MAX_ROWS:
        messages.error(
            request,
            _(
                "This register holds %(count)s documents, more than a PDF file is made for "
                "(%(max)s): shorten the period, or download the XLSX file."
            )
            % {"count": count, "max": PDF_MAX_ROWS},
        )
        return redirect(page)
    try:
        body = registers.to_pdf(register, rows)
    except registers.FontsMissing:
        messages.error(
            request,
            _("The PDF file cannot be made now (its fonts are missing): download the XLSX file."),
        )
        return redirect(page)
    return _download(body, "application/pdf", register.file_name("pdf"))


# --- The processing report -------------------------------------------------------------------


@require_GET
def report_page(request: HttpRequest) -> HttpResponseBase:
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = PeriodForm(request.GET, agencies=register_agencies(user), user=user)
    context: dict[str, Any] = {
        "form": form,
        "page_title": _("Processing report"),
        "columns": reports.REPORT_COLUMNS,
    }
    if form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        rows = reports.processing_report(
            user, agency=form.chosen_agency, date_from=date_from, date_to=date_to
        )
        context.update(
            title=reports.report_title(),
            agency=form.chosen_agency,
            period=registers.period_text(date_from, date_to),
            units=rows[:-1],
            total=rows[-1],
            xlsx_url=f"{reverse(REPORT_EXPORT)}?{form.query_string()}",
        )
    else:
        form.describe_errors()
    return TemplateResponse(request, "documents/admin/processing_report.html", context)


@require_GET
def report_export(request: HttpRequest) -> HttpResponseBase:
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = PeriodForm(request.GET, agencies=register_agencies(user), user=user)
    if not form.is_valid():
        return redirect(f"{reverse(REPORT)}?{request.GET.urlencode()}")
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    rows = reports.processing_report(
        user, agency=form.chosen_agency, date_from=date_from, date_to=date_to
    )
    body = reports.report_xlsx(
        rows, agency=form.chosen_agency, date_from=date_from, date_to=date_to
    )
    return _download(body, XLSX_TYPE, reports.report_file_name(date_from, date_to))


# --- Mounting --------------------------------------------------------------------------------


def register_urls() -> list[URLPattern]:
    """The admin URLs of the registers and the report (mounted under the admin's prefix)."""
    return [
        path("so-van-ban/", registers_page, name=REGISTERS),
        re_path(
            r"^so-van-ban/tai-ve/(?P<file_format>xlsx|pdf)/$",
            registers_export,
            name=REGISTERS_EXPORT,
        ),
        path("bao-cao-xu-ly-van-ban/", report_page, name=REPORT),
        path("bao-cao-xu-ly-van-ban/tai-ve/", report_export, name=REPORT_EXPORT),
    ]


class ReportMenuItem(MenuItem):
    """Shown to holders of ``documents.report_document`` only."""

    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.can(request.user, PERM_REPORT)


def menu_items(order: int = 400) -> list[MenuItem]:
    """The two menu entries (registers, processing report), for a menu or a submenu."""
    return [
        ReportMenuItem(
            gettext_lazy("Registers"),
            reverse(REGISTERS),
            name="documents-registers",
            icon_name="list-ul",
            order=order,
        ),
        ReportMenuItem(
            gettext_lazy("Processing report"),
            reverse(REPORT),
            name="documents-report",
            icon_name="table",
            order=order + 1,
        ),
    ]
