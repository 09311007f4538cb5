"""The Official Gazette (Công báo) as a PDF: one issue in, the PDF and its page map out.

A pure module: plain dataclasses in, bytes out, no models and no database, so the same function
serves the publishing action, a preview and the tests. The layout follows the printed gazette:
a cover, a table of contents, then each document on a new page with the header block of an
administrative document (Decree 30/2020), its text, and the signature block.

The table of contents prints the page each document starts on, which is known only once the
pages are laid out: the issue is built twice, the second time with the pages the first one
measured, and again while they still move (they do not once the contents have their numbers,
because the page column has a fixed width).

Fonts are embedded TrueType files from the npm registry, copied into build/fonts/ by
``make assets`` (scripts/build_assets.mjs); ``GAZETTE_FONT_DIR`` points elsewhere if needed.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from vgp.core import pdf_fonts
from vgp.core.pdf_fonts import FontsMissing, SerifFonts

__all__ = [
    "FontsMissing",
    "GazetteDocument",
    "GazetteIssueData",
    "GazetteProvision",
    "RenderedIssue",
    "render_issue",
]


@dataclass(frozen=True)
class GazetteProvision:
    """One structural unit of a document's text (a chapter, an article, a clause...)."""

    kind: str  # "part"|"chapter"|"section"|"subsection"|"article"|"clause"|"point"|"preamble"
    label: str  # "Chương I", "Điều 32", "1.", "a)": already formatted
    heading: str  # may be ""
    text: str  # plain text, may contain newlines
    depth: int  # 0 for part/chapter/article at top, children deeper


@dataclass(frozen=True)
class GazetteDocument:
    number_symbol: str  # "83/2008/QĐ-TTg", may be ""
    type_name: str  # "Quyết định"
    issuer_name: str  # "Thủ tướng Chính phủ"
    title: str  # the summary (trích yếu)
    issued_date: date | None
    signer_name: str
    signer_position: str
    provisions: list[GazetteProvision]  # may be empty: plain_text is printed instead
    plain_text: str = ""


@dataclass(frozen=True)
class GazetteIssueData:
    year: int
    number: int  # issue number within the year
    issue_date: date
    title: str  # "Công báo số 12/2026", formatted by the caller
    publisher: str  # "Văn phòng Chính phủ"
    site_url: str  # printed in the footer of every page
    documents: list[GazetteDocument]


@dataclass(frozen=True)
class RenderedIssue:
    pdf: bytes
    page_count: int
    start_pages: list[int]  # 1-based page where each document starts, in input order
    end_pages: list[int]


# --- Fonts -----------------------------------------------------------------------------------


def font_dir() -> Path:
    return pdf_fonts.font_dir("GAZETTE_FONT_DIR")


def _register_fonts() -> SerifFonts:
    return pdf_fonts.register(font_dir(), what="the gazette", setting="GAZETTE_FONT_DIR")


# --- Text helpers ----------------------------------------------------------------------------

# C0 controls other than tab and newline have no glyph and upset the PDF text operators.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    """NFC text without control characters.

    Text pasted from other systems may arrive decomposed (NFD); without shaping, the combining
    marks would be drawn beside their letters, so every string is composed first.
    """
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\t", " ")


def _markup(text: str) -> str:
    """Plain text made safe for reportlab's Paragraph mini-markup."""
    return escape(_clean(text))


def _lines(text: str) -> Iterator[str]:
    for line in _clean(text).splitlines():
        if line.strip():
            yield line.strip()


def _numeric_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _date_line(value: date) -> str:
    # Decree 30/2020, Appendix I: days below 10 and the months January and February take a
    # leading zero, so that the date cannot be altered by hand.
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    # Translators: place and date line of an administrative document, e.g.
    # "Hà Nội, ngày %(day)s tháng %(month)s năm %(year)s".
    return _("Hanoi, %(day)s/%(month)s/%(year)s") % {
        "day": day,
        "month": month,
        "year": value.year,
    }


def _document_reference(document: GazetteDocument) -> str:
    """Type, number and date of a document ("Quyết định số 310/QĐ-TTg ngày 02/03/2026"),
    as much of it as the document has: a draft in the issue may lack number or date."""
    kind = _clean(document.type_name)
    number = _clean(document.number_symbol)
    when = _numeric_date(document.issued_date) if document.issued_date else ""
    if number and when:
        return _("%(type)s No. %(number)s of %(date)s") % {
            "type": kind,
            "number": number,
            "date": when,
        }
    if number:
        return _("%(type)s No. %(number)s") % {"type": kind, "number": number}
    if when:
        return _("%(type)s of %(date)s") % {"type": kind, "date": when}
    return kind


def _pdf_date_formatter(moment: datetime) -> Callable[..., str]:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("created_at must be an aware datetime")
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    stamp = (
        moment.strftime("D:%Y%m%d%H%M%S")
        + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    )

    # reportlab passes its own clock reading; the gazette's date replaces it.
    def formatter(*_ignored: int) -> str:
        return stamp

    return formatter


# --- Layout ----------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 2.5 * cm
RIGHT_MARGIN = 2.0 * cm
TOP_MARGIN = 2.0 * cm
BOTTOM_MARGIN = 2.4 * cm
INDENT = 0.8 * cm
BODY_SIZE = 11
MASTHEAD_RED = colors.HexColor("#b3141c")
RULE_GREY = colors.HexColor("#555555")
TOC_PAGE_COLUMN = 1.6 * cm
MAX_PASSES = 4


class _Styles:
    def __init__(self, fonts: SerifFonts) -> None:
        def style(name: str, **kw: Any) -> ParagraphStyle:
            kw.setdefault("fontName", fonts.regular)
            kw.setdefault("fontSize", BODY_SIZE)
            kw.setdefault("leading", kw["fontSize"] * 1.35)
            return ParagraphStyle(name, **kw)

        self.fonts = fonts
        centred_bold = {"fontName": fonts.bold, "alignment": TA_CENTER}
        self.cover_publisher = style("CoverPublisher", fontSize=14, **centred_bold)
        self.cover_number = style("CoverNumber", fontSize=20, leading=28, **centred_bold)
        self.cover_line = style("CoverLine", fontSize=13, alignment=TA_CENTER)
        self.cover_title = style(
            "CoverTitle", fontName=fonts.italic, fontSize=13, alignment=TA_CENTER
        )
        self.cover_small = style("CoverSmall", fontSize=10, alignment=TA_CENTER)
        self.toc_title = style("TocTitle", fontSize=15, spaceAfter=14, **centred_bold)
        self.toc_head = style("TocHead", fontName=fonts.bold, fontSize=9.5, alignment=TA_RIGHT)
        self.toc_entry = style("TocEntry", fontSize=10.5, alignment=TA_LEFT)
        self.toc_page = style("TocPage", fontSize=10.5, alignment=TA_RIGHT)
        self.toc_empty = style("TocEmpty", fontName=fonts.italic, alignment=TA_CENTER)
        self.header_bold = style("HeaderBold", fontSize=10.5, leading=13.5, **centred_bold)
        self.header = style("Header", fontSize=11, leading=14, alignment=TA_CENTER)
        self.header_date = style(
            "HeaderDate", fontName=fonts.italic, fontSize=11, leading=14, alignment=TA_CENTER
        )
        self.doc_type = style(
            "DocType", fontSize=14, spaceBefore=16, spaceAfter=2, keepWithNext=1, **centred_bold
        )
        self.doc_title = style("DocTitle", fontSize=12, keepWithNext=1, **centred_bold)
        self.division = style(
            "Division", fontSize=12, spaceBefore=10, keepWithNext=1, **centred_bold
        )
        self.division_heading = style(
            "DivisionHeading", fontSize=12, spaceAfter=4, keepWithNext=1, **centred_bold
        )
        self.section = style(
            "Section", fontSize=11.5, spaceBefore=8, keepWithNext=1, **centred_bold
        )
        self.section_heading = style(
            "SectionHeading", fontSize=11.5, spaceAfter=4, keepWithNext=1, **centred_bold
        )
        self.article = style(
            "Article",
            fontName=fonts.bold,
            alignment=TA_JUSTIFY,
            spaceBefore=7,
            spaceAfter=2,
            keepWithNext=1,
        )
        self.body = style("Body", alignment=TA_JUSTIFY, firstLineIndent=INDENT, spaceAfter=3)
        self.preamble = style(
            "Preamble",
            fontName=fonts.italic,
            alignment=TA_JUSTIFY,
            firstLineIndent=INDENT,
            spaceAfter=3,
        )
        self.clause = style("Clause", alignment=TA_JUSTIFY, leftIndent=INDENT, spaceAfter=3)
        self.point = style("Point", alignment=TA_JUSTIFY, leftIndent=2 * INDENT, spaceAfter=3)
        self.signature = style("Signature", fontSize=11.5, leading=15, **centred_bold)

    def masthead(self, text: str, width: float) -> ParagraphStyle:
        """The cover's title on one line: as large as 54 pt, smaller if the words need it."""
        natural = pdfmetrics.stringWidth(text, self.fonts.bold, 1) or 1
        size = min(54.0, width * 0.96 / natural)
        return ParagraphStyle(
            "CoverMasthead",
            fontName=self.fonts.bold,
            fontSize=size,
            leading=size * 1.2,
            alignment=TA_CENTER,
            textColor=MASTHEAD_RED,
        )


class _Anchor(Flowable):
    """An invisible point in the story: a link target and outline entry, and for documents the
    place where the template notes the page a document starts or ends on."""

    def __init__(
        self,
        key: str | None = None,
        outline_title: str | None = None,
        document: int | None = None,
        starts: bool = True,
    ) -> None:
        super().__init__()
        self.key = key
        self.outline_title = outline_title
        self.document = document
        self.starts = starts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkPage(self.key)
            if self.outline_title:
                self.canv.addOutlineEntry(self.outline_title, self.key, level=0)


class _FillPage(Flowable):
    """Takes the frame's remaining height less ``reserve``: pushes what follows to the foot."""

    def __init__(self, reserve: float) -> None:
        super().__init__()
        self.reserve = reserve

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, max(0, available_height - self.reserve)

    def draw(self) -> None:
        pass


@dataclass(frozen=True)
class _Footer:
    label: str  # "CÔNG BÁO/Số 12/2026"
    site_url: str
    fonts: SerifFonts

    def draw(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        left, right = LEFT_MARGIN, PAGE_WIDTH - RIGHT_MARGIN
        rule_y, text_y = 1.6 * cm, 1.1 * cm
        canv.saveState()
        canv.setStrokeColor(RULE_GREY)
        canv.setLineWidth(0.5)
        canv.line(left, rule_y, right, rule_y)
        canv.setFillColor(colors.black)
        canv.setFont(self.fonts.bold, 8.5)
        canv.drawString(left, text_y, self.label)
        canv.setFont(self.fonts.bold, 10)
        canv.drawRightString(right, text_y, str(canv.getPageNumber()))
        if self.site_url:
            canv.setFont(self.fonts.regular, 8.5)
            centre = (left + right) / 2
            canv.drawCentredString(centre, text_y, self.site_url)
            half = canv.stringWidth(self.site_url, self.fonts.regular, 8.5) / 2
            canv.linkURL(self.site_url, (centre - half, text_y - 2, centre + half, text_y + 9))
        canv.restoreState()


class _IssueTemplate(BaseDocTemplate):
    """One A4 page template with the running footer; notes where each document lands."""

    def __init__(self, output: io.BytesIO, *, footer: _Footer, documents: int, **kw: Any) -> None:
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=LEFT_MARGIN,
            rightMargin=RIGHT_MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            **kw,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="text",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer.draw)])
        self.start_pages = [0] * documents
        self.end_pages = [0] * documents

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Anchor) and flowable.document is not None:
            pages = self.start_pages if flowable.starts else self.end_pages
            pages[flowable.document] = self.page


def _document_key(index: int) -> str:
    return f"document-{index + 1}"


def _cover(issue: GazetteIssueData, styles: _Styles, width: float) -> list[Flowable]:
    count = len(issue.documents)
    masthead = _("OFFICIAL GAZETTE")
    return [
        Spacer(1, 1.2 * cm),
        Paragraph(_markup(issue.publisher.upper()), styles.cover_publisher),
        Spacer(1, 0.5 * cm),
        HRFlowable(width="100%", thickness=2.5, color=MASTHEAD_RED, spaceAfter=2),
        HRFlowable(width="100%", thickness=0.8, color=MASTHEAD_RED, spaceAfter=1.4 * cm),
        Paragraph(_markup(masthead), styles.masthead(masthead, width)),
        Spacer(1, 0.9 * cm),
        Paragraph(
            _markup(_("No. %(number)s/%(year)s") % {"number": issue.number, "year": issue.year}),
            styles.cover_number,
        ),
        Spacer(1, 0.3 * cm),
        Paragraph(
            _markup(_("Issue date: %(date)s") % {"date": _numeric_date(issue.issue_date)}),
            styles.cover_line,
        ),
        Spacer(1, 0.6 * cm),
        Paragraph(_markup(issue.title), styles.cover_title),
        Spacer(1, 1.2 * cm),
        HRFlowable(width="40%", thickness=0.8, color=RULE_GREY, spaceAfter=0.6 * cm),
        Paragraph(
            _markup(
                ngettext(
                    "This issue contains %(count)d document.",
                    "This issue contains %(count)d documents.",
                    count,
                )
                % {"count": count}
            ),
            styles.cover_line,
        ),
        _FillPage(reserve=2.2 * cm),
        HRFlowable(width="100%", thickness=0.8, color=MASTHEAD_RED, spaceAfter=0.3 * cm),
        Paragraph(
            _markup(_("Published by %(publisher)s") % {"publisher": issue.publisher}),
            styles.cover_small,
        ),
        Paragraph(_markup(issue.site_url), styles.cover_small),
    ]


def _contents(
    issue: GazetteIssueData, styles: _Styles, start_pages: list[int], width: float
) -> list[Flowable]:
    story: list[Flowable] = [
        _Anchor(key="contents", outline_title=_("CONTENTS")),
        Paragraph(_markup(_("CONTENTS")), styles.toc_title),
    ]
    if not issue.documents:
        story.append(Paragraph(_markup(_("This issue contains no documents.")), styles.toc_empty))
        return story
    rows: list[list[Any]] = [[Spacer(0, 0), Paragraph(_markup(_("Page")), styles.toc_head)]]
    for index, document in enumerate(issue.documents):
        link = f'<a href="#{_document_key(index)}">'
        entry = (
            f"{link}<b>{_markup(_document_reference(document))}</b></a><br/>"
            f"{_markup(document.title)}"
        )
        # Before the first pass has measured the pages a placeholder of the same width stands in.
        page = str(start_pages[index]) if start_pages[index] else "0"
        rows.append(
            [
                Paragraph(entry, styles.toc_entry),
                Paragraph(f"{link}{page}</a>", styles.toc_page),
            ]
        )
    table = Table(rows, colWidths=[width - TOC_PAGE_COLUMN, TOC_PAGE_COLUMN], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # A table sets a cell's font even when the cell holds flowables: without this
                # every page would name an unembedded Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999"), None, (1, 2)),
            ]
        )
    )
    story.append(table)
    return story


def _document_header(document: GazetteDocument, styles: _Styles, width: float) -> list[Flowable]:
    issuer: list[Flowable] = [
        Paragraph(_markup(document.issuer_name.upper()), styles.header_bold),
        HRFlowable(width=2.2 * cm, thickness=0.6, color=colors.black, spaceBefore=2, spaceAfter=4),
    ]
    if document.number_symbol:
        issuer.append(
            Paragraph(
                _markup(_("No.: %(number)s") % {"number": _clean(document.number_symbol)}),
                styles.header,
            )
        )
    nation: list[Flowable] = [
        Paragraph(_markup(_("SOCIALIST REPUBLIC OF VIET NAM")), styles.header_bold),
        Paragraph(_markup(_("Independence - Freedom - Happiness")), styles.header_bold),
        HRFlowable(width=4.6 * cm, thickness=0.6, color=colors.black, spaceBefore=2, spaceAfter=4),
    ]
    if document.issued_date:
        nation.append(Paragraph(_markup(_date_line(document.issued_date)), styles.header_date))
    header = Table([[issuer, nation]], colWidths=[width * 0.4, width * 0.6])
    header.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular),
                # A cell places its flowables by ALIGN, not by their own hAlign: the short
                # rules under the issuer and the motto are centred like the lines above them.
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story: list[Flowable] = [header]
    if document.type_name:
        story.append(Paragraph(_markup(document.type_name.upper()), styles.doc_type))
    if document.title:
        story.append(Paragraph(_markup(document.title), styles.doc_title))
    story.append(
        HRFlowable(width=3 * cm, thickness=0.6, color=colors.black, spaceBefore=4, spaceAfter=10)
    )
    return story


def _provision(provision: GazetteProvision, styles: _Styles) -> list[Flowable]:
    label, heading = _markup(provision.label), _markup(provision.heading)
    text = list(_lines(provision.text))
    story: list[Flowable] = []
    if provision.kind in {"part", "chapter", "section", "subsection"}:
        major = provision.kind in {"part", "chapter"}
        if label:
            story.append(Paragraph(label, styles.division if major else styles.section))
        if heading:
            style = styles.division_heading if major else styles.section_heading
            story.append(Paragraph(heading, style))
        story.extend(Paragraph(escape(line), styles.body) for line in text)
    elif provision.kind == "article":
        title = f"{label} {heading}".strip() if heading else label
        if title:
            story.append(Paragraph(title, styles.article))
        story.extend(Paragraph(escape(line), styles.body) for line in text)
    elif provision.kind == "preamble":
        if label or heading:
            story.append(Paragraph(f"{label} {heading}".strip(), styles.preamble))
        story.extend(Paragraph(escape(line), styles.preamble) for line in text)
    else:
        # Clauses, points and any kind this module does not know: the label runs into the
        # first line of text, the whole unit indented by its rank.
        style = styles.point if provision.kind == "point" else styles.clause
        lead = " ".join(part for part in (label, f"<b>{heading}</b>" if heading else "") if part)
        first, rest = (escape(text[0]), text[1:]) if text else ("", [])
        opening = f"{lead} {first}".strip()
        if opening:
            story.append(Paragraph(opening, style))
        story.extend(Paragraph(escape(line), style) for line in rest)
    return story


def _signature(document: GazetteDocument, styles: _Styles, width: float) -> Flowable | None:
    lines = [
        Paragraph(_markup(line.upper()), styles.signature)
        for line in _lines(document.signer_position)
    ]
    if document.signer_name.strip():
        lines.append(Spacer(1, 1.8 * cm))
        lines.append(Paragraph(_markup(document.signer_name.strip()), styles.signature))
    if not lines:
        return None
    block = Table([[Spacer(0, 0), lines]], colWidths=[width * 0.45, width * 0.55])
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles.fonts.regular),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return block


def _document(
    index: int, document: GazetteDocument, styles: _Styles, width: float
) -> list[Flowable]:
    body: list[Flowable] = []
    for provision in document.provisions:
        body.extend(_provision(provision, styles))
    if not document.provisions:
        body.extend(Paragraph(escape(line), styles.body) for line in _lines(document.plain_text))
    signature = _signature(document, styles, width)
    if signature is not None:
        # A signature never stands alone on a page: it keeps the last paragraph with it.
        tail = [body.pop()] if body else []
        body.append(KeepTogether([*tail, signature]))
    return [
        PageBreak(),
        _Anchor(
            key=_document_key(index),
            outline_title=_clean(_document_reference(document)),
            document=index,
        ),
        *_document_header(document, styles, width),
        *body,
        _Anchor(document=index, starts=False),
    ]


def _story(
    issue: GazetteIssueData, styles: _Styles, start_pages: list[int], width: float
) -> list[Flowable]:
    story = [
        *_cover(issue, styles, width),
        PageBreak(),
        *_contents(issue, styles, start_pages, width),
    ]
    for index, document in enumerate(issue.documents):
        story.extend(_document(index, document, styles, width))
    return story


def render_issue(
    issue: GazetteIssueData, *, language: str = "vi", created_at: datetime | None = None
) -> RenderedIssue:
    """Lay out one gazette issue as an A4 PDF.

    The labels (masthead, contents, header lines) are translated into ``language``; the
    documents' own text is printed as given. Identical input gives identical bytes: the PDF's
    creation date is ``created_at`` (aware), by default the issue date at midnight local time.
    """
    fonts = _register_fonts()
    if created_at is None:
        created_at = datetime.combine(
            issue.issue_date, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
    date_formatter = _pdf_date_formatter(created_at)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(date_formatter)
        return canvas

    with translation.override(language):
        styles = _Styles(fonts)
        footer = _Footer(
            label=_("OFFICIAL GAZETTE/No. %(number)s/%(year)s")
            % {"number": issue.number, "year": issue.year},
            site_url=_clean(issue.site_url),
            fonts=fonts,
        )
        metadata = {
            "title": _clean(issue.title),
            "author": _clean(issue.publisher),
            "subject": _("Official Gazette No. %(number)s/%(year)s, %(date)s")
            % {
                "number": issue.number,
                "year": issue.year,
                "date": _numeric_date(issue.issue_date),
            },
            "creator": "VGP gazette",
            # reportlab's default (an unembedded Helvetica) otherwise opens every page.
            "initialFontName": fonts.regular,
            # The documents are Vietnamese whatever the language of the labels.
            "lang": "vi",
            "displayDocTitle": True,
            # Fixed timestamp and file ID: the same issue always gives the same bytes.
            "invariant": 1,
        }
        start_pages = [0] * len(issue.documents)
        for _pass in range(MAX_PASSES):
            output = io.BytesIO()
            doc = _IssueTemplate(output, footer=footer, documents=len(issue.documents), **metadata)
            doc.build(_story(issue, styles, start_pages, doc.width), canvasmaker=make_canvas)
            if doc.start_pages == start_pages:
                break
            start_pages = doc.start_pages
        else:
            raise RuntimeError(
                f"The contents of gazette issue {issue.number}/{issue.year} did not settle "
                f"after {MAX_PASSES} passes"
            )
    return RenderedIssue(
        pdf=output.getvalue(),
        page_count=doc.page,
        start_pages=list(doc.start_pages),
        end_pages=list(doc.end_pages),
    )
