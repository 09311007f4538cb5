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
:func:`to_xlsx` writes a streaming workbook; :func:`to_pdf` lays out an A4 landscape table with
Noto Serif (the fonts the gazette embeds, built into ``build/fonts/`` by ``make assets``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vgp.agencies.models import Agency
from vgp.workdays.deadlines import VN_TZ

from . import numbering, queries
from .models import (
    INCOMING_OPEN,
    Delivery,
    Direction,
    Document,
    EventKind,
    HandlingDirection,
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


class RegisterKind(models.TextChoices):
    INCOMING = "incoming", gettext_lazy("Incoming documents register")
    OUTGOING = "outgoing", gettext_lazy("Outgoing documents register")
    TRACKING = "tracking", gettext_lazy("Register for tracking the handling of incoming documents")


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
        yield RegisterRow(document.pk, make_row(document, today))


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
    return write_xlsx(
        title=register.title,
        heading=register.heading,
        columns=register.columns,
        rows=(row.values for row in rows),
    )


def write_xlsx(
    *,
    title: str,
    heading: str,
    columns: tuple[Column, ...],
    rows: Iterable[tuple[Value, ...]],
    total: tuple[Value, ...] | None = None,
) -> bytes:
    """One sheet: a title row, a frozen header row, then the rows, in a write-only workbook
    (rows go to a temporary file as they come, so a long register does not fill memory)."""
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

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- PDF -------------------------------------------------------------------------------------


class FontsMissing(RuntimeError):
    """The TrueType files the PDF embeds are not in the font folder."""


FONT_FILES = {
    "regular": "NotoSerif_400Regular.ttf",
    "bold": "NotoSerif_700Bold.ttf",
    "italic": "NotoSerif_400Regular_Italic.ttf",
    "bold_italic": "NotoSerif_700Bold_Italic.ttf",
}
_registered: dict[Path, tuple[str, str]] = {}
_registry_lock = threading.Lock()


def font_dir() -> Path:
    """Noto Serif as ``make assets`` builds it (the gazette's fonts): ``DOCUMENTS_FONT_DIR``,
    else ``GAZETTE_FONT_DIR``, else build/fonts/noto-serif."""
    configured = getattr(settings, "DOCUMENTS_FONT_DIR", None) or getattr(
        settings, "GAZETTE_FONT_DIR", None
    )
    default = Path(settings.BASE_DIR) / "build" / "fonts" / "noto-serif"
    return Path(configured) if configured else default


def register_fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab, once per folder."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    directory = font_dir().resolve()
    with _registry_lock:
        if directory in _registered:
            return _registered[directory]
        missing = [name for name in FONT_FILES.values() if not (directory / name).is_file()]
        if missing:
            raise FontsMissing(
                f"The fonts of the registers are missing from {directory} "
                f"({', '.join(missing)}): run `make assets`, or point DOCUMENTS_FONT_DIR "
                "at a folder holding them."
            )
        family = f"RegisterSerif{len(_registered) + 1}"
        names = {
            "regular": family,
            "bold": f"{family}-Bold",
            "italic": f"{family}-Italic",
            "bold_italic": f"{family}-BoldItalic",
        }
        for style, name in names.items():
            pdfmetrics.registerFont(TTFont(name, str(directory / FONT_FILES[style])))
        pdfmetrics.registerFontFamily(
            family,
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )
        _registered[directory] = (names["regular"], names["bold"])
        return _registered[directory]


def to_pdf(register: Register, rows: Iterable[RegisterRow]) -> bytes:
    """The register as an A4 landscape PDF: its title, then one table whose header repeats on
    every page, and "page n of N" at the foot of each page."""
    return write_pdf(
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
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    regular, bold = register_fonts()
    page_size = landscape(A4)
    margin = 1.2 * cm
    title_style = ParagraphStyle(
        "RegisterTitle", fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER
    )
    subtitle_style = ParagraphStyle(
        "RegisterSubtitle", fontName=regular, fontSize=10.5, leading=14, alignment=TA_CENTER
    )
    cell_style = ParagraphStyle(
        "RegisterCell", fontName=regular, fontSize=8, leading=10, alignment=TA_LEFT
    )
    centred_style = ParagraphStyle("RegisterCellCentred", parent=cell_style, alignment=TA_CENTER)
    header_style = ParagraphStyle(
        "RegisterHeader", parent=cell_style, fontName=bold, alignment=TA_CENTER
    )

    def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(clean(text)).replace("\n", "<br/>"), style)

    width = page_size[0] - 2 * margin
    total_width = sum(column.width for column in columns)
    col_widths = [width * column.width / total_width for column in columns]
    data: list[list[Any]] = [[paragraph(str(column.label), header_style) for column in columns]]
    for values in rows:
        data.append(
            [
                paragraph(
                    display(value),
                    centred_style if column.kind in ("date", "number") else cell_style,
                )
                for column, value in zip(columns, values, strict=True)
            ]
        )
    table = LongTable(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # The table's own default font (an unembedded Helvetica) otherwise opens it.
                ("FONT", (0, 0), (-1, -1), regular, 8),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    if len(data) == 1:
        story: list[Any] = [
            paragraph(title, title_style),
            paragraph(subtitle, subtitle_style),
            Spacer(1, 0.4 * cm),
            table,
            Spacer(1, 0.3 * cm),
            paragraph(_("No documents in this period."), cell_style),
        ]
    else:
        story = [
            paragraph(title, title_style),
            paragraph(subtitle, subtitle_style),
            Spacer(1, 0.4 * cm),
            table,
        ]

    footer_label = clean(f"{title} {EN_DASH} {subtitle}")
    page_label = _("Page %(page)s of %(pages)s")

    class NumberedCanvas(Canvas):
        """Keeps each page until the end, to print "page n of N" on all of them."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._footer(pages)
                super().showPage()
            super().save()

        def _footer(self, pages: int) -> None:
            self.saveState()
            self.setFont(regular, 8)
            self.setFillColor(colors.dimgrey)
            self.drawString(margin, 0.7 * cm, footer_label[:150])
            self.drawRightString(
                page_size[0] - margin,
                0.7 * cm,
                page_label % {"page": self.getPageNumber(), "pages": pages},
            )
            self.restoreState()

    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=page_size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=1.4 * cm,
        title=clean(title),
        subject=clean(subtitle),
        creator="VGP documents",
        initialFontName=regular,
        lang="vi",
        invariant=1,
    )
    document.build(story, canvasmaker=NumberedCanvas)
    return output.getvalue()
