"""What the certification authority makes: certificates, CRLs, OCSP answers and time-stamps.

Certificates, CRLs and OCSP answers are built with ``cryptography`` (X.509 and RFC 6960
builders; no ASN.1 by hand); time-stamp tokens (RFC 3161) with pyHanko's time-stamper, whose
signing step uses our key already loaded. Every certificate names where its CRL, its OCSP
responder and its issuer's certificate are published (``/pki/...`` under
``SIGNATURE_PKI_BASE_URL``), so that any validator — Adobe, DSS, pdfsig, ours — can find them.
Nothing here stores anything: ``actions.py`` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, cms, core, keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.urls import reverse
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from .models import CertificateKind, RevocationReason

ROOT_YEARS = 20
ISSUING_YEARS = 10
CRL_HOURS = 24
OCSP_HOURS = 4

_REASON_FLAGS = {
    RevocationReason.UNSPECIFIED: x509.ReasonFlags.unspecified,
    RevocationReason.KEY_COMPROMISE: x509.ReasonFlags.key_compromise,
    RevocationReason.AFFILIATION_CHANGED: x509.ReasonFlags.affiliation_changed,
    RevocationReason.SUPERSEDED: x509.ReasonFlags.superseded,
    RevocationReason.CESSATION_OF_OPERATION: x509.ReasonFlags.cessation_of_operation,
}


# Short names for the attributes RFC 4514 leaves as dotted numbers, as people read them.
NAME_LABELS = {NameOID.TITLE: "T", NameOID.EMAIL_ADDRESS: "E"}
NAME_PARSING = {label: oid for oid, label in NAME_LABELS.items()}


def name_text(name: x509.Name) -> str:
    """``name`` in RFC 4514 (``CN=…,T=…,O=…,C=VN``), readable by :func:`parse_name`."""
    return name.rfc4514_string(NAME_LABELS)


def parse_name(text: str) -> x509.Name:
    return x509.Name.from_rfc4514_string(text, NAME_PARSING)


def base_url() -> str:
    return str(settings.SIGNATURE_PKI_BASE_URL).rstrip("/")


def ca_certificate_url(ca_pk: int) -> str:
    return base_url() + reverse("pki:ca", args=[ca_pk])


def crl_url(ca_pk: int) -> str:
    return base_url() + reverse("pki:crl", args=[ca_pk])


def ocsp_url(ca_pk: int) -> str:
    return base_url() + reverse("pki:ocsp", args=[ca_pk])


def tsa_url() -> str:
    return base_url() + reverse("pki:tsa")


def _hash_for(key: PrivateKeyTypes) -> hashes.SHA256:
    return hashes.SHA256()


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _name(
    common_name: str,
    *,
    organisation: str = "",
    unit: str = "",
    title: str = "",
    country: bool = True,
) -> x509.Name:
    """C, O, OU, T, then CN: the most specific last, so that it reads first in RFC 4514
    (``CN=Trần Văn Minh,T=Phó Chủ nhiệm,O=…,C=VN``)."""
    parts = []
    if country:
        parts.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    if title:
        parts.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(parts)


def _ski(public_key: object) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(public_key)  # type: ignore[arg-type]


def build_root(
    name: str, organisation: str, key: CertificateIssuerPrivateKeyTypes, now: dt.datetime
) -> x509.Certificate:
    subject = _name(name, organisation=organisation)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(_ski(key.public_key()), critical=False)
        .sign(key, _hash_for(key))
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _issued_by(parent_pk: int, parent: x509.Certificate) -> list[tuple[x509.ExtensionType, bool]]:
    return [
        (
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                parent.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            False,
        ),
        (
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url(parent_pk))],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            False,
        ),
        (
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(ocsp_url(parent_pk)),
                    ),
                    x509.AccessDescription(
                        x509.AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(ca_certificate_url(parent_pk)),
                    ),
                ]
            ),
            False,
        ),
    ]


def build_issuing(
    name: str,
    organisation: str,
    key: PrivateKeyTypes,
    *,
    parent_pk: int,
    parent: x509.Certificate,
    parent_key: CertificateIssuerPrivateKeyTypes,
    now: dt.datetime,
) -> x509.Certificate:
    not_after = min(now + dt.timedelta(days=365 * ISSUING_YEARS), parent.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name, organisation=organisation))
        .issuer_name(parent.subject)
        .public_key(key.public_key())  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(_ski(key.public_key()), critical=False)
    )
    for extension, critical in _issued_by(parent_pk, parent):
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(parent_key, _hash_for(parent_key))


@dataclass(frozen=True)
class Subject:
    common_name: str
    organisation: str
    unit: str = ""
    email: str = ""
    title: str = ""


def build_end_entity(
    subject: Subject,
    public_key: object,
    kind: str,
    *,
    issuer_pk: int,
    issuer: x509.Certificate,
    issuer_key: CertificateIssuerPrivateKeyTypes,
    now: dt.datetime,
    days: int,
) -> x509.Certificate:
    """A signing certificate: non-repudiation (content commitment) for officials and seals,
    the critical time-stamping purpose for the TSA (RFC 3161 § 2.3)."""
    name = _name(
        subject.common_name,
        organisation=subject.organisation,
        unit=subject.unit,
        title=subject.title,
    )
    not_after = min(now + dt.timedelta(days=days), issuer.not_valid_after_utc)
    tsa = kind == CertificateKind.TSA
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(_ski(public_key), critical=False)
    )
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    else:
        # Document signing (RFC 9336) and e-mail protection, which NSS (pdfsig, Firefox)
        # expects of a signer; non-critical, so other validators may ignore it.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")]
            ),
            critical=False,
        )
    if subject.email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(subject.email)]), critical=False
        )
    for extension, critical in _issued_by(issuer_pk, issuer):
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, _hash_for(issuer_key))


@dataclass(frozen=True)
class Revoked:
    serial: int
    at: dt.datetime
    reason: str
    on_hold: bool


def build_crl(
    *,
    issuer: x509.Certificate,
    issuer_key: CertificateIssuerPrivateKeyTypes,
    number: int,
    revoked: list[Revoked],
    now: dt.datetime,
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now)
        .next_update(now + dt.timedelta(hours=CRL_HOURS))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
    )
    for entry in revoked:
        reason = (
            x509.ReasonFlags.certificate_hold
            if entry.on_hold
            else _REASON_FLAGS.get(
                RevocationReason(entry.reason or RevocationReason.UNSPECIFIED),
                x509.ReasonFlags.unspecified,
            )
        )
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial)
            .revocation_date(entry.at)
            .add_extension(x509.CRLReason(reason), critical=False)
            .build()
        )
    return builder.sign(issuer_key, _hash_for(issuer_key))


def ocsp_response(
    request: ocsp.OCSPRequest,
    *,
    issuer: x509.Certificate,
    issuer_key: CertificateIssuerPrivateKeyTypes,
    certificate: x509.Certificate | None,
    revoked: Revoked | None,
    now: dt.datetime,
) -> ocsp.OCSPResponse:
    """The issuing CA answers for its own certificates (RFC 6960 § 4.2.2.2: the CA itself is
    an authorised responder). An unknown serial gets ``unauthorized`` (we never say "good" of a
    certificate we did not issue)."""
    if certificate is None:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    if revoked is None:
        status, at, reason = ocsp.OCSPCertStatus.GOOD, None, None
    else:
        status = ocsp.OCSPCertStatus.REVOKED
        at = revoked.at
        reason = (
            x509.ReasonFlags.certificate_hold
            if revoked.on_hold
            else _REASON_FLAGS.get(
                RevocationReason(revoked.reason or RevocationReason.UNSPECIFIED),
                x509.ReasonFlags.unspecified,
            )
        )
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response(
            cert=certificate,
            issuer=issuer,
            algorithm=request.hash_algorithm,
            cert_status=status,
            this_update=now,
            next_update=now + dt.timedelta(hours=OCSP_HOURS),
            revocation_time=at,
            revocation_reason=reason,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    )
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


class AgencyTimeStamper(DummyTimeStamper):
    """The internal RFC 3161 time-stamp authority: pyHanko's time-stamper, signing with our
    TSA key already loaded (RSA or ECDSA) under the policy ``SIGNATURE_TSA_POLICY_OID``."""

    def __init__(
        self,
        tsa_cert: asn1_x509.Certificate,
        tsa_key: PrivateKeyTypes,
        certs_to_embed: list[asn1_x509.Certificate],
    ) -> None:
        # pyHanko's class keeps the key as asn1crypto only to re-parse it on each token.
        key_info = keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        super().__init__(tsa_cert, key_info, certs_to_embed=certs_to_embed)  # type: ignore[arg-type]
        self._key = tsa_key

    def _build_tst_info(
        self, message_imprint: tsp.MessageImprint, dt: dt.datetime, req: tsp.TimeStampReq
    ) -> tsp.TSTInfo:
        info = super()._build_tst_info(message_imprint, dt, req)
        info["policy"] = tsp.ObjectIdentifier(settings.SIGNATURE_TSA_POLICY_OID)
        info["accuracy"] = tsp.Accuracy({"seconds": 1})
        return info

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: dt.datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute(
                    "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        algorithm = get_pyca_cryptography_hash(md_algorithm.upper())
        if isinstance(self._key, rsa.RSAPrivateKey):
            signature = self._key.sign(signed_attrs.dump(), padding.PKCS1v15(), algorithm)
        elif isinstance(self._key, ec.EllipticCurvePrivateKey):
            signature = self._key.sign(signed_attrs.dump(), ec.ECDSA(algorithm))
        else:  # pragma: no cover - the keystore makes only RSA and EC keys
            raise TypeError("the TSA key must be RSA or ECDSA")
        return signature, signed_attrs

    def _build_signed_data(
        self,
        tst_info_data: bytes,
        md_algorithm: str,
        signature: bytes,
        signed_attrs: cms.CMSAttributes,
    ) -> dict[str, Any]:
        data = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            data["signer_infos"][0]["signature_algorithm"] = algos.SignedDigestAlgorithm(
                {"algorithm": f"{md_algorithm}_ecdsa"}
            )
        return data
