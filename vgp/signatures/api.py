"""JSON API of signature verification (ADR 0015): ``POST /api/v1/signatures/verify``.

Public (no API key), limited per client address with the page (``rate_limits``). The body is
``multipart/form-data``: the PDF as ``file`` and, optionally, the time of the check as ``at``
(ISO 8601). The file is read into memory through the bounded handler of ``uploads`` (cut off at
``SIGNATURE_VERIFY_MAX_BYTES``), so the endpoint reads the form itself instead of declaring
django-ninja's ``File`` parameter, and documents the body in ``openapi_extra``.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
import logging
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError

from vgp.api.validation import invalid_field
from vgp.core.api_throttling import RetryOut, too_many_requests, too_many_requests_doc
from vgp.core.rate_limits import Overloaded, client_ip

from . import rate_limits
from .forms import FUTURE_TOLERANCE
from .uploads import FILE_FIELD, bound_uploads
from .verification import VerificationError, too_large, verify_pdf

logger = logging.getLogger("vgp.signatures")

router = Router(tags=["signatures"])

VerdictValue = Literal["valid", "invalid", "indeterminate"]


class ReasonOut(Schema):
    code: str = Field(
        description="An ETSI EN 319 102-1 sub-indication (HASH_FAILURE, OUT_OF_BOUNDS_NO_POE…) "
        "or one of ours (NO_SIGNATURE, PASSED, MODIFIED_NOT_ALLOWED, REVOCATION_NOT_CHECKED…)"
    )
    text: str = Field(description="What it means, in the caller's language (Accept-Language)")


class SignerOut(Schema):
    name: str = Field(description="Common name (CN) of the signer's certificate")
    organization: str = Field(description="Organisation (O) of the signer's certificate")


class CertificateOut(Schema):
    subject: str
    common_name: str
    organization: str
    issuer: str
    serial_number: str = Field(description="Hexadecimal")
    not_before: dt.datetime
    not_after: dt.datetime
    trusted_root: bool = Field(description="One of the roots this service trusts")


class TimestampOut(Schema):
    authority: str = Field(description="The time-stamping authority (TSA)")
    time: dt.datetime
    intact: bool = Field(description="The token's signature and imprint are right")
    trusted: bool = Field(description="The TSA's certificate leads to a trusted root")


class SignatureOut(Schema):
    field_name: str = Field(description="The PDF signature field")
    kind: Literal["signature", "document_timestamp"]
    type: str = Field(description="PAdES, adbe.pkcs7.detached, adbe.pkcs7.sha1 or ETSI.RFC3161")
    sub_filter: str = Field(description="The signature's /SubFilter as written in the file")
    verdict: VerdictValue
    sub_indication: str | None = Field(
        description="The ETSI sub-indication; null when valid",
        examples=["OUT_OF_BOUNDS_NO_POE"],
    )
    reasons: list[ReasonOut] = Field(description="The sub-indication's meaning first")
    signer: SignerOut
    certificates: list[CertificateOut] = Field(description="The chain, signer first")
    chains_to_trusted_root: bool
    claimed_signing_time: dt.datetime | None = Field(
        description="The time the signer's computer wrote; proves nothing"
    )
    timestamp: TimestampOut | None = Field(description="The signature's time-stamp, if any")
    intact: bool | None = Field(description="The signed bytes are unchanged")
    coverage: Literal["entire_file", "entire_revision", "partial", "unclear"] | None
    modifications: Literal["none", "lta_updates", "form_filling", "annotations", "other"] | None = (
        Field(description="What was changed after signing (pyHanko's difference analysis)")
    )
    modifications_allowed: bool | None = Field(
        description="Whether those changes are allowed (DocMDP, FieldMDP, pyHanko's policy)"
    )
    certification: Literal["no_changes", "form_filling", "annotations"] | None = Field(
        description="A certifying signature's permission (DocMDP)"
    )
    revocation: Literal["good", "revoked", "unknown"] = Field(
        description="From revocation data the file carries; unknown: not checked (no data, "
        "nothing is fetched)"
    )
    revocation_date: dt.datetime | None
    proof_of_existence: dt.datetime | None = Field(
        description="When a trusted time-stamp proves the signature existed, if it was needed"
    )


class ReportOut(Schema):
    verdict: VerdictValue = Field(
        description="invalid if any signature is; else indeterminate if any is (or none was "
        "found); else valid"
    )
    signed: bool = Field(description="false: no signature in the file (reason NO_SIGNATURE)")
    validation_time: dt.datetime = Field(description="The time the signatures were checked at")
    reasons: list[ReasonOut] = Field(description="About the file as a whole")
    signatures: list[SignatureOut] = Field(description="In signing order")


class RefusalOut(Schema):
    detail: str = Field(description="Why the file cannot be checked, in the caller's language")
    code: Literal[
        "empty", "too_large", "not_pdf", "truncated", "encrypted", "byte_range", "damaged"
    ]


class VerifyInvalidOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = Field(description="django-ninja's list (English)")
    fields: dict[str, list[str]] = Field(description="The same per field, in the caller's language")


REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [FILE_FIELD],
                "properties": {
                    FILE_FIELD: {
                        "type": "string",
                        "format": "binary",
                        "description": "The signed PDF, at most SIGNATURE_VERIFY_MAX_BYTES "
                        "(20 MB by default). Not kept.",
                    },
                    "at": {
                        "type": "string",
                        "format": "date-time",
                        "description": "Check as at this time (ISO 8601, e.g. "
                        "2021-06-01T12:00:00+07:00; without an offset, Viet Nam time). "
                        "Default: now. Not in the future.",
                    },
                },
            },
            "encoding": {FILE_FIELD: {"contentType": "application/pdf"}},
        }
    },
}


def _parse_at(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise NinjaValidationError(
            [
                invalid_field(
                    "form",
                    "at",
                    _("Enter a date and time in ISO 8601 form, e.g. 2025-05-01T08:30:00+07:00."),
                )
            ]
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise NinjaValidationError(
            [invalid_field("form", "at", _("The time of the check cannot be in the future."))]
        )
    return moment


def _refused(request: HttpRequest, error: VerificationError) -> Status[dict[str, Any]]:
    logger.info("Signature verification refused (%s) from %s", error.code, client_ip(request))
    status = 413 if error.code == "too_large" else 400
    return Status(status, {"detail": str(error), "code": error.code})


@router.post(
    "/verify",
    auth=None,
    response={
        200: ReportOut,
        400: RefusalOut,
        413: RefusalOut,
        422: VerifyInvalidOut,
        429: RetryOut,
    },
    summary="Check the electronic signatures of a PDF",
    openapi_extra={
        "requestBody": REQUEST_BODY,
        "responses": {
            200: {
                "description": "The report; a file without signatures is 200 too (signed: false)"
            },
            400: {
                "description": "The file cannot be checked: empty, not a PDF, cut off, encrypted, "
                "damaged, or a signature whose /ByteRange lies outside the file (`code`)"
            },
            413: {"description": "The file is larger than the limit (20 MB by default)"},
            422: {"description": "No `file` part, or `at` is not an ISO 8601 time in the past"},
            429: too_many_requests_doc(
                "Too many checks from this address (30 per 10 minutes by default, with the page), "
                "or the server is busy"
            ),
        },
    },
)
def verify(request: HttpRequest, response: HttpResponse) -> Status[dict[str, Any]]:
    """Validates every signature in the PDF with pyHanko, at the time given or now, against the
    trust roots of this installation. Nothing is fetched from the network: revocation is
    checked against what the file carries, else reported as ``unknown``. The verdicts are the
    ETSI EN 319 102-1 ones (valid = TOTAL-PASSED, invalid = TOTAL-FAILED, indeterminate),
    each signature with its sub-indication and the reasons in the caller's language."""
    response["Cache-Control"] = "no-store"
    limit = rate_limits.hit_ip(client_ip(request))
    if not limit.allowed:
        logger.info("Signature verification refused (rate limit) from %s", client_ip(request))
        return too_many_requests(response, limit.retry_after)
    handler = bound_uploads(request)
    try:
        upload = request.FILES.get(FILE_FIELD)
        at_value = str(request.POST.get("at", ""))
    except MultiPartParserError as error:
        message = _("The multipart/form-data body could not be read.")
        raise NinjaValidationError(
            [{"type": "value_error", "loc": ["form"], "msg": message}]
        ) from error
    if handler.too_large:
        return _refused(request, too_large())
    if upload is None:
        raise NinjaValidationError(
            [{"type": "missing", "loc": ["form", FILE_FIELD], "msg": "Field required"}]
        )
    at = _parse_at(at_value)
    try:
        with rate_limits.admission():
            report = verify_pdf(upload, at=at)
    except Overloaded as error:
        return too_many_requests(response, error.retry_after)
    except VerificationError as error:
        return _refused(request, error)
    return Status(200, report.as_dict())
