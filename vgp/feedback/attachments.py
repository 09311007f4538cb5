"""Checking and storing the files citizens attach to feedback, petitions and complaints.

A file's type is decided by its content, never by its name or by the content type the browser
sent (the checks common to every upload are in ``vgp.core.uploads``): a PDF starts with
``%PDF-`` and ends with ``%%EOF``, a JPEG or PNG starts with its signature and Pillow must be
able to read its header, a DOCX is a ZIP holding a Word document. Anything else is refused.
The checks stay cheap and read no more than they must: images are never decoded, PDFs never
parsed, ZIP entries never extracted (only ``[Content_Types].xml`` is read, once its declared
size has passed the bomb checks).

Accepted files go to the ``private`` storage (outside MEDIA_ROOT, served only by views that
check permission) under a generated name; the citizen's file name is kept only as data.

Settings (with defaults): ``FEEDBACK_ATTACHMENT_MAX_BYTES`` (10 MB per file),
``FEEDBACK_ATTACHMENT_MAX_COUNT`` (5 files per submission), ``FEEDBACK_ATTACHMENT_MAX_TOTAL_BYTES``
(25 MB per submission), ``FEEDBACK_DOCX_MAX_UNCOMPRESSED_BYTES`` (50 MB),
``FEEDBACK_DOCX_MAX_RATIO`` (100), ``FEEDBACK_DOCX_MAX_ENTRIES`` (2,000),
``FEEDBACK_IMAGE_MAX_PIXELS`` (40 megapixels).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Not imported as ``uploads``: that is the name of check_uploads' parameter.
from vgp.core import uploads as core_uploads
from vgp.core.uploads import MB

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

PNG_MAGIC = core_uploads.PNG_MAGIC

STORAGE_ALIAS = core_uploads.STORAGE_ALIAS
STORED_NAME = re.compile(r"^feedback/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png|docx)$")
_FILES = core_uploads.PrivateFiles(
    prefix="feedback", pattern=STORED_NAME, label="feedback attachment", alias=STORAGE_ALIAS
)


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


format_size = core_uploads.format_size


# --- Names --------------------------------------------------------------------------------------


def clean_original_name(name: str | None) -> str:
    """The citizen's file name as data (see ``vgp.core.uploads``); "attachment" when nothing
    is left of it, since a clerk still needs something to click."""
    return core_uploads.clean_original_name(name, fallback=_("attachment"))


# --- Checks (those every upload shares are in vgp.core.uploads) ---------------------------------


def _not_allowed(name: str) -> ValidationError:
    return core_uploads.refused(
        gettext_lazy("“%(name)s” is not a PDF, JPG, PNG or DOCX file (its content was checked)."),
        "file_type",
        name,
    )


def _docx_only(archive: zipfile.ZipFile, names: set[str], name: str) -> None:
    # A macro-enabled document (.docm) renamed .docx is not one: it carries code.
    if core_uploads.ooxml_kind(archive, names) != "docx":
        raise _not_allowed(name)


def _check(fp: IO[bytes], size: int, name: str) -> Kind:
    sniffed = core_uploads.sniff(fp)
    if sniffed == "pdf":
        if not core_uploads.pdf_has_end(fp, size):
            raise core_uploads.damaged(name)
        return "pdf"
    if sniffed == "jpeg" or sniffed == "png":
        core_uploads.check_image(
            fp, sniffed, name, max_pixels=_image_max_pixels(), not_accepted=_not_allowed
        )
        return sniffed
    if sniffed == "zip":
        core_uploads.check_zip(
            fp,
            name,
            max_entries=_docx_max_entries(),
            max_uncompressed=_docx_max_uncompressed(),
            max_ratio=_docx_max_ratio(),
            examine=lambda archive, names: _docx_only(archive, names, name),
            not_accepted=_not_allowed,
        )
        return "docx"
    raise _not_allowed(name)


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Check one uploaded file by its content; raise ValidationError naming it if refused.

    The file is rewound (``seek(0)``) afterwards, whether accepted or not.
    """
    name = clean_original_name(upload.name)
    size = int(upload.size or 0)
    core_uploads.check_size(size, max_bytes(), name)
    fp: Any = upload  # Django's File proxies read/seek/tell to the underlying file
    try:
        kind = _check(fp, size, name)
        sha256 = core_uploads.sha256(fp)
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


def store(upload: UploadedFile, checked: CheckedFile) -> str:
    """Save a checked upload in the private storage and return its stored name.

    The name is generated (``feedback/YYYY/MM/<random hex>.<extension>``): the citizen's file
    name never becomes a path. If the surrounding transaction may roll back, the caller
    registers ``delete_stored(name)`` for that case.
    """
    generated = _FILES.new_name(checked.extension, timezone.now())
    upload.seek(0)
    try:
        return _FILES.save(generated, upload)
    finally:
        upload.seek(0)


def open_stored(name: str) -> File:
    """Open a stored attachment for reading (for a download view that checked permission)."""
    return _FILES.open(name)


def delete_stored(name: str) -> None:
    """Delete a stored attachment; a name already gone is not an error."""
    _FILES.delete(name)
