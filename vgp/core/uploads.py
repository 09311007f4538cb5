"""Checks of uploaded files by their content, and their private storage: the generic part.

Two doors take files from outside, and both decide a file's type by its content, never by its
name or by the content type the client sent: official documents' attachments
(``vgp.documents.files``) and citizens' feedback files (``vgp.feedback.attachments``). What
they have in common lives here; each keeps what is its own: the kinds it accepts, its limits
(read from its settings and passed here as parameters), the refusal that names those kinds,
and whatever it does with an accepted file.

- Sniffing: the first bytes decide (:func:`sniff`); a ZIP still has to prove what it holds.
- Images (JPEG, PNG, TIFF): Pillow reads the header only, nothing is decoded, and the pixels
  declared are bounded (:func:`check_image`).
- ZIP archives (DOCX, XLSX, ODT): the entries and the sizes they declare are bounded before
  anything is read (Python's zipfile never inflates an entry beyond its declared size, so that
  bounds the work), then the caller examines them (:func:`check_zip`); macro-enabled documents
  renamed are not Office documents here (:func:`office_kind`).
- PDF: a file cut off in transfer has no ``%%EOF`` near its end (:func:`pdf_has_end`); pypdf
  opens the rest (:func:`open_pdf`).
- Names: the client's file name is data only (:func:`clean_original_name`); stored files get
  generated names, and only names matching their pattern reach the storage
  (:class:`PrivateFiles`).

Refusals are ``ValidationError``s naming the file, with the codes the forms and APIs report.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import secrets
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, Literal, TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, UnidentifiedImageError
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

MB = 1024 * 1024
COPY_BLOCK = 64 * 1024

SNIFF_BYTES = 16
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, and password-protected Office files

PDF_EOF = b"%%EOF"
# Acrobat wants %%EOF within the last 1 KB; twice that leaves room for padding after it.
PDF_TAIL_BYTES = 2048

CONTENT_TYPES = "[Content_Types].xml"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Small parts read whole to tell the kind (a few KB in real files).
SMALL_PART_MAX_BYTES = 256 * 1024

# Errors of a damaged or unreadable archive: a refusal, never a server error.
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,  # e.g. an encrypted entry
    NotImplementedError,  # a compression method no office suite writes
    zlib.error,  # a damaged deflated part
)

IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF"}

STORAGE_ALIAS = "private"
ORIGINAL_NAME_MAX_CHARS = 200

Sniffed = Literal["pdf", "jpeg", "png", "tiff", "zip", "ole"]
OfficeKind = Literal["docx", "xlsx", "odt"]
ImageKind = Literal["jpeg", "png", "tiff"]
Refusal = Callable[[str], ValidationError]
T = TypeVar("T")


# --- Sizes and names ----------------------------------------------------------------------------


def format_size(size: int) -> str:
    """A size as people read it: "50 MB", "512 KB", "100 bytes"."""
    if size >= MB:
        return f"{size / MB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}


def clean_original_name(name: str | None, *, fallback: str) -> str:
    """The client's file name as data: basename only, no control or format characters, and
    ``fallback`` when nothing is left of it.

    Format characters (Cf) go too: a right-to-left override can make "exe.pdf" read as
    "fdp.exe" on a clerk's screen.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"}).strip()
    if name in {"", ".", ".."}:
        name = fallback
    if len(name) > ORIGINAL_NAME_MAX_CHARS:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: ORIGINAL_NAME_MAX_CHARS - len(suffix) - 1] + "." + suffix
        else:
            name = name[:ORIGINAL_NAME_MAX_CHARS]
    return name


# --- Refusals -----------------------------------------------------------------------------------


def refused(message: Any, code: str, name: str, **params: Any) -> ValidationError:
    """A refusal naming the file: every message has ``%(name)s``."""
    return ValidationError(message, code=code, params={"name": name, **params})


def damaged(name: str) -> ValidationError:
    return refused(
        gettext_lazy("“%(name)s” could not be read: the file looks damaged or incomplete."),
        "file_damaged",
        name,
    )


def expands_too_much(name: str) -> ValidationError:
    return refused(
        gettext_lazy("“%(name)s” expands to too much data to be accepted."),
        "file_bomb",
        name,
    )


def too_many_pixels(name: str, max_pixels: int) -> ValidationError:
    return refused(
        gettext_lazy("“%(name)s” has too many pixels (at most %(megapixels)s megapixels)."),
        "image_too_large",
        name,
        megapixels=f"{max_pixels / 1_000_000:g}",
    )


def check_size(size: int, limit: int, name: str) -> None:
    """Refuse an empty file or one over ``limit`` before reading a byte of it."""
    if size > limit:
        raise refused(
            gettext_lazy("“%(name)s” is larger than %(limit)s."),
            "file_too_large",
            name,
            limit=format_size(limit),
        )
    if size == 0:
        raise refused(gettext_lazy("“%(name)s” is empty."), "file_empty", name)


# --- Reading the upload -------------------------------------------------------------------------


@contextmanager
def seekable(upload: File[Any] | IO[bytes], *, limit: int) -> Iterator[IO[bytes]]:
    """The upload's bytes in a file that can seek, rewound when done.

    The checks read a file more than once (its head, its end, its ZIP directory); a stream
    that cannot seek is copied into a spool first, but no more than ``limit`` bytes and one
    block: enough to know it is too large.
    """
    fp = cast(IO[bytes], upload)
    try:
        fp.seek(0)
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    else:
        try:
            yield fp
        finally:
            fp.seek(0)
        return
    with tempfile.SpooledTemporaryFile(max_size=8 * MB) as spool:
        copied = 0
        for block in iter(lambda: fp.read(COPY_BLOCK), b""):
            spool.write(block)
            copied += len(block)
            if copied > limit:
                break
        spool.seek(0)
        yield cast(IO[bytes], spool)


def size_of(fp: IO[bytes]) -> int:
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    return size


def sha256(fp: IO[bytes]) -> str:
    fp.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: fp.read(COPY_BLOCK), b""):
        digest.update(block)
    return digest.hexdigest()


def sniff(fp: IO[bytes]) -> Sniffed | None:
    """The family of the file's first bytes; a ZIP is any Office document until examined,
    an OLE file an old or password-protected one."""
    fp.seek(0)
    head = fp.read(SNIFF_BYTES)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(TIFF_MAGICS):
        return "tiff"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    return None


# --- Images -------------------------------------------------------------------------------------


def check_image(
    fp: IO[bytes],
    kind: ImageKind,
    name: str,
    *,
    max_pixels: int,
    not_accepted: Refusal,
    count_frames: bool = False,
) -> int:
    """Refuse an image Pillow cannot read the header of, or one declaring more than
    ``max_pixels``; return its frames (the pages of a multi-page TIFF) when ``count_frames``,
    else 1. Nothing is decoded, so a few bytes declaring gigapixels cost nothing."""
    expected = IMAGE_FORMATS[kind]
    fp.seek(0)
    try:
        # Image.open reads the header only; load() is never called. Pillow raises
        # DecompressionBombError itself beyond twice MAX_IMAGE_PIXELS and warns beyond it; a
        # warning turned into an error by a warnings filter is caught as well.
        with Image.open(fp, formats=[expected]) as image:
            declared_format = image.format
            width, height = image.size
            frames = 1
            if count_frames:
                # A multi-page scan (fax): its frames are IFDs, read, not decoded.
                frames = max(1, int(getattr(image, "n_frames", 1) or 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(name, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise damaged(name) from None
    if declared_format != expected:
        raise not_accepted(name)
    if width <= 0 or height <= 0:
        raise damaged(name)
    if width * height > max_pixels:
        raise too_many_pixels(name, max_pixels)
    return frames


# --- ZIP archives and Office documents ----------------------------------------------------------


def check_zip(
    fp: IO[bytes],
    name: str,
    *,
    max_entries: int,
    max_uncompressed: int,
    max_ratio: int | None = None,
    examine: Callable[[zipfile.ZipFile, set[str]], T],
    not_accepted: Refusal,
) -> T:
    """What ``examine`` finds in an archive whose declared sizes passed the bomb checks.

    ``examine`` gets the open archive and its entries' names and raises the caller's refusal
    when they are not what the caller accepts; a damaged archive, or a part that fails to
    inflate while it reads, is refused with ``not_accepted``. ``max_ratio`` bounds each entry's
    declared size against its compressed size (None: not checked).
    """
    fp.seek(0)
    try:
        with zipfile.ZipFile(fp) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise expands_too_much(name)
            if sum(entry.file_size for entry in entries) > max_uncompressed:
                raise expands_too_much(name)
            if max_ratio is not None and any(
                entry.file_size > max_ratio * max(entry.compress_size, 1) for entry in entries
            ):
                raise expands_too_much(name)
            return examine(archive, {entry.filename for entry in entries})
    except ValidationError:
        raise
    except ZIP_ERRORS:
        raise not_accepted(name) from None


def read_small_part(archive: zipfile.ZipFile, member: str) -> bytes | None:
    """A part that tells the kind, whole; None when absent or larger than any real one."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return None
    if info.file_size > SMALL_PART_MAX_BYTES:
        return None
    with archive.open(info) as stream:
        return stream.read(SMALL_PART_MAX_BYTES)


def inflate_part(archive: zipfile.ZipFile, member: str, budget: int) -> int:
    """Inflate one part up to ``budget`` bytes and forget them, so that a damaged part raises
    (``BadZipFile``, ``zlib.error``) while the uploader waits; return the bytes read."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return 0
    read = 0
    with archive.open(info) as stream:
        while read < budget:
            block = stream.read(min(COPY_BLOCK, budget - read))
            if not block:
                break
            read += len(block)
    return read


def ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> Literal["docx", "xlsx"] | None:
    """A Word document or an Excel workbook, from ``[Content_Types].xml`` naming its main part
    and that part being there; None for any other ZIP, and for a macro-enabled file (.docm,
    .xlsm) renamed: it carries code."""
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    declared = read_small_part(archive, CONTENT_TYPES)
    if declared is None:
        return None
    if DOCX_MAIN in declared and "word/document.xml" in names:
        return "docx"
    if XLSX_MAIN in declared and "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _is_odf_macro(lowered_name: str) -> bool:
    """A Basic module or a script of an OpenDocument file (older suites save empty Basic
    library indexes, ``script-lc.xml`` and ``script-lb.xml``, in every file: those carry no
    code)."""
    if lowered_name.startswith("scripts/"):
        return not lowered_name.endswith("/")
    if lowered_name.startswith("basic/"):
        return posixpath.basename(lowered_name) not in {"", "script-lc.xml", "script-lb.xml"}
    return False


def office_kind(archive: zipfile.ZipFile, names: set[str]) -> OfficeKind | None:
    """DOCX, XLSX or ODT (an OpenDocument text without macros), from the parts that say so;
    None for any other ZIP."""
    if "mimetype" in names:
        if (read_small_part(archive, "mimetype") or b"").strip() != ODT_MIMETYPE:
            return None
        if "content.xml" not in names:
            return None
        if any(_is_odf_macro(n.lower()) for n in names):
            return None
        return "odt"
    return ooxml_kind(archive, names)


# --- PDF ----------------------------------------------------------------------------------------


class PdfNeedsPassword(Exception):
    """A PDF that opens only with a password nobody here has."""


def pdf_has_end(fp: IO[bytes], size: int) -> bool:
    """Whether ``%%EOF`` stands near the end. A PDF may carry bytes after its last one
    (incremental updates, padding), but a file cut off in transfer has none there, and pypdf
    would open the revision before the cut (a signed PDF without its last signature)."""
    fp.seek(max(0, size - PDF_TAIL_BYTES))
    return PDF_EOF in fp.read(PDF_TAIL_BYTES)


def open_pdf(fp: IO[bytes]) -> PdfReader:
    """pypdf's reader, decrypted when only restrictions encrypt it.

    Raises :class:`PdfNeedsPassword` for a PDF needing a password, and whatever pypdf raises on
    a broken file (many kinds: ``PdfReadError``, ``KeyError``, …). pypdf decrypts AES with the
    ``cryptography`` package (installed with pyHanko); without it an AES-encrypted PDF would
    count as needing a password whatever its password.
    """
    fp.seek(0)
    reader = PdfReader(fp, strict=False)
    if reader.is_encrypted:
        # An empty user password opens it (restrictions on printing or copying only);
        # anything else needs a password nobody here has.
        try:
            opened = reader.decrypt("")
        except DependencyError:  # AES without the cryptography package: cannot tell
            raise PdfNeedsPassword from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise PdfNeedsPassword
    return reader


# --- Private storage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivateFiles:
    """One door's files in the private storage (served only by views that check permission),
    under ``<prefix>/<yyyy>/<mm>/<random token>.<extension>``.

    Only names matching ``pattern`` reach the storage: a name from anywhere else (a tampered
    row, a path with "..") raises ``ValueError`` naming ``label``.
    """

    prefix: str
    pattern: re.Pattern[str]
    label: str
    alias: str = STORAGE_ALIAS

    def storage(self) -> Storage:
        # Looked up at each use: tests and settings may replace the storage.
        return storages[self.alias]

    def require(self, stored_name: str) -> None:
        if not self.pattern.match(stored_name or ""):
            raise ValueError(f"Not a stored {self.label} name: {stored_name!r}")

    def new_name(self, extension: str, when: datetime) -> str:
        """A name carrying nothing of the client's; ``when`` picks the month's folder."""
        return f"{self.prefix}/{when:%Y/%m}/{secrets.token_hex(16)}.{extension}"

    def save(self, generated: str, content: File[Any] | IO[bytes]) -> str:
        """Save ``content`` under a name from :meth:`new_name`; return the name the storage
        kept, which must be one :meth:`open` accepts."""
        stored_name = self.storage().save(generated, content)
        self.require(stored_name)
        return stored_name

    def open(self, stored_name: str) -> File[Any]:
        self.require(stored_name)
        return self.storage().open(stored_name, "rb")

    def delete(self, stored_name: str) -> None:
        """Delete a stored file; a name already gone is not an error (a rollback and a
        cleanup may both try)."""
        self.require(stored_name)
        storage = self.storage()
        if storage.exists(stored_name):
            storage.delete(stored_name)
