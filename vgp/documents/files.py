"""The files of official documents: checked by their content, stored privately, read for search.

A file's type is decided by its content, never by its name or by the content type the client
sent (the checks common to every upload are in ``vgp.core.uploads``):

- PDF (the main case: signed documents and scans): ``%PDF-`` at its start (bytes before the
  header, which some readers tolerate, make polyglot files), ``%%EOF`` near its end (a file
  cut off in transfer has none there), and pypdf must be able to open it and count its pages.
  A PDF that needs a password to be opened is refused; one encrypted only to restrict
  printing or copying (an empty user password) opens in every viewer and is accepted, RC4 or
  AES (pypdf decrypts AES with the ``cryptography`` package, installed with pyHanko).
- DOCX, XLSX and ODT: ZIP archives holding the parts of a Word document, an Excel workbook or
  an OpenDocument text (``[Content_Types].xml`` naming the main part; ODT's ``mimetype``).
  Macro-enabled documents renamed (``vbaProject.bin``, ODT's ``Basic/`` and ``Scripts/``) are
  refused: they carry code.
- JPEG, PNG and TIFF: their signature, and Pillow must read their header (never decoded).

Anything else, an empty file, or a file over ``DOCUMENTS_MAX_FILE_BYTES`` is refused with a
``ValidationError`` naming the file.

All of that is checked while the uploader waits, so a refused file is a field error at once.
Reading its text for search is not: a PDF of 300 pages takes seconds to read, so
:func:`store` keeps the file without its text, and :func:`extract_stored_text` reads it from the
storage later, in the background task that ``search_index.extract_texts`` runs after the upload
commits (the attachment says meanwhile that its text is being extracted, or that it failed).

Text for search: a PDF's pages (at most ``DOCUMENTS_TEXT_MAX_PAGES``) through pypdf; the XML of
a DOCX, ODT or XLSX (shared strings) read as plain text — never through an XML parser, so no
entity is expanded — and no more than ``DOCUMENTS_ZIP_MAX_PART_BYTES`` of it; images have none.
Text is NFC-normalised, control and invisible characters dropped (PostgreSQL refuses NUL),
whitespace collapsed (one space within a line, one line break between lines) and cut at
``DOCUMENTS_TEXT_MAX_CHARS``. A page whose text cannot be extracted from a valid PDF is not
fatal: it is skipped and a warning is logged.

ZIP bombs: the number of entries and the sizes the archive declares are bounded before
anything is read, and each part is read with a byte limit (Python's zipfile never inflates
beyond an entry's declared size). The parts holding the text are inflated while the uploader
waits, to the same limit, so a damaged document is refused then; their text is read later.

Accepted files go to the ``private`` storage (served only by views that check permission)
under ``documents/<yyyy>/<mm>/<random token>.<ext>``; the client's file name is kept as data
only. The caller stores the returned :class:`StoredFile` in an ``Attachment`` row and, when
the transaction may roll back, registers :func:`delete_stored` for that case.

Settings (with defaults): ``DOCUMENTS_MAX_FILE_BYTES`` (50 MB), ``DOCUMENTS_TEXT_MAX_PAGES``
(300), ``DOCUMENTS_TEXT_MAX_CHARS`` (1,000,000), ``DOCUMENTS_ZIP_MAX_ENTRIES`` (5,000),
``DOCUMENTS_ZIP_MAX_UNCOMPRESSED_BYTES`` (500 MB declared in all),
``DOCUMENTS_ZIP_MAX_PART_BYTES`` (50 MB of XML read for the text), ``DOCUMENTS_IMAGE_MAX_PIXELS``
(150 megapixels).
"""

from __future__ import annotations

import functools
import html
import logging
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

from vgp.core import uploads
from vgp.core.uploads import MB

logger = logging.getLogger(__name__)

Kind = Literal["pdf", "docx", "odt", "xlsx", "jpeg", "png", "tiff"]

# kind → (content type, extension of the stored file)
TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "tiff": ("image/tiff", "tif"),
}

# What is accepted, for the forms' help text (format names are the same in every language),
# and for the ``accept`` attribute of a file input (a hint to the browser: the content decides).
ACCEPTED = "PDF, DOCX, ODT, XLSX, JPEG, PNG, TIFF"
ACCEPT_ATTRIBUTE = ".pdf,.docx,.odt,.xlsx,.jpg,.jpeg,.png,.tif,.tiff"

OLE_MAGIC = uploads.OLE_MAGIC  # an old Word or Excel file: refused with advice

STORAGE_ALIAS = uploads.STORAGE_ALIAS
STORED_NAME = re.compile(r"^documents/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|odt|xlsx|jpg|png|tif)$")
_FILES = uploads.PrivateFiles(
    prefix="documents", pattern=STORED_NAME, label="document file", alias=STORAGE_ALIAS
)


@dataclass(frozen=True)
class StoredFile:
    """An accepted file, stored: what an ``Attachment`` row keeps of it."""

    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    # Always empty: the text is read after the upload commits (:func:`extract_stored_text`).
    text: str = ""


# --- Limits -------------------------------------------------------------------------------------


def max_file_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_FILE_BYTES", 50 * MB))


def _text_max_pages() -> int:
    return int(getattr(settings, "DOCUMENTS_TEXT_MAX_PAGES", 300))


def _text_max_chars() -> int:
    return int(getattr(settings, "DOCUMENTS_TEXT_MAX_CHARS", 1_000_000))


def _zip_max_entries() -> int:
    return int(getattr(settings, "DOCUMENTS_ZIP_MAX_ENTRIES", 5000))


def _zip_max_uncompressed() -> int:
    return int(getattr(settings, "DOCUMENTS_ZIP_MAX_UNCOMPRESSED_BYTES", 500 * MB))


def _zip_max_part() -> int:
    return int(getattr(settings, "DOCUMENTS_ZIP_MAX_PART_BYTES", 50 * MB))


def _image_max_pixels() -> int:
    return int(getattr(settings, "DOCUMENTS_IMAGE_MAX_PIXELS", 150_000_000))


format_size = uploads.format_size


def help_text() -> str:
    """The sentence a file field shows under itself."""
    return _("%(formats)s; at most %(limit)s per file.") % {
        "formats": ACCEPTED,
        "limit": format_size(max_file_bytes()),
    }


# --- Errors (those every upload shares are in vgp.core.uploads) ---------------------------------


def _not_accepted(name: str) -> ValidationError:
    return uploads.refused(
        gettext_lazy(
            "“%(name)s” is not a PDF, DOCX, ODT, XLSX, JPEG, PNG or TIFF file "
            "(its content was checked)."
        ),
        "file_type",
        name,
    )


def _old_office(name: str) -> ValidationError:
    return uploads.refused(
        gettext_lazy(
            "“%(name)s” is an old Word or Excel file, or one protected by a password: "
            "save it as PDF, DOCX or XLSX without a password and attach it again."
        ),
        "file_type",
        name,
    )


def _pdf_damaged(name: str) -> ValidationError:
    return uploads.refused(
        gettext_lazy(
            "“%(name)s” starts like a PDF but could not be read as one: the file looks "
            "damaged or incomplete."
        ),
        "pdf_damaged",
        name,
    )


def _pdf_encrypted(name: str) -> ValidationError:
    return uploads.refused(
        gettext_lazy(
            "“%(name)s” is an encrypted PDF that cannot be opened without a password: "
            "attach a copy without a password."
        ),
        "pdf_encrypted",
        name,
    )


# --- Names --------------------------------------------------------------------------------------


def clean_original_name(name: str | None) -> str:
    """The client's file name as data (see ``vgp.core.uploads``); "file" when nothing is left
    of it, since a clerk still needs something to click."""
    return uploads.clean_original_name(name, fallback=_("file"))


# --- Text ---------------------------------------------------------------------------------------

# Characters dropped from extracted text: controls (PostgreSQL refuses NUL), format characters
# (soft hyphens, zero-width joiners, direction marks), surrogates, private-use glyphs of fonts
# without a Unicode mapping, and the replacement character. Whitespace controls (tab, line
# breaks) are kept for the collapsing that follows.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


@functools.cache
def _invisible() -> re.Pattern[str]:
    """One character class of every dropped character (built once per process, ~0.2 s)."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        dropped = char == "\ufffd" or (
            unicodedata.category(char) in _DROPPED_CATEGORIES and not char.isspace()
        )
        if not dropped:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{parts}]+")


def normalize_text(text: str, max_chars: int | None = None) -> str:
    """NFC, invisible characters dropped, whitespace collapsed, at most ``max_chars``.

    Within a line every run of spaces becomes one space; empty lines go, so paragraphs stay on
    lines of their own.
    """
    limit = _text_max_chars() if max_chars is None else max_chars
    text = _invisible().sub("", unicodedata.normalize("NFC", text or ""))
    lines = (" ".join(line.split()) for line in _LINE_BREAKS.split(text))
    result = "\n".join(line for line in lines if line)
    if len(result) > limit:
        cut = result[:limit]
        # End on a whole word when one ends near the limit.
        space = max(cut.rfind(" "), cut.rfind("\n"))
        result = (cut[:space] if space > limit - 100 else cut).rstrip()
    return result


def _pdf_text(reader: PdfReader, page_count: int, name: str) -> str:
    """The text of the first pages, up to the character limit; a page whose text cannot be
    extracted is skipped with a warning (the file is still accepted)."""
    max_chars = _text_max_chars()
    parts: list[str] = []
    length = 0
    failed: list[int] = []
    for number in range(min(page_count, _text_max_pages())):
        try:
            page_text = reader.pages[number].extract_text() or ""
        except Exception:  # pypdf raises many kinds on odd content streams
            failed.append(number + 1)
            continue
        parts.append(page_text)
        length += len(page_text)
        if length > max_chars:
            break
    if failed:
        logger.warning(
            "No text could be extracted from %d page(s) of %r (first: %d); stored without it",
            len(failed),
            name,
            failed[0],
        )
    return normalize_text("\n".join(parts), max_chars)


# Markup holding none of the document's text: a DOCTYPE (with its internal subset, whose
# entities are never expanded), comments, processing instructions.
_NOT_CONTENT = re.compile(r"<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<!--.*?-->|<\?.*?\?>", re.I | re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG = re.compile(r"<[^>]*>")
# Word: the text is in w:t runs (field codes and deleted text are in other elements); a
# paragraph or a break ends a line, a tab is a space.
_DOCX_TOKEN = re.compile(
    r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|(</w:p>|<w:(?:br|cr)\b[^>]*>)|<w:tab\b[^>]*>", re.I
)
# OpenDocument: paragraphs, headings and line breaks end a line; <text:s/> and tabs are spaces.
_ODT_BREAK = re.compile(r"</text:(?:p|h)>|<text:line-break\b[^>]*>", re.I)
_ODT_SPACE = re.compile(r"<text:(?:s|tab)\b[^>]*>", re.I)
# Excel shared strings: one per <si>.
_XLSX_BREAK = re.compile(r"</si>", re.I)


def _docx_text(xml: str) -> str:
    """The text of a WordprocessingML part, read without an XML parser."""
    out = []
    for match in _DOCX_TOKEN.finditer(xml):
        if match.group(1) is not None:
            out.append(match.group(1))
        else:
            out.append("\n" if match.group(2) else " ")
    return html.unescape("".join(out))


def _xml_text(xml: str, breaks: re.Pattern[str], spaces: re.Pattern[str] | None) -> str:
    """Plain text of an XML part without parsing it: tags dropped, the five predefined
    entities and character references decoded (no DTD is read, so nothing expands)."""
    xml = _NOT_CONTENT.sub("", xml)
    xml = _CDATA.sub(lambda match: html.escape(match.group(1), quote=False), xml)
    xml = breaks.sub("\n", xml)
    if spaces is not None:
        xml = spaces.sub(" ", xml)
    return html.unescape(_TAG.sub("", xml))


def _text_members(archive: zipfile.ZipFile, kind: Kind) -> list[str]:
    """The parts of a DOCX, ODT or XLSX that hold its text: for Word, its body, headers,
    footers and notes."""
    if kind == "docx":
        extra = sorted(
            n
            for n in archive.namelist()
            if re.fullmatch(r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes)\.xml", n)
        )
        return ["word/document.xml", *extra]
    if kind == "odt":
        return ["content.xml"]
    return ["xl/sharedStrings.xml"]


def _zip_part_text(archive: zipfile.ZipFile, member: str, budget: int) -> tuple[str, int]:
    """The decoded bytes of one part, at most ``budget`` of them; and the bytes read."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return "", 0
    with archive.open(info) as stream:
        data = stream.read(max(0, budget))
    return data.decode("utf-8", errors="replace"), len(data)


def _office_text(archive: zipfile.ZipFile, kind: Kind, name: str) -> str:
    """The text of a DOCX, ODT or XLSX: its main body and, for Word, headers, footers and
    notes; never more than ``DOCUMENTS_ZIP_MAX_PART_BYTES`` read in all."""
    budget = _zip_max_part()
    parts = []
    for member in _text_members(archive, kind):
        if budget <= 0:
            logger.warning("Text of %r cut at the read limit", name)
            break
        xml, read = _zip_part_text(archive, member, budget)
        budget -= read
        if kind == "docx":
            parts.append(_docx_text(xml))
        elif kind == "odt":
            parts.append(_xml_text(xml, _ODT_BREAK, _ODT_SPACE))
        else:
            parts.append(_xml_text(xml, _XLSX_BREAK, None))
    return normalize_text("\n".join(parts))


def _office_pages(archive: zipfile.ZipFile, kind: Kind) -> int | None:
    """The page count the editor saved in the file's properties (Word, LibreOffice), if any."""
    member, pattern = {
        "docx": ("docProps/app.xml", r"<Pages>\s*(\d{1,6})\s*</Pages>"),
        "odt": ("meta.xml", r"meta:page-count=\"(\d{1,6})\""),
    }.get(kind, ("", ""))
    if not member:
        return None
    xml, _read = _zip_part_text(archive, member, uploads.SMALL_PART_MAX_BYTES)
    found = re.search(pattern, xml)
    pages = int(found.group(1)) if found else 0
    return pages or None


# --- Checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    kind: Kind
    page_count: int | None


def _open_pdf(fp: IO[bytes], name: str) -> PdfReader:
    """pypdf's reader of an accepted PDF, decrypted when only restrictions encrypt it."""
    try:
        return uploads.open_pdf(fp)
    except uploads.PdfNeedsPassword:
        raise _pdf_encrypted(name) from None


def _check_pdf(fp: IO[bytes], size: int, name: str) -> _Checked:
    if not uploads.pdf_has_end(fp, size):
        raise _pdf_damaged(name)
    try:
        page_count = len(_open_pdf(fp, name).pages)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file (PdfReadError, KeyError, …)
        raise _pdf_damaged(name) from None
    if page_count < 1:
        raise _pdf_damaged(name)
    return _Checked(kind="pdf", page_count=page_count)


def _check_office(fp: IO[bytes], name: str) -> _Checked:
    def examine(archive: zipfile.ZipFile, names: set[str]) -> _Checked:
        kind = uploads.office_kind(archive, names)
        if kind is None:
            raise _not_accepted(name)
        # The parts holding the text, inflated (a damaged one raises) and not read yet.
        budget = _zip_max_part()
        for member in _text_members(archive, kind):
            budget -= uploads.inflate_part(archive, member, budget)
        return _Checked(kind=kind, page_count=_office_pages(archive, kind))

    return uploads.check_zip(
        fp,
        name,
        max_entries=_zip_max_entries(),
        max_uncompressed=_zip_max_uncompressed(),
        examine=examine,
        not_accepted=_not_accepted,
    )


def _check(fp: IO[bytes], size: int, name: str) -> _Checked:
    uploads.check_size(size, max_file_bytes(), name)
    sniffed = uploads.sniff(fp)
    if sniffed is None:
        raise _not_accepted(name)
    if sniffed == "ole":
        raise _old_office(name)
    if sniffed == "pdf":
        return _check_pdf(fp, size, name)
    if sniffed == "zip":
        return _check_office(fp, name)
    pages = uploads.check_image(
        fp,
        sniffed,
        name,
        max_pixels=_image_max_pixels(),
        not_accepted=_not_accepted,
        count_frames=sniffed == "tiff",  # a multi-page scan (fax): its pages
    )
    return _Checked(kind=sniffed, page_count=pages)


# --- Storage ------------------------------------------------------------------------------------


def store(upload: File[Any], *, name: str | None = None) -> StoredFile:
    """Check ``upload`` by its content, count its pages, and save it in the private storage;
    raise ``ValidationError`` naming the file if it is refused. Its text is read later
    (:func:`extract_stored_text`).

    ``name`` is the file's name as the sender gave it (e.g. from an edXML packet) when the
    upload's own name is not it. The bytes are stored unchanged (a signed PDF stays valid).
    """
    original_name = clean_original_name(name if name is not None else upload.name)
    with uploads.seekable(upload, limit=max_file_bytes()) as fp:
        size = uploads.size_of(fp)
        checked = _check(fp, size, original_name)
        sha256 = uploads.sha256(fp)
        content_type, extension = TYPES[checked.kind]
        generated = _FILES.new_name(extension, timezone.localtime())
        fp.seek(0)
        stored_name = _FILES.save(generated, File(fp, name=generated))
    return StoredFile(
        stored_name=stored_name,
        original_name=original_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        page_count=checked.page_count,
    )


def open_stored(stored_name: str) -> IO[bytes]:
    """Open a stored file for reading (for a download view that checked permission)."""
    return cast(IO[bytes], _FILES.open(stored_name))


def delete_stored(stored_name: str) -> None:
    """Delete a stored file (a transaction that stored it rolled back, or its row went); a
    name already gone is not an error."""
    _FILES.delete(stored_name)


# --- Text, after the upload -----------------------------------------------------------------


def extract_stored_text(stored_name: str, *, name: str = "") -> str:
    """The text of a stored file for search (see the module's docstring): what its pages or
    parts hold, or "" for an image. ``name`` (the file's name as uploaded) is for the log.

    Run by a background task after the upload committed, on a file :func:`store` accepted;
    raises if the file cannot be read any more (gone from the storage, damaged since)."""
    label = name or stored_name
    with open_stored(stored_name) as stored, uploads.seekable(stored, limit=max_file_bytes()) as fp:
        kind = uploads.sniff(fp)
        if kind == "pdf":
            reader = _open_pdf(fp, label)
            return _pdf_text(reader, len(reader.pages), label)
        if kind == "zip":
            fp.seek(0)
            with zipfile.ZipFile(fp) as archive:
                office = uploads.office_kind(archive, set(archive.namelist()))
                if office is None:
                    raise ValueError(f"{label!r} is no longer a DOCX, ODT or XLSX file")
                return _office_text(archive, office, label)
        return ""
