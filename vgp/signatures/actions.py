"""The only code that changes the certification authority and the signing certificates.

Each action checks the actor's permission, runs in one transaction, writes an audit record in
it and, where a certificate's status changes, publishes the issuing CA's new CRL in the same
transaction, so that the CRL and the OCSP answers never disagree with the database. ``actor``
``None`` is the system (a management command run by an operator).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.audit.trail import record

from . import authority, keystore
from .models import (
    AuthorityKind,
    CertificateAuthority,
    CertificateKind,
    CertificateSource,
    CertificateStatus,
    KeyAlgorithm,
    KeyStorage,
    RevocationReason,
    SigningCertificate,
)

PERM_CA = "signatures.add_certificateauthority"
PERM_ISSUE = "signatures.add_signingcertificate"
PERM_REVOKE = "signatures.revoke_signingcertificate"
PERM_CHANGE = "signatures.change_signingcertificate"

DEFAULT_DAYS = {
    CertificateKind.PERSONAL: 730,
    CertificateKind.SEAL: 1095,
    CertificateKind.TSA: 1825,
}
IMAGE_MAX_BYTES = 512 * 1024
IMAGE_MAX_SIDE = 2000
PKCS12_MAX_BYTES = 64 * 1024


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is not None:
        permissions.require(actor, perm, obj)


def _audit(action: str, actor: Any, obj: Any, summary: str, **changes: Any) -> None:
    record(
        action=f"signatures.{action}",
        actor=actor,
        obj=obj,
        summary=summary,
        changes=changes or None,
        agency_code=getattr(getattr(obj, "agency", None), "code", None),
    )


def _load(der: bytes | memoryview) -> x509.Certificate:
    return x509.load_der_x509_certificate(bytes(der))


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _serial(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


def _common_name(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(found[0].value) if found else name.rfc4514_string()


def _name(name: x509.Name) -> str:
    return authority.name_text(name)[:255]


def _issuer_key(ca: CertificateAuthority) -> Any:
    return keystore.open_key(bytes(ca.private_key))


# --- The certification authority -----------------------------------------------------------


@transaction.atomic
def create_authority(
    actor: Any,
    *,
    agency: Agency,
    root_name: str,
    issuing_name: str,
    algorithm: str = KeyAlgorithm.EC_P256,
) -> CertificateAuthority:
    """A new root, an issuing CA under it and the time-stamp authority's certificate. Earlier
    issuing CAs stop issuing (their certificates stay valid, their CRLs stay published)."""
    _require(actor, PERM_CA)
    root_name, issuing_name = root_name.strip(), issuing_name.strip()
    if not root_name or not issuing_name:
        raise ValidationError(_("Name the root and the issuing authority."))
    if algorithm not in KeyAlgorithm.values:
        raise ValidationError({"algorithm": _("Unknown key algorithm.")})
    now = timezone.now()
    organisation = agency.name_vi
    root_key = keystore.generate(algorithm)
    root_cert = authority.build_root(root_name, organisation, root_key, now)  # type: ignore[arg-type]
    root = _save_ca(AuthorityKind.ROOT, root_name, None, root_cert, root_key, algorithm, actor, now)
    issuing = create_issuing_authority(actor, root=root, name=issuing_name, algorithm=algorithm)
    _issue(
        actor,
        kind=CertificateKind.TSA,
        agency=agency,
        holder=None,
        ca=issuing,
        subject=authority.Subject(f"{organisation} TSA", organisation),
        algorithm=KeyAlgorithm.RSA_2048 if algorithm != KeyAlgorithm.EC_P256 else algorithm,
        days=DEFAULT_DAYS[CertificateKind.TSA],
    )
    _audit(
        "create_authority",
        actor,
        root,
        _("Certification authority %(name)s created.") % {"name": root_name},
        fingerprint=root.fingerprint,
    )
    publish_crl(root, force=True)
    return root


def _save_ca(
    kind: str,
    name: str,
    parent: CertificateAuthority | None,
    certificate: x509.Certificate,
    key: Any,
    algorithm: str,
    actor: Any,
    now: dt.datetime,
) -> CertificateAuthority:
    der = _der(certificate)
    return CertificateAuthority.objects.create(
        kind=kind,
        name=name[:64],
        parent=parent,
        certificate=der,
        private_key=keystore.seal(key),
        key_algorithm=algorithm,
        serial=_serial(certificate),
        fingerprint=authority.fingerprint(der),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def create_issuing_authority(
    actor: Any, *, root: CertificateAuthority, name: str, algorithm: str = KeyAlgorithm.EC_P256
) -> CertificateAuthority:
    _require(actor, PERM_CA)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the issuing authority.")})
    if algorithm not in KeyAlgorithm.values:
        raise ValidationError({"algorithm": _("Unknown key algorithm.")})
    root = CertificateAuthority.objects.select_for_update().get(pk=root.pk)
    if root.kind != AuthorityKind.ROOT or not root.active:
        raise ValidationError(_("Only an active root signs an issuing authority."))
    now = timezone.now()
    key = keystore.generate(algorithm)
    parent = _load(root.certificate)
    # The issuing CA belongs to the root's organisation (its O), not to the root's name.
    organisations = parent.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    certificate = authority.build_issuing(
        name,
        str(organisations[0].value) if organisations else root.name,
        key,
        parent_pk=root.pk,
        parent=parent,
        parent_key=_issuer_key(root),
        now=now,
    )
    CertificateAuthority.objects.filter(kind=AuthorityKind.ISSUING, active=True).update(
        active=False
    )
    issuing = _save_ca(AuthorityKind.ISSUING, name, root, certificate, key, algorithm, actor, now)
    _audit(
        "create_issuing_authority",
        actor,
        issuing,
        _("Issuing authority %(name)s created.") % {"name": name},
        fingerprint=issuing.fingerprint,
    )
    publish_crl(issuing, force=True)
    return issuing


def active_issuing() -> CertificateAuthority | None:
    return (
        CertificateAuthority.objects.filter(kind=AuthorityKind.ISSUING, active=True)
        .order_by("-created_at", "-id")
        .first()
    )


def _revoked_entries(ca: CertificateAuthority) -> list[authority.Revoked]:
    if ca.kind == AuthorityKind.ROOT:
        return []  # issuing authorities are retired (``active``), not revoked
    return [
        authority.Revoked(
            serial=int(serial, 16),
            at=at or timezone.now(),
            reason=reason,
            on_hold=status == CertificateStatus.SUSPENDED,
        )
        for serial, at, reason, status in ca.certificates.filter(
            status__in=[CertificateStatus.REVOKED, CertificateStatus.SUSPENDED]
        )
        .order_by("id")
        .values_list("serial", "status_changed_at", "revocation_reason", "status")
    ]


def publish_crl(ca: CertificateAuthority, *, force: bool = False) -> bytes:
    """The CA's current CRL, made again when a status changed (``force``) or when the published
    one is due; in the caller's transaction when there is one."""
    now = timezone.now()
    if (
        not force
        and ca.crl
        and ca.crl_next_update
        and now < ca.crl_next_update - dt.timedelta(hours=authority.CRL_HOURS / 2)
    ):
        return bytes(ca.crl)
    given = ca
    with transaction.atomic():
        ca = CertificateAuthority.objects.select_for_update().get(pk=ca.pk)
        if (
            not force
            and ca.crl
            and ca.crl_next_update
            and now < ca.crl_next_update - dt.timedelta(hours=authority.CRL_HOURS / 2)
        ):
            given.crl, given.crl_number, given.crl_next_update = (
                ca.crl,
                ca.crl_number,
                ca.crl_next_update,
            )
            return bytes(ca.crl)
        number = ca.crl_number + 1
        crl = authority.build_crl(
            issuer=_load(ca.certificate),
            issuer_key=_issuer_key(ca),
            number=number,
            revoked=_revoked_entries(ca),
            now=now,
        )
        der = crl.public_bytes(serialization.Encoding.DER)
        ca.crl_number = number
        ca.crl = der
        ca.crl_next_update = crl.next_update_utc
        ca.save(update_fields=["crl_number", "crl", "crl_next_update"])
        # A use of the CA's key: audited like the others (at most twice a day per CA, plus
        # one per change of status).
        record(
            action="signatures.publish_crl",
            actor=None,
            obj=ca,
            summary=f"CRL {number} of {ca.name} published.",
            changes={"crl_number": number, "revoked": len(crl)},
        )
        given.crl, given.crl_number, given.crl_next_update = der, number, ca.crl_next_update
        return der


# --- Certificates ---------------------------------------------------------------------------


def _subject_for(kind: str, agency: Agency, holder: Any) -> authority.Subject:
    if kind == CertificateKind.PERSONAL:
        name = holder.get_full_name() or holder.get_username()
        unit = getattr(holder, "unit", None)
        return authority.Subject(
            common_name=name,
            organisation=agency.name_vi,
            unit=unit.name_vi if unit is not None and unit.pk != agency.pk else "",
            email=holder.email or "",
            title=getattr(holder, "position", "") or "",
        )
    return authority.Subject(common_name=agency.name_vi, organisation=agency.name_vi)


def _issue(
    actor: Any,
    *,
    kind: str,
    agency: Agency,
    holder: Any,
    ca: CertificateAuthority,
    subject: authority.Subject,
    algorithm: str,
    days: int,
    renewal_of: SigningCertificate | None = None,
    on_token: bool = False,
) -> SigningCertificate:
    now = timezone.now()
    issuer_cert = _load(ca.certificate)
    key: Any = None
    token_label = ""
    if on_token:
        # The key is made on the hardware token and never leaves it; we certify its public key.
        from . import pkcs11

        token_label = f"vgp-{kind}-{uuid.uuid4().hex[:16]}"
        try:
            public_info = pkcs11.generate_key(key_label=token_label, algorithm=algorithm)
        except pkcs11.Pkcs11Error as error:
            raise ValidationError(
                _("The hardware token did not make the key: %(reason)s") % {"reason": error}
            ) from error
        public_key = serialization.load_der_public_key(public_info.dump())
    else:
        key = keystore.generate(algorithm)
        public_key = key.public_key()
    certificate = authority.build_end_entity(
        subject,
        public_key,
        kind,
        issuer_pk=ca.pk,
        issuer=issuer_cert,
        issuer_key=_issuer_key(ca),
        now=now,
        days=days,
    )
    der = _der(certificate)
    return SigningCertificate.objects.create(
        kind=kind,
        source=CertificateSource.ISSUED,
        holder=holder,
        agency=agency,
        issuer=ca,
        certificate=der,
        key_storage=KeyStorage.PKCS11 if on_token else KeyStorage.DATABASE,
        private_key=keystore.seal(key) if key is not None else b"",
        token_key_label=token_label,
        key_algorithm=algorithm,
        serial=_serial(certificate),
        fingerprint=authority.fingerprint(der),
        subject=_name(certificate.subject),
        issuer_name=_name(issuer_cert.subject),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        renewal_of=renewal_of,
        image=bytes(renewal_of.image) if renewal_of is not None else b"",
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def issue_certificate(
    actor: Any,
    *,
    kind: str,
    agency: Agency | None = None,
    holder: Any = None,
    algorithm: str = KeyAlgorithm.EC_P256,
    days: int | None = None,
    on_token: bool = False,
) -> SigningCertificate:
    """A personal certificate for ``holder`` (an official of an agency) or the seal of
    ``agency``, from the active issuing CA; with ``on_token``, its key is made on the
    configured PKCS#11 token instead of being stored (encrypted) here."""
    if kind == CertificateKind.PERSONAL:
        if holder is None or not holder.is_active or holder.agency_id is None:
            raise ValidationError(
                {"holder": _("Choose an active official who belongs to an organisation.")}
            )
        agency = holder.agency
    elif kind == CertificateKind.SEAL:
        if agency is None:
            raise ValidationError({"agency": _("Choose the organisation.")})
        holder = None
    else:
        raise ValidationError({"kind": _("Choose a personal certificate or a seal.")})
    assert agency is not None
    _require(actor, PERM_ISSUE, agency)
    if algorithm not in KeyAlgorithm.values:
        raise ValidationError({"algorithm": _("Unknown key algorithm.")})
    days = days or DEFAULT_DAYS[CertificateKind(kind)]
    if not 1 <= days <= 3650:
        raise ValidationError({"days": _("A certificate lasts from 1 day to 10 years.")})
    ca = active_issuing()
    if ca is None:
        raise ValidationError(
            _("There is no active issuing authority: create the certification authority first.")
        )
    certificate = _issue(
        actor,
        kind=kind,
        agency=agency,
        holder=holder,
        ca=ca,
        subject=_subject_for(kind, agency, holder),
        algorithm=algorithm,
        days=days,
        on_token=on_token,
    )
    _audit(
        "issue_certificate",
        actor,
        certificate,
        _("Certificate %(serial)s issued to %(subject)s.")
        % {"serial": certificate.serial, "subject": certificate.subject},
        kind=kind,
        fingerprint=certificate.fingerprint,
    )
    return certificate


@transaction.atomic
def renew(
    actor: Any, certificate: SigningCertificate, *, days: int | None = None
) -> SigningCertificate:
    """A new key and certificate for the same holder; the old one stays valid until it expires
    or is revoked (documents signed with it keep their proof)."""
    certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
    _require(actor, PERM_ISSUE, certificate)
    if certificate.source != CertificateSource.ISSUED or certificate.kind == CertificateKind.TSA:
        raise ValidationError(
            _("Only a certificate this authority issued to a person or a seal can be renewed.")
        )
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError(_("A revoked certificate cannot be renewed: issue a new one."))
    ca = active_issuing()
    if ca is None:
        raise ValidationError(_("There is no active issuing authority."))
    holder = certificate.holder
    if holder is not None and not holder.is_active:
        raise ValidationError(_("The holder's account is closed."))
    days = days or DEFAULT_DAYS[CertificateKind(certificate.kind)]
    new = _issue(
        actor,
        kind=certificate.kind,
        agency=certificate.agency,
        holder=holder,
        ca=ca,
        subject=_subject_for(certificate.kind, certificate.agency, holder),
        algorithm=certificate.key_algorithm,
        days=days,
        renewal_of=certificate,
        on_token=certificate.key_storage == KeyStorage.PKCS11,
    )
    _audit(
        "renew_certificate",
        actor,
        new,
        _("Certificate %(old)s renewed as %(new)s.")
        % {"old": certificate.serial, "new": new.serial},
        fingerprint=new.fingerprint,
    )
    return new


def _change_status(
    actor: Any,
    certificate: SigningCertificate,
    *,
    allowed_from: tuple[str, ...],
    status: str,
    reason: str,
    action: str,
    summary: str,
) -> SigningCertificate:
    certificate = (
        SigningCertificate.objects.select_for_update()
        .select_related("agency")
        .get(pk=certificate.pk)
    )
    own = (
        actor is not None
        and certificate.holder_id == getattr(actor, "pk", None)
        and status == CertificateStatus.SUSPENDED
    )
    if not own:
        _require(actor, PERM_REVOKE, certificate)
    if certificate.status not in allowed_from:
        raise ValidationError(
            _("This certificate is %(status)s: that change is not possible.")
            % {"status": certificate.get_status_display().lower()}
        )
    before = certificate.status
    certificate.status = status
    certificate.status_changed_at = timezone.now()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "status_changed_at", "revocation_reason"])
    if status == CertificateStatus.REVOKED and certificate.private_key:
        keystore.forget(bytes(certificate.private_key))
    _audit(
        action,
        actor,
        certificate,
        summary % {"serial": certificate.serial},
        status=[before, status],
        reason=reason,
    )
    if certificate.issuer_id is not None:
        assert certificate.issuer is not None
        publish_crl(certificate.issuer, force=True)
    return certificate


@transaction.atomic
def suspend(actor: Any, certificate: SigningCertificate) -> SigningCertificate:
    """Put on hold (the holder may do it for their own, e.g. while away); reversible."""
    return _change_status(
        actor,
        certificate,
        allowed_from=(CertificateStatus.ACTIVE,),
        status=CertificateStatus.SUSPENDED,
        reason="",
        action="suspend_certificate",
        summary=_("Certificate %(serial)s suspended."),
    )


@transaction.atomic
def reinstate(actor: Any, certificate: SigningCertificate) -> SigningCertificate:
    return _change_status(
        actor,
        certificate,
        allowed_from=(CertificateStatus.SUSPENDED,),
        status=CertificateStatus.ACTIVE,
        reason="",
        action="reinstate_certificate",
        summary=_("Certificate %(serial)s reinstated."),
    )


@transaction.atomic
def revoke(
    actor: Any, certificate: SigningCertificate, *, reason: str = RevocationReason.UNSPECIFIED
) -> SigningCertificate:
    """For good: the CRL and OCSP say so from now on; the key is never used again."""
    _require(actor, PERM_REVOKE, certificate)
    if reason not in RevocationReason.values:
        raise ValidationError({"reason": _("Choose the reason.")})
    return _change_status(
        actor,
        certificate,
        allowed_from=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
        status=CertificateStatus.REVOKED,
        reason=reason,
        action="revoke_certificate",
        summary=_("Certificate %(serial)s revoked."),
    )


def _check_image(data: bytes) -> bytes:
    if len(data) > IMAGE_MAX_BYTES:
        raise ValidationError({"image": _("The image is larger than 512 KB.")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValidationError({"image": _("Upload a PNG image (transparent background).")})
            if max(image.size) > IMAGE_MAX_SIDE or min(image.size) < 20:
                raise ValidationError(
                    {"image": _("The image must be between 20 and 2000 pixels on each side.")}
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError({"image": _("This file is not a readable PNG image.")}) from error
    return data


@transaction.atomic
def set_image(actor: Any, certificate: SigningCertificate, data: bytes) -> SigningCertificate:
    """The handwritten signature or the seal drawn in visible signatures."""
    certificate = (
        SigningCertificate.objects.select_for_update()
        .select_related("agency")
        .get(pk=certificate.pk)
    )
    if not (actor is not None and certificate.holder_id == getattr(actor, "pk", None)):
        _require(actor, PERM_CHANGE, certificate)
    certificate.image = _check_image(data) if data else b""
    certificate.save(update_fields=["image"])
    _audit(
        "set_signature_image",
        actor,
        certificate,
        _("Signature image of %(serial)s changed.") % {"serial": certificate.serial},
    )
    return certificate


# --- Certificates issued elsewhere ----------------------------------------------------------


def _pack_chain(certificates: list[x509.Certificate]) -> bytes:
    out = bytearray()
    for certificate in certificates:
        der = _der(certificate)
        out += len(der).to_bytes(4, "big") + der
    return bytes(out)


def unpack_chain(blob: bytes) -> list[bytes]:
    blob = bytes(blob)
    found, at = [], 0
    while at + 4 <= len(blob):
        size = int.from_bytes(blob[at : at + 4], "big")
        found.append(blob[at + 4 : at + 4 + size])
        at += 4 + size
    return found


def _validate_imported(certificate: x509.Certificate, chain: list[x509.Certificate]) -> None:
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    from .trust import trusted_roots

    context = ValidationContext(
        trust_roots=list(trusted_roots()),
        other_certs=[asn1_x509.Certificate.load(_der(c)) for c in chain],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(
        asn1_x509.Certificate.load(_der(certificate)), validation_context=context
    )
    try:
        asyncio.run(validator.async_validate_usage({"digital_signature"}))
    except PathBuildingError as error:
        raise ValidationError(
            {"file": _("The certificate does not chain to a trusted root of this installation.")}
        ) from error
    except PathValidationError as error:
        raise ValidationError(
            {"file": _("The certificate is not valid: %(reason)s") % {"reason": error}}
        ) from error
    except Exception as error:  # the validator's other refusals (usage, expiry)
        raise ValidationError(
            {"file": _("The certificate cannot sign: %(reason)s") % {"reason": error}}
        ) from error


@transaction.atomic
def import_pkcs12(actor: Any, *, holder: Any, data: bytes, password: str) -> SigningCertificate:
    """An official's certificate issued elsewhere (e.g. the Government's specialised CA),
    checked against the trust roots; its key is sealed with this installation's passphrase and
    the uploaded file is not kept."""
    if actor is None or holder is None or holder.pk != getattr(actor, "pk", None):
        _require(actor, PERM_ISSUE, holder)
    if holder is None or not holder.is_active or holder.agency_id is None:
        raise ValidationError(
            {"holder": _("Choose an active official who belongs to an organisation.")}
        )
    if not data or len(data) > PKCS12_MAX_BYTES:
        raise ValidationError({"file": _("Upload a PKCS#12 file (.p12 or .pfx) of at most 64 KB.")})
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as error:
        raise ValidationError(
            {"file": _("The file does not open: wrong password, or not a PKCS#12 file.")}
        ) from error
    if key is None or certificate is None:
        raise ValidationError(
            {"file": _("The file must hold the certificate and its private key.")}
        )
    try:
        algorithm = keystore.algorithm_of(key)
    except ValueError as error:
        raise ValidationError(
            {"file": _("Only ECDSA P-256 and RSA keys of 2048 bits or more are accepted.")}
        ) from error
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise ValidationError({"file": _("The private key does not belong to the certificate.")})
    now = timezone.now()
    if not certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc:
        raise ValidationError({"file": _("The certificate is not valid today.")})
    _validate_imported(certificate, list(extra or []))
    der = _der(certificate)
    if SigningCertificate.objects.filter(fingerprint=authority.fingerprint(der)).exists():
        raise ValidationError({"file": _("This certificate was already imported.")})
    imported = SigningCertificate.objects.create(
        kind=CertificateKind.PERSONAL,
        source=CertificateSource.IMPORTED,
        holder=holder,
        agency=holder.agency,
        issuer=None,
        certificate=der,
        chain=_pack_chain(list(extra or [])),
        private_key=keystore.seal(key),
        key_algorithm=algorithm,
        serial=_serial(certificate),
        fingerprint=authority.fingerprint(der),
        subject=_name(certificate.subject),
        issuer_name=_name(certificate.issuer),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(
        "import_certificate",
        actor,
        imported,
        _("Certificate of %(subject)s imported (issued by %(issuer)s).")
        % {
            "subject": _common_name(certificate.subject),
            "issuer": _common_name(certificate.issuer),
        },
        fingerprint=imported.fingerprint,
    )
    return imported


def current_certificate(holder: Any) -> SigningCertificate | None:
    """The official's newest usable personal certificate (without its key: ``signing`` loads
    that itself)."""
    now = timezone.now()
    return (
        SigningCertificate.objects.defer("private_key", "chain")
        .filter(
            holder=holder,
            kind=CertificateKind.PERSONAL,
            status=CertificateStatus.ACTIVE,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-not_after", "-id")
        .first()
    )


def _seals(agency: Agency | int) -> QuerySet[SigningCertificate]:
    now = timezone.now()
    return SigningCertificate.objects.filter(
        agency=agency,
        kind=CertificateKind.SEAL,
        status=CertificateStatus.ACTIVE,
        not_before__lte=now,
        not_after__gt=now,
    )


def has_seal(agency: Agency | int) -> bool:
    return _seals(agency).exists()


def current_seal(agency: Agency | int) -> SigningCertificate | None:
    """The organisation's newest usable seal certificate (without its key)."""
    return _seals(agency).defer("private_key", "chain").order_by("-not_after", "-id").first()


def settings_passphrase_configured() -> bool:
    return bool(getattr(settings, "SIGNATURE_KEY_PASSPHRASE", ""))
