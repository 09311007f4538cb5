"""Checking and storing the files citizens attach to feedback, petitions and complaints.

A file's type is decided by its content, never by its name or by the content type the browser
sent: a PDF starts with ``%PDF-`` and ends with ``%%EOF``, a JPEG or PNG starts with its
signature and Pillow must be able to read its header, a DOCX is a ZIP holding a Word document.
Anything else is refused. The checks stay cheap and read no more than they must: images are
never decoded, PDFs never parsed, ZIP entries never extracted (only ``[Content_Types].xml`` is
read, once its declared size has passed the bomb checks).

Accepted files go to the ``private`` storage (outside MEDIA_ROOT, served only by views that
check permission) under a generated name; the citizen's file name is kept only as data.

Settings (with defaults): ``FEEDBACK_ATTACHMENT_MAX_BYTES`` (10 MB per file),
``FEEDBACK_ATTACHMENT_MAX_COUNT`` (5 files per submission), ``FEEDBACK_ATTACHMENT_MAX_TOTAL_BYTES``
(25 MB per submission), ``FEEDBACK_DOCX_MAX_UNCOMPRESSED_BYTES`` (50 MB),
``FEEDBACK_DOCX_MAX_RATIO`` (100), ``FEEDBACK_DOCX_MAX_ENTRIES`` (2,000),
``FEEDBACK_IMAGE_MAX_PIXELS`` (40 megapixels).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

MB = 1024 * 1024

Kind = Literal["pdf", "jpeg", "png", "docx"]

# kind → (content type, extension of the stored file)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
}

PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"
PDF_TAIL_BYTES = 2048
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"

DOCX_REQUIRED_ENTRIES = ("[Content_Types].xml", "word/document.xml")
DOCX_MAIN_CONTENT_TYPE = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
# [Content_Types].xml is a few KB in a real document; read at most this much of it.
DOCX_CONTENT_TYPES_MAX_BYTES = 256 * 1024

STORAGE_ALIAS = "private"
STORED_NAME = re.compile(r"^feedback/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png|docx)$")
ORIGINAL_NAME_MAX_CHARS = 200


@dataclass(frozen=True)
class CheckedFile:
    """What the checks found out about one accepted upload."""

    kind: Kind
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


# --- Limits -------------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "FEEDBACK_ATTACHMENT_MAX_BYTES", 10 * MB))


def max_count() -> int:
    return int(getattr(settings, "FEEDBACK_ATTACHMENT_MAX_COUNT", 5))


def max_total_bytes() -> int:
    return int(getattr(settings, "FEEDBACK_ATTACHMENT_MAX_TOTAL_BYTES", 25 * MB))


def _docx_max_uncompressed() -> int:
    return int(getattr(settings, "FEEDBACK_DOCX_MAX_UNCOMPRESSED_BYTES", 50 * MB))


def _docx_max_ratio() -> int:
    return int(getattr(settings, "FEEDBACK_DOCX_MAX_RATIO", 100))


def _docx_max_entries() -> int:
    return int(getattr(settings, "FEEDBACK_DOCX_MAX_ENTRIES", 2000))


def _image_max_pixels() -> int:
    return int(getattr(settings, "FEEDBACK_IMAGE_MAX_PIXELS", 40_000_000))


def format_size(size: int) -> str:
    """A size as people read it: "10 MB", "512 KB", "100 bytes"."""
    if size >= MB:
        return f"{size / MB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}


# --- Names --------------------------------------------------------------------------------------


def clean_original_name(name: str | None) -> str:
    """The citizen's file name as data: basename only, no control or format characters.

    Format characters (Cf) go too: a right-to-left override can make "exe.pdf" read as
    "fdp.exe" in a clerk's screen.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = posixpath.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"}).strip()
    if name in {"", ".", ".."}:
        name = _("attachment")
    if len(name) > ORIGINAL_NAME_MAX_CHARS:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: ORIGINAL_NAME_MAX_CHARS - len(suffix) - 1] + "." + suffix
        else:
            name = name[:ORIGINAL_NAME_MAX_CHARS]
    return name


# --- Checks -------------------------------------------------------------------------------------


def _not_allowed(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a PDF, JPG, PNG or DOCX file (its content was checked)."),
        code="file_type",
        params={"name": name},
    )


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” could not be read: the file looks damaged or incomplete."),
        code="file_damaged",
        params={"name": name},
    )


def _too_large_inside(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” expands to too much data to be accepted."),
        code="file_bomb",
        params={"name": name},
    )


def _too_large_image(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels (at most %(megapixels)s megapixels)."),
        code="image_too_large",
        params={"name": name, "megapixels": f"{_image_max_pixels() / 1_000_000:g}"},
    )


def _sniff(head: bytes) -> Kind | None:
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(ZIP_MAGIC):
        return "docx"  # to be confirmed by its entries
    return None


def _check_pdf(fp: IO[bytes], size: int, name: str) -> None:
    # A PDF may carry bytes after its last %%EOF (incremental updates, padding), but a file
    # cut off in transfer, or something merely starting with %PDF-, has none near its end.
    fp.seek(max(0, size - PDF_TAIL_BYTES))
    if PDF_EOF not in fp.read(PDF_TAIL_BYTES):
        raise _damaged(name)


def _check_image(fp: IO[bytes], kind: Kind, name: str) -> None:
    expected = "PNG" if kind == "png" else "JPEG"
    fp.seek(0)
    try:
        # Image.open reads the header only; load() is never called, so nothing is decoded.
        # Pillow raises DecompressionBombError itself beyond twice MAX_IMAGE_PIXELS and warns
        # beyond it; a warning turned into an error by a warnings filter is caught as well.
        with Image.open(fp, formats=[expected]) as image:
            declared_format = image.format
            width, height = image.size
    except (
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _too_large_image(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _damaged(name) from None
    if declared_format != expected:
        raise _not_allowed(name)
    if width <= 0 or height <= 0:
        raise _damaged(name)
    if width * height > _image_max_pixels():
        raise _too_large_image(name)


def _check_docx(fp: IO[bytes], name: str) -> None:
    fp.seek(0)
    try:
        with zipfile.ZipFile(fp) as archive:
            entries = archive.infolist()
            if len(entries) > _docx_max_entries():
                raise _too_large_inside(name)
            # Declared sizes are what any reader will decompress: Python's zipfile stops at
            # file_size, so bounding the declared sizes bounds the work.
            if sum(entry.file_size for entry in entries) > _docx_max_uncompressed():
                raise _too_large_inside(name)
            ratio = _docx_max_ratio()
            for entry in entries:
                if entry.file_size > ratio * max(entry.compress_size, 1):
                    raise _too_large_inside(name)
            names = {entry.filename for entry in entries}
            if not all(required in names for required in DOCX_REQUIRED_ENTRIES):
                raise _not_allowed(name)
            # A macro-enabled document (.docm) renamed .docx is refused: it carries code.
            if any(entry.lower().endswith("vbaproject.bin") for entry in names):
                raise _not_allowed(name)
            content_types = archive.getinfo("[Content_Types].xml")
            if content_types.file_size > DOCX_CONTENT_TYPES_MAX_BYTES:
                raise _not_allowed(name)
            with archive.open(content_types) as stream:
                declared = stream.read(DOCX_CONTENT_TYPES_MAX_BYTES)
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,  # e.g. an encrypted entry
        NotImplementedError,  # an unsupported compression method: no Word document uses one
    ):
        raise _not_allowed(name) from None
    if DOCX_MAIN_CONTENT_TYPE not in declared:
        raise _not_allowed(name)


def _sha256(fp: IO[bytes]) -> str:
    fp.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: fp.read(64 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Check one uploaded file by its content; raise ValidationError naming it if refused.

    The file is rewound (``seek(0)``) afterwards, whether accepted or not.
    """
    name = clean_original_name(upload.name)
    size = int(upload.size or 0)
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s."),
            code="file_too_large",
            params={"name": name, "limit": format_size(limit)},
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})
    fp: Any = upload  # Django's File proxies read/seek/tell to the underlying file
    try:
        fp.seek(0)
        kind = _sniff(fp.read(16))
        if kind is None:
            raise _not_allowed(name)
        if kind == "pdf":
            _check_pdf(fp, size, name)
        elif kind in ("jpeg", "png"):
            _check_image(fp, kind, name)
        else:
            _check_docx(fp, name)
        sha256 = _sha256(fp)
    finally:
        fp.seek(0)
    content_type, extension = ALLOWED[kind]
    return CheckedFile(
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        original_name=name,
    )


def check_uploads(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Check every file of one submission, and their number and total size.

    Raises one ValidationError holding every refusal, so the citizen sees all problems at once.
    """
    count_limit = max_count()
    if len(uploads) > count_limit:
        # Refused before reading any of them: no point checking files we will not take.
        raise ValidationError(
            ngettext(
                "At most %(limit)d file can be attached.",
                "At most %(limit)d files can be attached.",
                count_limit,
            ),
            code="too_many_files",
            params={"limit": count_limit},
        )
    errors: list[ValidationError] = []
    checked: list[CheckedFile] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.append(error)
    total_limit = max_total_bytes()
    if sum(int(upload.size or 0) for upload in uploads) > total_limit:
        errors.append(
            ValidationError(
                _("The attached files together are larger than %(limit)s."),
                code="files_too_large",
                params={"limit": format_size(total_limit)},
            )
        )
    if errors:
        raise ValidationError(errors)
    return checked


# --- Storage ------------------------------------------------------------------------------------


def _storage() -> Storage:
    return storages[STORAGE_ALIAS]


def _require_stored_name(name: str) -> None:
    # Only names this module generated: a name from anywhere else (a tampered row, a path with
    # "..") never reaches the storage.
    if not STORED_NAME.match(name):
        raise ValueError(f"Not a stored feedback attachment name: {name!r}")


def store(upload: UploadedFile, checked: CheckedFile) -> str:
    """Save a checked upload in the private storage and return its stored name.

    The name is generated (``feedback/YYYY/MM/<uuid4 hex>.<extension>``): the citizen's file
    name never becomes a path. If the surrounding transaction may roll back, the caller
    registers ``delete_stored(name)`` for that case.
    """
    now = timezone.now()
    name = f"feedback/{now:%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    upload.seek(0)
    stored = _storage().save(name, upload)
    upload.seek(0)
    return stored


def open_stored(name: str) -> File:
    """Open a stored attachment for reading (for a download view that checked permission)."""
    _require_stored_name(name)
    return _storage().open(name, "rb")


def delete_stored(name: str) -> None:
    """Delete a stored attachment; a name already gone is not an error."""
    _require_stored_name(name)
    storage = _storage()
    if storage.exists(name):
        storage.delete(name)
