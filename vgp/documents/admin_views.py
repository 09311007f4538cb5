"""Official documents in the back office (/quan-tri/van-ban/): the incoming and outgoing
lists, the document page with the forms of its steps, registering an incoming document,
drafting an outgoing one, "My work", "Tracking", the dashboard panel and the settings (document
types, review chains).

Thin doors over ``actions`` (the only code that changes a document) and ``queries`` (who sees
what): every list and page starts from ``queries.visible_documents(user)``, so a document the
user may not see is not listed and its page answers 404. The document page shows one form per
step the user may take now (small ``may_*`` predicates mirroring the actions' rules); each
form posts to its own address, calls one action and redirects back (post/redirect/get). An
action's ``ValidationError`` is shown on the form; its ``PermissionDenied`` is a 403 page with
the action's reason. The action is the authority: a step posted by someone the predicates
would not offer it to still reaches the action, which refuses it.

The lists stay fast on 100,000 documents: the page's ids are read first (ordered, filtered and
paginated on the index-friendly visibility condition of ``queries.visible_q``), then the rows
of that one page with everything the columns show (a fixed number of queries whatever the
number of rows); the total is counted up to :data:`COUNT_CAP` only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from vgp.accounts import permissions
from vgp.accounts.models import User
from vgp.accounts.permissions import ScopedPermissionPolicy, ViewOnlyPermissionPolicy
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency
from vgp.core.admin_refusals import reason_of, refused_page
from vgp.core.readonly_admin import ReadOnlyModelViewSet
from vgp.core.text import fold
from vgp.core.widgets import fast_selects, once_model_choices
from vgp.workdays.deadlines import VN_TZ

from . import actions, digital_signatures, files, numbering, queries, worklists
from . import forms as document_forms
from .display import choice_label, clip, document_url, short_date
from .forms import (
    APPROVE,
    GRANT,
    RETURN,
    AnnexForm,
    AssignForm,
    CloseForm,
    ConfirmForm,
    DirectForm,
    DispatchForm,
    DraftForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    GrantReaderForm,
    NoteForm,
    PresentForm,
    ReasonForm,
    RegisterIncomingForm,
    RegisterReceivedForm,
    ResultForm,
    ReviewForm,
    ReviewRuleForm,
    SaveVersionForm,
    StepForm,
    SubmitForm,
    SubtaskForm,
    add_action_errors,
    agency_label,
    person,
)
from .models import (
    INCOMING_OPEN,
    OUTGOING_OPEN,
    Access,
    AttachmentKind,
    Delivery,
    DeliveryStatus,
    Direction,
    Document,
    DocumentType,
    Event,
    EventKind,
    HandlingDirection,
    ReviewRule,
    ReviewStep,
    Secrecy,
    Status,
    Task,
    TaskRole,
    TaskStatus,
    Urgency,
)
from .queries import (
    PERM_ASSIGN,
    PERM_DIRECT,
    PERM_HANDLE,
    PERM_REGISTER,
    PERM_REPORT,
    PERM_SIGN,
    PERM_VIEW,
)

logger = logging.getLogger(__name__)

INCOMING = "documents_incoming"
OUTGOING = "documents_outgoing"
DOCUMENTS = "documents"
MENU_HOOK = "register_documents_menu_item"
ADMIN_CSS = "documents/admin.css"
ADMIN_JS = "documents/admin.js"
PER_PAGE = 50
# The lists count their rows up to this many (a count over a whole national register would
# cost more than the page itself); beyond it they say "more than 10,000".
COUNT_CAP = 10_000
# Ids asked of the full-text index for one search (best first).
SEARCH_LIMIT = 1000
# Rows shown in each section of "My work" and "Tracking".
SECTION_ROWS = 100
DASHBOARD_ROWS = 5
DOCUMENT_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.UNIT_HEAD, Role.LEADER})

URGENCY_SHORT = {
    Urgency.URGENT: gettext_lazy("Urgent"),
    Urgency.VERY_URGENT: gettext_lazy("Very urgent"),
    Urgency.FLASH: gettext_lazy("Flash"),
}
SECRECY_SHORT = {
    Secrecy.CONFIDENTIAL: gettext_lazy("Confidential"),
    Secrecy.SECRET: gettext_lazy("Secret"),
    Secrecy.TOP_SECRET: gettext_lazy("Top secret"),
}
OPEN_STATUSES = worklists.OPEN_STATUSES
DONE_STATUSES = (Status.CLOSED, Status.DISPATCHED)


# --- Permissions ---------------------------------------------------------------------------


# Officials view what ``queries.visible_documents`` gives them; nobody adds, edits or deletes a
# document here: every change is a step on the document page, through an action.
document_permission_policy = ViewOnlyPermissionPolicy(
    Document, view_perm=PERM_VIEW, can_view=queries.can_view, visible=queries.visible_documents
)
document_type_permission_policy = ScopedPermissionPolicy(DocumentType)
review_rule_permission_policy = ScopedPermissionPolicy(ReviewRule)


def refused(request: HttpRequest, reason: Any, *, document: Document | None = None) -> HttpResponse:
    """A refused step or page: 403 with the reason and the way back (to the document, else
    to the dashboard)."""
    if document is None:
        return refused_page(
            request,
            reason,
            back_url=reverse("wagtailadmin_home"),
            back_label=_("Back to the dashboard"),
        )
    return refused_page(
        request,
        reason,
        subtitle=str(document.reference),
        back_url=document_url(document),
        back_label=_("Back to %(reference)s") % {"reference": document.reference},
    )


# --- Display helpers -----------------------------------------------------------------------


def short_agency(agency: Agency | None) -> str:
    if agency is None:
        return ""
    return agency.abbreviation or agency.name


def list_url(document: Document) -> str:
    return reverse(f"{INCOMING if document.is_incoming else OUTGOING}:index")


def reference(document: Document) -> str:
    """How a list names a document: its incoming number, else its number and symbol."""
    if document.is_incoming:
        if document.arrival_number:
            return str(document.reference)
        return _("Not registered yet")
    return document.number_symbol or _("Draft")


def urgency_tag(document: Document) -> str:
    if not document.urgency:
        return ""
    return format_html(
        '<span class="documents-tag documents-tag--urgency documents-tag--urgency-{}">{}</span>',
        document.urgency,
        URGENCY_SHORT[Urgency(document.urgency)],
    )


def secrecy_tag(document: Document) -> str:
    if not document.secrecy:
        return ""
    return format_html(
        '<span class="documents-tag documents-tag--secrecy">{}</span>',
        SECRECY_SHORT[Secrecy(document.secrecy)],
    )


def due_html(due: dt.date | None, states: worklists.DueStates, *, active: bool = True) -> str:
    """A deadline with its state in words (overdue, due soon), never by colour alone."""
    if due is None:
        return "—"
    if not active:
        return short_date(due)
    state, words = states(due)
    if state == worklists.OVERDUE:
        return format_html(
            '<span class="documents-overdue"><span class="documents-nowrap">{}</span><br>'
            "<strong>{}</strong></span>",
            short_date(due),
            words,
        )
    if state == worklists.DUE_SOON:
        return format_html(
            '<span class="documents-nowrap">{}</span><br><strong class="documents-soon">{}</strong>',
            short_date(due),
            words,
        )
    return short_date(due)


def is_active(document: Document) -> bool:
    return document.status in OPEN_STATUSES


# --- List columns --------------------------------------------------------------------------


class ScopedHeader:
    """Column headers say they head their column (``<th scope="col">``)."""

    header_template_name = "documents/admin/column_header.html"


class DocumentColumn(ScopedHeader, Column):
    """A column of the document lists. Its cells are written by :meth:`cell_html` in Python,
    the whole body at once (:class:`DocumentTable`): a template per cell would cost more
    than the queries of the page."""

    @cached_property
    def label_html(self) -> str:
        """The label, translated and escaped once per page rather than once per cell."""
        return conditional_escape(str(self.label))

    @cached_property
    def classname_html(self) -> str:
        return conditional_escape(self.classname or "")

    def cell_html(self, instance: Document) -> str:
        # data-label: on a phone each row is a card, each cell preceded by its column's name.
        return (
            f'<td class="{self.classname_html}" data-label="{self.label_html}"><div>'
            f"{conditional_escape(self.get_value(instance))}</div></td>"
        )


class ReferenceColumn(DocumentColumn):
    def __init__(self, *args: Any, get_url: Callable[[Document], str], **kwargs: Any) -> None:
        self.get_url = get_url
        super().__init__(*args, **kwargs)

    def get_value(self, instance: Document) -> Any:
        return reference(instance)

    def cell_html(self, instance: Document) -> str:
        return (
            f'<td class="documents-ref {self.classname_html}" data-label="{self.label_html}">'
            f'<div><a href="{conditional_escape(self.get_url(instance))}">'
            f"{conditional_escape(self.get_value(instance))}</a></div></td>"
        )


class NumberDateColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        if instance.is_incoming:
            return format_html(
                "{}<br><small>{}</small>",
                instance.number_symbol,
                short_date(instance.document_date),
            )
        return short_date(instance.document_date or instance.created_at)


class SenderColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        return instance.issuer_name


class RecipientsColumn(DocumentColumn):
    shown = 3

    def get_value(self, instance: Document) -> Any:
        names = [delivery.recipient_name for delivery in instance.deliveries.all()]
        if not names:
            return "—"
        text = "; ".join(names[: self.shown])
        if len(names) > self.shown:
            more = len(names) - self.shown
            text += " " + ngettext("and %(n)d more", "and %(n)d more", more) % {"n": more}
        return text


class SummaryColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        return format_html(
            '<small class="documents-muted">{}</small><br>{}',
            instance.document_type.name_vi,
            clip(instance.summary, 180),
        )


class MarksColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        marks = [mark for mark in (urgency_tag(instance), secrecy_tag(instance)) if mark]
        if not marks:
            return "—"
        return format_html_join(" ", "{}", ((mark,) for mark in marks))


class DocumentStatusColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        return choice_label(Status, instance.status)

    def cell_html(self, instance: Document) -> str:
        primary = " w-status--primary" if instance.status in DONE_STATUSES else ""
        return (
            f'<td class="{self.classname_html}" data-label="{self.label_html}"><div>'
            f'<span class="w-status{primary}">'
            f"{conditional_escape(self.get_value(instance))}</span></div></td>"
        )


class HolderColumn(DocumentColumn):
    def get_value(self, instance: Document) -> Any:
        unit = short_agency(instance.holder_unit)
        if instance.holder_id:
            return format_html("{}<br><small>{}</small>", unit or "—", person(instance.holder))
        return unit or "—"


class DeadlineColumn(DocumentColumn):
    states: worklists.DueStates | None = None

    def get_value(self, instance: Document) -> Any:
        if self.states is None:
            self.states = worklists.DueStates()
        return due_html(instance.due_on, self.states, active=is_active(instance))


class DocumentTable(Table):
    """The document lists' table: Wagtail's headers (sortable), a body written in one pass.
    Urgent rows and overdue rows are marked (and said in words in their cells, not by colour
    alone)."""

    template_name = "documents/admin/document_table.html"
    caption: Any = ""

    def get_caption(self) -> Any:
        return self.caption

    @cached_property
    def today(self) -> dt.date:
        return worklists.today()

    def get_row_classname(self, instance: Any) -> str:
        classes = []
        if instance.urgency and is_active(instance):
            classes.append("documents-row--urgent")
        due = instance.due_on
        if due and due < self.today and is_active(instance):
            classes.append("documents-row--overdue")
        return " ".join(classes)

    def body_html(self) -> str:
        """Every cell escapes what it writes (:meth:`DocumentColumn.cell_html`)."""
        columns = list(self.columns.values())
        rows = []
        for instance in self.data:
            cells = "".join([column.cell_html(instance) for column in columns])
            classname = self.get_row_classname(instance)
            if classname:
                rows.append(f'<tr class="{classname}">{cells}</tr>')
            else:
                rows.append(f"<tr>{cells}</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 - the cells are escaped


# --- List filters --------------------------------------------------------------------------

OPEN = "open"
URGENT_ANY = "any"
CLASSIFIED_ANY = "any"


def _register_agencies(request: HttpRequest) -> QuerySet[Agency]:
    user = request.user
    if permissions.is_nationwide(user):
        return Agency.objects.filter(
            pk__in=Document.objects.order_by().values("agency_id").distinct()
        ).order_by("name_vi")
    return Agency.objects.filter(pk__in=permissions.agency_ids_of(user)).order_by("name_vi")


def _holder_units(request: HttpRequest) -> QuerySet[Agency]:
    return Agency.objects.filter(pk__in=permissions.agency_ids_of(request.user)).order_by("name_vi")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


class DateInputFilter(django_filters.DateFilter):
    field_class = forms.DateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", document_forms.DayFirstDateInput())
        super().__init__(*args, **kwargs)
        self.extra.setdefault("input_formats", document_forms.DATE_INPUT_FORMATS)
        self.extra.setdefault("error_messages", {"invalid": document_forms.DATE_INVALID})


class DocumentFilterSet(WagtailFilterSet):
    direction: str = Direction.INCOMING

    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=[], method="filter_status"
    )
    due = django_filters.ChoiceFilter(
        label=pgettext_lazy("documents deadline", "Deadline"),
        choices=[
            (worklists.OVERDUE, gettext_lazy("Overdue")),
            (worklists.DUE_SOON, gettext_lazy("Due within 3 working days")),
        ],
        method="filter_due",
    )
    document_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Type"), queryset=DocumentType.objects.order_by("sort_order", "code")
    )
    urgency = django_filters.ChoiceFilter(
        label=gettext_lazy("Urgency"),
        choices=[(URGENT_ANY, gettext_lazy("Urgent, very urgent or flash")), *Urgency.choices],
        method="filter_urgency",
    )
    secrecy = django_filters.ChoiceFilter(
        label=gettext_lazy("Secrecy"),
        choices=[(CLASSIFIED_ANY, gettext_lazy("Any classified level")), *Secrecy.choices],
        method="filter_secrecy",
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Register of"), queryset=_register_agencies
    )
    holder_unit = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Held by unit"), queryset=_holder_units
    )
    date_from = DateInputFilter(label=gettext_lazy("From (dd/mm/yyyy)"), method="filter_from")
    date_to = DateInputFilter(label=gettext_lazy("Until (dd/mm/yyyy)"), method="filter_to")

    class Meta:
        model = Document
        fields = [
            "status",
            "due",
            "document_type",
            "urgency",
            "secrecy",
            "agency",
            "holder_unit",
            "date_from",
            "date_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = INCOMING_OPEN if self.direction == Direction.INCOMING else OUTGOING_OPEN
        done = (
            (Status.CLOSED, Status.RETURNED_TO_SENDER, Status.RECALLED)
            if self.direction == Direction.INCOMING
            else (Status.DISPATCHED, Status.RECALLED)
        )
        field = self.form.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("All")),
            (OPEN, _("Open (every stage)")),
            *[(status.value, status.label) for status in (*statuses, *done)],
        ]
        fast_selects(self.form)
        once_model_choices(self.form)

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_due(self, queryset: Any, name: str, value: str) -> Any:
        day = worklists.today()
        query = (
            worklists.overdue_q(day) if value == worklists.OVERDUE else worklists.due_soon_q(day)
        )
        return queryset.filter(query, status__in=OPEN_STATUSES)

    def filter_urgency(self, queryset: Any, name: str, value: str) -> Any:
        if value == URGENT_ANY:
            return queryset.filter(urgency__gt=Urgency.NORMAL)
        return queryset.filter(urgency=int(value))

    def filter_secrecy(self, queryset: Any, name: str, value: str) -> Any:
        if value == CLASSIFIED_ANY:
            return queryset.filter(secrecy__gt=Secrecy.NONE)
        return queryset.filter(secrecy=int(value))

    def _date_field(self) -> str:
        return "received_at" if self.direction == Direction.INCOMING else "document_date"

    def filter_from(self, queryset: Any, name: str, value: dt.date) -> Any:
        if self.direction == Direction.INCOMING:
            return queryset.filter(received_at__gte=_day_start(value))
        return queryset.filter(document_date__gte=value)

    def filter_to(self, queryset: Any, name: str, value: dt.date) -> Any:
        if self.direction == Direction.INCOMING:
            return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))
        return queryset.filter(document_date__lte=value)


class IncomingFilterSet(DocumentFilterSet):
    direction = Direction.INCOMING


class OutgoingFilterSet(DocumentFilterSet):
    direction = Direction.OUTGOING


# --- Searching -----------------------------------------------------------------------------

INCOMING_REFERENCE = re.compile(r"^\s*(\d{1,7})\s*/\s*(\d{4})\s*(-\s*M)?\s*$", re.IGNORECASE)
CLASSIFIED_SERIES = numbering.incoming_series(Secrecy.SECRET)
DIGITS = re.compile(r"^\s*(\d{1,7})\s*$")


def full_text_ids(text: str, *, direction: str) -> list[int] | None:
    """Ids from the full-text index (``search_index.search_ids``), best first; ``None`` when
    the index (or the module) is not there or fails, so that the caller falls back."""
    try:
        from . import search_index
    except ImportError:
        return None
    search_ids = getattr(search_index, "search_ids", None)
    if search_ids is None:
        return None
    try:
        return list(search_ids(text, direction=direction, limit=SEARCH_LIMIT))
    except Exception:
        logger.warning("documents: full-text search failed; searching the summaries", exc_info=True)
        return None


def search_documents(
    queryset: QuerySet[Document], text: str, *, direction: str
) -> tuple[QuerySet[Document], list[int] | None]:
    """``queryset`` (what the user may see) narrowed to ``text``, and the ids in the order of
    relevance when the full-text index answered (else None):

    1. an incoming number ("12/2026", "12/2026-M" in the classified register, or "12" in any
       year);
    2. a number and symbol written any way ("15/qd-bnv") — exactly;
    3. the full-text index, when there (diacritics-insensitive, files' text), intersected with
       ``queryset``;
    4. else the summary (contains) or the folded metadata (without diacritics).
    """
    text = text.strip()
    if not text:
        return queryset, None
    if direction == Direction.INCOMING:
        match = INCOMING_REFERENCE.match(text)
        if match:
            # "05/2026" and "05/2026-M" (the classified register) are two documents.
            found = queryset.filter(
                arrival_number=int(match.group(1)), arrival_year=int(match.group(2))
            )
            if match.group(3):
                return found.filter(series_key=CLASSIFIED_SERIES), None
            return found.exclude(series_key=CLASSIFIED_SERIES), None
        match = DIGITS.match(text)
        if match:
            return queryset.filter(arrival_number=int(match.group(1))), None
    try:
        symbol = numbering.parse_symbol(text)
    except numbering.SymbolError:
        symbol = None
    if symbol is not None:
        exact = queryset.filter(number_symbol=symbol.canonical)
        if exact.exists():
            return exact, None
    ids = full_text_ids(text, direction=direction)
    if ids:
        return queryset.filter(pk__in=ids), ids
    folded = fold(text)
    return queryset.filter(Q(summary__icontains=text) | Q(search_text__contains=folded)), None


# --- The lists -----------------------------------------------------------------------------


URGENT_OPEN = Q(urgency__gt=Urgency.NORMAL, status__in=OPEN_STATUSES)


class UrgentFirst:
    """The ids of a list, paged like a list: the open urgent documents first (most urgent
    first, then in ``order``), then every other document in ``order``.

    Two queries rather than one ``ORDER BY CASE …``: the second, the long one, keeps an
    index-friendly order (the newest first walks the primary key backwards and stops after a
    page), where sorting every visible row by an expression reads them all. The open urgent
    documents are few, and found through ``documents_status_idx``."""

    def __init__(self, queryset: QuerySet[Document], order: Sequence[Any]) -> None:
        self.base = queryset.order_by()
        self.urgent = (
            queryset.filter(URGENT_OPEN).order_by("-urgency", *order).values_list("pk", flat=True)
        )
        self.rest = queryset.exclude(URGENT_OPEN).order_by(*order).values_list("pk", flat=True)

    def count(self) -> int:
        """How many, up to :data:`COUNT_CAP` + 1 (a page costs the same on any register)."""
        return int(self.base.values("pk")[: COUNT_CAP + 1].count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[int]:
        start = key.start or 0
        size = (key.stop or start) - start
        first = list(self.urgent[start : start + size])
        if len(first) == size:
            return first
        if first:
            urgent_total = start + len(first)
        elif start == 0:
            urgent_total = 0
        else:
            urgent_total = self.urgent.count()
        offset = max(0, start - urgent_total)
        return first + list(self.rest[offset : offset + size - len(first)])


class CappedPaginator(WagtailPaginator):
    """Pages an :class:`UrgentFirst` (or any list), counted up to :data:`COUNT_CAP`."""

    @cached_property
    def count(self) -> int:
        return len(self.object_list)

    @cached_property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @cached_property
    def items_count_label(self) -> str:
        if self.capped:
            return _("More than %(count)s documents") % {"count": f"{COUNT_CAP:,}"}
        return ngettext("%(count)d document", "%(count)d documents", self.count) % {
            "count": self.count
        }


# Long texts no list shows (a draft's content can run to pages).
LIST_DEFERRED = ("content", "search_text", "recall_reason")


def with_list_data(queryset: QuerySet[Document], direction: str) -> QuerySet[Document]:
    """What a list shows, in a fixed number of queries whatever the number of rows."""
    rows = queryset.select_related("document_type", "holder_unit", "holder").defer(*LIST_DEFERRED)
    if direction == Direction.OUTGOING:
        rows = rows.prefetch_related("deliveries")
    return rows


# Sort keys of the lists' columns. "created" (the primary key) follows the order documents
# entered the register, and walks an index: it is the default, the newest first.
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "arrival": ("arrival_year", "arrival_number", "pk"),
    "-arrival": ("-arrival_year", "-arrival_number", "-pk"),
    "document_date": ("document_date", "pk"),
    "-document_date": ("-document_date", "-pk"),
    "due_on": (F("due_on").asc(nulls_last=True), "-pk"),
    "-due_on": (F("due_on").desc(nulls_last=True), "-pk"),
    "status": ("status", "-pk"),
    "-status": ("-status", "-pk"),
    "created": ("pk",),
    "-created": ("-pk",),
}


class DocumentIndexView(generic.IndexView):
    direction: str = Direction.INCOMING
    table_class = DocumentTable
    paginator_class = CappedPaginator
    template_name = "documents/admin/index.html"
    results_template_name = "documents/admin/index_results.html"
    table_classname = "listing documents-list"
    search_fields = ["summary"]
    search_backend_name = None

    def get_base_queryset(self) -> Any:
        return queries.visible_documents(self.request.user).filter(direction=self.direction)

    def get_valid_orderings(self) -> list[str]:
        return list(ORDERINGS)

    rank: list[int] | None = None

    def order_queryset(self, queryset: Any) -> Any:
        # The order is given when paging (UrgentFirst): open urgent documents first.
        return queryset

    def list_order(self) -> tuple[Any, ...]:
        return ORDERINGS.get(self.ordering or "", ORDERINGS[self.default_ordering])

    def ranked_ids(self, queryset: Any) -> list[int]:
        """The ids of a full-text search's answer (at most :data:`SEARCH_LIMIT`) that the user
        may see, ordered in Python as :class:`UrgentFirst` orders a list: the open urgent
        first, then by relevance. One query; a thousand-branch ``CASE`` would cost more to
        compile than to run."""
        assert self.rank is not None
        position = {pk: index for index, pk in enumerate(self.rank)}
        rows = list(queryset.order_by().values_list("pk", "urgency", "status"))
        urgent = [row for row in rows if row[1] > Urgency.NORMAL and row[2] in OPEN_STATUSES]
        urgent.sort(key=lambda row: (-row[1], position.get(row[0], len(position))))
        chosen = {row[0] for row in urgent}
        rest = sorted(
            (row[0] for row in rows if row[0] not in chosen),
            key=lambda pk: position.get(pk, len(position)),
        )
        return [row[0] for row in urgent] + rest

    def search_queryset(self, queryset: Any) -> Any:
        if not self.is_searching:
            return queryset
        found, self.rank = search_documents(queryset, self.search_query, direction=self.direction)
        return found

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        """Page through ids, then load the page's rows with what the columns show."""
        ids: Any
        if self.rank is not None and not self.is_explicitly_ordered:
            ids = self.ranked_ids(queryset)
        else:
            ids = UrgentFirst(queryset, self.list_order())
        paginator = self.get_paginator(ids, page_size, orphans=0, allow_empty_first_page=True)
        page: Page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        wanted = list(page.object_list)
        found = with_list_data(Document.objects.filter(pk__in=wanted), self.direction).in_bulk()
        page.object_list = [found[pk] for pk in wanted if pk in found]
        return paginator, page, page.object_list, page.has_other_pages()

    def get_table(self, object_list: Any) -> Any:
        table = super().get_table(object_list)
        table.caption = self.get_page_title()
        return table

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        paginator = context.get("paginator")
        context["count_capped"] = bool(paginator is not None and paginator.capped)
        context["count_cap"] = COUNT_CAP
        context["admin_css"] = ADMIN_CSS
        context["noscript_filters"] = self._noscript_filters()
        return context

    @cached_property
    def header_buttons(self) -> list[Any]:
        return [
            HeaderButton(label, url=url, icon_name="plus") for url, label in self.page_actions()
        ]

    def _noscript_filters(self) -> Any:
        """The same filters as a plain form, for a browser without JavaScript (Wagtail's
        drop-down needs it), with ids of its own so that both can live in one page."""
        if not self.filters:
            return None
        filterset = self.filterset_class(**self.get_filterset_kwargs())
        filterset.form.auto_id = "nojs_%s"
        once_model_choices(filterset.form, shared_with=self.filters.form)
        return filterset.form

    def page_actions(self) -> list[tuple[str, str]]:
        return []

    @cached_property
    def columns(self) -> list[Any]:
        return self.document_columns()

    def document_columns(self) -> list[Any]:
        raise NotImplementedError


class IncomingIndexView(DocumentIndexView):
    direction = Direction.INCOMING
    default_ordering = "-created"
    page_title = gettext_lazy("Incoming documents")

    def page_actions(self) -> list[tuple[str, str]]:
        if permissions.can(self.request.user, PERM_REGISTER):
            return [(reverse(f"{DOCUMENTS}:register"), _("Register an incoming document"))]
        return []

    def document_columns(self) -> list[Any]:
        return [
            ReferenceColumn(
                "reference",
                label=gettext_lazy("Incoming no."),
                get_url=document_url,
                sort_key="created",
                classname="documents-nowrap",
            ),
            NumberDateColumn(
                "number_symbol",
                label=gettext_lazy("Number, symbol · date"),
                sort_key="document_date",
                classname="documents-nowrap",
            ),
            SenderColumn("issuer_name", label=gettext_lazy("Sender"), classname="documents-who"),
            SummaryColumn(
                "summary", label=gettext_lazy("Type · summary"), classname="documents-what"
            ),
            MarksColumn(
                "marks", label=gettext_lazy("Urgency · secrecy"), classname="documents-marks"
            ),
            DocumentStatusColumn(
                "status",
                label=gettext_lazy("Status"),
                sort_key="status",
                classname="documents-status",
            ),
            HolderColumn("holder", label=gettext_lazy("Held by"), classname="documents-holder"),
            DeadlineColumn(
                "due_on",
                label=pgettext_lazy("documents deadline", "Deadline"),
                sort_key="due_on",
                classname="documents-due",
            ),
        ]


class OutgoingIndexView(DocumentIndexView):
    direction = Direction.OUTGOING
    default_ordering = "-created"
    page_title = gettext_lazy("Outgoing documents")

    def page_actions(self) -> list[tuple[str, str]]:
        if permissions.can(self.request.user, PERM_HANDLE):
            return [(reverse(f"{DOCUMENTS}:draft"), _("Draft an outgoing document"))]
        return []

    def document_columns(self) -> list[Any]:
        return [
            ReferenceColumn(
                "reference",
                label=gettext_lazy("Number and symbol"),
                get_url=document_url,
                sort_key="created",
                classname="documents-nowrap",
            ),
            NumberDateColumn(
                "document_date",
                label=gettext_lazy("Date"),
                sort_key="document_date",
                classname="documents-nowrap",
            ),
            RecipientsColumn(
                "recipients", label=gettext_lazy("Recipients"), classname="documents-who"
            ),
            SummaryColumn(
                "summary", label=gettext_lazy("Type · summary"), classname="documents-what"
            ),
            MarksColumn(
                "marks", label=gettext_lazy("Urgency · secrecy"), classname="documents-marks"
            ),
            DocumentStatusColumn(
                "status",
                label=gettext_lazy("Status"),
                sort_key="status",
                classname="documents-status",
            ),
            HolderColumn("holder", label=gettext_lazy("Held by"), classname="documents-holder"),
            DeadlineColumn(
                "due_on",
                label=pgettext_lazy("documents deadline", "Deadline"),
                sort_key="due_on",
                classname="documents-due",
            ),
        ]


class DocumentListViewSet(ReadOnlyModelViewSet):
    """A list of one register direction; each row links to the document page."""

    model = Document
    menu_hook = MENU_HOOK
    permission_policy = document_permission_policy
    search_fields = ["summary"]
    search_backend_name = None
    list_per_page = PER_PAGE

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["inspect_url_name"] = f"{DOCUMENTS}:document"
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class IncomingViewSet(DocumentListViewSet):
    icon = "download"
    menu_label = gettext_lazy("Incoming documents")
    menu_name = "documents-incoming"
    menu_order = 10
    url_prefix = "van-ban/den"
    url_namespace = INCOMING
    index_view_class = IncomingIndexView
    filterset_class = IncomingFilterSet


class OutgoingViewSet(DocumentListViewSet):
    icon = "upload"
    menu_label = gettext_lazy("Outgoing documents")
    menu_name = "documents-outgoing"
    menu_order = 20
    url_prefix = "van-ban/di"
    url_namespace = OUTGOING
    index_view_class = OutgoingIndexView
    filterset_class = OutgoingFilterSet


# --- What the user may do on one document --------------------------------------------------


class Facts:
    """What the document page needs to know about the user and the document, each read once
    (the ``may_*`` predicates below ask it; the actions decide)."""

    def __init__(self, user: Any, document: Document) -> None:
        self.user = user
        self.document = document
        self.today = worklists.today()

    def can(self, perm: str) -> bool:
        return permissions.can(self.user, perm)

    @cached_property
    def nationwide(self) -> bool:
        return permissions.is_nationwide(self.user)

    @cached_property
    def in_register(self) -> bool:
        return queries.acts_for(self.user, self.document.agency_id)

    @cached_property
    def involved(self) -> bool:
        """Works in the register's organisation, or takes part in the document (as the
        actions' ``_require`` asks)."""
        if self.in_register:
            return True
        return Access.objects.filter(
            Q(user_id=self.user.pk) | Q(unit_id__in=queries.unit_ids_of(self.user)),
            document=self.document,
        ).exists()

    @cached_property
    def tasks(self) -> list[Task]:
        rows = list(
            self.document.tasks.select_related("unit", "handler", "direction").order_by(
                "created_at", "id"
            )
        )
        for task in rows:
            task.document = self.document
        return rows

    def task(self, pk: int) -> Task:
        for task in self.tasks:
            if task.pk == pk:
                return task
        raise Http404

    @cached_property
    def pending(self) -> list[ReviewStep]:
        if self.document.status != Status.IN_REVIEW:
            return []
        steps = actions.pending_steps(self.user, self.document)
        for step in steps:
            step.document = self.document
        return steps

    def review_step(self, pk: int) -> ReviewStep:
        step = self.document.review_steps.filter(pk=pk).first()
        if step is None:
            raise Http404
        step.document = self.document
        return step

    @cached_property
    def deliveries(self) -> list[Delivery]:
        rows = list(self.document.deliveries.select_related("recipient").order_by("id"))
        for delivery in rows:
            delivery.document = self.document
        return rows

    def delivery(self, pk: int) -> Delivery:
        for delivery in self.deliveries:
            if delivery.pk == pk:
                return delivery
        raise Http404

    # Mirrors of actions._may_manage_task and actions._may_work.
    def may_manage_task(self, task: Task) -> bool:
        if self.nationwide:
            return True
        if self.can(PERM_DIRECT) and self.in_register:
            return True
        return self.can(PERM_ASSIGN) and queries.in_unit(self.user, task.unit_id)

    def may_work(self, task: Task) -> bool:
        return task.handler_id == self.user.pk or self.may_manage_task(task)

    def in_task_unit(self, task: Task) -> bool:
        """The task's handler, or the head of its unit: those who do the unit's work (a
        leader, whom the actions also let in, directs instead and is not offered these)."""
        if task.handler_id == self.user.pk or self.nationwide:
            return True
        return self.can(PERM_ASSIGN) and queries.in_unit(self.user, task.unit_id)

    def works_on_tasks(self) -> bool:
        return (self.can(PERM_HANDLE) or self.can(PERM_ASSIGN)) and self.involved

    @cached_property
    def lead_task(self) -> Task | None:
        leads = [
            task
            for task in self.tasks
            if task.role == TaskRole.LEAD and task.status != TaskStatus.CANCELLED
        ]
        return leads[-1] if leads else None

    @cached_property
    def may_change_draft(self) -> bool:
        """actions._require_drafter: the drafter, or their unit."""
        document = self.document
        if document.status != Status.DRAFT or not self.can(PERM_HANDLE) or not self.involved:
            return False
        return (
            self.nationwide
            or document.drafted_by_id == self.user.pk
            or queries.in_unit(self.user, document.drafting_unit_id)
        )


def _status_in(facts: Facts, *statuses: str) -> bool:
    return facts.document.status in statuses


def may_register_received(f: Facts, _target: Any) -> bool:
    return _status_in(f, Status.RECEIVED) and f.can(PERM_REGISTER) and f.involved


def may_present(f: Facts, _target: Any) -> bool:
    return (
        _status_in(f, Status.REGISTERED, Status.PRESENTED) and f.can(PERM_REGISTER) and f.involved
    )


def may_direct(f: Facts, _target: Any) -> bool:
    return (
        _status_in(f, Status.REGISTERED, Status.PRESENTED, Status.DIRECTED, Status.IN_PROGRESS)
        and f.can(PERM_DIRECT)
        and f.involved
    )


def may_report_done(f: Facts, _target: Any) -> bool:
    lead = f.lead_task
    return (
        _status_in(f, Status.IN_PROGRESS)
        and f.can(PERM_HANDLE)
        and f.involved
        and lead is not None
        and lead.status == TaskStatus.OPEN
        and f.may_work(lead)
    )


def may_close(f: Facts, _target: Any) -> bool:
    return (
        f.document.is_incoming
        and _status_in(f, *INCOMING_OPEN)
        and f.document.status != Status.RECEIVED
        and f.can(PERM_DIRECT)
        and f.involved
    )


def may_return_to_sender(f: Facts, _target: Any) -> bool:
    return _status_in(f, Status.RECEIVED, Status.REGISTERED) and f.can(PERM_REGISTER) and f.involved


def _task_open(f: Facts, task: Task) -> bool:
    return task.status == TaskStatus.OPEN and _status_in(f, Status.DIRECTED, Status.IN_PROGRESS)


def may_assign(f: Facts, task: Task) -> bool:
    return (
        _task_open(f, task)
        and task.role != TaskRole.SUBTASK
        and f.can(PERM_ASSIGN)
        and f.involved
        and f.may_manage_task(task)
    )


def may_add_subtask(f: Facts, task: Task) -> bool:
    return (
        _task_open(f, task)
        and task.role != TaskRole.SUBTASK
        and f.works_on_tasks()
        and f.may_work(task)
        and f.in_task_unit(task)
    )


def may_complete(f: Facts, task: Task) -> bool:
    return (
        task.role != TaskRole.LEAD
        and task.status == TaskStatus.OPEN
        and f.works_on_tasks()
        and f.may_work(task)
        and f.in_task_unit(task)
    )


def may_request_extension(f: Facts, task: Task) -> bool:
    return (
        task.status == TaskStatus.OPEN
        and task.extension_requested_to is None
        and f.works_on_tasks()
        and task.handler_id == f.user.pk
    )


def may_decide_extension(f: Facts, task: Task) -> bool:
    return task.extension_requested_to is not None and f.can(PERM_DIRECT) and f.involved


def may_return_task(f: Facts, task: Task) -> bool:
    return (
        task.status == TaskStatus.OPEN
        and task.role != TaskRole.SUBTASK
        and f.works_on_tasks()
        and f.may_work(task)
        and f.in_task_unit(task)
    )


def may_note(f: Facts, _target: Any) -> bool:
    return f.can(PERM_VIEW)


def may_grant_reader(f: Facts, _target: Any) -> bool:
    return (
        f.document.is_classified
        and (f.can(PERM_DIRECT) or f.can(PERM_REGISTER))
        and f.involved
        and f.document.status != Status.RECALLED
    )


def may_save_version(f: Facts, _target: Any) -> bool:
    return f.may_change_draft


def may_submit(f: Facts, _target: Any) -> bool:
    return f.may_change_draft


def may_review(f: Facts, step: ReviewStep) -> bool:
    return any(pending.pk == step.pk for pending in f.pending)


def may_add_annex(f: Facts, _target: Any) -> bool:
    return f.may_change_draft


def may_remove_annex(f: Facts, _annex: Any) -> bool:
    return f.may_change_draft


def may_sign(f: Facts, _target: Any) -> bool:
    return (
        _status_in(f, Status.APPROVED)
        and f.document.signer_id == f.user.pk
        and f.document.signed_at is None
        and f.can(PERM_SIGN)
    )


def may_issue(f: Facts, _target: Any) -> bool:
    return _status_in(f, Status.APPROVED) and f.can(PERM_REGISTER) and f.involved


def may_dispatch(f: Facts, _target: Any) -> bool:
    return _status_in(f, Status.ISSUED) and f.can(PERM_REGISTER) and f.involved


def may_mark_sent_on_paper(f: Facts, delivery: Delivery) -> bool:
    return (
        _status_in(f, Status.DISPATCHED)
        and delivery.status == DeliveryStatus.QUEUED
        and f.can(PERM_REGISTER)
        and f.involved
    )


def may_recall(f: Facts, _target: Any) -> bool:
    return (
        not f.document.is_incoming
        and _status_in(f, Status.ISSUED, Status.DISPATCHED)
        and (f.can(PERM_SIGN) or f.can(PERM_REGISTER))
        and f.involved
    )


def may_draft_reply(f: Facts) -> bool:
    return (
        f.document.is_incoming
        and f.document.status not in (Status.RECEIVED, Status.RETURNED_TO_SENDER, Status.RECALLED)
        and f.can(PERM_HANDLE)
    )


def may_draft_replacement(f: Facts) -> bool:
    return (
        not f.document.is_incoming
        and f.document.status == Status.RECALLED
        and f.can(PERM_HANDLE)
        and f.in_register
    )


# --- What each step does --------------------------------------------------------------------


def _register_received(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    document = actions.register_received(
        f.user,
        f.document,
        due_on=data.get("due_on"),
        allow_duplicate=bool(data.get("allow_duplicate")),
    )
    return _("Registered as incoming no. %(number)s.") % {"number": document.reference}


def _present(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.present(f.user, f.document, leader=data["leader"], note=data.get("note", ""))
    return _("%(number)s presented to %(name)s.") % {
        "number": f.document.reference,
        "name": person(data["leader"]),
    }


def _direct(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    lead = data.get("lead_unit")
    if lead is None:
        raise ValidationError({"lead_unit": _("Choose the lead unit.")})
    actions.direct(
        f.user,
        f.document,
        lead_unit=lead,
        supporting_units=data.get("supporting_units") or [],
        due_on=data.get("due_on"),
        instructions=data.get("instructions", ""),
    )
    return _("Direction recorded: %(unit)s leads the handling.") % {"unit": agency_label(lead)}


def _report_done(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.report_done(f.user, f.document, result=data.get("result", ""))
    return _("Handling reported done; the leader closes it.")


def _close(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.close(f.user, f.document, note=data.get("note", ""))
    return _("%(number)s closed.") % {"number": f.document.reference}


def _return_to_sender(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.return_to_sender(f.user, f.document, reason=data.get("reason", ""))
    return _("%(number)s returned to its sender.") % {"number": f.document.reference}


def _assign(f: Facts, task: Task, data: dict[str, Any]) -> str:
    actions.assign_handler(f.user, task, data["handler"], note=data.get("note", ""))
    return _("%(name)s handles the task of %(unit)s.") % {
        "name": person(data["handler"]),
        "unit": short_agency(task.unit),
    }


def _add_subtask(f: Facts, task: Task, data: dict[str, Any]) -> str:
    actions.add_subtask(
        f.user,
        task,
        handler=data["handler"],
        title=data.get("title", ""),
        due_on=data.get("due_on"),
    )
    return _("Sub-task given to %(name)s.") % {"name": person(data["handler"])}


def _complete(f: Facts, task: Task, data: dict[str, Any]) -> str:
    actions.complete_task(f.user, task, result=data.get("result", ""))
    return _("Task done.")


def _request_extension(f: Facts, task: Task, data: dict[str, Any]) -> str:
    actions.request_extension(f.user, task, until=data["until"], reason=data.get("reason", ""))
    return _("Extension asked until %(date)s.") % {"date": short_date(data["until"])}


def _decide_extension(f: Facts, task: Task, data: dict[str, Any]) -> str:
    grant = data.get("decision") == GRANT
    task = actions.decide_extension(
        f.user, task, grant=grant, until=data.get("until"), reason=data.get("reason", "")
    )
    if grant:
        return _("Extension granted: new deadline %(date)s.") % {"date": short_date(task.due_on)}
    return _("Extension refused.")


def _return_task(f: Facts, task: Task, data: dict[str, Any]) -> str:
    actions.return_task(f.user, task, reason=data.get("reason", ""))
    return _("Task returned with its reason.")


def _note(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.add_note(f.user, f.document, text=data.get("text", ""))
    return _("Note added.")


def _grant_reader(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.grant_reader(f.user, f.document, data["reader"])
    return _("%(name)s may now read this document.") % {"name": person(data["reader"])}


def _save_version(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    version = actions.save_version(
        f.user,
        f.document,
        summary=data.get("summary", ""),
        content=data.get("content", ""),
        file=data.get("file"),
        note=data.get("note", ""),
    )
    return _("Version %(n)d saved.") % {"n": version.number}


def _submit(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.submit_for_review(f.user, f.document, opinion_units=data.get("opinion_units") or [])
    return _("Draft sent for review.")


def _review(f: Facts, step: ReviewStep, data: dict[str, Any]) -> str:
    decision = data.get("decision") or APPROVE
    actions.review(f.user, step, decision=decision, comment=data.get("comment", ""))
    if decision == APPROVE:
        return _("Approved at your step.")
    if decision == RETURN:
        return _("Draft returned to the drafter.")
    return _("Comment added.")


def _add_annex(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    annex = actions.add_annex(f.user, f.document, file=data["file"])
    return _("Annex %(name)s added.") % {"name": annex.original_name}


def _remove_annex(f: Facts, annex: Any, data: dict[str, Any]) -> str:
    actions.remove_annex(f.user, annex)
    return _("Annex %(name)s removed.") % {"name": annex.original_name}


def _sign(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.sign(f.user, f.document)
    return _("Signed. The clerk can now issue it.")


def _issue(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    document = actions.issue(f.user, f.document)
    return _("Issued as %(symbol)s.") % {"symbol": document.number_symbol}


def _dispatch(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.dispatch(f.user, f.document, on_paper=data.get("on_paper") or [])
    return _("%(symbol)s dispatched.") % {"symbol": f.document.number_symbol}


def _mark_sent_on_paper(f: Facts, delivery: Delivery, data: dict[str, Any]) -> str:
    actions.mark_sent_on_paper(f.user, delivery)
    return _("Sent on paper to %(name)s.") % {"name": delivery.recipient_name}


def _recall(f: Facts, _target: Any, data: dict[str, Any]) -> str:
    actions.recall(f.user, f.document, reason=data.get("reason", ""))
    return _("%(symbol)s recalled; the recipients' copies are frozen.") % {
        "symbol": f.document.number_symbol
    }


# --- The steps ------------------------------------------------------------------------------

TaskTargets = Callable[[Facts], Sequence[Any]]


def _document_only(_f: Facts) -> Sequence[Any]:
    return [None]


def _tasks(f: Facts) -> Sequence[Any]:
    return f.tasks


def _pending(f: Facts) -> Sequence[Any]:
    return f.pending


def _queued_deliveries(f: Facts) -> Sequence[Any]:
    return [d for d in f.deliveries if d.status == DeliveryStatus.QUEUED]


def _find_task(f: Facts, pk: int) -> Any:
    return f.task(pk)


def _find_review_step(f: Facts, pk: int) -> Any:
    return f.review_step(pk)


def _find_delivery(f: Facts, pk: int) -> Any:
    return f.delivery(pk)


def _annexes(f: Facts) -> Sequence[Any]:
    return [a for a in f.document.attachments.all() if a.kind == AttachmentKind.ANNEX]


def _find_annex(f: Facts, pk: int) -> Any:
    return next((a for a in _annexes(f) if a.pk == pk), None)


@dataclass(frozen=True)
class Step:
    """One thing that can be done to a document (or to one of its tasks, review steps or
    deliveries): its form, who may do it now, and its action."""

    name: str
    heading: Any
    button: Any
    form_class: type[StepForm]
    allowed: Callable[[Facts, Any], bool]
    run: Callable[[Facts, Any, dict[str, Any]], str]
    targets: TaskTargets = _document_only
    find: Callable[[Facts, int], Any] | None = None
    intro: Any = ""
    danger: bool = False

    def key(self, target: Any) -> str:
        return self.name if target is None else f"{self.name}-{target.pk}"

    def form(self, facts: Facts, target: Any, data: Any = None, files_: Any = None) -> StepForm:
        return self.form_class(
            facts.user, facts.document, target, data, files_, prefix=self.key(target)
        )

    def url(self, document: Document, target: Any) -> str:
        if target is None:
            return reverse(f"{DOCUMENTS}:step", args=[document.pk, self.name])
        return reverse(f"{DOCUMENTS}:step_target", args=[document.pk, self.name, target.pk])

    @property
    def multipart(self) -> bool:
        return any(isinstance(f, forms.FileField) for f in self.form_class.base_fields.values())


STEPS: list[Step] = [
    Step(
        "register",
        gettext_lazy("Register it"),
        gettext_lazy("Register"),
        RegisterReceivedForm,
        may_register_received,
        _register_received,
        intro=gettext_lazy("It gets the next incoming number; the sender sees it registered."),
    ),
    Step(
        "present",
        gettext_lazy("Present to a leader"),
        gettext_lazy("Present"),
        PresentForm,
        may_present,
        _present,
    ),
    Step(
        "direct",
        gettext_lazy("Direct the handling"),
        gettext_lazy("Record the direction"),
        DirectForm,
        may_direct,
        _direct,
        intro=gettext_lazy("A new direction replaces the open tasks of an earlier one."),
    ),
    Step(
        "assign",
        gettext_lazy("Assign a handler"),
        gettext_lazy("Assign"),
        AssignForm,
        may_assign,
        _assign,
        targets=_tasks,
        find=_find_task,
    ),
    Step(
        "report",
        gettext_lazy("Report the handling done"),
        gettext_lazy("Report"),
        ResultForm,
        may_report_done,
        _report_done,
    ),
    Step(
        "subtask",
        gettext_lazy("Give a sub-task"),
        gettext_lazy("Give the sub-task"),
        SubtaskForm,
        may_add_subtask,
        _add_subtask,
        targets=_tasks,
        find=_find_task,
    ),
    Step(
        "complete",
        gettext_lazy("Mark the task done"),
        gettext_lazy("Done"),
        ResultForm,
        may_complete,
        _complete,
        targets=_tasks,
        find=_find_task,
    ),
    Step(
        "extension",
        gettext_lazy("Ask for more time"),
        gettext_lazy("Ask"),
        ExtensionRequestForm,
        may_request_extension,
        _request_extension,
        targets=_tasks,
        find=_find_task,
    ),
    Step(
        "decide_extension",
        gettext_lazy("Decide on the extension asked"),
        gettext_lazy("Decide"),
        ExtensionDecisionForm,
        may_decide_extension,
        _decide_extension,
        targets=_tasks,
        find=_find_task,
    ),
    Step(
        "return_task",
        gettext_lazy("Return the task"),
        gettext_lazy("Return"),
        ReasonForm,
        may_return_task,
        _return_task,
        targets=_tasks,
        find=_find_task,
        intro=gettext_lazy("Not your unit's remit: say why. A lead task goes back to the leader."),
        danger=True,
    ),
    Step(
        "close",
        gettext_lazy("Close"),
        gettext_lazy("Close the document"),
        CloseForm,
        may_close,
        _close,
    ),
    Step(
        "return_to_sender",
        gettext_lazy("Return to the sender"),
        gettext_lazy("Return to the sender"),
        ReasonForm,
        may_return_to_sender,
        _return_to_sender,
        intro=gettext_lazy("Invalid, incomplete or not for this organisation."),
        danger=True,
    ),
    Step(
        "save_version",
        gettext_lazy("Save a new version"),
        gettext_lazy("Save the version"),
        SaveVersionForm,
        may_save_version,
        _save_version,
    ),
    Step(
        "submit",
        gettext_lazy("Send for review"),
        gettext_lazy("Send for review"),
        SubmitForm,
        may_submit,
        _submit,
    ),
    Step(
        "review",
        gettext_lazy("Review"),
        gettext_lazy("Send the decision"),
        ReviewForm,
        may_review,
        _review,
        targets=_pending,
        find=_find_review_step,
    ),
    Step(
        "add_annex",
        gettext_lazy("Add an annex"),
        gettext_lazy("Add the annex"),
        AnnexForm,
        may_add_annex,
        _add_annex,
    ),
    Step(
        "remove_annex",
        gettext_lazy("Remove the annex"),
        gettext_lazy("Remove"),
        ConfirmForm,
        may_remove_annex,
        _remove_annex,
        targets=_annexes,
        find=_find_annex,
        danger=True,
    ),
    Step(
        "sign",
        gettext_lazy("Sign digitally"),
        gettext_lazy("Sign"),
        ConfirmForm,
        may_sign,
        _sign,
        intro=gettext_lazy(
            "Your certificate signs the PDF the reviewers approved: your position, your "
            "signature image and your name at the bottom of its last page, with a trusted "
            "time. Refused if the file changed since it was approved."
        ),
    ),
    Step(
        "issue",
        gettext_lazy("Issue: number, date and register"),
        gettext_lazy("Issue"),
        ConfirmForm,
        may_issue,
        _issue,
        intro=gettext_lazy(
            "It gets the next number of its series and today's date, and enters the "
            "outgoing register. A document signed digitally receives the organisation's seal, "
            "then its signature with the number and date; each annex its signature."
        ),
    ),
    Step(
        "dispatch",
        gettext_lazy("Dispatch"),
        gettext_lazy("Dispatch"),
        DispatchForm,
        may_dispatch,
        _dispatch,
    ),
    Step(
        "sent_on_paper",
        gettext_lazy("Sent on paper"),
        gettext_lazy("The paper copy was sent"),
        ConfirmForm,
        may_mark_sent_on_paper,
        _mark_sent_on_paper,
        targets=_queued_deliveries,
        find=_find_delivery,
    ),
    Step(
        "recall",
        gettext_lazy("Recall"),
        gettext_lazy("Recall the document"),
        ReasonForm,
        may_recall,
        _recall,
        intro=gettext_lazy(
            "Every copy the recipients received is frozen and marked recalled. Draft the "
            "replacement afterwards."
        ),
        danger=True,
    ),
    Step(
        "grant_reader",
        gettext_lazy("Name one more reader"),
        gettext_lazy("Allow"),
        GrantReaderForm,
        may_grant_reader,
        _grant_reader,
    ),
    Step(
        "note",
        gettext_lazy("Add a note to the timeline"),
        gettext_lazy("Add the note"),
        NoteForm,
        may_note,
        _note,
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}


def target_label(step: Step, target: Any) -> str:
    if isinstance(target, Task):
        label = f"{target.get_role_display()} — {short_agency(target.unit)}"
        if target.handler_id:
            label += f" ({person(target.handler)})"
        if target.title:
            label += f": {Truncator(target.title).chars(60)}"
        return label
    if isinstance(target, ReviewStep):
        return str(target.get_kind_display())
    if isinstance(target, Delivery):
        return target.recipient_name
    return ""


@dataclass
class StepEntry:
    step: Step
    target: Any
    form: StepForm
    label: str = ""
    url: str = ""
    bound: bool = False
    key: str = ""


def step_entries(
    facts: Facts,
    *,
    bound: StepForm | None = None,
    bound_step: Step | None = None,
    bound_target: Any = None,
) -> list[StepEntry]:
    entries: list[StepEntry] = []
    seen_bound = False
    for step in STEPS:
        for target in step.targets(facts):
            is_bound = (
                bound is not None
                and bound_step is step
                and getattr(target, "pk", None) == getattr(bound_target, "pk", None)
            )
            if not is_bound and not step.allowed(facts, target):
                continue
            form = bound if is_bound and bound is not None else step.form(facts, target)
            seen_bound = seen_bound or is_bound
            entries.append(
                StepEntry(
                    step,
                    target,
                    form,
                    label=target_label(step, target),
                    url=step.url(facts.document, target),
                    bound=is_bound,
                    key=step.key(target),
                )
            )
    if bound is not None and bound_step is not None and not seen_bound:
        # A step not offered now (its state passed, or never the user's): its form and the
        # error that says why, at the top.
        entries.insert(
            0,
            StepEntry(
                bound_step,
                bound_target,
                bound,
                label=target_label(bound_step, bound_target),
                url=bound_step.url(facts.document, bound_target),
                bound=True,
                key=bound_step.key(bound_target),
            ),
        )
    return entries


# --- The document page ----------------------------------------------------------------------


@dataclass
class TimelineEntry:
    event: Event
    actor: str
    holder: str
    details: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def _ids(data: dict[str, Any], *keys: str) -> set[int]:
    found: set[int] = set()
    for key in keys:
        value = data.get(key)
        if isinstance(value, int):
            found.add(value)
        elif isinstance(value, list):
            found.update(item for item in value if isinstance(item, int))
    return found


USER_KEYS = ("handler", "leader", "reader")
UNIT_KEYS = ("lead_unit", "supporting_units", "unit", "recipient")
DOCUMENT_KEYS = ("reply", "copy", "from_document", "replacement")


def timeline(user: Any, document: Document) -> list[TimelineEntry]:
    """Every event, with the people, units and documents it names read in one query each."""
    events = list(
        document.events.select_related("actor", "holder_unit", "holder").order_by("at", "id")
    )
    user_ids: set[int] = set()
    unit_ids: set[int] = set()
    document_ids: set[int] = set()
    for event in events:
        data = event.data or {}
        user_ids |= _ids(data, *USER_KEYS)
        unit_ids |= _ids(data, *UNIT_KEYS)
        document_ids |= _ids(data, *DOCUMENT_KEYS)
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    units = Agency.objects.in_bulk(unit_ids) if unit_ids else {}
    visible: dict[int, Document] = (
        queries.visible_documents(user)
        .only("pk", "direction", "arrival_number", "arrival_year", "series_key", "number_symbol")
        .in_bulk(document_ids)
        if document_ids
        else {}
    )
    entries = []
    for event in events:
        data = event.data or {}
        details: list[str] = []
        links: list[tuple[str, str]] = []
        kind = event.kind
        if kind == EventKind.REGISTERED and data.get("arrival_number"):
            details.append(_("Incoming no. %(number)s") % {"number": data["arrival_number"]})
        if kind == EventKind.PRESENTED and data.get("leader") in users:
            details.append(_("To: %(name)s") % {"name": person(users[data["leader"]])})
        if kind == EventKind.DIRECTED:
            if data.get("lead_unit") in units:
                details.append(
                    _("Lead unit: %(unit)s") % {"unit": agency_label(units[data["lead_unit"]])}
                )
            supporting = [units[pk] for pk in data.get("supporting_units") or [] if pk in units]
            if supporting:
                details.append(
                    _("Supporting units: %(units)s")
                    % {"units": "; ".join(agency_label(unit) for unit in supporting)}
                )
        if kind in (EventKind.ASSIGNED, EventKind.SUBTASK) and data.get("handler") in users:
            details.append(_("Handler: %(name)s") % {"name": person(users[data["handler"]])})
        if kind == EventKind.EXTENSION_ASKED and data.get("until"):
            details.append(
                _("Until %(date)s")
                % {"date": short_date(dt.date.fromisoformat(str(data["until"])))}
            )
        if kind == EventKind.ISSUED and data.get("number_symbol"):
            details.append(_("Number and symbol: %(symbol)s") % {"symbol": data["number_symbol"]})
        if kind == EventKind.SUBMITTED and data.get("round"):
            details.append(
                _("Round %(round)s, version %(version)s")
                % {"round": data["round"], "version": data.get("version") or "—"}
            )
        if kind == EventKind.DISPATCH_REFUSED:
            details.append(_("Classified: not sent outside the agency electronically."))
        if data.get("reader") in users:
            details.append(_("Reader: %(name)s") % {"name": person(users[data["reader"]])})
        for key, label in (
            ("reply", _("Reply")),
            ("copy", _("Recipient's copy")),
            ("from_document", _("Sent document")),
            ("replacement", _("Replacement")),
        ):
            value = data.get(key)
            linked = visible.get(value) if isinstance(value, int) else None
            if linked is not None:
                links.append((document_url(linked), f"{label}: {reference(linked)}"))
        actor = person(event.actor) if event.actor_id else _("The system")
        holder = short_agency(event.holder_unit)
        if event.holder_id:
            holder = f"{holder} · {person(event.holder)}" if holder else person(event.holder)
        entries.append(
            TimelineEntry(event=event, actor=actor, holder=holder, details=details, links=links)
        )
    return entries


@dataclass
class TaskNode:
    task: Task
    due: tuple[str, str] | None
    children: list[TaskNode]


@dataclass
class Slip:
    direction: HandlingDirection
    supporting: list[Agency]
    tasks: list[TaskNode]


def handling_slips(facts: Facts) -> list[Slip]:
    """Each handling slip with its tasks and their sub-tasks (one query for the slips and
    their units, the tasks are the page's)."""
    document = facts.document
    slips = list(
        document.directions.select_related("leader", "lead_unit")
        .prefetch_related("supporting_units")
        .order_by("at", "id")
    )
    if not slips:
        return []
    children: dict[int, list[Task]] = {}
    for task in facts.tasks:
        if task.parent_id:
            children.setdefault(task.parent_id, []).append(task)

    def node(task: Task) -> TaskNode:
        active = task.status == TaskStatus.OPEN
        due = worklists.due_state(task.due_on, facts.today) if task.due_on and active else None
        return TaskNode(task, due, [node(child) for child in children.get(task.pk, [])])

    return [
        Slip(
            direction=slip,
            supporting=list(slip.supporting_units.all()),
            tasks=[
                node(task)
                for task in facts.tasks
                if task.direction_id == slip.pk and task.parent_id is None
            ],
        )
        for slip in slips
    ]


@dataclass
class Round:
    number: int
    current: bool
    steps: list[ReviewStep]


def review_rounds(document: Document) -> list[Round]:
    steps = list(
        document.review_steps.select_related("reviewer", "unit", "decided_by", "version").order_by(
            "-round", "order", "id"
        )
    )
    rounds: dict[int, list[ReviewStep]] = {}
    for step in steps:
        rounds.setdefault(step.round, []).append(step)
    return [
        Round(number=n, current=n == document.review_round, steps=rows)
        for n, rows in rounds.items()
    ]


def deliveries_with_copies(facts: Facts) -> list[tuple[Delivery, Document | None]]:
    """The deliveries, each with the recipient's copy when the user may open it."""
    deliveries = facts.deliveries
    if not deliveries:
        return []
    copies = {
        copy.source_delivery_id: copy
        for copy in queries.visible_documents(facts.user)
        .filter(source_delivery_id__in=[d.pk for d in deliveries])
        .only(
            "pk", "source_delivery_id", "direction", "arrival_number", "arrival_year", "series_key"
        )
    }
    return [(delivery, copies.get(delivery.pk)) for delivery in deliveries]


@dataclass
class Links:
    in_reply_to: Document | None = None
    replies: list[Document] = field(default_factory=list)
    replaces: Document | None = None
    replacements: list[Document] = field(default_factory=list)
    source: Document | None = None
    source_text: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.in_reply_to
            or self.replies
            or self.replaces
            or self.replacements
            or self.source
            or self.source_text
        )


def links_of(user: Any, document: Document) -> Links:
    """The documents linked to this one that the user may open (one query), and the sent
    document of a copy received inside the system (named even when not visible)."""
    visible = queries.visible_documents(user)
    related = visible.filter(
        Q(pk=document.in_reply_to_id)
        | Q(pk=document.replaces_id)
        | Q(in_reply_to_id=document.pk)
        | Q(replaces_id=document.pk)
        | (
            Q(deliveries__pk=document.source_delivery_id)
            if document.source_delivery_id
            else Q(pk__in=[])
        )
    ).only(
        "pk",
        "direction",
        "status",
        "arrival_number",
        "arrival_year",
        "series_key",
        "number_symbol",
        "summary",
        "in_reply_to_id",
        "replaces_id",
    )
    links = Links()
    source_id = document.source_delivery.document_id if document.source_delivery else None
    for other in related.distinct():
        if other.pk == document.pk:
            continue
        if other.pk == document.in_reply_to_id:
            links.in_reply_to = other
        if other.pk == document.replaces_id:
            links.replaces = other
        if other.in_reply_to_id == document.pk:
            links.replies.append(other)
        if other.replaces_id == document.pk:
            links.replacements.append(other)
        if other.pk == source_id:
            links.source = other
    if document.source_delivery_id and links.source is None:
        links.source_text = _("%(symbol)s of %(issuer)s") % {
            "symbol": document.number_symbol,
            "issuer": document.issuer_name,
        }
    return links


def document_context(
    request: HttpRequest,
    document: Document,
    *,
    facts: Facts | None = None,
    bound: StepForm | None = None,
    bound_step: Step | None = None,
    bound_target: Any = None,
) -> dict[str, Any]:
    user = request.user
    facts = facts or Facts(user, document)
    today = facts.today
    active = is_active(document)
    versions = (
        list(document.versions.select_related("created_by", "attachment").order_by("-number"))
        if not document.is_incoming
        else []
    )
    attachments = list(document.attachments.order_by("kind", "id"))
    if document.is_incoming:
        attachments = [a for a in attachments if a.kind != AttachmentKind.DRAFT]
    return {
        "document": document,
        "facts": facts,
        "steps": step_entries(facts, bound=bound, bound_step=bound_step, bound_target=bound_target),
        "urgency_label": URGENCY_SHORT.get(Urgency(document.urgency)) if document.urgency else "",
        "secrecy_label": SECRECY_SHORT.get(Secrecy(document.secrecy)) if document.secrecy else "",
        "active": active,
        "due_state": worklists.due_state(document.due_on, today)
        if document.due_on and active
        else None,
        "held_since": document.held_since,
        "attachments": attachments,
        "slips": handling_slips(facts) if document.is_incoming else [],
        "versions": versions,
        "rounds": review_rounds(document) if not document.is_incoming else [],
        "deliveries": deliveries_with_copies(facts),
        "links": links_of(user, document),
        "timeline": timeline(user, document),
        "reply_url": (
            f"{reverse(f'{DOCUMENTS}:draft')}?reply_to={document.pk}"
            if may_draft_reply(facts)
            else ""
        ),
        "replacement_url": (
            f"{reverse(f'{DOCUMENTS}:draft')}?replaces={document.pk}"
            if may_draft_replacement(facts)
            else ""
        ),
        "compare_url": reverse(f"{DOCUMENTS}:compare", args=[document.pk]),
        "signer_lacks_certificate": (
            not document.is_incoming
            and not document.number
            and digital_signatures.signer_lacks_certificate(document)
        ),
        "list_url": list_url(document),
        "secret_roles": [
            Role(role).label for role in document.secret_roles.strip(",").split(",") if role
        ],
        "admin_css": ADMIN_CSS,
        "admin_js": ADMIN_JS,
    }


def page_documents(user: Any) -> QuerySet[Document]:
    return queries.visible_documents(user).select_related(
        "agency",
        "document_type",
        "issuer",
        "holder_unit",
        "holder",
        "drafting_unit",
        "drafted_by",
        "signer",
        "signed_by",
        "registered_by",
        "issued_by",
        "source_delivery",
    )


class DocumentView(generic.InspectView):
    """Everything about one document, and the forms of the steps the user may take now."""

    template_name = "documents/admin/document.html"
    object: Document

    def get_object(self, queryset: Any = None) -> Document:
        # Only what the user may see: any other document is not found (404).
        return get_object_or_404(page_documents(self.request.user), pk=self.kwargs["pk"])

    def get_fields_context(self) -> list[Any]:
        return []

    def get_page_title(self) -> str:
        return str(self.object.reference)

    def get_page_subtitle(self) -> str:
        return str(Truncator(self.object.summary).chars(80))

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        document = self.object
        return [
            *self.breadcrumbs_items,
            {
                "url": list_url(document),
                "label": _("Incoming documents")
                if document.is_incoming
                else _("Outgoing documents"),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_edit_url(self) -> str | None:
        return None

    def get_delete_url(self) -> str | None:
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = self.object
        if document.source_delivery_id:
            # The recipient's staff opened a copy that arrived inside the system: the sender
            # sees it read (once; the action ignores everyone else).
            actions.mark_read(request.user, document)
        response = super().get(request, *args, **kwargs)
        if document.is_classified:
            response["Cache-Control"] = "no-store, private"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            document_context(
                self.request,
                self.object,
                facts=kwargs.get("facts"),
                bound=kwargs.get("bound"),
                bound_step=kwargs.get("bound_step"),
                bound_target=kwargs.get("bound_target"),
            )
        )
        return context


class StepView(DocumentView):
    """POST one step's form: the action, then back to the document (or the form with its
    errors). A GET goes to the document."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(document_url(self.object))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = STEPS_BY_NAME.get(kwargs["step"])
        if step is None:
            raise Http404
        document = self.object
        facts = Facts(request.user, document)
        target = None
        if "target" in kwargs:
            if step.find is None:
                raise Http404
            target = step.find(facts, kwargs["target"])
        elif step.find is not None:
            raise Http404
        form = step.form(facts, target, request.POST, request.FILES)
        if form.is_valid():
            try:
                message = step.run(facts, target, form.cleaned_data)
            except PermissionDenied as error:
                return refused(request, reason_of(error), document=document)
            except ValidationError as error:
                if getattr(error, "code", None) == "duplicate" and isinstance(
                    form, RegisterReceivedForm
                ):
                    form.duplicate = True
                if hasattr(error, "error_dict") or not getattr(error, "params", None):
                    add_action_errors(form, error)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, message)
                return redirect(document_url(document))
        messages.error(request, _("The step was not done: see the errors in its form."))
        context = self.get_context_data(
            facts=Facts(request.user, self.get_object()),
            bound=form,
            bound_step=step,
            bound_target=target,
        )
        return self.render_to_response(context)


def file_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """A document's file, streamed from the private storage to someone who may see the
    document (any other answer is 404); never kept in a cache."""
    document = get_object_or_404(queries.visible_documents(request.user), pk=pk)
    attachment = get_object_or_404(document.attachments, pk=attachment_id)
    response = FileResponse(
        files.open_stored(attachment.stored_name),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Comparing versions ---------------------------------------------------------------------

SAME = "same"
ADDED = "added"
REMOVED = "removed"
SKIPPED = "skipped"
CONTEXT_LINES = 3
# A word with the spaces after it: "đã sửa " is inserted as one piece.
WORDS = re.compile(r"\S+\s*|\s+")


@dataclass
class DiffLine:
    kind: str
    old: int | None
    new: int | None
    # (text, changed) pieces of the line: changed words of a modified line are marked.
    pieces: list[tuple[str, bool]]
    skipped: int = 0


def _pieces(line: str, other: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Word-level differences between a removed ``line`` and the ``other`` that replaced it."""
    a = WORDS.findall(line)
    b = WORDS.findall(other)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old: list[tuple[str, bool]] = []
    new: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old.append(("".join(a[i1:i2]), False))
            new.append(("".join(b[j1:j2]), False))
            continue
        if i2 > i1:
            old.append(("".join(a[i1:i2]), True))
        if j2 > j1:
            new.append(("".join(b[j1:j2]), True))
    return old, new


def diff_lines(old_text: str, new_text: str, *, context: int = CONTEXT_LINES) -> list[DiffLine]:
    """A unified, line-by-line difference (difflib), with the changed words of a modified
    line marked and long unchanged stretches folded; the template escapes every piece."""
    a = (old_text or "").splitlines()
    b = (new_text or "").splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    rows: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            span = i2 - i1
            keep = [
                k
                for k in range(span)
                if (rows and k < context) or (i2 < len(a) and k >= span - context)
            ]
            skipped_at = None
            for k in range(span):
                if k in keep:
                    rows.append(DiffLine(SAME, i1 + k + 1, j1 + k + 1, [(a[i1 + k], False)]))
                elif skipped_at is None:
                    skipped_at = len(rows)
                    rows.append(DiffLine(SKIPPED, None, None, [], skipped=0))
                if k not in keep and skipped_at is not None:
                    rows[skipped_at].skipped += 1
            continue
        removed = a[i1:i2]
        added = b[j1:j2]
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        old_pieces: list[list[tuple[str, bool]]] = []
        new_pieces: list[list[tuple[str, bool]]] = []
        for k in range(paired):
            o, n = _pieces(removed[k], added[k])
            old_pieces.append(o)
            new_pieces.append(n)
        for k, line in enumerate(removed):
            pieces = old_pieces[k] if k < paired else [(line, True)]
            rows.append(DiffLine(REMOVED, i1 + k + 1, None, pieces))
        for k, line in enumerate(added):
            pieces = new_pieces[k] if k < paired else [(line, True)]
            rows.append(DiffLine(ADDED, None, j1 + k + 1, pieces))
    return rows


class CompareView(DocumentView):
    """Two versions of a draft side by side in one table: what was removed, what was added."""

    template_name = "documents/admin/compare.html"

    def get_page_title(self) -> str:
        return _("Compare versions of %(reference)s") % {"reference": self.object.reference}

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        document = self.object
        return [
            *self.breadcrumbs_items,
            {"url": list_url(document), "label": _("Outgoing documents")},
            {"url": document_url(document), "label": str(document.reference)},
            {"url": "", "label": _("Compare versions")},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = WagtailAdminTemplateMixin.get_context_data(self, **kwargs)
        document = self.object
        versions = list(
            document.versions.select_related("created_by", "attachment").order_by("number")
        )
        if not versions:
            raise Http404
        numbers = [version.number for version in versions]
        by_number = {version.number: version for version in versions}

        def chosen(name: str, default: int) -> int:
            try:
                value = int(self.request.GET.get(name, default))
            except (TypeError, ValueError):
                return default
            return value if value in by_number else default

        new = chosen("b", numbers[-1])
        old = chosen("a", numbers[-2] if len(numbers) > 1 else numbers[-1])
        older, newer = by_number[old], by_number[new]
        context.update(
            {
                "document": document,
                "versions": versions,
                "older": older,
                "newer": newer,
                "summary_changed": older.summary != newer.summary,
                "summary_rows": diff_lines(older.summary, newer.summary, context=0),
                "rows": diff_lines(older.content, newer.content),
                "file_changed": older.attachment_id != newer.attachment_id,
                "document_url": document_url(document),
                "admin_css": ADMIN_CSS,
            }
        )
        return context


# --- Registering and drafting ----------------------------------------------------------------


class DocumentFormView(WagtailAdminTemplateMixin, FormView):
    """A page with one form calling one action (register, draft)."""

    permission: str = PERM_VIEW
    refusal: Any = ""
    header_icon = "doc-full"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, self.permission):
            return refused(request, self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["admin_css"] = ADMIN_CSS
        context["admin_js"] = ADMIN_JS
        return context


class RegisterView(DocumentFormView):
    template_name = "documents/admin/register.html"
    form_class = RegisterIncomingForm
    permission = PERM_REGISTER
    refusal = gettext_lazy("Only a clerk registers incoming documents.")
    page_title = gettext_lazy("Register an incoming document")
    header_icon = "download"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{INCOMING}:index"), "label": _("Incoming documents")},
            {"url": "", "label": self.get_page_title()},
        ]

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            document = actions.register_incoming(self.request.user, **form.action_kwargs())
        except PermissionDenied as error:
            return refused(self.request, reason_of(error))
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate":
                ids = (getattr(error, "params", None) or {}).get("ids", [])
                form.duplicates = list(
                    queries.visible_documents(self.request.user)
                    .filter(pk__in=ids)
                    .select_related("document_type")
                )
                form.duplicate_count = len(ids)
                form.add_error(None, error.messages)
            elif not hasattr(error, "error_dict") and (getattr(error, "params", None) or {}).get(
                "name"
            ):
                form.file_error(error)
            else:
                add_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Registered as incoming no. %(number)s: %(symbol)s.")
            % {"number": document.reference, "symbol": document.number_symbol},
        )
        return redirect(document_url(document))

    def form_invalid(self, form: Any) -> HttpResponse:
        messages.error(self.request, _("The document was not registered: see the errors below."))
        return super().form_invalid(form)


class DraftView(DocumentFormView):
    template_name = "documents/admin/draft.html"
    form_class = DraftForm
    permission = PERM_HANDLE
    refusal = gettext_lazy("Only a handler drafts outgoing documents.")
    page_title = gettext_lazy("Draft an outgoing document")
    header_icon = "upload"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{OUTGOING}:index"), "label": _("Outgoing documents")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def linked(self) -> dict[str, Document | None]:
        found: dict[str, Document | None] = {"in_reply_to": None, "replaces": None}
        visible = queries.visible_documents(self.request.user)
        for name, param in (("in_reply_to", "reply_to"), ("replaces", "replaces")):
            raw = self.request.POST.get(name) or self.request.GET.get(param)
            if raw and str(raw).isdigit():
                found[name] = visible.filter(pk=int(raw)).select_related("document_type").first()
        return found

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        reply_to = self.linked["in_reply_to"]
        replaces = self.linked["replaces"]
        if reply_to is not None:
            initial["in_reply_to"] = reply_to.pk
            initial["summary"] = _("Reply to %(symbol)s of %(issuer)s") % {
                "symbol": reply_to.number_symbol,
                "issuer": reply_to.issuer_name,
            }
            initial["recipients"] = [reply_to.issuer_id] if reply_to.issuer_id else []
            if not reply_to.issuer_id:
                initial["external_recipients"] = reply_to.issuer_name
        if replaces is not None:
            initial.update(
                {
                    "replaces": replaces.pk,
                    "agency": replaces.agency_id,
                    "document_type": replaces.document_type_id,
                    "legal_normative": replaces.legal_normative,
                    "summary": replaces.summary,
                    "content": replaces.content,
                    "urgency": replaces.urgency,
                    "secrecy": replaces.secrecy,
                    "signer": replaces.signer_id,
                    "signing_prefix": replaces.signing_prefix,
                    "recipients": list(
                        replaces.deliveries.filter(recipient__isnull=False).values_list(
                            "recipient_id", flat=True
                        )
                    ),
                    "external_recipients": "\n".join(
                        replaces.deliveries.filter(recipient__isnull=True).values_list(
                            "recipient_name", flat=True
                        )
                    ),
                }
            )
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reply_to"] = self.linked["in_reply_to"]
        context["replaces"] = self.linked["replaces"]
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        kwargs = form.action_kwargs()
        if form.errors:
            return self.form_invalid(form)
        try:
            document = actions.create_draft(self.request.user, **kwargs)
        except PermissionDenied as error:
            return refused(self.request, reason_of(error))
        except ValidationError as error:
            if not hasattr(error, "error_dict") and (getattr(error, "params", None) or {}).get(
                "name"
            ):
                form.add_error("file", error.messages)
            else:
                add_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Draft saved (version 1). Send it for review when it is ready."),
        )
        return redirect(document_url(document))

    def form_invalid(self, form: Any) -> HttpResponse:
        messages.error(self.request, _("The draft was not saved: see the errors below."))
        return super().form_invalid(form)


# --- My work --------------------------------------------------------------------------------


@dataclass
class WorkRow:
    """One thing to do: a document, and the task or review step that brings it to the user."""

    document: Document
    what: str
    due: dt.date | None = None
    due_state: tuple[str, str] | None = None
    task: Task | None = None


# What a row of "My work" or "Tracking" shows of its document (``work_rows``, ``tracking_rows``),
# and nothing more: a page holds up to 400 rows, and building each document whole, with its holder, unit and agency, cost
# more than the page's queries.
WORK_ROW_FIELDS = (
    "id",
    "direction",
    "arrival_number",
    "arrival_year",
    "series_key",
    "number_symbol",
    "summary",
    "urgency",
    "secrecy",
    "status",
    "due_on",
    "issuer_name",
    "document_type__name_vi",
)


def _work_documents(documents: QuerySet[Document], *related: str) -> QuerySet[Document]:
    """Documents with what their rows show, and the ``related`` objects named (whole)."""
    return documents.select_related("document_type", *related).only(*WORK_ROW_FIELDS, *related)


def _work_rows_of(rows: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    """Tasks or review steps with their documents as :func:`_work_documents` loads them."""
    return rows.select_related("document__document_type").only(
        *fields, *(f"document__{name}" for name in WORK_ROW_FIELDS)
    )


class MyWorkView(WagtailAdminTemplateMixin, TemplateView):
    """What waits for the signed-in official: what they hold, their open tasks, drafts
    waiting for their review, arrivals to register; overdue and due soon first."""

    template_name = "documents/admin/my_work.html"
    page_title = gettext_lazy("My work")
    header_icon = "tasks"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, PERM_VIEW):
            return refused(request, _("Official documents are for officials with a role in them."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = worklists.today()
        visible = queries.visible_documents(user)
        in_view = queries.within_view_q(user)
        tasks = list(
            _work_rows_of(
                worklists.tasks_of_person(user).filter(in_view).select_related("unit"),
                "role",
                "due_on",
                "unit",
            ).order_by(
                F("document__urgency").desc(), F("due_on").asc(nulls_last=True), "created_at"
            )[:SECTION_ROWS]
        )
        held = list(
            worklists.urgent_first(_work_documents(worklists.held_by(user, visible)))[:SECTION_ROWS]
        )
        reviews = list(
            _work_rows_of(worklists.pending_reviews(user).filter(in_view), "kind").order_by(
                F("document__urgency").desc(), "document_id"
            )[:SECTION_ROWS]
        )
        arrivals = list(
            worklists.urgent_first(_work_documents(worklists.arrivals_to_register(user, visible)))[
                :SECTION_ROWS
            ]
        )

        states = worklists.DueStates(day)

        def state(due: dt.date | None) -> tuple[str, str] | None:
            return states(due) if due else None

        task_rows = [
            WorkRow(
                task.document,
                _("%(role)s task of %(unit)s")
                % {"role": task.get_role_display(), "unit": short_agency(task.unit)},
                task.due_on,
                state(task.due_on),
                task,
            )
            for task in tasks
        ]
        held_rows = [
            WorkRow(
                document,
                choice_label(Status, document.status),
                document.due_on,
                state(document.due_on),
            )
            for document in held
        ]
        # A document's deadline once: the task's when the user has one on it.
        with_tasks = {row.document.pk for row in task_rows}
        deadlines = [
            row
            for row in task_rows + [r for r in held_rows if r.document.pk not in with_tasks]
            if row.due_state
        ]
        overdue = sorted(
            (row for row in deadlines if row.due_state and row.due_state[0] == worklists.OVERDUE),
            key=lambda row: (row.due, -row.document.urgency),
        )
        soon = sorted(
            (row for row in deadlines if row.due_state and row.due_state[0] == worklists.DUE_SOON),
            key=lambda row: (row.due, -row.document.urgency),
        )
        context.update(
            {
                "overdue": overdue,
                "soon": soon,
                "tasks": task_rows,
                "held": held_rows,
                "reviews": [
                    WorkRow(step.document, str(step.get_kind_display())) for step in reviews
                ],
                "arrivals": [WorkRow(document, document.issuer_name) for document in arrivals],
                "is_clerk": permissions.can(user, PERM_REGISTER),
                "section_rows": SECTION_ROWS,
                "admin_css": ADMIN_CSS,
            }
        )
        return context


# --- Tracking -------------------------------------------------------------------------------

STATE_LATE = worklists.OVERDUE
STATE_SOON = worklists.DUE_SOON
STATE_BOTH = "all"


@dataclass
class LoadRow:
    label: str
    load: worklists.Load
    url: str


@dataclass
class TrackedRow:
    document: Document
    unit: Agency | None
    handler: Any
    what: str
    due: dt.date
    due_state: tuple[str, str]


class TrackingView(WagtailAdminTemplateMixin, TemplateView):
    """Due-soon and overdue deadlines per unit and per person, for those who chase them
    (unit heads for their unit, leaders and clerks for their organisation)."""

    template_name = "documents/admin/tracking.html"
    page_title = gettext_lazy("Tracking")
    header_icon = "time"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not permissions.can(user, PERM_REPORT) or worklists.tracked_units(user) == set():
            return refused(
                request, _("Tracking is for unit heads, leaders and clerks of a register.")
            )
        return super().dispatch(request, *args, **kwargs)

    def _int(self, name: str) -> int | None:
        raw = self.request.GET.get(name, "")
        return int(raw) if raw.isdigit() else None

    def _url(self, **params: Any) -> str:
        query = "&".join(f"{key}={value}" for key, value in params.items() if value)
        base = reverse(f"{DOCUMENTS}:tracking")
        return f"{base}?{query}" if query else base

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = worklists.today()
        states = worklists.DueStates(day)
        units = worklists.tracked_units(user)
        visible = queries.visible_documents(user)
        # Tasks of the units the user follows: their unclassified documents are visible to
        # the user by construction (queries.within_view_q).
        tasks = worklists.tasks_of_units(units).filter(
            queries.within_view_q(user), due_on__isnull=False
        )
        held = worklists.followed_on_document(worklists.held_by_units(units, visible))
        state = self.request.GET.get("state", STATE_BOTH)
        if state not in (STATE_LATE, STATE_SOON, STATE_BOTH):
            state = STATE_BOTH
        unit_id = self._int("unit")
        person_id = self._int("person")

        by_unit = worklists.merge_loads(
            worklists.load_by(tasks, "unit_id", day),
            worklists.document_load_by(held, "holder_unit_id", day),
        )
        by_person = worklists.merge_loads(
            worklists.load_by(tasks.filter(handler__isnull=False), "handler_id", day),
            worklists.document_load_by(held.filter(holder__isnull=False), "holder_id", day),
        )
        agencies = Agency.objects.in_bulk({load.key for load in by_unit})
        people = User.objects.in_bulk({load.key for load in by_person})

        condition = {
            STATE_LATE: worklists.overdue_q(day),
            STATE_SOON: worklists.due_soon_q(day),
            STATE_BOTH: worklists.late_or_soon_q(day),
        }[state]
        chosen_tasks = tasks.filter(condition)
        chosen_held = held.filter(condition)
        if unit_id:
            chosen_tasks = chosen_tasks.filter(unit_id=unit_id)
            chosen_held = chosen_held.filter(holder_unit_id=unit_id)
        if person_id:
            chosen_tasks = chosen_tasks.filter(handler_id=person_id)
            chosen_held = chosen_held.filter(holder_id=person_id)
        rows = [
            TrackedRow(
                task.document,
                task.unit,
                task.handler,
                _("%(role)s task") % {"role": task.get_role_display()},
                task.due_on,
                states(task.due_on),
            )
            for task in _work_rows_of(
                chosen_tasks.select_related("unit", "handler"), "role", "due_on", "unit", "handler"
            ).order_by("due_on", "-document__urgency", "pk")[:SECTION_ROWS]
            if task.due_on is not None
        ]
        rows += [
            TrackedRow(
                document,
                document.holder_unit,
                document.holder,
                choice_label(Status, document.status),
                document.due_on,
                states(document.due_on),
            )
            for document in _work_documents(chosen_held, "holder_unit", "holder").order_by(
                "due_on", "-urgency", "pk"
            )[:SECTION_ROWS]
            if document.due_on is not None
        ]
        rows.sort(key=lambda row: (row.due, -row.document.urgency))
        context.update(
            {
                "state": state,
                "states": [
                    (STATE_BOTH, _("Overdue and due soon")),
                    (STATE_LATE, _("Overdue")),
                    (STATE_SOON, _("Due within 3 working days")),
                ],
                "unit_rows": [
                    LoadRow(
                        agency_label(agencies.get(load.key)),
                        load,
                        self._url(unit=load.key, state=state),
                    )
                    for load in by_unit
                    if load.key in agencies
                ],
                "person_rows": [
                    LoadRow(
                        person(people.get(load.key)),
                        load,
                        self._url(person=load.key, state=state),
                    )
                    for load in by_person
                    if load.key in people
                ],
                "rows": rows[:SECTION_ROWS],
                "chosen_unit": Agency.objects.filter(pk=unit_id).first() if unit_id else None,
                "chosen_person": User.objects.filter(pk=person_id).first() if person_id else None,
                "tracking_url": reverse(f"{DOCUMENTS}:tracking"),
                "section_rows": SECTION_ROWS,
                "admin_css": ADMIN_CSS,
            }
        )
        return context


# --- The document pages' viewset --------------------------------------------------------------


class DocumentViewSet(ReadOnlyModelViewSet):
    """The document page and its doors (steps, files, versions), registering, drafting, "My
    work" and "Tracking" (under /quan-tri/van-ban/)."""

    model = Document
    url_prefix = "van-ban"
    url_namespace = DOCUMENTS
    permission_policy = document_permission_policy
    inspect_view_class = DocumentView

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["inspect_url_name"] = f"{DOCUMENTS}:document"
        view_kwargs["index_url_name"] = None
        view_kwargs["index_results_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        def document_view(view_class: type[DocumentView]) -> Any:
            kwargs = {**self.get_inspect_view_kwargs(), "template_name": view_class.template_name}
            return self.construct_view(view_class, **kwargs)

        return [
            path("<int:pk>/", document_view(DocumentView), name="document"),
            path("<int:pk>/buoc/<slug:step>/", document_view(StepView), name="step"),
            path(
                "<int:pk>/buoc/<slug:step>/<int:target>/",
                document_view(StepView),
                name="step_target",
            ),
            path("<int:pk>/tep/<int:attachment_id>/", file_view, name="file"),
            path("<int:pk>/so-sanh/", document_view(CompareView), name="compare"),
            path("dang-ky/", RegisterView.as_view(), name="register"),
            path("soan-thao/", DraftView.as_view(), name="draft"),
            path("viec-cua-toi/", MyWorkView.as_view(), name="my_work"),
            path("theo-doi/", TrackingView.as_view(), name="tracking"),
        ]


# --- The dashboard panel -------------------------------------------------------------------


class WaitingPanel(Component):
    """For officials with a documents role: how many documents wait for them, and the most
    urgent few (a count and a list: two queries whatever the number of documents)."""

    name = "documents_waiting"
    template_name = "documents/admin/waiting_panel.html"
    order = 35

    class Media:
        css = {"all": [ADMIN_CSS]}

    def __init__(self, total: int, documents: list[Document], today: dt.date) -> None:
        self.total = total
        self.documents = documents
        self.today = today

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        return {
            "total": self.total,
            "rows": [
                (
                    document,
                    worklists.due_state(document.due_on, self.today) if document.due_on else None,
                )
                for document in self.documents
            ],
            "more": self.total - len(self.documents),
            "my_work_url": reverse(f"{DOCUMENTS}:my_work"),
        }


def dashboard_panels(request: HttpRequest) -> list[Component]:
    user = request.user
    if not permissions.can(user, PERM_VIEW) or not (permissions.roles_of(user) & DOCUMENT_ROLES):
        return []
    waiting = worklists.my_work(user, queries.visible_documents(user))
    total = waiting.count()
    rows = (
        list(
            worklists.urgent_first(waiting.select_related("document_type")).defer(
                "content", "search_text"
            )[:DASHBOARD_ROWS]
        )
        if total
        else []
    )
    return [WaitingPanel(total, rows, worklists.today())]


# --- Settings: document types, review chains -------------------------------------------------


class DocumentTypeViewSet(ModelViewSet):
    model = DocumentType
    icon = "doc-full"
    menu_label = gettext_lazy("Official document types")
    add_to_settings_menu = True
    url_prefix = "van-ban/loai-van-ban"
    url_namespace = "documents_types"
    copy_view_enabled = False
    permission_policy = document_type_permission_policy
    form_fields = [
        "code",
        "abbreviation",
        "name_vi",
        "name_en",
        "legal_normative",
        "always_legal_normative",
        "sort_order",
        "active",
    ]
    list_display = ["name_vi", "abbreviation", "code", "legal_normative", "sort_order", "active"]
    search_fields = ["name_vi", "name_en", "code", "abbreviation"]
    search_backend_name = None
    list_per_page = 50


class ReviewRuleIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("agency", "document_type")


class ChainColumn(Column):
    def get_value(self, instance: ReviewRule) -> Any:
        labels = dict(document_forms.ReviewStepKind.choices)
        return " → ".join(
            " + ".join(str(labels.get(kind, kind)) for kind in group) for group in instance.steps
        )


class ReviewRuleViewSet(ModelViewSet):
    model = ReviewRule
    icon = "list-ol"
    menu_label = gettext_lazy("Review chains of outgoing documents")
    add_to_settings_menu = True
    url_prefix = "van-ban/quy-trinh-xem-xet"
    url_namespace = "documents_review_rules"
    copy_view_enabled = False
    permission_policy = review_rule_permission_policy
    index_view_class = ReviewRuleIndexView
    list_display = [
        TitleColumn(
            "rule",
            label=gettext_lazy("Agency · document type"),
            accessor="__str__",
            url_name="documents_review_rules:edit",
        ),
        ChainColumn("steps", label=gettext_lazy("Steps")),
    ]
    list_per_page = 50

    def get_form_class(self, for_update: bool = False) -> Any:
        return ReviewRuleForm


def viewsets() -> list[Any]:
    return [
        IncomingViewSet(),
        OutgoingViewSet(),
        DocumentViewSet(),
        DocumentTypeViewSet(),
        ReviewRuleViewSet(),
    ]
