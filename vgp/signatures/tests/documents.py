"""PDFs made for the tests: a blank one, and the samples altered in the ways an attacker or a
broken transfer would."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def blank_pdf(text: str = "Công văn số 12/VPCP") -> bytes:
    """A one-page PDF without any signature."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def byte_range(content: bytes) -> tuple[int, int, int, int]:
    found = BYTE_RANGE.search(content)
    assert found is not None
    first, length, second, second_length = (int(value) for value in found.groups())
    return first, length, second, second_length


def with_byte_range(content: bytes, *numbers: int) -> bytes:
    """The file with its first signature's /ByteRange rewritten, padded to the same length so
    that nothing else moves."""
    found = BYTE_RANGE.search(content)
    assert found is not None
    new = ("/ByteRange [" + " ".join(str(n) for n in numbers) + "]").encode()
    assert len(new) <= len(found.group(0))
    return content.replace(found.group(0), new.ljust(len(found.group(0))), 1)


def flip_one_byte(content: bytes, offset: int) -> bytes:
    altered = bytearray(content)
    altered[offset] ^= 0x01
    return bytes(altered)


def encrypted(content: bytes) -> bytes:
    """The same file encrypted with AES-256 and an empty user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
