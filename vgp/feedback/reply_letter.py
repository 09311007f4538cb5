"""The reply to a citizen as a letter (PDF): the agency, the tracking code, the dates, what the
citizen asked (as published, when it was) and the reply. ``actions.approve_reply`` makes it
when the reply is sent, has it sealed by the handling agency (``vgp.signatures.publishing``)
and stores it here, in the private storage; the citizen downloads it from the tracking page
(``views.reply_letter``) or through the API, under the same rule as the reply itself.

The letter is written in the installation's language, whatever the language of the request
that sent the reply. The top right corner of the first page is left empty for the seal's
visible signature. Fonts: Noto Serif as ``make assets`` builds it (the gazette's; it covers
Vietnamese), from ``FEEDBACK_FONT_DIR``, else ``GAZETTE_FONT_DIR``, else build/fonts/noto-serif.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vgp.core import pdf_fonts
from vgp.core import uploads as core_uploads

from .models import KIND_SHORT, FeedbackItem, Kind

STORED_NAME = re.compile(r"^feedback-replies/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$")
_FILES = core_uploads.PrivateFiles(
    prefix="feedback-replies", pattern=STORED_NAME, label="feedback reply letter"
)

# What the citizen submitted is quoted up to this length: the letter answers it, it does not
# reproduce a 20,000-character submission.
SUMMARY_MAX_CHARS = 3000


def font_dir() -> Path:
    return pdf_fonts.font_dir("FEEDBACK_FONT_DIR", "GAZETTE_FONT_DIR")


def _register_fonts() -> pdf_fonts.SerifFonts:
    return pdf_fonts.register(font_dir(), what="the reply letters", setting="FEEDBACK_FONT_DIR")


# --- What the letter says -------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    agency: str
    code: str
    kind: str  # "Khiếu nại", already in the letter's language
    citizen: str
    submitted_on: dt.date
    answered_on: dt.date
    title: str
    summary: str
    reply: str
    verify_url: str
    answered_at: dt.datetime  # the PDF's creation date


def letter_for(item: FeedbackItem) -> Letter:
    """The letter of an item whose reply is being sent (``answered_at`` and ``reply`` set).

    The question is quoted as published (personal data removed) when it was, else as the
    citizen wrote it: the letter goes to the citizen alone."""
    answered_at = item.answered_at or timezone.now()
    summary = (item.public_content or item.content).strip()
    if len(summary) > SUMMARY_MAX_CHARS:
        summary = summary[:SUMMARY_MAX_CHARS].rstrip() + " …"
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(KIND_SHORT[Kind(item.kind)])
        base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).rstrip("/")
        verify_url = base + reverse("signatures:verify")
    agency = item.agency
    return Letter(
        agency=agency.name_vi if agency is not None else "",
        code=item.code,
        kind=kind,
        citizen=item.name,
        submitted_on=timezone.localdate(item.received_at),
        answered_on=timezone.localdate(answered_at),
        title=(item.public_title or item.title).strip(),
        summary=summary,
        reply=item.reply.strip(),
        verify_url=verify_url,
        answered_at=timezone.localtime(answered_at),
    )


# --- Layout ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(text: str) -> str:
    # Composed (NFC): without shaping, a decomposed accent would be drawn beside its letter.
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\t", " ")


def _markup(text: str) -> str:
    return escape(_clean(text))


def _paragraphs(text: str) -> list[str]:
    return [_markup(line.strip()) for line in _clean(text).splitlines() if line.strip()]


def _day(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _pdf_date(moment: dt.datetime) -> Any:
    offset = int((moment.utcoffset() or dt.timedelta()).total_seconds()) // 60
    sign = "+" if offset >= 0 else "-"
    stamp = (
        moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(offset) // 60:02d}'{abs(offset) % 60:02d}'"
    )

    def formatter(*_ignored: int) -> str:
        return stamp

    return formatter


def render(letter: Letter, *, language: str | None = None) -> bytes:
    """The letter as an A4 PDF, its labels in ``language`` (the installation's by default)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

    fonts = _register_fonts()
    language = language or settings.LANGUAGE_CODE
    width = A4[0]
    left, right = 2.5 * cm, 2.0 * cm

    def style(name: str, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontName", fonts.regular)
        kw.setdefault("fontSize", 11.5)
        kw.setdefault("leading", kw["fontSize"] * 1.4)
        return ParagraphStyle(name, **kw)

    # Half the width: the other half of the top is the seal's.
    agency_style = style(
        "Agency",
        fontName=fonts.bold,
        fontSize=12,
        alignment=TA_LEFT,
        rightIndent=(width - left - right) / 2,
    )
    title_style = style(
        "Title", fontName=fonts.bold, fontSize=15, alignment=TA_CENTER, spaceBefore=6
    )
    subtitle_style = style("Subtitle", fontName=fonts.italic, alignment=TA_CENTER, spaceAfter=10)
    fact_style = style("Fact", spaceAfter=1)
    heading_style = style("Heading", fontName=fonts.bold, spaceBefore=10, spaceAfter=3)
    body_style = style("Body", alignment=TA_JUSTIFY, firstLineIndent=0.8 * cm, spaceAfter=4)
    quote_style = style(
        "Quote", fontName=fonts.italic, alignment=TA_JUSTIFY, leftIndent=0.8 * cm, spaceAfter=3
    )
    note_style = style(
        "Note", fontName=fonts.italic, fontSize=9.5, textColor=colors.HexColor("#444444")
    )

    def fact(label: str, value: str) -> Paragraph:
        return Paragraph(f"<b>{_markup(label)}</b> {_markup(value)}", fact_style)

    with translation.override(language):
        footer_label = _("Reply to submission %(code)s") % {"code": letter.code}
        story: list[Any] = [
            Paragraph(_markup(letter.agency.upper()), agency_style),
            HRFlowable(
                width="22%", thickness=0.6, color=colors.black, hAlign="LEFT", spaceBefore=3
            ),
            Spacer(1, 1.4 * cm),
            Paragraph(_markup(_("REPLY TO YOUR SUBMISSION")), title_style),
            Paragraph(
                _markup(
                    _("%(kind)s, tracking code %(code)s")
                    % {"kind": letter.kind, "code": letter.code}
                ),
                subtitle_style,
            ),
            fact(_("To:"), letter.citizen),
            fact(_("Received on:"), _day(letter.submitted_on)),
            fact(_("Answered on:"), _day(letter.answered_on)),
            fact(_("Regarding:"), letter.title),
            Paragraph(_markup(_("What you asked")), heading_style),
            *[Paragraph(line, quote_style) for line in _paragraphs(letter.summary)],
            Paragraph(
                _markup(_("The reply of %(agency)s") % {"agency": letter.agency}), heading_style
            ),
            *[Paragraph(line, body_style) for line in _paragraphs(letter.reply)],
            Spacer(1, 0.8 * cm),
            HRFlowable(width="100%", thickness=0.4, color=colors.HexColor("#888888"), spaceAfter=4),
            Paragraph(
                _markup(
                    _(
                        "This letter was sent through the Viet Nam Government Portal. When it "
                        "carries the agency's electronic signature, anyone can check it at %(url)s."
                    )
                    % {"url": letter.verify_url}
                ),
                note_style,
            ),
        ]
        metadata = {
            "title": _clean(footer_label),
            "author": _clean(letter.agency),
            "subject": _clean(letter.title),
            "creator": "VGP feedback",
            "initialFontName": fonts.regular,
            "lang": "vi",
            "invariant": 1,
        }

        def footer(canvas: Canvas, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(fonts.regular, 8.5)
            canvas.drawString(left, 1.2 * cm, _clean(footer_label))
            canvas.drawRightString(width - right, 1.2 * cm, str(canvas.getPageNumber()))
            canvas.restoreState()

    date_formatter = _pdf_date(letter.answered_at)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(date_formatter)
        return canvas

    output = io.BytesIO()
    doc = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=2.0 * cm,
        bottomMargin=2.2 * cm,
        **metadata,
    )
    with translation.override(language):
        doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=make_canvas)
    return output.getvalue()


# --- Storage --------------------------------------------------------------------------------


def store(data: bytes, when: dt.datetime) -> str:
    """Save a letter in the private storage under a generated name; return the name. If the
    surrounding transaction may roll back, the caller deletes it then (``delete_stored``)."""
    return _FILES.save(_FILES.new_name("pdf", when), ContentFile(data))


def open_stored(name: str) -> File[Any]:
    return _FILES.open(name)


def delete_stored(name: str) -> None:
    _FILES.delete(name)


def download(item: FeedbackItem) -> FileResponse:
    """The item's stored letter as a download, kept by no cache between the portal and the
    citizen. The caller has checked that the asker may read the reply."""
    response = FileResponse(
        open_stored(item.reply_letter),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"tra-loi-{item.code.lower()}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
