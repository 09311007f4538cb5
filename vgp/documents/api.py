"""JSON API of official documents for agency systems (F8, F9).

An agency's own system (its document-management software, a ministry's portal) acts with the
agency's API key (``X-API-Key: vgp_…``), as that agency:

- ``POST /api/v1/documents/incoming``: register an incoming document in the key's agency's
  register, or in the register of one of its units; answers with the incoming number (số đến);
- ``GET /api/v1/documents``: the documents of those registers, oldest change first, for syncing
  (a cursor and ``updated_since``);
- ``GET /api/v1/documents/{id}``: one document: its Decree 30 metadata, where it is now, its
  files and, for an outgoing one, what became of each recipient's copy;
- ``GET /api/v1/documents/{id}/timeline``: each step, who took it, who held the document
  afterwards and until when.

Scope: a key sees the documents in the registers of its agency and of the units below it, and
only unclassified ones. A classified document (secrecy above 0) is never registered, shown or
listed here: classified documents never travel over the network. Any document the key may not
see answers 404, exactly as one that does not exist.

Calls are limited per API key and per minute, registrations apart from reads
(``DOCUMENTS_API_REGISTRATIONS_PER_MINUTE``, ``DOCUMENTS_API_READS_PER_MINUTE``): the next
call is answered 429 with ``Retry-After`` and nothing is done.

Every change goes through ``actions.register_incoming`` (acting for the key's agency, channel
``api``); errors are JSON in the caller's language (``Accept-Language``): 422 when a field has
the wrong type, length or form, 400 when a value is refused (an unknown agency or type code, a
number and symbol that cannot be read, a date in the future), each with its messages per field.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import base64
import binascii
import copy
import datetime as dt
import hashlib
import json
import re
from typing import Annotated, Any, Literal

import pydantic
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BeforeValidator, ConfigDict, StringConstraints, WithJsonSchema

from vgp.accounts.api_auth import agency_key_auth
from vgp.agencies.models import Agency, with_units
from vgp.api.validation import invalid_field
from vgp.core import rate_limits
from vgp.core.api_throttling import RetryOut, too_many_requests, too_many_requests_doc
from vgp.core.text import fold

from . import actions, numbering
from .models import (
    ISSUER_NAME_MAX,
    SIGNER_NAME_MAX,
    SIGNER_POSITION_MAX,
    SUMMARY_MAX,
    Attachment,
    AttachmentKind,
    Channel,
    Delivery,
    DeliveryStatus,
    Direction,
    Document,
    DocumentType,
    Event,
    Secrecy,
    Urgency,
)

router = Router(tags=["official documents"])

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Main file plus annexes; each file is also bounded by DOCUMENTS_MAX_FILE_BYTES.
MAX_FILES = 20
MAX_METADATA_BYTES = 64 * 1024
IDENTIFIER_MAX = 60

# Codes of the urgency and secrecy levels (Decree 30's words without diacritics); the API
# takes either the code or the level's number and answers with both.
URGENCY_CODES: dict[int, str] = {
    Urgency.NORMAL: "thuong",
    Urgency.URGENT: "khan",
    Urgency.VERY_URGENT: "thuong_khan",
    Urgency.FLASH: "hoa_toc",
}
SECRECY_CODES: dict[int, str] = {
    Secrecy.NONE: "thuong",
    Secrecy.CONFIDENTIAL: "mat",
    Secrecy.SECRET: "toi_mat",
    Secrecy.TOP_SECRET: "tuyet_mat",
}

DirectionValue = Literal["in", "out"]
StatusValue = Literal[
    "received",
    "registered",
    "presented",
    "directed",
    "in_progress",
    "reported",
    "closed",
    "returned",
    "draft",
    "in_review",
    "approved",
    "issued",
    "dispatched",
    "recalled",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Text10 = Annotated[Text, StringConstraints(max_length=10)]
Text35 = Annotated[Text, StringConstraints(max_length=35)]
IdentifierText = Annotated[Text, StringConstraints(max_length=IDENTIFIER_MAX)]
SignerNameText = Annotated[Text, StringConstraints(max_length=SIGNER_NAME_MAX)]
SignerPositionText = Annotated[Text, StringConstraints(max_length=SIGNER_POSITION_MAX)]
IssuerNameText = Annotated[Text, StringConstraints(max_length=ISSUER_NAME_MAX)]


# --- reading levels and dates ---------------------------------------------------------------


def read_level(value: Any, codes: dict[int, str]) -> int:
    """A level given by its number (``1``, ``"1"``) or its code (``khan``, ``"thượng khẩn"``)."""
    if isinstance(value, int) and not isinstance(value, bool) and value in codes:
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and int(text) in codes:
            return int(text)
        name = re.sub(r"[\s_-]+", "_", fold(text))
        for level, code in codes.items():
            if code == name:
                return level
    choices = ", ".join([*(str(level) for level in codes), *codes.values()])
    raise ValueError(_("Choose one of: %(choices)s.") % {"choices": choices})


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_date(value: Any) -> dt.date | None:
    """``15/03/2026`` (as written on Vietnamese documents) or ``2026-03-15`` (ISO 8601)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if match := _DAY_MONTH_YEAR.fullmatch(text):
                day, month, year = (int(part) for part in match.groups())
                return dt.date(year, month, day)
            if _ISO_DATE.fullmatch(text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(_("Enter a date as dd/mm/yyyy or yyyy-mm-dd, e.g. 15/03/2026."))


def _level_schema(codes: dict[int, str], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [
            {"type": "integer", "enum": list(codes)},
            {"type": "string", "enum": list(codes.values())},
        ],
        "default": 0,
    }


UrgencyIn = Annotated[
    int,
    BeforeValidator(lambda value: read_level(value, URGENCY_CODES)),
    WithJsonSchema(
        _level_schema(
            URGENCY_CODES,
            "Độ khẩn: 0 or thuong (normal), 1 or khan, 2 or thuong_khan, 3 or hoa_toc",
        )
    ),
]
SecrecyIn = Annotated[
    int,
    BeforeValidator(lambda value: read_level(value, SECRECY_CODES)),
    WithJsonSchema(
        _level_schema(
            SECRECY_CODES,
            "Độ mật: only 0 (thuong) is accepted here; 1 (mat), 2 (toi_mat) and 3 (tuyet_mat) "
            "are refused with 403, classified documents never travel over the network",
        )
    ),
]
DateIn = Annotated[
    dt.date | None,
    BeforeValidator(read_date),
    WithJsonSchema(
        {
            "type": "string",
            "description": "dd/mm/yyyy or yyyy-mm-dd",
            "examples": ["15/03/2026", "2026-03-15"],
        }
    ),
]


# --- input --------------------------------------------------------------------------------------

EXAMPLE_INCOMING: dict[str, Any] = {
    "document_type": "CV",
    "number_symbol": "1925/BNV-TCBC",
    "document_date": "10/03/2026",
    "issuer": "000.00.00.G09",
    "summary": "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ",
    "urgency": "khan",
    "secrecy": 0,
    "due_on": "2026-03-20",
    "page_count": 3,
    "identifier": "000.00.00.G09.2026.1925",
    "signer_name": "Nguyễn Văn A",
    "signer_position": "Thứ trưởng",
}


class IncomingIn(Schema):
    """An incoming document as an agency's system registers it. Unknown fields are ignored."""

    register_code: Text35 | None = Field(
        None,
        alias="register",
        description="Electronic code of the register's organisation: the key's agency (the "
        "default) or one of its units",
    )
    document_type: Text10 | None = Field(
        None,
        description="Code of the document type (CV, QĐ, TB, …; QD is read as QĐ). When omitted, "
        "read from the symbol (a symbol without a type is a Công văn)",
    )
    number_symbol: Annotated[Text, StringConstraints(min_length=1, max_length=120)] = Field(
        description="Number and symbol as printed, e.g. 1925/BNV-TCBC or 83/2008/QĐ-TTg"
    )
    document_date: DateIn = Field(None, description="The document's date (not in the future)")
    issuer: Text35 | None = Field(
        None,
        description="Electronic code of the issuing agency in the registry (/api/v1/agencies); "
        "give it or issuer_name",
    )
    issuer_name: IssuerNameText | None = Field(
        None, description="The issuing agency's name, for an issuer outside the registry"
    )
    summary: Annotated[Text, StringConstraints(min_length=1, max_length=SUMMARY_MAX)] = Field(
        description="Trích yếu: what the document is about"
    )
    urgency: UrgencyIn = 0
    secrecy: SecrecyIn = 0
    due_on: DateIn = Field(None, description="Deadline set by the sender (not in the past)")
    page_count: int | None = Field(None, ge=1, le=100_000)
    identifier: IdentifierText | None = Field(
        None, description="The sender's identifier of the document (mã định danh), if any"
    )
    signer_name: SignerNameText | None = None
    signer_position: SignerPositionText | None = None
    allow_duplicate: bool = Field(
        False,
        description="Register it even though the register already holds a document with the "
        "same identifier, or the same number, symbol and issuer (otherwise 409)",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_INCOMING]})


FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}
MAIN_PART = "main"
ANNEX_PART = "annexes"


def _request_body() -> dict[str, Any]:
    """The POST body in OpenAPI: JSON, or the same fields as form fields with files."""
    schema = IncomingIn.model_json_schema()
    multipart = copy.deepcopy(schema)
    multipart.pop("examples", None)
    multipart["properties"]["metadata"] = {
        "type": "string",
        "description": "Instead of the fields one by one: all of them as one JSON object "
        "(then the other form fields are ignored)",
    }
    multipart["properties"][MAIN_PART] = {
        "type": "string",
        "format": "binary",
        "description": "The document itself (PDF as signed or scanned; DOCX, ODT, XLSX, JPEG, "
        "PNG or TIFF are accepted too), checked by its content",
    }
    multipart["properties"][ANNEX_PART] = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": f"Annexes: repeat the part for each file (at most {MAX_FILES} files in all)",
    }
    form_example = {key: str(value) for key, value in EXAMPLE_INCOMING.items()}
    return {
        "required": True,
        "description": "JSON, or multipart/form-data when files are attached (the same fields "
        f"as form fields, or one `metadata` part holding them as JSON; `{MAIN_PART}` and "
        f"`{ANNEX_PART}` parts for the files).",
        "content": {
            "application/json": {"schema": schema, "example": EXAMPLE_INCOMING},
            "multipart/form-data": {"schema": multipart, "example": form_example},
        },
    }


def _schema_errors(error: pydantic.ValidationError, source: str) -> list[dict[str, Any]]:
    """pydantic's errors in django-ninja's shape (``loc`` starts with where the value was)."""
    found = []
    for item in error.errors(include_url=False):
        entry: dict[str, Any] = dict(item)
        entry.pop("input", None)
        entry["loc"] = [source, *entry["loc"]]
        ctx = entry.get("ctx")
        if ctx and isinstance(ctx.get("error"), Exception):
            entry["ctx"] = {**ctx, "error": str(ctx["error"])}
        found.append(entry)
    return found


def _unreadable(source: str, message: str, kind: str = "value_error") -> NinjaValidationError:
    return NinjaValidationError([{"type": kind, "loc": [source], "msg": message}])


def _json_object(raw: bytes | str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise _unreadable(source, "Invalid JSON", "json_invalid") from error
    if not isinstance(data, dict):
        raise _unreadable(source, "Invalid JSON", "json_invalid")
    return data


def _form_metadata(request: HttpRequest) -> dict[str, Any]:
    """The form's fields, or its ``metadata`` part (a field or a file) as one JSON object."""
    if "metadata" in request.POST:
        return _json_object(request.POST["metadata"], "form")
    if "metadata" in request.FILES:
        part = request.FILES.getlist("metadata")[0]
        if part.size is not None and part.size > MAX_METADATA_BYTES:
            raise _unreadable("form", _("The metadata part is too large."))
        return _json_object(part.read(), "form")
    fields = {info.alias or name: info for name, info in IncomingIn.model_fields.items()}
    # An empty form field is an absent one (a form sends every field it has).
    return {
        name: str(value)
        for name, value in request.POST.items()
        if name in fields and (str(value).strip() or fields[name].is_required())
    }


def _form_files(request: HttpRequest) -> list[tuple[str, UploadedFile]]:
    """``main`` (at most one) and ``annexes`` parts, in that order; other parts are refused."""
    errors: list[str] = []
    unknown = sorted(
        name for name in request.FILES if name not in {MAIN_PART, ANNEX_PART, "metadata"}
    )
    if unknown:
        errors.append(
            _(
                "Unknown file part “%(name)s”: send the document as “%(main)s” and each annex as “%(annexes)s”."
            )
            % {"name": unknown[0], "main": MAIN_PART, "annexes": ANNEX_PART}
        )
    mains = request.FILES.getlist(MAIN_PART)
    if len(mains) > 1:
        errors.append(
            _("Send one “%(main)s” file; annexes go as “%(annexes)s”.")
            % {"main": MAIN_PART, "annexes": ANNEX_PART}
        )
    annexes = request.FILES.getlist(ANNEX_PART)
    if len(mains) + len(annexes) > MAX_FILES:
        errors.append(_("Send at most %(n)d files.") % {"n": MAX_FILES})
    if errors:
        raise ValidationError({"files": errors})
    return [(AttachmentKind.MAIN, upload) for upload in mains] + [
        (AttachmentKind.ANNEX, upload) for upload in annexes
    ]


def _read_metadata(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The fields sent, and where they came from (``body`` for JSON, ``form``)."""
    if request.content_type in FORM_TYPES:
        try:
            request.POST  # noqa: B018  (parses the body: fields and files)
        except MultiPartParserError as error:
            raise _unreadable(
                "form", _("The multipart/form-data body could not be read.")
            ) from error
        return _form_metadata(request), "form"
    return _json_object(request.body, "body"), "body"


def _classified(data: dict[str, Any]) -> bool:
    """Checked before anything else: a classified document is refused whatever else is wrong
    with it (a ``secrecy`` that cannot be read is left for the schema to name)."""
    try:
        return read_level(data.get("secrecy", 0), SECRECY_CODES) > Secrecy.NONE
    except ValueError:
        return False


def _document_type(
    code: str | None, symbol: numbering.DocumentSymbol | None
) -> DocumentType | None:
    """The type named by its code (exactly, then ignoring case and Đ/D), else read from the
    symbol's type part."""
    if not code and symbol is None:
        return None
    types = list(DocumentType.objects.filter(active=True))
    if code:
        for same in (
            lambda t: t.code == code,
            lambda t: t.code.upper() == code.upper(),
            lambda t: fold(t.code) == fold(code),
        ):
            found = [t for t in types if same(t)]
            if len(found) == 1:
                return found[0]
        return None
    # A Công văn's symbol has no type part (1925/BNV-TCBC).
    assert symbol is not None
    wanted = symbol.type_code
    for item in types:
        if (wanted and item.abbreviation == wanted) or (not wanted and not item.abbreviation):
            return item
    return None


def _registers(request: HttpRequest) -> set[int]:
    """The key's agency and every unit below it (computed once per request)."""
    found: set[int] | None = getattr(request, "_vgp_document_registers", None)
    if found is None:
        found = with_units({request.auth.agency_id})  # type: ignore[attr-defined]
        request._vgp_document_registers = found  # type: ignore[attr-defined]
    return set(found)


def _incoming_arguments(
    request: HttpRequest, payload: IncomingIn, files: list[tuple[str, UploadedFile]]
) -> dict[str, Any]:
    """What the action takes, with codes looked up; 400 naming every refused field."""
    key = request.auth  # type: ignore[attr-defined]
    errors: dict[str, str] = {}
    register: Agency = key.agency
    if payload.register_code:
        found = Agency.objects.active().filter(code=payload.register_code).first()
        if found is None:
            errors["register"] = _("No agency in the registry has the code “%(code)s”.") % {
                "code": payload.register_code
            }
        elif found.pk not in _registers(request):
            errors["register"] = _(
                "This API key acts for %(agency)s: register documents in its register or in "
                "one of its units'."
            ) % {"agency": key.agency.name_vi}
        else:
            register = found
    symbol = None
    try:
        symbol = numbering.parse_symbol(payload.number_symbol)
    except numbering.SymbolError as error:
        errors["number_symbol"] = str(error)
    document_type = _document_type(payload.document_type, symbol)
    if document_type is None and payload.document_type:
        errors["document_type"] = _("No document type has the code “%(code)s”.") % {
            "code": payload.document_type
        }
    elif document_type is None and symbol is not None:
        errors["document_type"] = _("Give the document type: the symbol does not say it.")
    issuer = None
    if payload.issuer:
        issuer = Agency.objects.filter(code=payload.issuer).first()
        if issuer is None:
            errors["issuer"] = _("No agency in the registry has the code “%(code)s”.") % {
                "code": payload.issuer
            }
    elif not payload.issuer_name:
        errors["issuer"] = _(
            "Give the issuing agency's code in the registry (issuer) or its name (issuer_name)."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "agency": register,
        "channel": Channel.API,
        "document_type": document_type,
        "summary": payload.summary,
        "number_symbol": payload.number_symbol,
        "document_date": payload.document_date,
        "issuer": issuer,
        "issuer_name": payload.issuer_name or "",
        "urgency": payload.urgency,
        "secrecy": Secrecy.NONE,
        "due_on": payload.due_on,
        "page_count": payload.page_count,
        "identifier": payload.identifier or "",
        "signer_name": payload.signer_name or "",
        "signer_position": payload.signer_position or "",
        "files_": files,
        "allow_duplicate": payload.allow_duplicate,
    }


# --- output -------------------------------------------------------------------------------------


class DetailOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        description="What is wrong, per field, in the caller's language (Accept-Language)"
    )


class SchemaInvalidOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = Field(description="django-ninja's list (English)")
    fields: dict[str, list[str]] = Field(description="The same per field, in the caller's language")


class AgencyOut(Schema):
    code: str = Field(description="Electronic code, as in /api/v1/agencies")
    name: str = Field(description="Vietnamese name")
    name_en: str


class CodeOut(Schema):
    code: str
    label: str = Field(description="In the caller's language")


class LevelOut(Schema):
    level: int = Field(description="0 to 3")
    code: str = Field(description="thuong, khan, thuong_khan, hoa_toc / thuong, mat, toi_mat, …")
    label: str = Field(description="In the caller's language")


class DocumentTypeOut(Schema):
    code: str
    abbreviation: str = Field(description="As written in the symbol; empty for a Công văn")
    name: str = Field(description="Vietnamese name")
    name_en: str


class FileOut(Schema):
    name: str = Field(description="The file's name as sent (data only)")
    kind: Literal["main", "annex"] = Field(description="main: the document; annex: an annex")
    type: str = Field(description="Content type found by checking the content")
    size: int = Field(description="Bytes")
    pages: int | None = Field(description="Pages of a PDF or office document, when known")


class LinksOut(Schema):
    self: str = Field(description="GET /api/v1/documents/{id}")
    timeline: str = Field(description="GET /api/v1/documents/{id}/timeline")


class DeliveryOut(Schema):
    recipient: AgencyOut | None = Field(description="The recipient in the registry, if it is")
    recipient_name: str
    channel: str = Field(description="internal, exchange, paper, email; empty until dispatched")
    status: str = Field(description="queued, sent, delivered, read, registered, failed or recalled")
    status_label: str
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None
    registered_at: dt.datetime | None = Field(description="The recipient registered its copy")
    recalled_at: dt.datetime | None


class ReceiptOut(Schema):
    """The incoming document as registered: above all its incoming number."""

    id: int
    status: StatusValue
    status_label: str
    register_of: AgencyOut = Field(description="The organisation whose register holds it")
    arrival_number: int = Field(description="Số đến: the incoming number, per register and year")
    arrival_year: int
    reference: str = Field(description="The incoming number as staff write it: 05/2026")
    number_symbol: str = Field(description="The number and symbol, in canonical form")
    received_at: dt.datetime
    files: list[FileOut]
    links: LinksOut

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1042,
                    "status": "registered",
                    "status_label": "Registered, to present",
                    "register_of": {
                        "code": "000.00.00.G22",
                        "name": "Văn phòng Chính phủ",
                        "name_en": "Government Office",
                    },
                    "arrival_number": 215,
                    "arrival_year": 2026,
                    "reference": "215/2026",
                    "number_symbol": "1925/BNV-TCBC",
                    "received_at": "2026-03-12T09:15:00+07:00",
                    "files": [
                        {
                            "name": "1925-BNV-TCBC.pdf",
                            "kind": "main",
                            "type": "application/pdf",
                            "size": 48213,
                            "pages": 3,
                        }
                    ],
                    "links": {
                        "self": "https://chinhphu.vn/api/v1/documents/1042",
                        "timeline": "https://chinhphu.vn/api/v1/documents/1042/timeline",
                    },
                }
            ]
        }
    )


class DuplicateOut(Schema):
    id: int
    reference: str = Field(description="Its incoming number, e.g. 05/2026")
    arrival_number: int | None
    arrival_year: int | None
    number_symbol: str
    issuer_name: str
    status: StatusValue
    received_at: dt.datetime | None
    links: LinksOut


class ConflictOut(Schema):
    detail: str
    duplicates: list[DuplicateOut] = Field(
        description="The documents of the register already holding it (unclassified ones)"
    )


class DocumentOut(Schema):
    """One document of the key's registers. Dates and times are ISO 8601, times in Hà Nội
    (+07:00)."""

    id: int
    direction: DirectionValue = Field(description="in: văn bản đến; out: văn bản đi")
    direction_label: str
    status: StatusValue
    status_label: str
    register_of: AgencyOut = Field(description="The organisation whose register holds it")
    # Decree 30 metadata
    document_type: DocumentTypeOut
    legal_normative: bool
    number: str = Field(description="Empty until an outgoing document is issued")
    notation: str = Field(description="The symbol after the number (and year), e.g. BNV-TCBC")
    number_symbol: str
    document_date: dt.date | None
    issuer: AgencyOut | None = Field(description="The issuing agency, if it is in the registry")
    issuer_name: str
    summary: str = Field(description="Trích yếu")
    urgency: LevelOut
    secrecy: LevelOut = Field(description="Always 0 (thuong) here")
    page_count: int | None
    copies: int | None
    signer_name: str
    signer_position: str
    identifier: str = Field(description="Mã định danh")
    # Incoming
    arrival_number: int | None = Field(description="Số đến; null for an outgoing document")
    arrival_year: int | None
    reference: str = Field(description="Incoming number (05/2026) or number and symbol")
    received_at: dt.datetime | None
    channel: CodeOut | None = Field(description="How an incoming document arrived")
    due_on: dt.date | None = Field(description="Its deadline (the handling slip's, if directed)")
    # Outgoing
    drafting_unit: AgencyOut | None
    issued_at: dt.datetime | None
    in_reply_to: int | None = Field(description="Id of the incoming document it answers")
    replaces: int | None = Field(description="Id of the recalled document it replaces")
    recalled_at: dt.datetime | None
    recall_reason: str
    # Where it is now
    holder_unit: AgencyOut | None
    holder_name: str | None = Field(description="The official holding it, if one does")
    held_since: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    files: list[FileOut] = Field(description="The document and its annexes (not draft files)")
    deliveries: list[DeliveryOut] = Field(
        description="Outgoing: each recipient and what became of its copy; empty for incoming"
    )
    links: LinksOut


class DocumentItemOut(Schema):
    id: int
    direction: DirectionValue
    status: StatusValue
    status_label: str
    register_of: AgencyOut = Field(description="The organisation whose register holds it")
    document_type: str = Field(description="Code of the type")
    reference: str
    arrival_number: int | None
    arrival_year: int | None
    number_symbol: str
    document_date: dt.date | None
    issuer_name: str
    summary: str
    urgency: LevelOut
    due_on: dt.date | None
    received_at: dt.datetime | None
    issued_at: dt.datetime | None
    holder_unit: AgencyOut | None
    updated_at: dt.datetime
    links: LinksOut


class DocumentListOut(Schema):
    items: list[DocumentItemOut]
    next_cursor: str | None = Field(
        description="Position after the last item; pass it as cursor to continue or, later, "
        "to get what changed since"
    )
    next: str | None = Field(description="Address of the next page; null on the last")


class EventOut(Schema):
    at: dt.datetime
    kind: str = Field(description="registered, presented, directed, assigned, … (stable codes)")
    label: str = Field(description="In the caller's language")
    actor_name: str | None = Field(
        description="The official who took the step; null for the system or an agency system"
    )
    holder_unit: AgencyOut | None = Field(description="The unit holding it after the step")
    holder_name: str | None = Field(description="The official holding it after the step")
    due_on: dt.date | None = Field(description="The deadline after the step")
    message: str = Field(description="Instructions, a note, a reason, a result…")


class TimelineOut(Schema):
    id: int
    reference: str
    status: StatusValue
    status_label: str
    events: list[EventOut] = Field(description="Oldest first")
    links: LinksOut


# --- serialising ------------------------------------------------------------------------------


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Times as Hà Nội reads them (+07:00), whatever the database returns."""
    return timezone.localtime(value) if value is not None else None


def _agency(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name_vi, "name_en": agency.name_en}


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return str(user.get_full_name() or user.get_username())


def _level(level: int, codes: dict[int, str], labels: Any) -> dict[str, Any]:
    return {"level": level, "code": codes[level], "label": str(labels(level).label)}


def _links(request: HttpRequest, document_id: int) -> dict[str, str]:
    kwargs = {"document_id": document_id}
    return {
        "self": request.build_absolute_uri(reverse("api-v1:documents_detail", kwargs=kwargs)),
        "timeline": request.build_absolute_uri(reverse("api-v1:documents_timeline", kwargs=kwargs)),
    }


def _reference(document: Document) -> str:
    return str(document.reference)


def _file(attachment: Attachment) -> dict[str, Any]:
    return {
        "name": attachment.original_name,
        "kind": attachment.kind,
        "type": attachment.content_type,
        "size": attachment.size,
        "pages": attachment.page_count,
    }


def _files(document_id: int) -> list[dict[str, Any]]:
    attachments = Attachment.objects.filter(
        document_id=document_id, kind__in=[AttachmentKind.MAIN, AttachmentKind.ANNEX]
    ).order_by("id")
    return [_file(attachment) for attachment in attachments]


def _delivery(delivery: Delivery) -> dict[str, Any]:
    return {
        "recipient": _agency(delivery.recipient),
        "recipient_name": delivery.recipient_name,
        "channel": delivery.channel,
        "status": delivery.status,
        "status_label": str(DeliveryStatus(delivery.status).label),
        "sent_at": _local(delivery.sent_at),
        "delivered_at": _local(delivery.delivered_at),
        "read_at": _local(delivery.read_at),
        "registered_at": _local(delivery.registered_at),
        "recalled_at": _local(delivery.recalled_at),
    }


def _receipt(request: HttpRequest, document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "status": document.status,
        "status_label": str(document.get_status_display()),
        "register_of": _agency(document.agency),
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "reference": _reference(document),
        "number_symbol": document.number_symbol,
        "received_at": _local(document.received_at),
        "files": _files(document.pk),
        "links": _links(request, document.pk),
    }


def _detail(request: HttpRequest, document: Document) -> dict[str, Any]:
    deliveries: list[Delivery] = []
    if document.direction == Direction.OUTGOING:
        deliveries = list(
            Delivery.objects.filter(document=document).select_related("recipient").order_by("id")
        )
    return {
        "id": document.pk,
        "direction": document.direction,
        "direction_label": str(document.get_direction_display()),
        "status": document.status,
        "status_label": str(document.get_status_display()),
        "register_of": _agency(document.agency),
        "document_type": {
            "code": document.document_type.code,
            "abbreviation": document.document_type.abbreviation,
            "name": document.document_type.name_vi,
            "name_en": document.document_type.name_en,
        },
        "legal_normative": document.legal_normative,
        "number": document.number,
        "notation": document.notation,
        "number_symbol": document.number_symbol,
        "document_date": document.document_date,
        "issuer": _agency(document.issuer),
        "issuer_name": document.issuer_name,
        "summary": document.summary,
        "urgency": _level(document.urgency, URGENCY_CODES, Urgency),
        "secrecy": _level(document.secrecy, SECRECY_CODES, Secrecy),
        "page_count": document.page_count,
        "copies": document.copies,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "identifier": document.identifier,
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "reference": _reference(document),
        "received_at": _local(document.received_at),
        "channel": {"code": document.channel, "label": str(Channel(document.channel).label)}
        if document.channel
        else None,
        "due_on": document.due_on,
        "drafting_unit": _agency(document.drafting_unit),
        "issued_at": _local(document.issued_at),
        "in_reply_to": document.in_reply_to_id,
        "replaces": document.replaces_id,
        "recalled_at": _local(document.recalled_at),
        "recall_reason": document.recall_reason,
        "holder_unit": _agency(document.holder_unit),
        "holder_name": _person(document.holder),
        "held_since": _local(document.held_since),
        "closed_at": _local(document.closed_at),
        "created_at": _local(document.created_at),
        "updated_at": _local(document.updated_at),
        "files": _files(document.pk),
        "deliveries": [_delivery(delivery) for delivery in deliveries],
        "links": _links(request, document.pk),
    }


def _item(request: HttpRequest, document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "direction": document.direction,
        "status": document.status,
        "status_label": str(document.get_status_display()),
        "register_of": _agency(document.agency),
        "document_type": document.document_type.code,
        "reference": _reference(document),
        "arrival_number": document.arrival_number,
        "arrival_year": document.arrival_year,
        "number_symbol": document.number_symbol,
        "document_date": document.document_date,
        "issuer_name": document.issuer_name,
        "summary": document.summary,
        "urgency": _level(document.urgency, URGENCY_CODES, Urgency),
        "due_on": document.due_on,
        "received_at": _local(document.received_at),
        "issued_at": _local(document.issued_at),
        "holder_unit": _agency(document.holder_unit),
        "updated_at": _local(document.updated_at),
        "links": _links(request, document.pk),
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "at": _local(event.at),
        "kind": event.kind,
        "label": str(event.get_kind_display()),
        "actor_name": _person(event.actor),
        "holder_unit": _agency(event.holder_unit),
        "holder_name": _person(event.holder),
        "due_on": event.due_on,
        "message": event.message,
    }


# --- what a key sees ----------------------------------------------------------------------------


def visible_documents(request: HttpRequest) -> QuerySet[Document]:
    """The unclassified documents of the registers of the key's agency and its units."""
    return Document.objects.filter(agency_id__in=_registers(request), secrecy=Secrecy.NONE)


def _not_found(document_id: int) -> Status[dict[str, Any]]:
    # The same answer for a document that does not exist, one of another agency's registers and
    # a classified one: the caller learns nothing of documents it may not see.
    detail = _("No document with the id %(id)s is in your agency's registers.") % {
        "id": document_id
    }
    return Status(404, {"detail": detail})


NOT_FOUND_RESPONSE = {
    "description": "No such document in the registers of the key's agency and its units (the "
    "same answer for a classified document or another agency's)"
}


# --- rate limits --------------------------------------------------------------------------------
# Per API key and per minute. Registrations are counted apart from reads, so that a system
# syncing its list never uses up its own registrations, nor the reverse.

REGISTRATIONS = "documents_api_register"
READS = "documents_api_read"
PER_MINUTE_SETTINGS = {
    REGISTRATIONS: "DOCUMENTS_API_REGISTRATIONS_PER_MINUTE",
    READS: "DOCUMENTS_API_READS_PER_MINUTE",
}


def per_minute(scope: str) -> int:
    """The calls of ``scope`` a key may make each minute (0: none); a bad setting fails loudly."""
    name = PER_MINUTE_SETTINGS[scope]
    value = getattr(settings, name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImproperlyConfigured(f"{name} must be a whole number, 0 or more, not {value!r}")
    return value


def over_limit(request: HttpRequest, response: HttpResponse, scope: str) -> Status[Any] | None:
    """Count the call against its key: the 429 to answer when over the minute's limit, else
    None. Checked before anything else, so a refused call does nothing and costs little."""
    key = request.auth  # type: ignore[attr-defined]
    limit = rate_limits.hit(scope, str(key.pk), per_minute(scope), rate_limits.MINUTE)
    return None if limit.allowed else too_many_requests(response, limit.retry_after)


def _too_many_doc(what: str, scope: str) -> dict[str, Any]:
    return too_many_requests_doc(
        f"Too many {what} with this API key this minute ({per_minute(scope)} a minute on this "
        f"installation, `{PER_MINUTE_SETTINGS[scope]}`); `retry_after` and the Retry-After "
        "header say when the next minute starts"
    )


TOO_MANY_REGISTRATIONS = _too_many_doc("registrations", REGISTRATIONS)
TOO_MANY_READS = _too_many_doc("reads (the list, documents and timelines together)", READS)


# --- endpoints ----------------------------------------------------------------------------------
# Fixed paths first: "/{document_id}" takes only numbers, but keep the order obvious.
# ``openapi_extra`` responses are keyed by number, as django-ninja keys its own: only then are
# they merged into its entries, which carry the body's schema. Under "201" a description would
# be a second entry, replacing the first in the JSON, schema and all.


@router.post(
    "/incoming",
    auth=agency_key_auth,
    response={
        200: ReceiptOut,
        201: ReceiptOut,
        400: InvalidOut,
        401: DetailOut,
        403: DetailOut,
        409: ConflictOut,
        422: SchemaInvalidOut,
        429: RetryOut,
    },
    url_name="documents_incoming",
    summary="Register an incoming document (agency systems)",
    openapi_extra={
        "requestBody": _request_body(),
        "responses": {
            201: {
                "description": "Registered: the incoming number in `arrival_number` and "
                "`reference`; the Location header is the document's address",
                "headers": {"Location": {"schema": {"type": "string"}}},
            },
            200: {
                "description": "A retry with the same Idempotency-Key and content: the "
                "document registered the first time (header `Idempotent-Replayed: true`)"
            },
            400: {
                "description": "A value is refused, per field in `errors`: an unknown agency "
                "or type code, a register outside the key's agency, a number and symbol that "
                "cannot be read, a document date in the future, a deadline in the past, a file "
                "refused by its content (`errors.files`)"
            },
            403: {
                "description": "A classified document (secrecy above 0): classified documents "
                "never travel over the network; register it at the clerk's office"
            },
            409: {
                "description": "The register already holds this document (same identifier, or "
                "same number, symbol and issuer): `duplicates` names it; send "
                "`allow_duplicate: true` to register it again"
            },
            422: {"description": "A field has the wrong type, form or length, or is missing"},
            429: TOO_MANY_REGISTRATIONS,
        },
    },
)
def register_incoming(request: HttpRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    """An incoming document received by the agency's own system, registered in the key's
    agency's register (or, with ``register``, in one of its units'): it gets the next incoming
    number of that register's year, with no gaps and no duplicates, and waits for the clerk to
    present it to a leader. The steps that follow show in its timeline.

    Send JSON, or ``multipart/form-data`` with the fields as form fields (or as one JSON
    ``metadata`` part), the document as a ``main`` file part and each annex as an ``annexes``
    part. Files are checked by their content (PDF, DOCX, ODT, XLSX, JPEG, PNG, TIFF).

    **Retries.** Send an ``Idempotency-Key`` header (at most 100 characters): a retry with the
    same key and the same content gets 200 and the document registered the first time (header
    ``Idempotent-Replayed: true``); the same key with other content gets 409. Without the
    header, a retry gets 409 naming the document registered the first time (same identifier,
    or same number, symbol and issuer).

    **Classified documents** (``secrecy`` above 0) are refused with 403: they never travel
    over the network.

    **Rate limit.** Registrations per API key and per minute (retries included) are limited;
    past the limit the answer is 429 and nothing is registered: wait ``Retry-After`` seconds.
    """
    if too_many := over_limit(request, response, REGISTRATIONS):
        return too_many
    data, source = _read_metadata(request)
    if _classified(data):
        key = request.auth  # type: ignore[attr-defined]
        try:
            actions.refuse_classified_intake(key.agency, key, str(data.get("number_symbol", "")))
        except PermissionDenied as refusal:
            return Status(403, {"detail": " ".join(str(arg) for arg in refusal.args)})
    try:
        payload = IncomingIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise NinjaValidationError(_schema_errors(error, source)) from error
    files = _form_files(request) if source == "form" else []
    arguments = _incoming_arguments(request, payload, files)
    key = request.auth  # type: ignore[attr-defined]
    retry_key = request.headers.get("Idempotency-Key", "").strip()
    if len(retry_key) > 100:
        raise ValidationError(
            {"idempotency_key": _("The Idempotency-Key header is at most 100 characters.")}
        )
    try:
        document = actions.register_incoming(
            None,
            api_key=key,
            idempotency_key=f"{key.pk}:{retry_key}" if retry_key else None,
            submission_digest=_digest(data, files) if retry_key else "",
            **arguments,
        )
    except actions.AlreadyRegistered as replay:
        response["Idempotent-Replayed"] = "true"
        response["Location"] = _links(request, replay.document.pk)["self"]
        return Status(200, _receipt(request, replay.document))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        if error.code in ("duplicate", "idempotency_conflict"):
            return Status(409, _conflict(request, error))
        if error.params and "name" in error.params:
            # A file refused by its content (files.store names it).
            raise ValidationError({"files": error.messages}) from error
        raise
    response["Location"] = _links(request, document.pk)["self"]
    return Status(201, _receipt(request, document))


def _digest(data: dict[str, Any], files: list[tuple[str, UploadedFile]]) -> str:
    """What was sent, to tell a retry from another document under the same Idempotency-Key."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode())
    for part, upload in files:
        digest.update(part.encode())
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def _conflict(request: HttpRequest, error: ValidationError) -> dict[str, Any]:
    ids = list((error.params or {}).get("ids", []))
    found = visible_documents(request).filter(pk__in=ids).order_by("-id")
    return {
        "detail": " ".join(error.messages),
        "duplicates": [
            {
                "id": document.pk,
                "reference": _reference(document),
                "arrival_number": document.arrival_number,
                "arrival_year": document.arrival_year,
                "number_symbol": document.number_symbol,
                "issuer_name": document.issuer_name,
                "status": document.status,
                "received_at": _local(document.received_at),
                "links": _links(request, document.pk),
            }
            for document in found
        ],
    }


class DocumentFilters(Schema):
    direction: DirectionValue | None = Field(None, description="in or out; both if omitted")
    status: StatusValue | None = None
    register_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=35)] = Field(
        "",
        alias="register",
        description="Electronic code of one register (the key's agency or one of its units)",
    )
    updated_since: dt.datetime | None = Field(
        None,
        description="Only documents changed at or after this time (ISO 8601; without an "
        "offset, Hà Nội time)",
    )
    cursor: str | None = Field(None, max_length=200, description="next_cursor of a previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def encode_cursor(updated_at: dt.datetime, pk: int) -> str:
    raw = json.dumps({"t": updated_at.isoformat(), "i": pk}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        updated_at = dt.datetime.fromisoformat(data["t"])
        pk = int(data["i"])
        if timezone.is_naive(updated_at):
            raise ValueError(data["t"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise NinjaValidationError(
            [
                invalid_field(
                    "query",
                    "cursor",
                    _("This cursor is not valid; start again without it."),
                )
            ]
        ) from error
    return updated_at, pk


@router.get(
    "",
    auth=agency_key_auth,
    response={200: DocumentListOut, 401: DetailOut, 422: SchemaInvalidOut, 429: RetryOut},
    url_name="documents_list",
    summary="Documents of the key's registers, oldest change first (for syncing)",
    openapi_extra={"responses": {429: TOO_MANY_READS}},
)
def list_documents(
    request: HttpRequest, response: HttpResponse, filters: Query[DocumentFilters]
) -> Status[dict[str, Any]]:
    """The unclassified documents of the registers of the key's agency and its units, incoming
    and outgoing, ordered by their last change (oldest first) then id.

    **Syncing.** Follow ``next`` until it is null; later, ask again with
    ``cursor=<next_cursor>`` (or ``updated_since``) for what changed since: a document that
    changes moves to the end, so each change is seen. ``GET /api/v1/documents/{id}`` gives
    everything about one document."""
    if too_many := over_limit(request, response, READS):
        return too_many
    documents = visible_documents(request)
    if filters.register_code:
        register = Agency.objects.filter(code=filters.register_code).only("pk").first()
        if register is None or register.pk not in _registers(request):
            raise NinjaValidationError(
                [
                    invalid_field(
                        "query",
                        "register",
                        _("“%(code)s” is not your agency or one of its units.")
                        % {"code": filters.register_code},
                    )
                ]
            )
        documents = documents.filter(agency_id=register.pk)
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        documents = documents.filter(updated_at__gte=since)
    if filters.cursor:
        updated_at, pk = decode_cursor(filters.cursor)
        documents = documents.filter(
            Q(updated_at__gt=updated_at) | Q(updated_at=updated_at, pk__gt=pk)
        )
    documents = documents.select_related("agency", "document_type", "holder_unit").order_by(
        "updated_at", "pk"
    )
    page = list(documents[: filters.limit + 1])
    more, page = len(page) > filters.limit, page[: filters.limit]
    next_cursor = encode_cursor(page[-1].updated_at, page[-1].pk) if page else filters.cursor
    next_url = None
    if more and next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return Status(
        200,
        {
            "items": [_item(request, document) for document in page],
            "next_cursor": next_cursor,
            "next": next_url,
        },
    )


@router.get(
    "/{int:document_id}",
    auth=agency_key_auth,
    response={200: DocumentOut, 401: DetailOut, 404: DetailOut, 429: RetryOut},
    url_name="documents_detail",
    summary="One document of the key's registers",
    openapi_extra={"responses": {404: NOT_FOUND_RESPONSE, 429: TOO_MANY_READS}},
)
def get_document(
    request: HttpRequest, response: HttpResponse, document_id: int
) -> Status[dict[str, Any]]:
    """Its Decree 30 metadata, its status, its incoming number (or number and symbol), who
    holds it now and until when, its files and, for an outgoing document, each recipient and
    what became of its copy."""
    if too_many := over_limit(request, response, READS):
        return too_many
    document = (
        visible_documents(request)
        .select_related(
            "agency", "document_type", "issuer", "drafting_unit", "holder_unit", "holder"
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return _not_found(document_id)
    return Status(200, _detail(request, document))


@router.get(
    "/{int:document_id}/timeline",
    auth=agency_key_auth,
    response={200: TimelineOut, 401: DetailOut, 404: DetailOut, 429: RetryOut},
    url_name="documents_timeline",
    summary="The steps of one document, oldest first",
    openapi_extra={"responses": {404: NOT_FOUND_RESPONSE, 429: TOO_MANY_READS}},
)
def get_timeline(
    request: HttpRequest, response: HttpResponse, document_id: int
) -> Status[dict[str, Any]]:
    """Each step (registered, presented, directed, assigned, reported, closed; drafted,
    reviewed, issued, dispatched, delivered…): when, who took it, who held the document
    afterwards, the deadline then, and what the step says."""
    if too_many := over_limit(request, response, READS):
        return too_many
    document = visible_documents(request).filter(pk=document_id).first()
    if document is None:
        return _not_found(document_id)
    events = (
        Event.objects.filter(document_id=document.pk)
        .select_related("actor", "holder_unit", "holder")
        .order_by("at", "id")
    )
    return Status(
        200,
        {
            "id": document.pk,
            "reference": _reference(document),
            "status": document.status,
            "status_label": str(document.get_status_display()),
            "events": [_event(event) for event in events],
            "links": _links(request, document.pk),
        },
    )
