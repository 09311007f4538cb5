"""Registers and the processing report in the back office, with their XLSX and PDF files.

Two pages, each with a filter in the address (``?kind=incoming&agency=<id>&date_from=01/12/2026
&date_to=31/12/2026``; dates dd/mm/yyyy, ISO accepted): the registers (the first
:data:`PAGE_ROWS` rows of the chosen register and how many it holds, with its XLSX and PDF) and
the processing report (one row per lead unit, with its XLSX). A missing field takes its default
(the incoming register of the user's agency, this month). The downloads answer to the same
address with ``/tai-ve/`` added, so a link carries exactly what the page shows.

A register of up to ``DOCUMENTS_EXPORT_INLINE_MAX_ROWS`` rows is downloaded at once; a longer
one takes longer to make than the web server waits, so the page offers to prepare its file
instead (a POST to ``/chuan-bi/``: ``exports.request_export``, then a background task), and
lists the official's exports ("Your exports", refreshed by htmx while one is being made, or by
reloading the page), each downloaded from the private storage once ready.

Who: holders of ``documents.report_document`` (clerks, unit heads, leaders, auditors), for the
registers of their agency and its units (nationwide holders: any agency keeping documents);
anyone else gets a 403 page. What each register lists is decided by ``queries``: a classified
document appears only to those allowed to read it. Reading a register is not audited (only
identity reveals are, in this project); asking for a file to be prepared is (it stores a copy
of the register for a week).

Mounted by the app's ``wagtail_hooks`` through :func:`register_urls`; :func:`menu_items` gives
the menu entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.menu import MenuItem

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.workdays.deadlines import VN_TZ

from . import exports, registers, reports
from .models import ExportFormat, RegisterExport
from .queries import PERM_REPORT
from .registers import Register, RegisterKind, register_agencies

# Rows shown on the page; the files hold the whole register.
PAGE_ROWS = 200
# Seconds between two looks at "Your exports" while one is being made (with JavaScript).
EXPORTS_REFRESH_SECONDS = 5

DATE_FORMAT = "%d/%m/%Y"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REGISTERS = "documents_registers"
REGISTERS_EXPORT = "documents_registers_export"
REGISTERS_PREPARE = "documents_registers_prepare"
EXPORTS = "documents_register_exports"
EXPORT_DOWNLOAD = "documents_register_export_download"
REPORT = "documents_report"
REPORT_EXPORT = "documents_report_export"


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
        label=pgettext_lazy("official documents", "Register"),
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


@dataclass(frozen=True)
class ExportLine:
    """One line of "Your exports"."""

    export: RegisterExport
    period: str
    requested_at: str  # dd/mm/yyyy HH:MM, Hà Nội time
    requested_iso: str
    download_url: str


def _export_lines(user: Any) -> list[ExportLine]:
    lines = []
    for export in exports.exports_of(user):
        requested = timezone.localtime(export.requested_at, VN_TZ)
        lines.append(
            ExportLine(
                export=export,
                period=registers.period_text(export.date_from, export.date_to),
                requested_at=requested.strftime("%d/%m/%Y %H:%M"),
                requested_iso=requested.isoformat(timespec="minutes"),
                download_url=(
                    reverse(EXPORT_DOWNLOAD, args=[export.pk])
                    if exports.may_download(user, export)
                    else ""
                ),
            )
        )
    return lines


def _exports_state(lines: list[ExportLine]) -> str:
    """What the list shows, in a few characters: the refresh answers "no change" while it
    holds, so the page (and a screen reader) is not disturbed every few seconds."""
    return ".".join(f"{line.export.pk}-{line.export.status}" for line in lines)


def _exports_context(request: HttpRequest, query: str) -> dict[str, Any]:
    lines = _export_lines(request.user)
    state = _exports_state(lines)
    refresh = QueryDict(query, mutable=True)
    refresh["state"] = state
    return {
        "exports": lines,
        "exports_pending": any(line.export.is_pending for line in lines),
        "exports_waiting": sum(1 for line in lines if line.export.is_pending),
        "exports_refresh_url": f"{reverse(EXPORTS)}?{refresh.urlencode()}",
        "exports_refresh_seconds": EXPORTS_REFRESH_SECONDS,
        "exports_keep_days": exports.keep_days(),
        "exports_page_query": query,
        "exports_state": state,
    }


@require_GET
def registers_page(request: HttpRequest) -> HttpResponseBase:
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = RegisterForm(request.GET, agencies=register_agencies(user), user=user)
    context: dict[str, Any] = {"form": form, "page_title": _("Registers of documents")}
    query = ""
    if form.is_valid():
        register = form.register()
        query = form.query_string()
        count = register.count(user)
        rows = list(register.rows(user, limit=PAGE_ROWS))
        inline_max = exports.inline_max_rows()
        context.update(
            register=register,
            columns=register.columns,
            rows=[row.texts() for row in rows],
            count=count,
            truncated=count > len(rows),
            xlsx_url=f"{reverse(REGISTERS_EXPORT, args=['xlsx'])}?{query}",
            pdf_url=f"{reverse(REGISTERS_EXPORT, args=['pdf'])}?{query}",
            # Too long to be made while the browser waits: prepared in the background.
            prepare=count > inline_max,
            inline_max=inline_max,
            prepare_xlsx_url=f"{reverse(REGISTERS_PREPARE, args=['xlsx'])}?{query}",
            prepare_pdf_url=f"{reverse(REGISTERS_PREPARE, args=['pdf'])}?{query}",
        )
    else:
        form.describe_errors()
    context.update(_exports_context(request, query))
    return TemplateResponse(request, "documents/admin/registers.html", context)


def _chosen_register(request: HttpRequest) -> tuple[Any, str] | HttpResponseBase:
    """The register the query asks for and the registers page showing it; or the answer when
    the user may not see registers (403) or the query is wrong (back to the page)."""
    if not _allowed(request):
        return forbidden(request)
    user = request.user
    form = RegisterForm(request.GET, agencies=register_agencies(user), user=user)
    if not form.is_valid():
        return redirect(f"{reverse(REGISTERS)}?{request.GET.urlencode()}")
    return form.register(), f"{reverse(REGISTERS)}?{form.query_string()}"


@require_GET
def registers_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The file, made while the browser waits: registers up to the inline limit only."""
    chosen = _chosen_register(request)
    if isinstance(chosen, HttpResponseBase):
        return chosen
    register, page = chosen
    user = request.user
    count = register.count(user)
    if count > exports.inline_max_rows():
        messages.info(
            request,
            _(
                "This register holds %(count)s documents, too many for its file to be made "
                "while you wait: ask for it to be prepared, and download it from “Your "
                "exports” when it is ready."
            )
            % {"count": count},
        )
        return redirect(page)
    rows = register.rows(user)
    if file_format == ExportFormat.XLSX:
        return _download(registers.to_xlsx(register, rows), XLSX_TYPE, register.file_name("xlsx"))
    try:
        body = registers.to_pdf(register, rows)
    except registers.FontsMissing:
        messages.error(request, _fonts_missing())
        return redirect(page)
    return _download(body, "application/pdf", register.file_name("pdf"))


def _fonts_missing() -> str:
    return _("The PDF file cannot be made now (its fonts are missing): download the XLSX file.")


@require_POST
def registers_prepare(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """Ask for the register's file to be made in the background (``exports``)."""
    chosen = _chosen_register(request)
    if isinstance(chosen, HttpResponseBase):
        return chosen
    register, page = chosen
    user = request.user
    if file_format == ExportFormat.PDF:
        try:
            registers.register_fonts()
        except registers.FontsMissing:
            messages.error(request, _fonts_missing())
            return redirect(page)
    try:
        exports.request_export(
            user,
            kind=register.kind,
            agency=register.agency,
            date_from=register.date_from,
            date_to=register.date_to,
            file_format=file_format,
        )
    except PermissionDenied:
        return forbidden(request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(page)
    messages.success(
        request,
        _(
            "The %(format)s file of the %(register)s is being prepared: it will appear under "
            "“Your exports”, ready to download, in a few minutes."
        )
        % {"format": ExportFormat(file_format).label, "register": register.heading},
    )
    return redirect(f"{page}#register-exports")


@require_GET
def exports_list(request: HttpRequest) -> HttpResponseBase:
    """ "Your exports" alone, for the page to refresh while a file is being made; 204 (no
    change) while what it shows is what the page holds (``?state=``)."""
    if not _allowed(request):
        return forbidden(request)
    query = request.GET.copy()
    known = query.pop("state", [""])[-1]
    context = _exports_context(request, query.urlencode())
    if known and known == context["exports_state"]:
        return HttpResponse(status=204)
    return TemplateResponse(request, "documents/admin/_register_exports.html", context)


@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A prepared file, streamed from the private storage to whoever may fetch it
    (``exports.may_download``; anyone else: 404); never kept in a cache."""
    if not _allowed(request):
        return forbidden(request)
    export = RegisterExport.objects.select_related("agency").filter(pk=pk).first()
    if export is None or not exports.may_download(request.user, export):
        raise Http404
    try:
        stream = exports.open_file(export)
    except FileNotFoundError:  # removed meanwhile (the purge removes the row first)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=exports.file_name(export),
        content_type=exports.content_type(export),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
        re_path(
            r"^so-van-ban/chuan-bi/(?P<file_format>xlsx|pdf)/$",
            registers_prepare,
            name=REGISTERS_PREPARE,
        ),
        path("so-van-ban/tep-da-xuat/", exports_list, name=EXPORTS),
        path("so-van-ban/tep-da-xuat/<int:pk>/", export_download, name=EXPORT_DOWNLOAD),
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
