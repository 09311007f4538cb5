"""JSON API of citizen feedback, petitions, complaints and denunciations (F6, ADR 0012).

- ``POST /api/v1/feedback``: an agency's system (agency API key) hands in a citizen's
  submission, as JSON or as ``multipart/form-data`` with attached files; an
  ``Idempotency-Key`` makes retries safe;
- ``GET /api/v1/feedback/challenge``: the proof-of-work challenge of the portal form's widget;
- ``GET /api/v1/feedback/published``: answers published with the citizen's consent, personal
  data removed;
- ``GET /api/v1/feedback/{code}?contact=…``: a citizen follows a submission with its tracking
  code and the e-mail address or telephone number given with it.

Every change goes through ``actions.submit``; reads through ``queries``. Rate limits and load
shedding come from ``rate_limits`` (policies ``api_key`` and ``tracking``): a refusal is a 429
with ``Retry-After`` (``vgp.core.api_throttling``).

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import copy
import datetime as dt
import json
import math
from typing import Annotated, Any, Literal

import pydantic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, HeaderEx, P, Query, QueryEx, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict, StringConstraints

from vgp.accounts.api_auth import agency_key_auth
from vgp.agencies.models import Agency
from vgp.api.validation import invalid_field
from vgp.core.api_throttling import RetryOut, too_many_requests, too_many_requests_doc
from vgp.core.rate_limits import Overloaded, client_ip

from . import actions, notifications, proof_of_work, queries, rate_limits
from . import reply_letter as reply_letter_files
from .models import Channel, Event, FeedbackItem, Intake, Kind, Sector
from .models import Status as ItemStatus

router = Router(tags=["citizen feedback"])

CONTENT_MAX_CHARS = 20_000
IDEMPOTENCY_KEY_MAX_CHARS = 100
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 500  # as the legal documents' list: refine the filters rather than page deeper
ADMISSION_NAME = "feedback_api_submit"

KindValue = Literal["feedback", "petition", "complaint", "denunciation"]
PublicKindValue = Literal["feedback", "petition", "complaint"]
StatusValue = Literal[
    "received",
    "awaiting_citizen",
    "routed",
    "accepted",
    "assigned",
    "in_approval",
    "answered",
    "rejected",
    "duplicate",
]

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Text12 = Annotated[Text, StringConstraints(max_length=12)]
Text20 = Annotated[Text, StringConstraints(max_length=20)]
Text35 = Annotated[Text, StringConstraints(max_length=35)]
Text80 = Annotated[Text, StringConstraints(max_length=80)]
Text150 = Annotated[Text, StringConstraints(max_length=150)]
Text200 = Annotated[Text, StringConstraints(max_length=200)]
Text254 = Annotated[Text, StringConstraints(max_length=254)]
Text255 = Annotated[Text, StringConstraints(max_length=255)]
LongText = Annotated[Text, StringConstraints(max_length=CONTENT_MAX_CHARS)]


# --- examples (OpenAPI) -------------------------------------------------------------------------

EXAMPLE_CODE = "7K3M-9QXA-2BFE"
EXAMPLE_SUBMISSION: dict[str, Any] = {
    "kind": "complaint",
    "name": "Trần Văn Dũng",
    "email": "dung.tran@example.vn",
    "phone": "0912 345 678",
    "address": "Số 12 phố Hàng Bông, quận Hoàn Kiếm",
    "province": "000.00.00.H26",
    "id_number": "001080012345",
    "title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
    "content": "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ tháng 3 nhưng đến nay "
    "vẫn chưa nhận được kết quả.",
    "sector": "dat-dai",
    "concerned_agency": "000.00.00.G12",
    "consent_to_publish": True,
}
EXAMPLE_AGENCY: dict[str, Any] = {
    "code": "000.00.00.G12",
    "name": "Bộ Tài chính",
    "name_en": "Ministry of Finance",
}
EXAMPLE_SECTOR: dict[str, Any] = {"slug": "dat-dai", "name": "Đất đai", "name_en": "Land"}


# --- input --------------------------------------------------------------------------------------


class SubmissionIn(Schema):
    """A citizen's submission as an agency's system hands it in. Unknown fields are ignored."""

    kind: KindValue = Field(
        description="feedback (on regulations or conduct), petition, complaint or denunciation"
    )
    name: Text150 = Field(description="The citizen's full name")
    email: Text254 | None = Field(
        None, description="E-mail address; give an e-mail address or a telephone number (or both)"
    )
    phone: Text20 | None = Field(
        None, description="Telephone number, e.g. 0912 345 678 or +84 912 345 678"
    )
    address: Text255 | None = Field(None, description="Postal address")
    province: Text35 | None = Field(
        None,
        description="Electronic code of the citizen's province or centrally-run city in the "
        "agency registry (/api/v1/agencies), e.g. 000.00.00.H26",
    )
    id_number: Text12 | None = Field(
        None, description="Identity card number: 12 digits (9 for old cards)"
    )
    title: Text200 = Field(description="A short title")
    content: LongText = Field(description="The matter, at least 20 characters")
    sector: Text80 | None = Field(None, description="Slug of the sector concerned, e.g. dat-dai")
    concerned_agency: Text35 | None = Field(
        None, description="Electronic code of the agency or locality concerned"
    )
    consent_to_publish: bool = Field(
        False,
        description="The citizen agrees that the reply be published, personal data removed "
        "(never for a denunciation)",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_SUBMISSION]})


def _request_body() -> dict[str, Any]:
    """The POST body in OpenAPI: the same fields as JSON or as form fields with files."""
    schema = SubmissionIn.model_json_schema()
    multipart = copy.deepcopy(schema)
    multipart["properties"]["files"] = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "Attachments: PDF, JPG, PNG or DOCX, checked by their content; at most 5 "
        "files, 10 MB each, 25 MB together. Repeat the part for each file.",
    }
    multipart.pop("examples", None)
    form_example = {
        key: ("true" if value is True else value) for key, value in EXAMPLE_SUBMISSION.items()
    }
    return {
        "required": True,
        "description": "JSON, or multipart/form-data when files are attached (the same fields "
        "as form fields, plus `files`).",
        "content": {
            "application/json": {"schema": schema, "example": EXAMPLE_SUBMISSION},
            "multipart/form-data": {
                "schema": multipart,
                "example": form_example,
                "encoding": {
                    "files": {
                        "contentType": "application/pdf, image/jpeg, image/png, "
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    }
                },
            },
        },
    }


FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


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


def _read_submission(request: HttpRequest) -> tuple[SubmissionIn, list[UploadedFile]]:
    """The body as JSON, or as form fields and files (multipart/form-data)."""
    files: list[UploadedFile] = []
    if request.content_type in FORM_TYPES:
        source = "form"
        fields = SubmissionIn.model_fields
        try:
            request.POST  # noqa: B018  (parses the body: fields and files)
        except MultiPartParserError as error:
            message = _("The multipart/form-data body could not be read.")
            raise NinjaValidationError(
                [{"type": "value_error", "loc": ["form"], "msg": message}]
            ) from error
        # An empty form field is an absent one (a form sends every field it has).
        data: Any = {
            name: str(value)
            for name, value in request.POST.items()
            if name in fields and (str(value).strip() or fields[name].is_required())
        }
        # Every file part is taken, whatever its name (``files`` is the documented one).
        files = [upload for name in request.FILES for upload in request.FILES.getlist(name)]
    else:
        source = "body"
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise NinjaValidationError(
                [{"type": "json_invalid", "loc": ["body"], "msg": "Invalid JSON"}]
            ) from error
    try:
        return SubmissionIn.model_validate(data), files
    except pydantic.ValidationError as error:
        raise NinjaValidationError(_schema_errors(error, source)) from error


def _agency(code: str | None, field: str, errors: dict[str, str]) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.active().filter(code=code).first()
    if agency is None:
        errors[field] = _("No agency in the registry has the code “%(code)s”.") % {"code": code}
    return agency


def _submission(payload: SubmissionIn, files: list[UploadedFile]) -> actions.Submission:
    """What the action takes, with agency codes and the sector's slug looked up (400 if none)."""
    errors: dict[str, str] = {}
    province = _agency(payload.province, "province", errors)
    concerned_agency = _agency(payload.concerned_agency, "concerned_agency", errors)
    sector = None
    if payload.sector:
        sector = Sector.objects.filter(slug=payload.sector, active=True).first()
        if sector is None:
            errors["sector"] = _("No sector has the slug “%(slug)s”.") % {"slug": payload.sector}
    if payload.email:
        try:
            validate_email(payload.email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise ValidationError(errors)
    return actions.Submission(
        kind=payload.kind,
        name=payload.name,
        email=payload.email or "",
        phone=payload.phone or "",
        address=payload.address or "",
        province=province,
        id_number=payload.id_number or "",
        title=payload.title,
        content=payload.content,
        sector=sector,
        concerned_agency=concerned_agency,
        consent_to_publish=payload.consent_to_publish,
        files=files,
    )


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


class SectorOut(Schema):
    slug: str
    name: str
    name_en: str


class AttachmentOut(Schema):
    name: str = Field(description="The file's name as sent (data only)")
    type: str = Field(description="Content type found by checking the content")
    size: int = Field(description="Bytes")


class ReceiptOut(Schema):
    """What the agency's system tells the citizen: above all the tracking code."""

    code: str = Field(description="Tracking code; with the e-mail or telephone, follows the item")
    status: StatusValue
    status_label: str = Field(description="In the caller's language")
    kind: KindValue
    received_at: dt.datetime
    routing_due: dt.date = Field(description="Reception sends it to the competent agency by then")
    tracking_url: str = Field(description="The portal's tracking page for this code")
    message: str = Field(
        description="A text ready to send by SMS (ASCII, at most 160 characters)",
    )
    attachments: list[AttachmentOut]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": EXAMPLE_CODE,
                    "status": "received",
                    "status_label": "Received, being classified",
                    "kind": "complaint",
                    "received_at": "2026-03-02T09:15:00+07:00",
                    "routing_due": "2026-03-09",
                    "tracking_url": "https://chinhphu.vn/phan-anh-kien-nghi/tra-cuu/"
                    f"?code={EXAMPLE_CODE}",
                    "message": "VGP: Phan anh, kien nghi cua ban da duoc tiep nhan. Tra cuu "
                    f"bang ma {EXAMPLE_CODE} tai chinhphu.vn",
                    "attachments": [
                        {"name": "ho-so.pdf", "type": "application/pdf", "size": 48213}
                    ],
                }
            ]
        }
    )


class TimelineEventOut(Schema):
    kind: str = Field(
        description="submitted, routed, returned, accepted, assigned, info_requested, "
        "info_provided, extended, answered, published, rejected, duplicate"
    )
    label: str = Field(description="In the caller's language")
    at: dt.datetime
    agency: AgencyOut | None = Field(description="The agency that took the step, if any")
    message: str = Field(description="What the step says to the citizen (a reason, the reply…)")


class InformationRequestOut(Schema):
    question: str
    asked_at: dt.datetime


class TrackingOut(Schema):
    """A submission as its citizen follows it. Never the names of officials or internal notes."""

    code: str
    kind: KindValue
    kind_label: str
    title: str
    status: StatusValue
    status_label: str
    received_at: dt.datetime
    agency: AgencyOut | None = Field(
        description="The agency handling it now; null while the portal's reception classifies it"
    )
    due: dt.date | None = Field(
        description="Deadline of the current stage; null once closed or while paused"
    )
    paused: bool = Field(description="The clock is stopped until the citizen answers a question")
    timeline: list[TimelineEventOut] = Field(description="The public steps, oldest first")
    information_request: InformationRequestOut | None = Field(
        description="A question waiting for the citizen's answer (on the portal's tracking page)"
    )
    reply: str | None = Field(description="The agency's reply, once answered")
    answered_at: dt.datetime | None
    reply_letter_url: str | None = Field(
        default=None,
        description="Once answered: the reply as a letter (PDF, sealed by the agency when "
        "reply_letter_signed), for the same code and contact; null when there is none",
    )
    reply_letter_signed: bool = Field(
        default=False,
        description="The letter carries the agency's electronic signature (check it on the "
        "portal's /xac-thuc/ page or with POST /api/v1/signatures/verify)",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": EXAMPLE_CODE,
                    "kind": "complaint",
                    "kind_label": "Complaint",
                    "title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
                    "status": "accepted",
                    "status_label": "Accepted by the agency",
                    "received_at": "2026-03-02T09:15:00+07:00",
                    "agency": EXAMPLE_AGENCY,
                    "due": "2026-04-14",
                    "paused": False,
                    "timeline": [
                        {
                            "kind": "submitted",
                            "label": "Submitted",
                            "at": "2026-03-02T09:15:00+07:00",
                            "agency": None,
                            "message": "",
                        },
                        {
                            "kind": "routed",
                            "label": "Sent to the competent agency",
                            "at": "2026-03-03T10:00:00+07:00",
                            "agency": EXAMPLE_AGENCY,
                            "message": "",
                        },
                        {
                            "kind": "accepted",
                            "label": "Accepted",
                            "at": "2026-03-04T14:30:00+07:00",
                            "agency": EXAMPLE_AGENCY,
                            "message": "",
                        },
                    ],
                    "information_request": None,
                    "reply": None,
                    "answered_at": None,
                    "reply_letter_url": None,
                    "reply_letter_signed": False,
                }
            ]
        }
    )


class PublishedItemOut(Schema):
    """A published answer. Its texts had the citizen's personal data removed before publishing.
    It is identified by a plain number: the tracking code stays private to the citizen."""

    id: int
    kind: KindValue
    kind_label: str
    sector: SectorOut | None
    agency: AgencyOut | None = Field(description="The agency that answered")
    answered_at: dt.datetime | None
    published_at: dt.datetime | None
    public_title: str
    public_content: str = Field(description="The matter, personal data removed")
    public_reply: str = Field(description="The reply, personal data removed")
    url: str = Field(description="The answer's page on the portal")


class PublishedListOut(Schema):
    count: int = Field(description="Matching answers in all")
    page: int
    pages: int = Field(description=f"Pages available (at most {MAX_PAGE} are served)")
    page_size: int
    next: str | None = Field(description="Address of the next page; null on the last")
    previous: str | None
    results: list[PublishedItemOut]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1,
                    "page": 1,
                    "pages": 1,
                    "page_size": PAGE_SIZE,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "code": EXAMPLE_CODE,
                            "kind": "complaint",
                            "kind_label": "Complaint",
                            "sector": EXAMPLE_SECTOR,
                            "agency": EXAMPLE_AGENCY,
                            "answered_at": "2026-04-10T16:00:00+07:00",
                            "published_at": "2026-04-10T16:00:00+07:00",
                            "public_title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
                            "public_content": "Ông […] nộp hồ sơ từ tháng 3 nhưng chưa có kết quả.",
                            "public_reply": "Bộ Tài chính trả lời như sau: …",
                            "url": "https://chinhphu.vn/phan-anh-kien-nghi/da-tra-loi/"
                            f"{EXAMPLE_CODE}/",
                        }
                    ],
                }
            ]
        }
    )


class ChallengeOut(Schema):
    """An ALTCHA challenge, field names as the widget reads them."""

    algorithm: str = Field(description="SHA-256")
    challenge: str = Field(description="sha256(salt + secret number), hex")
    maxnumber: int = Field(description="The secret number is at most this")
    salt: str = Field(description="Random, carrying its expiry: <hex>?expires=<unix time>&")
    signature: str = Field(description="HMAC of the challenge (the server keeps no state)")


def _agency_data(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name_vi, "name_en": agency.name_en}


def _receipt(intake: Intake) -> dict[str, Any]:
    """What the caller tells the citizen. A new submission's is read from its intake row alone
    (the item is registered a moment later, with the same code, status and deadline); a
    retry's, once registered, from the item (the intake keeps no copy of the submission)."""
    if intake.item_id is None:
        status = ItemStatus.RECEIVED
        files = [
            {"name": f["original_name"], "type": f["content_type"], "size": f["size"]}
            for f in intake.payload["files"]
        ]
    else:
        item = FeedbackItem.objects.only("status").get(pk=intake.item_id)
        status = ItemStatus(item.status)
        # The files sent with the submission, not those of later answers to questions
        submitted = item.attachments.filter(information_request__isnull=True)
        files = [attachment.describe() for attachment in submitted]
    return {
        "code": intake.code,
        "status": status.value,
        "status_label": str(status.label),
        "kind": intake.kind,
        "received_at": intake.received_at,
        "routing_due": intake.routing_due,
        "tracking_url": notifications.tracking_url(intake),
        "message": notifications.sms_text(intake),
        "attachments": files,
    }


def _event_data(event: Event) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "label": str(event.get_kind_display()),
        "at": event.at,
        "agency": _agency_data(event.agency),
        "message": event.message,
    }


def _letter_url(request: HttpRequest, item: FeedbackItem, contact: str) -> str:
    """The letter's address with the caller's contact, ready to follow (it proves what the
    tracking request proved; the answer is personal and never cached)."""
    path = reverse("api-v1:feedback_reply_letter", kwargs={"code": item.code})
    return request.build_absolute_uri(f"{path}?{urlencode({'contact': contact})}")


def _tracking(
    item: FeedbackItem, *, http_request: HttpRequest | None = None, contact: str = ""
) -> dict[str, Any]:
    request = queries.open_information_request(item)
    answered = item.status == ItemStatus.ANSWERED
    has_letter = answered and bool(item.reply_letter)
    return {
        "code": item.code,
        "kind": item.kind,
        "kind_label": str(Kind(item.kind).label),
        "title": item.title,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "received_at": item.received_at,
        "agency": _agency_data(item.agency),
        "due": item.current_due,
        "paused": item.paused_at is not None,
        "timeline": [_event_data(event) for event in queries.citizen_timeline(item)],
        "information_request": {"question": request.question, "asked_at": request.asked_at}
        if request is not None
        else None,
        "reply": item.reply if answered else None,
        "answered_at": item.answered_at if answered else None,
        "reply_letter_url": _letter_url(http_request, item, contact)
        if has_letter and http_request is not None
        else None,
        "reply_letter_signed": bool(has_letter and item.reply_letter_signed),
    }


def _published_path(item: FeedbackItem) -> str:
    """The Vietnamese (canonical) address, whatever language the caller reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("feedback:answered_detail", kwargs={"pk": item.pk})


def _published_data(request: HttpRequest, item: FeedbackItem) -> dict[str, Any]:
    sector = item.sector
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": str(Kind(item.kind).label),
        "sector": {"slug": sector.slug, "name": sector.name, "name_en": sector.name_en}
        if sector is not None
        else None,
        "agency": _agency_data(item.agency),
        "answered_at": item.answered_at,
        "published_at": item.published_at,
        "public_title": item.public_title,
        "public_content": item.public_content,
        "public_reply": item.public_reply,
        "url": request.build_absolute_uri(_published_path(item)),
    }


# --- endpoints ----------------------------------------------------------------------------------
# Fixed paths first: "/{code}" would take "challenge" and "published" otherwise.


@router.post(
    "",
    auth=agency_key_auth,
    response={
        200: ReceiptOut,
        201: ReceiptOut,
        400: InvalidOut,
        401: DetailOut,
        409: DetailOut,
        422: SchemaInvalidOut,
        429: RetryOut,
    },
    summary="Hand in a citizen's submission (agency systems)",
    openapi_extra={
        "requestBody": _request_body(),
        "responses": {
            200: {"description": "A retry with the same Idempotency-Key: the item made first"},
            201: {"description": "Received: a new item"},
            400: {
                "description": "The submission is not acceptable: what is wrong per field in "
                "`errors` (an unknown province, sector or agency code; no contact; a file that "
                "is not a PDF, JPG, PNG or DOCX, named in `errors.files`)"
            },
            409: {"description": "This Idempotency-Key was used for a different submission"},
            422: {"description": "A field has the wrong type or length, or is missing"},
            429: too_many_requests_doc(
                "Too many calls with this API key (600 a minute by default), or the server is busy"
            ),
        },
    },
)
def submit(
    request: HttpRequest,
    response: HttpResponse,
    idempotency_key: HeaderEx[
        str | None,
        P(
            alias="Idempotency-Key",
            max_length=IDEMPOTENCY_KEY_MAX_CHARS,
            description="Any unique string of the caller (a UUID): a retry with the same key "
            "and the same content returns the item already made (200), never a duplicate.",
        ),
    ] = None,
) -> Status[dict[str, Any]]:
    """A submission received from another channel (a ministry's or a province's own system),
    attributed to the API key's agency and handled like one made on the portal's form: the
    citizen gets the tracking code (in ``message``, ready for SMS) and follows the item on the
    portal or with ``GET /api/v1/feedback/{code}``.

    Send JSON, or ``multipart/form-data`` with the same fields as form fields and each
    attachment as a ``files`` part. Agencies and the province are given by their electronic
    codes in the agency registry, the sector by its slug.

    **Retries.** Send an ``Idempotency-Key`` header: the same key with the same content
    returns the item made the first time with status 200 (and the header
    ``Idempotent-Replayed: true``); the same key with other content is refused (409). Keys of
    different API keys never meet.
    """
    key = request.auth  # type: ignore[attr-defined]
    limit = rate_limits.hit_policy("api_key", str(key.pk))
    if not limit.allowed:
        return too_many_requests(response, limit.retry_after)
    try:
        with rate_limits.admission(ADMISSION_NAME):
            payload, files = _read_submission(request)
            data = _submission(payload, files)
            try:
                intake, created = actions.receive(
                    data,
                    channel=Channel.API,
                    api_key=key,
                    idempotency_key=(idempotency_key or "").strip(),
                )
            except actions.IdempotencyConflict as error:
                raise HttpError(409, " ".join(error.messages)) from error
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    raise
                # Only the files are checked as a whole (attachments.check_uploads).
                raise ValidationError({"files": error.messages}) from error
    except Overloaded as error:
        return too_many_requests(response, error.retry_after)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _receipt(intake))


@router.get(
    "/challenge",
    response=ChallengeOut,
    summary="A proof-of-work challenge for the portal's form",
    openapi_extra={
        "responses": {
            200: {
                "description": "A new challenge (Cache-Control: no-store)",
                "headers": {"Cache-Control": {"schema": {"type": "string", "example": "no-store"}}},
            }
        }
    },
)
def challenge(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """The ALTCHA widget on the portal's form fetches one before the citizen sends: it finds
    the secret number by brute force (about a second on a phone) and posts the solution with
    the form. Challenges are signed and expire; a solution is accepted once. Never cached."""
    response["Cache-Control"] = "no-store, max-age=0"
    return proof_of_work.challenge_response()


class PublishedFilters(Schema):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = Field(
        "", description="Words of the title, matter or reply; accents optional (dat dai = đất đai)"
    )
    agency: Annotated[str, StringConstraints(strip_whitespace=True, max_length=35)] = Field(
        "", description="Electronic code of the agency that answered"
    )
    sector: Annotated[str, StringConstraints(strip_whitespace=True, max_length=80)] = Field(
        "", description="Slug of a sector, e.g. dat-dai"
    )
    kind: PublicKindValue | None = Field(None, description="Denunciations are never published")
    date_from: dt.date | None = Field(None, description="Answered on or after (YYYY-MM-DD)")
    date_to: dt.date | None = Field(None, description="Answered on or before (YYYY-MM-DD)")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/published",
    response={200: PublishedListOut, 422: SchemaInvalidOut},
    summary="Published answers to citizens, newest first",
)
def published(request: HttpRequest, filters: Query[PublishedFilters]) -> dict[str, Any]:
    """Answers whose citizen agreed to publication (never a denunciation), with the citizen's
    name, contacts, address and identity number removed from every text. Newest published
    first; ``q`` must match every word, without regard to diacritics. An unknown agency code
    or sector slug is a 422 naming the filter."""
    errors: list[dict[str, Any]] = []
    agency_id = sector_id = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            errors.append(
                invalid_field(
                    "query",
                    "agency",
                    _("No agency in the registry has the code “%(code)s”.")
                    % {"code": filters.agency},
                )
            )
        else:
            agency_id = agency.pk
    if filters.sector:
        sector = Sector.objects.filter(slug=filters.sector).first()
        if sector is None:
            errors.append(
                invalid_field(
                    "query",
                    "sector",
                    _("No sector has the slug “%(slug)s”.") % {"slug": filters.sector},
                )
            )
        else:
            sector_id = sector.pk
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors.append(
            invalid_field("query", "date_to", _("The end date is before the start date."))
        )
    if errors:
        raise NinjaValidationError(errors)
    items = queries.public_items(
        q=filters.q,
        agency_id=agency_id,
        sector_id=sector_id,
        kind=filters.kind or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    count = items.count()
    size, number = filters.page_size, filters.page
    pages = min(MAX_PAGE, max(1, math.ceil(count / size)))
    page = list(items[(number - 1) * size : number * size]) if number <= pages else []
    return {
        "count": count,
        "page": number,
        "pages": pages,
        "page_size": size,
        "next": _page_link(request, number + 1) if number < pages else None,
        "previous": _page_link(request, number - 1) if 1 < number <= pages else None,
        "results": [_published_data(request, item) for item in page],
    }


@router.get(
    "/{code}",
    response={200: TrackingOut, 404: DetailOut, 422: SchemaInvalidOut, 429: RetryOut},
    summary="Follow a submission (tracking code and contact)",
    openapi_extra={
        "responses": {
            404: {
                "description": "No submission has this code with this contact (the same answer "
                "whether the code or the contact is wrong)"
            },
            429: too_many_requests_doc(
                "Too many lookups from this address (60 an hour by default)"
            ),
        }
    },
)
def track(
    request: HttpRequest,
    response: HttpResponse,
    code: str,
    contact: QueryEx[
        str,
        P(
            min_length=1,
            max_length=254,
            description="The e-mail address or telephone number given with the submission "
            "(any case; 0912 345 678 or +84 912 345 678)",
        ),
    ],
) -> Status[dict[str, Any]]:
    """For citizens' apps: where a submission is, who handles it, by when, and the reply.
    The code is read loosely (case, spaces and dashes do not matter). Lookups are limited
    per client address. The answer is personal: ``Cache-Control: private, no-store``."""
    response["Cache-Control"] = "private, no-store"
    limit = rate_limits.hit_policy("tracking", client_ip(request) or "unknown")
    if not limit.allowed:
        return too_many_requests(response, limit.retry_after)
    item = queries.find_for_citizen(code, contact)
    if item is None:
        detail = _("No submission has this tracking code with this e-mail address or telephone.")
        return Status(404, {"detail": detail})
    return Status(200, _tracking(item, http_request=request, contact=contact))


@router.get(
    "/{code}/reply-letter",
    url_name="feedback_reply_letter",
    response={200: None, 404: DetailOut, 422: SchemaInvalidOut, 429: RetryOut},
    summary="Download the reply letter (PDF) of an answered submission",
    openapi_extra={
        "responses": {
            200: {
                "description": "The letter (application/pdf), sealed by the agency when "
                "reply_letter_signed is true in the tracking answer",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            },
            404: {
                "description": "No answered submission with a letter has this code with this "
                "contact (the same answer whatever is wrong)"
            },
            429: too_many_requests_doc("Too many lookups from this address (shared with tracking)"),
        }
    },
)
def reply_letter(
    request: HttpRequest,
    response: HttpResponse,
    code: str,
    contact: QueryEx[
        str,
        P(
            min_length=1,
            max_length=254,
            description="The e-mail address or telephone number given with the submission",
        ),
    ],
) -> Any:
    """The letter the tracking answer links to (``reply_letter_url``): the same code and contact
    as the tracking request, the same rate limit. ``Cache-Control: private, no-store``."""
    response["Cache-Control"] = "private, no-store"
    limit = rate_limits.hit_policy("tracking", client_ip(request) or "unknown")
    if not limit.allowed:
        return too_many_requests(response, limit.retry_after)
    item = queries.find_for_citizen(code, contact)
    if item is None or item.status != ItemStatus.ANSWERED or not item.reply_letter:
        detail = _("No reply letter for this tracking code with this e-mail address or telephone.")
        return Status(404, {"detail": detail})
    return reply_letter_files.download(item)
