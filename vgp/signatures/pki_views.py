"""What the certification authority publishes over HTTP, for any validator: the CA
certificates, the CRLs, an OCSP responder (RFC 6960, POST and GET) and the RFC 3161 time-stamp
authority. No language prefix and no session: the addresses are written into certificates.
"""

from __future__ import annotations

import base64
import binascii
import logging

from asn1crypto import core, tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from vgp.core import rate_limits
from vgp.core.rate_limits import client_ip

from . import actions, authority, keystore, signing
from .models import CertificateAuthority, CertificateStatus, SigningCertificate

logger = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 16 * 1024


class _Rejection(core.Sequence):
    """A TimeStampResp without a token (asn1crypto's class insists on one)."""

    _fields = [("status", tsp.PKIStatusInfo)]


def _limited(request: HttpRequest) -> HttpResponse | None:
    per_minute = int(getattr(settings, "SIGNATURE_PKI_REQUESTS_PER_MINUTE", 600))
    limit = rate_limits.hit("signature_pki", client_ip(request) or "unknown", per_minute, 60)
    if limit.allowed:
        return None
    response = HttpResponse("Too many requests\n", status=429, content_type="text/plain")
    response["Retry-After"] = str(limit.retry_after)
    return response


def ca_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _limited(request)
    if refused:
        return refused
    ca = get_object_or_404(CertificateAuthority, pk=pk)
    response = HttpResponse(bytes(ca.certificate), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="ca-{ca.pk}.crt"'
    return response


def crl(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _limited(request)
    if refused:
        return refused
    ca = get_object_or_404(CertificateAuthority, pk=pk)
    der = actions.publish_crl(ca)
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Content-Disposition"] = f'attachment; filename="ca-{ca.pk}.crl"'
    response["Cache-Control"] = "public, max-age=600"
    return response


def _ocsp_answer(body: ocsp.OCSPResponse) -> HttpResponse:
    response = HttpResponse(
        body.public_bytes(serialization.Encoding.DER), content_type="application/ocsp-response"
    )
    response["Cache-Control"] = "no-cache"
    return response


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def ocsp_responder(request: HttpRequest, pk: int, encoded: str = "") -> HttpResponse:
    refused = _limited(request)
    if refused:
        return refused
    ca = get_object_or_404(CertificateAuthority, pk=pk)
    if request.method == "POST":
        raw = request.body[: MAX_REQUEST_BYTES + 1]
    else:
        try:
            raw = base64.b64decode(encoded.replace("%2F", "/").replace("%2B", "+"), validate=False)
        except (binascii.Error, ValueError):
            raw = b""
    if not raw or len(raw) > MAX_REQUEST_BYTES:
        return _ocsp_answer(
            ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        )
    try:
        request_obj = ocsp.load_der_ocsp_request(raw)
    except ValueError:
        return _ocsp_answer(
            ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        )
    issuer = x509.load_der_x509_certificate(bytes(ca.certificate))
    serial = format(request_obj.serial_number, "x")
    record = (
        SigningCertificate.objects.filter(issuer=ca, serial=serial)
        .only("certificate", "status", "status_changed_at", "revocation_reason")
        .first()
    )
    if record is None and ca.kind == "root":
        child = ca.children.filter(serial=serial).first()
        certificate = x509.load_der_x509_certificate(bytes(child.certificate)) if child else None
        revoked = None
    else:
        certificate = x509.load_der_x509_certificate(bytes(record.certificate)) if record else None
        revoked = None
        if record is not None and record.status != CertificateStatus.ACTIVE:
            revoked = authority.Revoked(
                serial=request_obj.serial_number,
                at=record.status_changed_at or timezone.now(),
                reason=record.revocation_reason,
                on_hold=record.status == CertificateStatus.SUSPENDED,
            )
    try:
        answer = authority.ocsp_response(
            request_obj,
            issuer=issuer,
            issuer_key=keystore.open_key(bytes(ca.private_key)),  # type: ignore[arg-type]
            certificate=certificate,
            revoked=revoked,
            now=timezone.now(),
        )
    except ValueError:
        # A hash algorithm the request names that we do not answer for.
        answer = ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.MALFORMED_REQUEST
        )
    return _ocsp_answer(answer)


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def tsa(request: HttpRequest) -> HttpResponse:
    """RFC 3161 over HTTP (§ 3.4): a DER TimeStampReq in, a TimeStampResp out."""
    refused = _limited(request)
    if refused:
        return refused
    raw = request.body[: MAX_REQUEST_BYTES + 1]
    if request.content_type != "application/timestamp-query" or len(raw) > MAX_REQUEST_BYTES:
        return HttpResponse(
            "Send a DER TimeStampReq as application/timestamp-query\n",
            status=400,
            content_type="text/plain",
        )
    try:
        req = tsp.TimeStampReq.load(raw)
        req.native  # noqa: B018  (parses it whole: a damaged request fails here)
        algorithm = req["message_imprint"]["hash_algorithm"]["algorithm"].native
        if algorithm not in ("sha256", "sha384", "sha512"):
            raise ValueError(algorithm)
    except (ValueError, TypeError, KeyError):
        answer = _Rejection(
            {
                "status": tsp.PKIStatusInfo(
                    {"status": "rejection", "fail_info": tsp.PKIFailureInfo({"bad_request"})}
                )
            }
        )
        return HttpResponse(answer.dump(), content_type="application/timestamp-reply")
    stamper = signing.timestamper()
    answer = stamper.request_tsa_response(req)
    logger.info("Time-stamp issued to %s", client_ip(request))
    return HttpResponse(answer.dump(), content_type="application/timestamp-reply")
