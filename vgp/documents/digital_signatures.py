"""Where and how an outgoing document's PDF is signed (Decree 30, Appendix I; ADR 0016).

The order is the one of the Decree: the signer signs (their handwritten image between the
position and the name, bottom right of the last page); at issue the organisation's seal signs
(its red seal covering the left third of the signer's image), then the number and date are
stamped with the organisation's signature (page 1, under the agency's name, level B-LT so the
document stays verifiable after the certificates expire); each annex gets the organisation's
signature at the top right of its first page with the number and symbol and the signing time
(ISO 8601, +07:00). Every signature is an incremental update: the earlier ones stay valid.

The appearance text is the document's language (Vietnamese), not the reader's. Boxes are
fractions of the page (A4 portrait is what Decree 30 prescribes).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vgp.signatures import actions as signature_actions
from vgp.signatures.signing import Appearance

from . import files
from .models import Attachment, Document

# x1, y1, x2, y2 as fractions of the page, from its lower left corner.
SIGNER_BOX = (0.52, 0.10, 0.92, 0.26)
# The seal: as tall as the signer's box, its right third over the left third of the signer's
# box (on A4 the page is 842/595 as tall as wide).
_SEAL_WIDTH = (SIGNER_BOX[3] - SIGNER_BOX[1]) * 842 / 595
_SEAL_RIGHT = SIGNER_BOX[0] + (SIGNER_BOX[2] - SIGNER_BOX[0]) / 3
SEAL_BOX = (_SEAL_RIGHT - _SEAL_WIDTH, SIGNER_BOX[1], _SEAL_RIGHT, SIGNER_BOX[3])
NUMBER_BOX = (0.06, 0.80, 0.46, 0.86)
ANNEX_BOX = (0.56, 0.90, 0.96, 0.97)
PDF = "application/pdf"


def applies(document: Document) -> bool:
    """Digital signing applies once the register's organisation has its seal certificate;
    before, documents are signed on paper and issued as they always were."""
    return signature_actions.has_seal(document.agency_id)


def signer_lacks_certificate(document: Document) -> bool:
    """An approved PDF waits for a signer who has no usable certificate (said on the page,
    before anyone presses "Sign")."""
    return (
        bool(document.approved_sha256)
        and document.signed_at is None
        and document.signer_id is not None
        and signature_actions.current_certificate(document.signer_id) is None
    )


def final_file(document: Document) -> Attachment | None:
    """The file of the newest version: what the reviewers approved."""
    version = document.versions.select_related("attachment").order_by("-number").first()
    return version.attachment if version is not None else None


def main_file(document: Document) -> Attachment | None:
    return document.attachments.filter(kind="main").order_by("-id").first()


def is_pdf(attachment: Attachment | None) -> bool:
    return attachment is not None and attachment.content_type == PDF


def read(attachment: Attachment) -> bytes:
    with files.open_stored(attachment.stored_name) as fp:
        return fp.read()


def signed_name(original: str, suffix: str) -> str:
    stem = original[:-4] if original.lower().endswith(".pdf") else original
    return f"{stem}-{suffix}.pdf"[:200]


def _upper(text: str) -> str:
    return text.strip().upper()


def signer_appearance(document: Document, image: bytes) -> Appearance:
    lines: list[str] = []
    if document.signing_prefix:
        lines.append(f"{document.signing_prefix} {_upper(document.agency.name_vi)}"[:80])
    lines.append(_upper(document.signer_position or "")[:80])
    # Four blank lines: the band for the handwritten signature, between position and name.
    lines += ["", "", "", "", document.signer_name or ""]
    return Appearance(
        box=SIGNER_BOX, page=-1, lines=tuple(lines), image=image, font_size=11, bold=True
    )


def seal_appearance(image: bytes) -> Appearance:
    return Appearance(box=SEAL_BOX, page=-1, lines=(), image=image)


def _date_words(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def number_appearance(document: Document) -> Appearance:
    assert document.document_date is not None
    return Appearance(
        box=NUMBER_BOX,
        page=0,
        lines=(f"Số: {document.number_symbol}", _date_words(document.document_date)),
        font_size=12,
    )


def annex_appearance(document: Document, at: dt.datetime) -> Appearance:
    moment = timezone.localtime(at).isoformat(timespec="seconds")
    return Appearance(
        box=ANNEX_BOX,
        page=0,
        lines=(document.agency.name_vi[:60], document.number_symbol, moment),
        font_size=10,
        border=True,
        align="left",
    )
