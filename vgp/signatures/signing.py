"""PAdES signing with pyHanko: B-B, B-T (our time-stamp authority) and B-LT (validation data
embedded), with a visible appearance when asked (ADR 0016).

Every use of a key goes through :func:`sign_pdf`, which refuses a certificate that is not
active and valid now, refuses anyone but its holder for a personal certificate (and, for an
organisation's seal, anyone without ``signatures.use_seal`` in that organisation), and writes an
audit record of the signature. Keys stay loaded in the process (``keystore``): a signature with
ECDSA P-256 costs ~25 ms, with RSA-2048 about the same once the key is loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import io
import re
import threading
from collections.abc import Iterator
from typing import Any

from asn1crypto import cms as asn1_cms
from asn1crypto import crl as asn1_crl
from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from vgp.accounts import permissions
from vgp.audit.trail import record

from . import actions, authority, keystore
from .appearance import Appearance, stamp_style
from .models import (
    CertificateAuthority,
    CertificateKind,
    CertificateSource,
    CertificateStatus,
    KeyStorage,
    SigningCertificate,
)
from .trust import trusted_roots

# Appearance is defined in .appearance; callers know it as signing.Appearance.
__all__ = ["Appearance", "Level", "check_may_sign", "sign_pdf"]

PERM_SEAL = "signatures.use_seal"


class Level(enum.StrEnum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's signer with the key parsed once (its own parses it again on every
    signature, which costs RSA keys ~60 ms in OpenSSL 3's checks)."""

    def __init__(self, key: Any, **kwargs: Any) -> None:
        info = keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        super().__init__(signing_key=info, **kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        name = mechanism["algorithm"].native
        algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(algorithm))
        if isinstance(self._key, rsa.RSAPrivateKey) and name in (
            "rsassa_pkcs1v15",
            "sha256_rsa",
            "sha384_rsa",
            "sha512_rsa",
        ):
            return self._key.sign(data, padding.PKCS1v15(), algorithm)
        return super().sign_raw(data, digest_algorithm)

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        return self.sign_raw(data, digest_algorithm)


_lock = threading.Lock()
_signers: dict[tuple[int, str], signers.Signer] = {}
_stampers: dict[int, authority.AgencyTimeStamper] = {}
_crls: dict[tuple[int, int], asn1_crl.CertificateList] = {}
# Hex digits reserved for a signature's CMS, per (certificate, level, time-stamp authority).
_reserved: dict[tuple[str, str, str], int] = {}


def _asn1(der: bytes | memoryview) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(bytes(der))


def chain_of(certificate: SigningCertificate) -> list[asn1_x509.Certificate]:
    """The certificates above ``certificate`` (without it), root last."""
    if certificate.source == CertificateSource.IMPORTED:
        return [_asn1(der) for der in actions.unpack_chain(bytes(certificate.chain))]
    found: list[asn1_x509.Certificate] = []
    ca: CertificateAuthority | None = certificate.issuer
    while ca is not None:
        found.append(_asn1(ca.certificate))
        ca = ca.parent
    return found


def _signer(certificate: SigningCertificate) -> signers.Signer:
    cache_key = (certificate.pk, certificate.fingerprint)
    with _lock:
        found = _signers.get(cache_key)
    if found is not None:
        return found
    signer = _LoadedKeySigner(
        keystore.open_key(bytes(certificate.private_key)),
        signing_cert=_asn1(certificate.certificate),
        cert_registry=SimpleCertificateStore.from_certs(chain_of(certificate)),
    )
    with _lock:
        _signers[cache_key] = signer
    return signer


def current_tsa() -> SigningCertificate | None:
    now = timezone.now()
    return (
        SigningCertificate.objects.select_related("issuer__parent")
        .filter(
            kind=CertificateKind.TSA,
            status=CertificateStatus.ACTIVE,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-not_after", "-id")
        .first()
    )


def timestamper(tsa: SigningCertificate | None = None) -> authority.AgencyTimeStamper:
    """Our time-stamp authority, in this process (B-T signing does not go through HTTP)."""
    tsa = tsa or current_tsa()
    if tsa is None:
        raise ValidationError(
            _("There is no time-stamp authority: create the certification authority first.")
        )
    with _lock:
        found = _stampers.get(tsa.pk)
    if found is not None:
        return found
    stamper = authority.AgencyTimeStamper(
        _asn1(tsa.certificate), keystore.open_key(bytes(tsa.private_key)), chain_of(tsa)
    )
    with _lock:
        _stampers[tsa.pk] = stamper
    return stamper


def _crl(ca: CertificateAuthority) -> asn1_crl.CertificateList:
    der = actions.publish_crl(ca)
    ca.refresh_from_db(fields=["crl_number"])
    key = (ca.pk, ca.crl_number)
    with _lock:
        found = _crls.get(key)
    if found is None:
        found = asn1_crl.CertificateList.load(der)
        with _lock:
            _crls[key] = found
    return found


def validation_context(
    certificate: SigningCertificate, tsa: SigningCertificate | None
) -> ValidationContext:
    """What B-LT embeds: our CAs' current CRLs (no fetching; ours are in the database)."""
    authorities: dict[int, CertificateAuthority] = {}
    for holder in (certificate, tsa):
        ca = holder.issuer if holder is not None else None
        while ca is not None:
            authorities[ca.pk] = ca
            ca = ca.parent
    others = chain_of(certificate) + (chain_of(tsa) if tsa is not None else [])
    ours = certificate.source == CertificateSource.ISSUED
    return ValidationContext(
        trust_roots=list(trusted_roots()),
        other_certs=others,
        crls=[_crl(ca) for ca in authorities.values()],
        allow_fetching=False,
        revocation_mode="hard-fail" if ours else "soft-fail",
    )


def _page_size(writer: IncrementalPdfFileWriter, page: int) -> tuple[int, tuple[float, float]]:
    count = int(writer.root["/Pages"]["/Count"])
    index = page if page >= 0 else count + page
    if not 0 <= index < count:
        raise ValidationError(_("The PDF has no page %(n)d.") % {"n": page + 1})
    node = writer.root["/Pages"]
    ref, _path = writer.find_page_for_modification(index)
    node = ref.get_object()
    while node is not None and "/MediaBox" not in node:
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    box = node["/MediaBox"] if node is not None else [0, 0, 595, 842]
    return index, (float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))


def check_may_sign(
    actor: Any, certificate: SigningCertificate, *, at: dt.datetime | None = None
) -> None:
    """Refuse, with the reason in the user's language, a signature ``actor`` may not make."""
    if certificate.kind == CertificateKind.TSA:
        raise PermissionDenied(_("The time-stamp authority's key signs only time-stamps."))
    if certificate.kind == CertificateKind.PERSONAL:
        if actor is None or certificate.holder_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("Only the holder of a personal certificate may sign with it."))
        if not actor.is_active:
            raise PermissionDenied(_("This account is closed."))
    elif actor is not None and not permissions.can(actor, PERM_SEAL, certificate):
        raise PermissionDenied(_("You may not sign with this organisation's seal."))
    now = at or timezone.now()
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(_("This certificate was revoked: it can no longer sign."))
    if certificate.status == CertificateStatus.SUSPENDED:
        raise ValidationError(_("This certificate is suspended: it cannot sign until reinstated."))
    if now < certificate.not_before:
        raise ValidationError(_("This certificate is not valid yet."))
    if now >= certificate.not_after:
        raise ValidationError(_("This certificate has expired: ask for a renewal."))
    ca = certificate.issuer
    while ca is not None:
        if now >= ca.not_after:
            raise ValidationError(_("The authority that issued this certificate has expired."))
        ca = ca.parent


def sign_pdf(
    actor: Any,
    data: bytes,
    *,
    certificate: SigningCertificate,
    level: Level | str = Level.B_T,
    appearance: Appearance | None = None,
    field_name: str | None = None,
    reason: str = "",
    location: str = "",
    purpose: str = "",
) -> bytes:
    """``data`` signed once more (an incremental update: earlier signatures stay valid)."""
    level = Level(level)
    certificate = SigningCertificate.objects.select_related("issuer__parent", "agency").get(
        pk=certificate.pk
    )
    check_may_sign(actor, certificate)
    tsa = current_tsa() if level != Level.B_B else None
    if level != Level.B_B and tsa is None:
        raise ValidationError(
            _("There is no time-stamp authority: sign at level B-B, or create one.")
        )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        if writer.prev.encrypted:
            raise ValidationError(_("An encrypted PDF cannot be signed: send it unprotected."))
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(_("This file is not a PDF that can be signed.")) from error
    existing = {name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)}
    name = field_name or f"Signature{len(existing) + 1}"
    while name in existing:
        name += "_"
    new_field = None
    style = None
    if appearance is not None:
        index, (width, height) = _page_size(writer, appearance.page)
        x1, y1, x2, y2 = appearance.box
        if max(appearance.box) <= 1:
            x1, x2, y1, y2 = x1 * width, x2 * width, y1 * height, y2 * height
        box = (int(x1), int(y1), int(x2), int(y2))
        new_field = fields.SigFieldSpec(sig_field_name=name, on_page=index, box=box)
        style = stamp_style(appearance, box[2] - box[0], box[3] - box[1])
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=level == Level.B_LT,
        validation_context=validation_context(certificate, tsa) if level == Level.B_LT else None,
    )
    reserve_key = (
        certificate.fingerprint,
        str(level),
        tsa.fingerprint if tsa is not None else "",
    )
    with _lock:
        reserved = _reserved.get(reserve_key) if level != Level.B_LT else None
    try:
        with _signer_for(certificate) as signer:
            try:
                signed = _sign(writer, meta, signer, tsa, style, new_field, reserved)
            except SigningError as error:
                if reserved is None or "larger than expected" not in str(error):
                    raise
                # The reservation cached for this key was too small (a bigger time-stamp):
                # start again from the original bytes and let pyHanko estimate.
                with _lock:
                    _reserved.pop(reserve_key, None)
                writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
                reserved = None
                signed = _sign(writer, meta, signer, tsa, style, new_field, None)
    except SigningError as error:
        raise ValidationError(
            _("The signature could not be made: %(reason)s") % {"reason": error}
        ) from error
    except PdfError as error:
        raise ValidationError(_("This file is not a PDF that can be signed.")) from error
    if reserved is None and level != Level.B_LT:
        size = _signature_size(signed)
        if size:
            with _lock:
                _reserved[reserve_key] = size
    _audit_use(actor, certificate, signed, level=level, field=name, purpose=purpose)
    return signed


def _sign(
    writer: IncrementalPdfFileWriter,
    meta: signers.PdfSignatureMetadata,
    signer: signers.Signer,
    tsa: SigningCertificate | None,
    style: StaticStampStyle | None,
    new_field: fields.SigFieldSpec | None,
    reserved: int | None,
) -> bytes:
    output = io.BytesIO()
    signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper(tsa) if tsa is not None else None,
        stamp_style=style,
        new_field_spec=new_field,
    ).sign_pdf(writer, output=output, bytes_reserved=reserved)
    return output.getvalue()


# Bytes of DER reserved above the measured size of a key's signature at a level: ECDSA values
# vary by a byte or two, time-stamp tokens by a few (serial, fraction of a second).
MARGIN = 256
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _signature_size(signed: bytes) -> int | None:
    """Hex digits to reserve for the next signature like the newest one in ``signed``.

    Without a reservation pyHanko makes a trial signature (and, at B-T, a trial time-stamp)
    only to measure its size — about 40 % of the cost of a signature. The size of a key's
    CMS at a level changes by a few bytes from one signature to the next (ECDSA values,
    time-stamp serials), so the measured size plus ``MARGIN`` bytes is reserved from then on
    (every reserved byte is two hex digits that each verification of the file reads one by
    one: the tighter, the faster the file verifies).
    """
    found = _BYTE_RANGE.match(signed, max(0, signed.rfind(b"/ByteRange")))
    if found is None:
        return None
    start, end = int(found.group(2)) + 1, int(found.group(3)) - 1
    try:
        raw = bytes.fromhex(signed[start:end].decode("ascii"))
        length = len(asn1_cms.ContentInfo.load(raw, strict=False).dump())
    except (ValueError, TypeError):
        return None
    return 2 * (length + MARGIN)


@contextlib.contextmanager
def _signer_for(certificate: SigningCertificate) -> Iterator[signers.Signer]:
    """The loaded key's signer, or a session on the hardware token holding the key."""
    if certificate.key_storage != KeyStorage.PKCS11:
        yield _signer(certificate)
        return
    from . import pkcs11

    try:
        with pkcs11.open_signer(
            key_label=certificate.token_key_label,
            certificate=_asn1(certificate.certificate),
            other_certs=chain_of(certificate),
        ) as signer:
            yield signer
    except pkcs11.Pkcs11Error as error:
        raise ValidationError(
            _("The hardware token did not sign: %(reason)s") % {"reason": error}
        ) from error


@transaction.atomic
def _audit_use(
    actor: Any,
    certificate: SigningCertificate,
    signed: bytes,
    *,
    level: str,
    field: str,
    purpose: str,
) -> None:
    now = timezone.now()
    SigningCertificate.objects.filter(pk=certificate.pk).update(last_used_at=now)
    record(
        action="signatures.sign",
        actor=actor,
        obj=certificate,
        summary=(purpose or _("A PDF signed."))[:300],
        changes={
            "level": level,
            "field": field,
            "certificate": certificate.fingerprint,
            "sha256": hashlib.sha256(signed).hexdigest(),
        },
        agency_code=certificate.agency.code,
    )


def forget_cached() -> None:
    """Drop loaded signers and time-stampers (tests; a certificate revoked)."""
    with _lock:
        _signers.clear()
        _stampers.clear()
        _crls.clear()
        _reserved.clear()
