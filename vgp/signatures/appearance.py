"""What a visible signature looks like on the page (Decree 30, Appendix I; ADR 0016).

pyHanko's text stamp draws its text left-aligned over a background stretched to the whole box,
which puts an official's handwritten signature across their position and name. The appearance
is drawn here instead, as a one-page PDF the size of the box (reportlab, Noto Serif like the
project's other PDFs), and pyHanko places that page in the signature field: lines centred as the
Decree sets them out, the image kept to its proportions in the band the blank lines leave
between the position and the name, and the leading wide enough for Vietnamese diacritics.
"""

from __future__ import annotations

import binascii
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle

from vgp.core import pdf_fonts

LEADING = 1.3  # times the font size: room for the stacked marks of Vietnamese (ể, ỗ, ậ)
PADDING = 2.0  # points inside the box (and inside the border)


@dataclass(frozen=True)
class Appearance:
    """A visible signature: ``lines`` of text and ``image`` (PNG) in ``box`` (x1, y1, x2, y2 in
    points from the page's lower left corner; fractions of the page when ≤ 1) on ``page``
    (0-based, -1 for the last page).

    Blank lines among ``lines`` leave the band where the image goes (the signer's handwriting
    between position and name); without one, the image fills what the text leaves above it.
    """

    box: tuple[float, float, float, float]
    page: int = -1
    lines: tuple[str, ...] = ()
    image: bytes = b""
    font_size: float = 9
    border: bool = False
    align: Literal["center", "left"] = "center"
    bold: bool = False


class _PdfPage(PdfContent):
    """The first page of a PDF held in memory, as a form XObject (pyHanko's own
    ``ImportedPdfPage`` reads only from a file name)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = b"/Appearance" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def _fonts() -> pdf_fonts.SerifFonts:
    folder = Path(settings.SIGNATURE_FONT).parent
    try:
        return pdf_fonts.register(folder, what="signature appearances", setting="SIGNATURE_FONT")
    except pdf_fonts.FontsMissing as error:
        raise ValidationError(
            _("The font for signature appearances is missing (%(path)s): run make assets.")
            % {"path": folder}
        ) from error


def render(appearance: Appearance, width: float, height: float) -> bytes:
    """The appearance as a one-page PDF of ``width`` by ``height`` points."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    fonts = _fonts()
    face = fonts.bold if appearance.bold else fonts.regular
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=(width, height), pageCompression=1)
    canvas.setTitle("")
    padding = PADDING * 2 if appearance.border else PADDING
    inner = width - 2 * padding
    lines = list(appearance.lines)
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    if blanks:
        top, bottom = lines[: blanks[0]], lines[blanks[-1] + 1 :]
    else:
        top, bottom = [], lines
    # One size for every line: the box's, or smaller until the longest line fits.
    size = float(appearance.font_size)
    longest = max((stringWidth(line, face, size) for line in top + bottom), default=0.0)
    if longest > inner:
        size = max(4.0, size * inner / longest)
    leading = size * LEADING

    def draw(line: str, baseline: float) -> None:
        canvas.setFont(face, size)
        if appearance.align == "left":
            canvas.drawString(padding, baseline, line)
        else:
            canvas.drawCentredString(width / 2, baseline, line)

    y = height - padding
    for line in top:
        y -= leading
        draw(line, y + (leading - size))
    band_top = y
    if blanks or appearance.image:
        y = padding + len(bottom) * leading
    else:  # text alone: centred in the box
        y = (height + len(bottom) * leading) / 2
    band_bottom = y
    for line in bottom:
        y -= leading
        draw(line, y + (leading - size))
    if appearance.image:
        image = ImageReader(io.BytesIO(appearance.image))
        image_width, image_height = image.getSize()
        band = max(0.0, band_top - band_bottom)
        scale = min(inner / image_width, band / image_height) if image_height else 0
        if scale > 0:
            drawn_width, drawn_height = image_width * scale, image_height * scale
            canvas.drawImage(
                image,
                (width - drawn_width) / 2,
                band_bottom + (band - drawn_height) / 2,
                drawn_width,
                drawn_height,
                mask="auto",
            )
    if appearance.border:
        canvas.setLineWidth(0.8)
        canvas.rect(0.4, 0.4, width - 0.8, height - 0.8)
    canvas.showPage()
    canvas.save()
    return output.getvalue()


def stamp_style(appearance: Appearance, width: float, height: float) -> StaticStampStyle:
    return StaticStampStyle(
        background=_PdfPage(render(appearance, width, height)),
        background_opacity=1.0,
        border_width=0,
    )
