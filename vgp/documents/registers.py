"""The registers of official documents (Decree 30/2020/NĐ-CP): rows, XLSX and PDF.

Three registers of one organisation (``Document.agency``) over a period:

- the incoming register (sổ đăng ký văn bản đến): registered incoming documents by the day
  they arrived (in Hà Nội time), in the order of their incoming numbers;
- the outgoing register (sổ đăng ký văn bản đi): issued documents by the day they were issued,
  in the order they were issued (which is the order of the numbers of each series);
- the tracking register (sổ theo dõi giải quyết văn bản đến): incoming documents a leader gave
  a direction for, with their handler, deadline, progress and reply.

The columns are those of Decree 30 (see ``shared/docs/STANDARDS.md`` §2). Rows come from
``queries.visible_documents``: a register lists what its reader may see, so a classified
document appears only to the people allowed to read it, and only with its metadata (its
content and files are never read here).

:func:`register_rows` streams the rows: the documents are read 2,000 at a time with the few
related rows they need (directions, lead tasks, deliveries, replies), so a register costs the
same small number of queries for every 2,000 rows and its memory does not grow with its length.
:func:`to_xlsx` writes a streaming workbook; :func:`to_pdf` draws an A4 landscape table with
Noto Serif (the fonts the gazette embeds, built into ``build/fonts/`` by ``make assets``), page
by page, at the same cost per page whatever the register's length (:class:`_PdfTable`).
:func:`save_xlsx` and :func:`save_pdf` write to a file instead, for the files made in the
background (``exports``). Who may open which register: :func:`may_read_register`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import marshal
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, overload

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.core import pdf_fonts
from vgp.core.pdf_fonts import FontsMissing
from vgp.workdays.deadlines import VN_TZ

from . import numbering, queries
from .models import (
    INCOMING_OPEN,
    Delivery,
    Direction,
    Document,
    EventKind,
    HandlingDirection,
    RegisterKind,
    Secrecy,
    Status,
    Task,
    TaskRole,
    TaskStatus,
    Urgency,
)
from .models import Event as DocumentEvent

__all__ = [
    "COLUMNS",
    "Column",
    "FontsMissing",
    "Register",
    "RegisterKind",
    "RegisterRow",
    "may_read_register",
    "register_agencies",
    "register_count",
    "register_queryset",
    "register_rows",
    "to_pdf",
    "to_xlsx",
]

# The numbering series of classified incoming documents (numbering.incoming_series).
SECRET_ARRIVALS = numbering.incoming_series(Secrecy.CONFIDENTIAL)
# Documents read per round trip; each round also reads the related rows of those documents.
CHUNK_SIZE = 2000

Value = str | int | dt.date | None
EN_DASH = "\u2013"  # between the parts of a title, and a unit and a person


# Vietnamese file names of the exports (data, not translated): so-van-ban-den-2026-12.xlsx.
FILE_NAMES = {
    RegisterKind.INCOMING: "so-van-ban-den",
    RegisterKind.OUTGOING: "so-van-ban-di",
    RegisterKind.TRACKING: "so-theo-doi-giai-quyet-van-ban-den",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    # Width in characters (the XLSX column); the PDF shares the page width in proportion.
    width: int
    kind: str = "text"  # "text", "date" or "number"


COLUMNS: dict[str, tuple[Column, ...]] = {
    RegisterKind.INCOMING: (
        Column("received_on", gettext_lazy("Date received"), 11, "date"),
        Column("arrival_number", gettext_lazy("Incoming no."), 8, "number"),
        Column("sender", pgettext_lazy("official documents", "Sender"), 24),
        Column("number_symbol", gettext_lazy("Number and symbol"), 16),
        Column("document_date", gettext_lazy("Document date"), 11, "date"),
        Column("summary", gettext_lazy("Type and summary"), 44),
        Column("receiver", gettext_lazy("Receiving unit or person"), 24),
        Column("transferred_on", gettext_lazy("Transfer date"), 11, "date"),
        Column("signature", gettext_lazy("Receiver's signature"), 12),
        Column("notes", gettext_lazy("Notes"), 16),
    ),
    RegisterKind.OUTGOING: (
        Column("number_symbol", gettext_lazy("Number and symbol"), 16),
        Column("document_date", gettext_lazy("Date"), 11, "date"),
        Column("summary", gettext_lazy("Type and summary"), 44),
        Column("signer", gettext_lazy("Signer"), 18),
        Column("recipients", gettext_lazy("Recipients"), 30),
        Column("copy_unit", gettext_lazy("Unit keeping the copy"), 20),
        Column("copies", gettext_lazy("Copies"), 7, "number"),
        Column("transferred_on", gettext_lazy("Transfer date"), 11, "date"),
        Column("signature", pgettext_lazy("official documents", "Signature"), 12),
        Column("notes", gettext_lazy("Notes"), 16),
    ),
    RegisterKind.TRACKING: (
        Column("arrival_number", gettext_lazy("Incoming no."), 8, "number"),
        Column("document", pgettext_lazy("official documents", "Document"), 44),
        Column("handler", gettext_lazy("Handler"), 24),
        Column("due_on", pgettext_lazy("documents deadline", "Deadline"), 11, "date"),
        Column("progress", gettext_lazy("Progress"), 22),
        Column("reply", gettext_lazy("Number and symbol of the reply"), 18),
        Column("notes", gettext_lazy("Notes"), 18),
    ),
}


def local_date_text(value: dt.date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def period_text(date_from: dt.date, date_to: dt.date) -> str:
    return _("from %(start)s to %(end)s") % {
        "start": local_date_text(date_from),
        "end": local_date_text(date_to),
    }


def period_slug(date_from: dt.date, date_to: dt.date) -> str:
    """``2026-12`` for a whole calendar month, else ``2026-12-01-2026-12-15``."""
    next_day = date_to + dt.timedelta(days=1)
    same_month = (date_from.year, date_from.month) == (date_to.year, date_to.month)
    if same_month and date_from.day == 1 and next_day.day == 1:
        return f"{date_from:%Y-%m}"
    return f"{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}"


@dataclass(frozen=True)
class Register:
    """One register of one organisation over a period (what its files are titled with)."""

    kind: str
    agency: Agency
    date_from: dt.date
    date_to: dt.date

    @property
    def title(self) -> str:
        return str(RegisterKind(self.kind).label)

    @property
    def columns(self) -> tuple[Column, ...]:
        return COLUMNS[self.kind]

    @property
    def agency_name(self) -> str:
        return self.agency.name

    @property
    def period(self) -> str:
        return period_text(self.date_from, self.date_to)

    @property
    def heading(self) -> str:
        """The title row of the files: register, organisation, period."""
        return f"{self.title} {EN_DASH} {self.agency_name} {EN_DASH} {self.period}"

    def rows(self, user: Any, *, limit: int | None = None) -> Iterator[RegisterRow]:
        """This register's rows as ``user`` may see them (:func:`register_rows`)."""
        return register_rows(
            user,
            self.kind,
            agency=self.agency,
            date_from=self.date_from,
            date_to=self.date_to,
            limit=limit,
        )

    def count(self, user: Any) -> int:
        return register_count(
            user, self.kind, agency=self.agency, date_from=self.date_from, date_to=self.date_to
        )

    def file_name(self, extension: str) -> str:
        return f"{FILE_NAMES[RegisterKind(self.kind)]}-{period_slug(self.date_from, self.date_to)}.{extension}"


@dataclass(frozen=True)
class RegisterRow:
    """One line of a register: values in the order of the register's columns."""

    document_id: int
    values: tuple[Value, ...]
    # A classified document's line (its metadata only): a file holding one is its reader's.
    classified: bool = False

    def texts(self) -> list[str]:
        return [display(value) for value in self.values]


def display(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return local_date_text(value)
    return str(value)


# --- Reading the rows ------------------------------------------------------------------------


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware instants: whole days in Hà Nội time, ``date_to`` included."""
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=VN_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
    return start, end


def _agency_id(agency: Agency | int) -> int:
    return agency if isinstance(agency, int) else agency.pk


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


def may_read_register(user: Any, agency: Agency | int) -> bool:
    """Whether ``user`` may read (and export) the registers of ``agency``: a holder of
    ``documents.report_document`` for one of :func:`register_agencies`."""
    if not permissions.can(user, queries.PERM_REPORT):
        return False
    agency_id = _agency_id(agency)
    if agency_id in permissions.agency_ids_of(user):
        return True
    return permissions.is_nationwide(user) and Document.objects.filter(agency_id=agency_id).exists()


def register_queryset(
    user: Any, kind: str, *, agency: Agency | int, date_from: dt.date, date_to: dt.date
) -> QuerySet[Document]:
    """The documents of one register that ``user`` may see, in the register's order (without
    the related rows: see :func:`register_rows`)."""
    kind = RegisterKind(kind)
    start, end = _bounds(date_from, date_to)
    documents = queries.visible_documents(user).filter(agency_id=_agency_id(agency))
    if kind == RegisterKind.OUTGOING:
        return documents.filter(
            direction=Direction.OUTGOING, issued_at__gte=start, issued_at__lt=end
        ).order_by("issued_at", "id")
    documents = documents.filter(
        direction=Direction.INCOMING,
        arrival_number__isnull=False,
        received_at__gte=start,
        received_at__lt=end,
    )
    if kind == RegisterKind.TRACKING:
        documents = documents.filter(
            Exists(HandlingDirection.objects.filter(document_id=OuterRef("pk")))
        )
    # Each series in the order of its numbers; the classified series ("in-secret") after the
    # ordinary one ("in").
    return documents.order_by("arrival_year", "series_key", "arrival_number", "received_at", "id")


def register_count(
    user: Any, kind: str, *, agency: Agency | int, date_from: dt.date, date_to: dt.date
) -> int:
    return register_queryset(
        user, kind, agency=agency, date_from=date_from, date_to=date_to
    ).count()


def _lead_tasks() -> Prefetch:
    # The lead unit's share: the current one is the latest not returned nor cancelled.
    tasks = (
        Task.objects.filter(role=TaskRole.LEAD)
        .exclude(status__in=[TaskStatus.RETURNED, TaskStatus.CANCELLED])
        .select_related("unit", "handler")
        .only(
            "id",
            "document_id",
            "status",
            "due_on",
            "done_at",
            "created_at",
            "unit__id",
            "unit__name_vi",
            "unit__name_en",
            "handler__id",
            "handler__username",
            "handler__first_name",
            "handler__last_name",
        )
        .order_by("created_at", "id")
    )
    return Prefetch("tasks", queryset=tasks, to_attr="lead_tasks")


def _directions() -> Prefetch:
    directions = (
        HandlingDirection.objects.select_related("lead_unit")
        .only(
            "id",
            "document_id",
            "at",
            "due_on",
            "lead_unit__id",
            "lead_unit__name_vi",
            "lead_unit__name_en",
        )
        .order_by("at", "id")
    )
    return Prefetch("directions", queryset=directions, to_attr="handling_directions")


def _first_event_at(kind: str) -> Subquery:
    return Subquery(
        DocumentEvent.objects.filter(document_id=OuterRef("pk"), kind=kind)
        .order_by("at", "id")
        .values("at")[:1]
    )


def _rows_queryset(queryset: QuerySet[Document], kind: str) -> QuerySet[Document]:
    # Never the content or the files' text: a register shows metadata only.
    queryset = queryset.defer("content", "search_text", "recall_reason").select_related(
        "document_type"
    )
    if kind == RegisterKind.OUTGOING:
        deliveries = Delivery.objects.only("id", "document_id", "recipient_name", "sent_at")
        return queryset.select_related("drafting_unit").prefetch_related(
            Prefetch(
                "deliveries", queryset=deliveries.order_by("id"), to_attr="register_deliveries"
            )
        )
    queryset = queryset.prefetch_related(_directions(), _lead_tasks())
    if kind == RegisterKind.INCOMING:
        return queryset.select_related("holder_unit", "holder").annotate(
            transferred_at=_first_event_at(EventKind.DIRECTED)
        )
    replies = (
        Document.objects.filter(
            direction=Direction.OUTGOING, issued_at__isnull=False, in_reply_to__isnull=False
        )
        .only("id", "in_reply_to_id", "number_symbol", "issued_at")
        .order_by("issued_at", "id")
    )
    return queryset.prefetch_related(
        Prefetch("replies", queryset=replies, to_attr="issued_replies")
    )


def register_rows(
    user: Any,
    kind: str,
    *,
    agency: Agency | int,
    date_from: dt.date,
    date_to: dt.date,
    limit: int | None = None,
) -> Iterator[RegisterRow]:
    """The rows of one register (see the module's docstring), ``limit`` of them if given."""
    kind = RegisterKind(kind)
    queryset = register_queryset(user, kind, agency=agency, date_from=date_from, date_to=date_to)
    documents = _rows_queryset(queryset, kind)
    if limit is not None:
        documents = documents[:limit]
    make_row = _ROW_MAKERS[kind]
    today = timezone.localdate(timezone=VN_TZ)
    chunk = CHUNK_SIZE if limit is None else max(1, min(limit, CHUNK_SIZE))
    for document in documents.iterator(chunk_size=chunk):
        yield RegisterRow(document.pk, make_row(document, today), document.secrecy > Secrecy.NONE)


def _local(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(VN_TZ).date() if value else None


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _type_and_summary(document: Document) -> str:
    return f"{document.document_type.name_vi} {document.summary}".strip()


def _notes(document: Document, *extra: str) -> str:
    notes: list[str] = []
    if document.secrecy > Secrecy.NONE:
        notes.append(str(Secrecy(document.secrecy).label))
    if document.urgency > Urgency.NORMAL:
        notes.append(str(Urgency(document.urgency).label))
    if document.status in (Status.RECALLED, Status.RETURNED_TO_SENDER):
        notes.append(str(Status(document.status).label))
    notes.extend(note for note in extra if note)
    return "; ".join(notes)


def _arrival(document: Document) -> str:
    """The incoming number, two digits at least; classified documents are numbered in a
    series of their own, marked "-M" as in ``Document.reference``."""
    if document.arrival_number is None:
        return ""
    suffix = "-M" if document.series_key == SECRET_ARRIVALS else ""
    return f"{document.arrival_number:02d}{suffix}"


def _lead(document: Document) -> tuple[HandlingDirection | None, Task | None]:
    directions: list[HandlingDirection] = getattr(document, "handling_directions", [])
    tasks: list[Task] = getattr(document, "lead_tasks", [])
    return (directions[-1] if directions else None), (tasks[-1] if tasks else None)


def _joined(*parts: str) -> str:
    return f" {EN_DASH} ".join(part for part in parts if part)


def _incoming_row(document: Document, today: dt.date) -> tuple[Value, ...]:
    direction, task = _lead(document)
    if direction is not None:
        receiver = _joined(direction.lead_unit.name, _person(task.handler if task else None))
    else:
        holder_unit = document.holder_unit.name if document.holder_unit else ""
        receiver = _joined(holder_unit, _person(document.holder))
    return (
        _local(document.received_at),
        _arrival(document),
        document.issuer_name,
        document.number_symbol,
        document.document_date,
        _type_and_summary(document),
        receiver,
        _local(getattr(document, "transferred_at", None)),
        "",
        _notes(document),
    )


def _outgoing_row(document: Document, today: dt.date) -> tuple[Value, ...]:
    deliveries: list[Delivery] = getattr(document, "register_deliveries", [])
    sent = [delivery.sent_at for delivery in deliveries if delivery.sent_at]
    return (
        document.number_symbol,
        document.document_date or _local(document.issued_at),
        _type_and_summary(document),
        document.signer_name,
        "; ".join(delivery.recipient_name for delivery in deliveries),
        document.drafting_unit.name if document.drafting_unit else "",
        document.copies,
        _local(min(sent)) if sent else None,
        "",
        _notes(document),
    )


def _tracking_row(document: Document, today: dt.date) -> tuple[Value, ...]:
    direction, task = _lead(document)
    if task is not None and task.handler is not None:
        handler = _joined(task.unit.name, _person(task.handler))
    elif task is not None:
        handler = task.unit.name
    else:
        handler = direction.lead_unit.name if direction is not None else ""
    due_on = (
        document.due_on
        or (task.due_on if task else None)
        or (direction.due_on if direction else None)
    )
    if document.closed_at:
        done_on = _local(document.closed_at)
    elif task is not None and task.status == TaskStatus.DONE:
        done_on = _local(task.done_at)
    else:
        done_on = None
    progress = str(Status(document.status).label)
    if done_on:
        progress = f"{progress}, {local_date_text(done_on)}"
    timing = ""
    if due_on and done_on and done_on > due_on:
        timing = _("Done late")
    elif due_on and not done_on and document.status in INCOMING_OPEN and due_on < today:
        timing = _("Overdue")
    replies: list[Document] = getattr(document, "issued_replies", [])
    return (
        _arrival(document),
        " ".join(part for part in (document.number_symbol, document.summary) if part),
        handler,
        due_on,
        progress,
        "; ".join(reply.number_symbol for reply in replies if reply.number_symbol),
        _notes(document, timing),
    )


_ROW_MAKERS: dict[str, Callable[[Document, dt.date], tuple[Value, ...]]] = {
    RegisterKind.INCOMING: _incoming_row,
    RegisterKind.OUTGOING: _outgoing_row,
    RegisterKind.TRACKING: _tracking_row,
}


# --- Text made safe for files ----------------------------------------------------------------

# C0 controls other than tab and newline have no glyph in a PDF and are refused by XLSX.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """NFC text without control characters (text pasted from other systems may be NFD)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\t", " ")


# --- XLSX ------------------------------------------------------------------------------------


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Register"


def to_xlsx(register: Register, rows: Iterable[RegisterRow]) -> bytes:
    """The register as an XLSX workbook, written row by row (openpyxl's write-only mode)."""
    output = io.BytesIO()
    save_xlsx(register, rows, output)
    return output.getvalue()


def save_xlsx(register: Register, rows: Iterable[RegisterRow], output: IO[bytes]) -> None:
    """Write the register's XLSX workbook to ``output`` (a file: a long register's workbook
    goes from openpyxl's temporary file to it without being held in memory)."""
    write_xlsx(
        title=register.title,
        heading=register.heading,
        columns=register.columns,
        rows=(row.values for row in rows),
        output=output,
    )


@overload
def write_xlsx(
    *,
    title: str,
    heading: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
    total: tuple[Value, ...] | None = None,
    output: None = None,
) -> bytes: ...


@overload
def write_xlsx(
    *,
    title: str,
    heading: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
    total: tuple[Value, ...] | None = None,
    output: IO[bytes],
) -> None: ...


def write_xlsx(
    *,
    title: str,
    heading: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
    total: tuple[Value, ...] | None = None,
    output: IO[bytes] | None = None,
) -> bytes | None:
    """One sheet: a title row, a frozen header row, then the rows, in a write-only workbook
    (rows go to a temporary file as they come, so a long register does not fill memory).
    Written to ``output`` if given, else returned."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(_sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    # One named style per kind of cell, set by name on each cell: setting fonts, borders and
    # alignments cell by cell would cost most of the time of a long register.
    styles: dict[tuple[bool, bool], str] = {}
    for centre in (False, True):
        for strong in (False, True):
            name = f"vgp-register-{'centre' if centre else 'text'}{'-total' if strong else ''}"
            workbook.add_named_style(
                NamedStyle(
                    name=name,
                    font=Font(bold=strong),
                    border=border,
                    alignment=Alignment(
                        wrap_text=True, vertical="top", horizontal="center" if centre else None
                    ),
                )
            )
            styles[centre, strong] = name
    title_cell = WriteOnlyCell(sheet, value=clean(heading))
    title_cell.font = Font(bold=True, size=13)
    sheet.append([title_cell])

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=clean(str(column.label)))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.border = border
        header.append(cell)
    sheet.append(header)
    centred = [column.kind in ("date", "number") for column in columns]

    def line(values: tuple[Value, ...], *, strong: bool = False) -> list[Any]:
        cells = []
        for centre, value in zip(centred, values, strict=True):
            cell = WriteOnlyCell(sheet, value=clean(value) if isinstance(value, str) else value)
            cell.style = styles[centre, strong]
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        return cells

    for values in rows:
        sheet.append(line(values))
    if total is not None:
        sheet.append(line(total, strong=True))

    if output is not None:
        workbook.save(output)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def font_dir() -> Path:
    """Noto Serif as ``make assets`` builds it (the gazette's fonts): ``DOCUMENTS_FONT_DIR``,
    else ``GAZETTE_FONT_DIR``, else build/fonts/noto-serif."""
    return pdf_fonts.font_dir("DOCUMENTS_FONT_DIR", "GAZETTE_FONT_DIR")


def register_fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab, once per folder."""
    fonts = pdf_fonts.register(font_dir(), what="the registers", setting="DOCUMENTS_FONT_DIR")
    return fonts.regular, fonts.bold


def to_pdf(register: Register, rows: Iterable[RegisterRow]) -> bytes:
    """The register as an A4 landscape PDF: its title, then one table whose header repeats on
    every page, and "page n of N" at the foot of each page."""
    output = io.BytesIO()
    save_pdf(register, rows, output)
    return output.getvalue()


def save_pdf(register: Register, rows: Iterable[RegisterRow], output: IO[bytes]) -> int:
    """Write the register's PDF to ``output``; returns its number of pages."""
    return _draw_pdf(
        output,
        title=register.title,
        subtitle=f"{register.agency_name} {EN_DASH} {register.period}",
        columns=register.columns,
        rows=(row.values for row in rows),
    )


def write_pdf(
    *,
    title: str,
    subtitle: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
) -> bytes:
    output = io.BytesIO()
    _draw_pdf(output, title=title, subtitle=subtitle, columns=columns, rows=rows)
    return output.getvalue()


# The table's type: 8 pt on 10 pt lines, 3 pt inside each cell.
PDF_FONT_SIZE = 8.0
PDF_LEADING = 10.0
PDF_PADDING = 3.0
# A header word wider than its column is set smaller, down to this size.
PDF_HEADER_MIN_SIZE = 5.5

Cells = tuple[tuple[str, ...], ...]  # a row: the lines of each cell


def _split_line(text: str, room: float, width: Callable[[str], float]) -> list[str]:
    """``text`` broken into lines at most ``room`` wide, at spaces; a word wider than a line
    (a long symbol, an address) is broken between its characters."""
    lines: list[str] = []
    current, current_width = "", 0.0
    space = width(" ")
    for word in text.split():
        word_width = width(word)
        if current and current_width + space + word_width <= room:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        if current:
            lines.append(current)
        if word_width <= room:
            current, current_width = word, word_width
            continue
        current, current_width = "", 0.0
        for char in word:
            char_width = width(char)
            if current and current_width + char_width > room:
                lines.append(current)
                current, current_width = "", 0.0
            current, current_width = current + char, current_width + char_width
    if current:
        lines.append(current)
    return lines


@functools.lru_cache(maxsize=16384)
def _wrapped(text: str, font: str, size: float, room: float) -> tuple[str, ...]:
    """The lines of one cell (cached: senders, units, dates and notes repeat down a
    register)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def width(part: str) -> float:
        return float(stringWidth(part, font, size))

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_split_line(paragraph, room, width))
    return tuple(lines) or ("",)


class _PdfTable:
    """Lays out a register's table page by page and, given a canvas, draws it.

    reportlab's own table (``LongTable``) lays out every remaining row again at each page
    break, so its time grows with the square of the register's length (4,000 rows took 28 s).
    Here each row is wrapped once into lines, placed and forgotten: the same cost per page
    for a register of any length, and memory that does not grow with it. :func:`_draw_pdf`
    runs it twice, first without a canvas to count the pages ("page n of N" on each), then
    with one, on rows it kept in a temporary file."""

    def __init__(
        self,
        canvas: Any | None,
        *,
        title: str,
        subtitle: str,
        columns: tuple[Column, ...],
        fonts: tuple[str, str],
        total_pages: int = 0,
    ) -> None:
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.units import cm

        self.canvas = canvas
        self.colors = colors
        self.cm = cm
        self.regular, self.bold = fonts
        self.page_width, self.page_height = landscape(A4)
        self.margin = 1.2 * cm
        # Inside the margins by the 6 pt of reportlab's page frames, as the table was.
        self.left = self.margin + 6
        self.top = self.page_height - self.margin - 6
        self.bottom = 1.4 * cm + 6
        width = self.page_width - 2 * self.left
        total = sum(column.width for column in columns)
        self.widths = [width * column.width / total for column in columns]
        self.xs = [self.left]
        for column_width in self.widths:
            self.xs.append(self.xs[-1] + column_width)
        self.centred = [column.kind in ("date", "number") for column in columns]
        self.title = clean(title)
        self.subtitle = clean(subtitle)
        self.footer_label = clean(f"{title} {EN_DASH} {subtitle}")[:150]
        self.total_pages = total_pages
        self.header = [
            self._header_cell(str(column.label), index) for index, column in enumerate(columns)
        ]
        self.header_height = (
            max(len(lines) * size * PDF_LEADING / PDF_FONT_SIZE for lines, size in self.header)
            + 2 * PDF_PADDING
        )
        self.pages = 0
        self.y = self.top
        self.lines_y: list[float] = []
        self.rows_on_page = 0

    # --- Text ---

    def _room(self, column: int) -> float:
        return self.widths[column] - 2 * PDF_PADDING

    def _header_cell(self, label: str, column: int) -> tuple[tuple[str, ...], float]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text = clean(label)
        room = self._room(column)
        widest = max(
            (stringWidth(word, self.bold, PDF_FONT_SIZE) for word in text.split()), default=0
        )
        size = PDF_FONT_SIZE
        if widest > room:
            size = max(PDF_HEADER_MIN_SIZE, round(PDF_FONT_SIZE * room / widest - 0.05, 1))
        return _wrapped(text, self.bold, size, room), size

    def cells(self, values: tuple[Value, ...]) -> Cells:
        return tuple(
            _wrapped(clean(display(value)), self.regular, PDF_FONT_SIZE, self._room(index))
            for index, value in enumerate(values)
        )

    def _title_lines(self, text: str, font: str, size: float, leading: float) -> None:
        """A title, centred, wrapped to the page's width."""
        lines = _wrapped(text, font, size, self.page_width - 2 * self.left)
        if self.canvas is not None:
            self.canvas.setFont(font, size, leading)
            for number, line in enumerate(lines):
                self.canvas.drawCentredString(
                    self.page_width / 2, self.y - size - number * leading, line
                )
        self.y -= len(lines) * leading

    # --- Pages ---

    def _start_page(self) -> None:
        self.pages += 1
        self.y = self.top
        if self.pages == 1:
            self._title_lines(self.title, self.bold, 14, 18)
            self._title_lines(self.subtitle, self.regular, 10.5, 14)
            self.y -= 0.4 * self.cm
        height = self.header_height
        canvas = self.canvas
        if canvas is not None:
            canvas.setFillColor(self.colors.HexColor("#E6E6E6"))
            canvas.rect(
                self.left, self.y - height, self.xs[-1] - self.left, height, stroke=0, fill=1
            )
            canvas.setFillColor(self.colors.black)
            for index, (lines, size) in enumerate(self.header):
                leading = size * PDF_LEADING / PDF_FONT_SIZE
                canvas.setFont(self.bold, size, leading)
                middle = (self.xs[index] + self.xs[index + 1]) / 2
                baseline = self.y - (height - len(lines) * leading) / 2 - size
                for line in lines:
                    canvas.drawCentredString(middle, baseline, line)
                    baseline -= leading
        self.lines_y = [self.y, self.y - height]
        self.y -= height
        self.rows_on_page = 0

    def _finish_page(self) -> None:
        canvas = self.canvas
        if canvas is None:
            return
        canvas.setStrokeColor(self.colors.grey)
        canvas.setLineWidth(0.4)
        canvas.grid(self.xs, self.lines_y)
        canvas.setFont(self.regular, 8)
        canvas.setFillColor(self.colors.dimgrey)
        canvas.drawString(self.margin, 0.7 * self.cm, self.footer_label)
        canvas.drawRightString(
            self.page_width - self.margin,
            0.7 * self.cm,
            _("Page %(page)s of %(pages)s") % {"page": self.pages, "pages": self.total_pages},
        )
        canvas.setFillColor(self.colors.black)
        canvas.showPage()

    # --- Rows ---

    @staticmethod
    def _height(cells: Cells) -> float:
        return max(len(lines) for lines in cells) * PDF_LEADING + 2 * PDF_PADDING

    def _draw(self, cells: Cells, height: float) -> None:
        self.rows_on_page += 1
        top = self.y
        self.y -= height
        self.lines_y.append(self.y)
        canvas = self.canvas
        if canvas is None:
            return
        canvas.setFont(self.regular, PDF_FONT_SIZE, PDF_LEADING)
        for index, lines in enumerate(cells):
            baseline = top - PDF_PADDING - PDF_FONT_SIZE
            if self.centred[index]:
                middle = (self.xs[index] + self.xs[index + 1]) / 2
                for line in lines:
                    canvas.drawCentredString(middle, baseline, line)
                    baseline -= PDF_LEADING
            else:
                x = self.xs[index] + PDF_PADDING
                for line in lines:
                    canvas.drawString(x, baseline, line)
                    baseline -= PDF_LEADING

    def add(self, cells: Cells) -> None:
        if self.pages == 0:
            self._start_page()
        while True:
            height = self._height(cells)
            room = self.y - self.bottom
            if height <= room + 0.01:
                self._draw(cells, height)
                return
            if self.rows_on_page and height <= self.top - self.header_height - self.bottom:
                self._finish_page()
                self._start_page()
                continue
            # Taller than a whole page (hundreds of recipients): as much as fits, then the rest.
            fit = max(1, int((room - 2 * PDF_PADDING) // PDF_LEADING))
            part = tuple(lines[:fit] for lines in cells)
            self._draw(part, self._height(part))
            cells = tuple(lines[fit:] or ("",) for lines in cells)
            self._finish_page()
            self._start_page()

    def close(self, *, empty_note: str = "") -> int:
        """Finish the last page (and the document, given a canvas); returns the pages."""
        if self.pages == 0:
            self._start_page()
        if empty_note and self.canvas is not None:
            self.canvas.setFont(self.regular, PDF_FONT_SIZE, PDF_LEADING)
            self.canvas.drawString(
                self.left, self.y - 0.3 * self.cm - PDF_FONT_SIZE, clean(empty_note)
            )
        self._finish_page()
        if self.canvas is not None:
            self.canvas.save()
        return self.pages


def _draw_pdf(
    output: IO[bytes],
    *,
    title: str,
    subtitle: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
) -> int:
    """Two passes over the rows, which are read once: the first wraps each row, keeps its
    lines in a temporary file and counts the pages; the second draws them."""
    from reportlab.pdfgen.canvas import Canvas

    fonts = register_fonts()
    table = {"title": title, "subtitle": subtitle, "columns": columns, "fonts": fonts}
    count = 0
    with tempfile.TemporaryFile() as spool:
        layout = _PdfTable(None, **table)  # type: ignore[arg-type]
        for values in rows:
            cells = layout.cells(values)
            marshal.dump(cells, spool)
            layout.add(cells)
            count += 1
        note = "" if count else _("No documents in this period.")
        pages = layout.close(empty_note=note)
        spool.seek(0)
        canvas = Canvas(
            output,
            pagesize=(layout.page_width, layout.page_height),
            invariant=1,
            pageCompression=1,
            initialFontName=fonts[0],
            initialFontSize=PDF_FONT_SIZE,
            initialLeading=PDF_LEADING,
            lang="vi",
        )
        canvas.setTitle(clean(title))
        canvas.setSubject(clean(subtitle))
        canvas.setCreator("VGP documents")
        drawing = _PdfTable(canvas, **table, total_pages=pages)  # type: ignore[arg-type]
        for _row in range(count):
            # Our own temporary file, written just above: nothing else wrote it.
            drawing.add(marshal.load(spool))  # noqa: S302
        drawing.close(empty_note=note)
    return pages
