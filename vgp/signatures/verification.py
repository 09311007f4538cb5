"""Verification of the electronic signatures in a PDF, with pyHanko (ADR 0015).

``verify_pdf(data, at=None)`` answers, for the file as a whole and for each signature in it,
with one of the three ETSI EN 319 102-1 verdicts — ``valid`` (TOTAL-PASSED), ``invalid``
(TOTAL-FAILED), ``indeterminate`` — the ETSI sub-indication, and the facts behind it: signer,
certificate chain and whether it ends at a trusted root, claimed signing time, time-stamp,
integrity, what changed after signing and whether that was allowed, revocation.

How pyHanko's results become verdicts (each step the first that applies):

1. the signed bytes' digest differs → invalid, ``HASH_FAILURE``; the signature value does not
   verify with the certificate's key → invalid, ``SIG_CRYPTO_FAILURE``;
2. the byte range does not cover the whole revision it signs, or the document was changed
   after signing in a way its DocMDP/FieldMDP rules (or pyHanko's diff policy, for changes
   that are neither form filling, annotations nor validation data) do not allow → invalid,
   ``FORMAT_FAILURE`` (EU DSS checks these in its format-checking block);
3. the certificate chain's problem as pyHanko reports it (``trust_problem_indic``, already an
   ETSI sub-indication): ``NO_CERTIFICATE_CHAIN_FOUND``, ``OUT_OF_BOUNDS_NO_POE`` … When the
   problem is one that a proof of existence can lift (an expired or revoked certificate, an
   algorithm broken since) and the signature carries a time-stamp from a trusted TSA, pyHanko's
   long-term validation (``ades_lta_validation``, EN 319 102-1 § 5.6.3) decides with the
   time-stamp as proof. A revoked certificate with no proof that the signature came first is
   ``REVOKED`` (FAILED), as § 5.5 says when the best signature time is after the revocation;
4. seed-value constraints of the signature field not met → indeterminate,
   ``SIG_CONSTRAINTS_FAILURE``;
5. otherwise valid.

The file's overall verdict is ``invalid`` if any signature is, else ``indeterminate`` if any
is, else ``valid``. A file without any signature is ``indeterminate`` with the report's
``signed`` false and the reason ``NO_SIGNATURE``.

Nothing is fetched: the validation context has no fetchers (``allow_fetching=False``,
pyHanko's ``LOCAL_ONLY`` and ``NEVER_FETCH`` for the long-term validation). Revocation is
checked against what the file carries (its DSS, the signature's revocation archive attribute
and CMS CRLs) in soft-fail mode; the report says ``good`` only when such data covered the
signer's certificate, ``unknown`` otherwise. Nothing in the file is rendered or run: pyHanko
reads the PDF's structure and the CMS objects, nothing else.

A file that is not a PDF, is empty, cut off, larger than ``SIGNATURE_VERIFY_MAX_BYTES``,
encrypted, or has a signature whose ``/ByteRange`` points outside the file or overlaps itself,
raises :class:`VerificationError` with a translatable message and a code.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import enum
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from asn1crypto import crl, ocsp, x509
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESStatus, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
from pyhanko.sign.general import (
    MultivaluedAttributeError,
    NonexistentAttributeError,
    find_unique_cms_attribute,
)
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    ades,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from vgp.core import uploads

from . import explanations
from .trust import trusted_roots

logger = logging.getLogger("vgp.signatures")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Problems of the chain that a proof of existence (a trusted time-stamp) may lift.
_POE_CAN_LIFT = frozenset(
    {
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
        AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
    }
)
# Errors pyHanko and asn1crypto raise on damaged or hostile input.
_READ_ERRORS: tuple[type[Exception], ...] = (
    misc.PdfError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
    EOFError,
    OSError,
    NotImplementedError,
    AssertionError,
)
_LONG_TERM_ERRORS: tuple[type[Exception], ...] = (SignatureValidationError, *_READ_ERRORS)

SUB_FILTER_TYPES = {
    "ETSI.CAdES.detached": "PAdES",
    "adbe.pkcs7.detached": "adbe.pkcs7.detached",
    "adbe.pkcs7.sha1": "adbe.pkcs7.sha1",
    "ETSI.RFC3161": "ETSI.RFC3161",
}
_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "partial",
    SignatureCoverageLevel.UNCLEAR: "unclear",
}
_MODIFICATIONS = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "lta_updates",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}
_CERTIFICATION = {
    MDPPerm.NO_CHANGES: "no_changes",
    MDPPerm.FILL_FORMS: "form_filling",
    MDPPerm.ANNOTATE: "annotations",
}


class Verdict(enum.StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"

    @property
    def label(self) -> Promise:
        return explanations.VERDICT_TITLES[self.value]

    @property
    def summary(self) -> Promise:
        return explanations.VERDICT_SUMMARIES[self.value]


_VERDICT_OF_STATUS = {
    AdESStatus.PASSED: Verdict.VALID,
    AdESStatus.FAILED: Verdict.INVALID,
    AdESStatus.INDETERMINATE: Verdict.INDETERMINATE,
}


class VerificationError(Exception):
    """The file cannot be checked at all. ``code``: ``empty``, ``too_large``, ``not_pdf``,
    ``truncated``, ``encrypted``, ``byte_range``, ``damaged``."""

    def __init__(self, code: str, message: Promise, **params: Any) -> None:
        self.code = code
        self.message = message
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Reason:
    """One reason, by its code and in words of the active language when read."""

    code: str
    message: Promise
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    organization: str
    issuer: str
    serial_number: str
    not_before: dt.datetime
    not_after: dt.datetime
    trusted_root: bool  # a root certificate of SIGNATURE_TRUST_ROOTS

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "common_name": self.common_name,
            "organization": self.organization,
            "issuer": self.issuer,
            "serial_number": self.serial_number,
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "trusted_root": self.trusted_root,
        }


@dataclass(frozen=True)
class TimestampInfo:
    authority: str  # the TSA's name (common name, else its subject)
    time: dt.datetime
    intact: bool  # the token's signature and imprint are right
    trusted: bool  # …and the TSA's chain ends at a trusted root

    def as_dict(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "time": _iso(self.time),
            "intact": self.intact,
            "trusted": self.trusted,
        }


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    kind: str  # "signature" | "document_timestamp"
    sub_filter: str
    verdict: Verdict
    sub_indication: str | None  # the ETSI name; None when valid
    reasons: list[Reason]
    signer_name: str = ""
    signer_organization: str = ""
    certificates: list[CertificateInfo] = field(default_factory=list)  # signer first
    chains_to_trusted_root: bool = False
    claimed_signing_time: dt.datetime | None = None
    timestamp: TimestampInfo | None = None
    intact: bool | None = None  # None: could not be computed
    coverage: str | None = None  # entire_file | entire_revision | partial | unclear
    modifications: str | None = None  # none | lta_updates | form_filling | annotations | other
    modifications_allowed: bool | None = None
    certification: str | None = None  # a certifying signature's DocMDP: what it allows
    revocation: str = "unknown"  # good | revoked | unknown
    revocation_date: dt.datetime | None = None
    proof_of_existence: dt.datetime | None = None  # the time a trusted time-stamp proves

    @property
    def signature_type(self) -> str:
        return SUB_FILTER_TYPES.get(self.sub_filter, self.sub_filter)

    @property
    def sub_indication_text(self) -> str:
        return str(explanations.sub_indication_text(self.sub_indication))

    def as_dict(self) -> dict[str, Any]:
        return {
            "field_name": self.field_name,
            "kind": self.kind,
            "type": self.signature_type,
            "sub_filter": self.sub_filter,
            "verdict": self.verdict.value,
            "sub_indication": self.sub_indication,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "signer": {"name": self.signer_name, "organization": self.signer_organization},
            "certificates": [certificate.as_dict() for certificate in self.certificates],
            "chains_to_trusted_root": self.chains_to_trusted_root,
            "claimed_signing_time": _iso(self.claimed_signing_time),
            "timestamp": self.timestamp.as_dict() if self.timestamp else None,
            "intact": self.intact,
            "coverage": self.coverage,
            "modifications": self.modifications,
            "modifications_allowed": self.modifications_allowed,
            "certification": self.certification,
            "revocation": self.revocation,
            "revocation_date": _iso(self.revocation_date),
            "proof_of_existence": _iso(self.proof_of_existence),
        }


@dataclass(frozen=True)
class Report:
    verdict: Verdict
    validation_time: dt.datetime
    signatures: list[SignatureReport]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "signed": self.signed,
            "validation_time": _iso(self.validation_time),
            "reasons": [reason.as_dict() for reason in self.reasons],
            "signatures": [signature.as_dict() for signature in self.signatures],
        }


def _iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in the site's time zone (+07:00): the offset says it, the reader need not."""
    return timezone.localtime(moment).isoformat() if moment is not None else None


def overall_verdict(verdicts: Iterable[Verdict]) -> Verdict:
    found = set(verdicts)
    if Verdict.INVALID in found:
        return Verdict.INVALID
    if Verdict.INDETERMINATE in found or not found:
        return Verdict.INDETERMINATE
    return Verdict.VALID


# --- reading the file ---------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "SIGNATURE_VERIFY_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large(limit: int | None = None) -> VerificationError:
    limit = max_bytes() if limit is None else limit
    return VerificationError(
        "too_large",
        _("The file is larger than %(limit)s, the most this service checks."),
        limit=uploads.format_size(limit),
    )


def _read(data: bytes | IO[bytes]) -> bytes:
    """The file's bytes, refused when empty or over the limit before more is read."""
    limit = max_bytes()
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
    else:
        with contextlib.suppress(AttributeError, OSError, io.UnsupportedOperation):
            data.seek(0)
        content = data.read(limit + 1)
    if len(content) > limit:
        raise too_large(limit)
    if not content:
        raise VerificationError("empty", _("The file is empty."))
    return content


def _not_pdf() -> VerificationError:
    return VerificationError(
        "not_pdf", _("The file is not a PDF document. Only signed PDF files can be checked.")
    )


def _damaged() -> VerificationError:
    return VerificationError(
        "damaged",
        _("The PDF file is damaged: its structure or a signature in it cannot be read."),
    )


def _open(content: bytes) -> PdfFileReader:
    if not content.startswith(uploads.PDF_MAGIC):
        raise _not_pdf()
    stream = io.BytesIO(content)
    if not uploads.pdf_has_end(stream, len(content)):
        raise VerificationError(
            "truncated",
            _("The PDF file is incomplete (cut off): download or copy it again, then check it."),
        )
    try:
        reader = PdfFileReader(stream, strict=False)
        encrypted = reader.encrypted
    except _READ_ERRORS as error:
        _log_read_error("open", error)
        raise _damaged() from error
    if encrypted:
        raise VerificationError(
            "encrypted",
            _(
                "The PDF file is encrypted (protected by a password or a certificate), so its "
                "signatures cannot be checked. Check the original, unprotected file."
            ),
        )
    return reader


def _log_read_error(step: str, error: BaseException) -> None:
    expected = isinstance(error, misc.PdfError | ValueError | KeyError | TypeError)
    logger.log(
        logging.INFO if expected else logging.WARNING,
        "Signature verification: unreadable PDF at %s (%s: %s)",
        step,
        type(error).__name__,
        str(error)[:200],
        exc_info=not expected,
    )


def _check_byte_range(signature: EmbeddedPdfSignature, size: int) -> None:
    """Refuse a /ByteRange that points outside the file or overlaps itself: hostile or
    damaged. Other unusual ranges (not from the start, a gap wider than the signature) are
    read and reported as not covering the document (FORMAT_FAILURE)."""
    byte_range = signature.byte_range
    try:
        numbers = [int(value) for value in byte_range]
    except (TypeError, ValueError):
        numbers = []
    valid = len(numbers) >= 2 and len(numbers) % 2 == 0
    end = 0
    for start, length in zip(numbers[::2], numbers[1::2], strict=True):
        if start < end or length < 0 or start + length > size:
            valid = False
            break
        end = start + length
    if not valid:
        raise VerificationError(
            "byte_range",
            _(
                "The signature “%(field)s” is damaged: the part of the file it says it signs "
                "(/ByteRange) lies outside the file or overlaps itself."
            ),
            field=signature.field_name,
        )


# --- the facts of one signature -----------------------------------------------------------------


def _name_part(name: x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = ", ".join(str(part) for part in value)
    return str(value)


def _certificate_info(certificate: x509.Certificate, roots: set[bytes]) -> CertificateInfo:
    validity = certificate["tbs_certificate"]["validity"]
    return CertificateInfo(
        subject=certificate.subject.human_friendly,
        common_name=_name_part(certificate.subject, "common_name"),
        organization=_name_part(certificate.subject, "organization_name"),
        issuer=certificate.issuer.human_friendly,
        serial_number=format(certificate.serial_number, "X"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        trusted_root=certificate.sha256 in roots,
    )


def _chain(
    signer: x509.Certificate, known: Iterable[x509.Certificate], path: Any
) -> list[x509.Certificate]:
    """The signer's chain, signer first: the validated path when there is one, else what the
    file carries, followed by issuer names (for display only; nothing is trusted by it)."""
    if path is not None:
        return list(reversed(list(path.iter_certs(include_root=True))))
    pool = list(known)
    chain = [signer]
    while len(chain) < 10:
        current = chain[-1]
        if current.self_signed:
            break
        issuer = next(
            (
                candidate
                for candidate in pool
                if candidate.subject == current.issuer and candidate not in chain
            ),
            None,
        )
        if issuer is None:
            break
        chain.append(issuer)
    return chain


@dataclass
class _Material:
    """Certificates and revocation data carried by the file (never fetched)."""

    certs: list[x509.Certificate] = field(default_factory=list)
    crls: list[crl.CertificateList] = field(default_factory=list)
    ocsps: list[ocsp.OCSPResponse] = field(default_factory=list)

    @classmethod
    def of_document(cls, reader: PdfFileReader) -> _Material:
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            return cls()
        except _READ_ERRORS as error:
            _log_read_error("dss", error)
            return cls()
        material = cls()
        try:
            material.certs = list(dss.load_certs())
            holder = dss.as_validation_context({"trust_roots": [], "allow_fetching": False})
            material.crls = list(holder.crls)
            material.ocsps = list(holder.ocsps)
        except _READ_ERRORS as error:
            _log_read_error("dss", error)
            return cls()
        return material

    def with_signature(self, signature: EmbeddedPdfSignature) -> _Material:
        """Adds the signature's own revocation data: Adobe's revocation archive attribute and
        the CRLs of its CMS structure."""
        crls, ocsps = list(self.crls), list(self.ocsps)
        try:
            archival = find_unique_cms_attribute(
                signature.signer_info["signed_attrs"], "adobe_revocation_info_archival"
            )
            crls.extend(archival["crl"] or [])
            ocsps.extend(archival["ocsp"] or [])
        except (NonexistentAttributeError, MultivaluedAttributeError):
            pass
        except _READ_ERRORS as error:
            _log_read_error("revocation archive", error)
        try:
            for choice in signature.signed_data["crls"] or []:
                if choice.name == "crl":
                    crls.append(choice.chosen)
        except _READ_ERRORS as error:
            _log_read_error("cms crls", error)
        return _Material(certs=list(self.certs), crls=crls, ocsps=ocsps)


@dataclass(frozen=True)
class _Context:
    roots: tuple[x509.Certificate, ...]
    root_digests: set[bytes]
    validation_time: dt.datetime
    point_in_time: bool  # a time asked for, not "now"

    def validation_context(
        self, material: _Material, *, revocation: RevocationCheckingPolicy | None = None
    ) -> ValidationContext:
        policy = revocation or RevocationCheckingPolicy.from_legacy("soft-fail")
        return ValidationContext(
            trust_roots=list(self.roots),  # a list, even empty: never the system's roots
            other_certs=list(material.certs),
            crls=list(material.crls),
            ocsps=list(material.ocsps),
            moment=self.validation_time,
            allow_fetching=False,
            revinfo_policy=CertRevTrustPolicy(policy),
        )

    def long_term_spec(self, material: _Material) -> PdfSignatureValidationSpec:
        return PdfSignatureValidationSpec(
            SignatureValidationSpec(
                cert_validation_policy=CertValidationPolicySpec(
                    trust_manager=SimpleTrustManager.build(trust_roots=list(self.roots)),
                    revinfo_policy=CertRevTrustPolicy(
                        RevocationCheckingPolicy.from_legacy("soft-fail")
                    ),
                ),
                revinfo_gathering_policy=RevocationInfoGatheringSpec(
                    online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
                    certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
                ),
                local_knowledge=LocalKnowledge(known_certs=list(material.certs)),
            )
        )

    def timing(self) -> ValidationTimingInfo:
        return ValidationTimingInfo(
            validation_time=self.validation_time,
            best_signature_time=self.validation_time,
            point_in_time_validation=self.point_in_time,
        )


def _timestamp_info(status: TimestampSignatureStatus | None) -> TimestampInfo | None:
    if status is None:
        return None
    certificate = status.signing_cert
    return TimestampInfo(
        authority=_name_part(certificate.subject, "common_name")
        or certificate.subject.human_friendly,
        time=status.timestamp,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
    )


def _revocation_covered(
    certificate: x509.Certificate,
    material: _Material,
    context: _Context,
    key_usage: set[str],
    extended_key_usage: set[str] | None,
) -> bool:
    """Whether revocation data in the file covers the signer's certificate: the same chain
    validates again when revocation data for the end certificate is required."""
    if not material.crls and not material.ocsps:
        return False
    validation_context = context.validation_context(
        material,
        revocation=RevocationCheckingPolicy(
            ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
            intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
        ),
    )
    validator = CertificateValidator(
        certificate,
        intermediate_certs=list(material.certs),
        validation_context=validation_context,
    )
    try:
        asyncio.run(
            validator.async_validate_usage(
                key_usage, extended_key_usage or set(), extended_optional=True
            )
        )
    except (PathBuildingError, PathValidationError):
        return False
    except _READ_ERRORS as error:
        _log_read_error("revocation", error)
        return False
    return True


def _sub_filter(signature: EmbeddedPdfSignature) -> str:
    value = signature.sig_object.get("/SubFilter")
    return str(value).lstrip("/") if value is not None else ""


def _certification(signature: EmbeddedPdfSignature) -> str | None:
    try:
        level = signature.docmdp_level
    except _READ_ERRORS:
        return None
    return _CERTIFICATION.get(level) if level is not None else None


def _indic(value: AdESSubIndic | None) -> str | None:
    return value.standard_name if value is not None else None


def _verdict_of(indication: AdESSubIndic) -> Verdict:
    return _VERDICT_OF_STATUS[indication.status]


def _verify_signature(
    signature: EmbeddedPdfSignature, material: _Material, context: _Context
) -> SignatureReport:
    kind = "document_timestamp" if signature.sig_object_type == "/DocTimeStamp" else "signature"
    material = material.with_signature(signature)
    status: PdfSignatureStatus | DocumentTimestampStatus
    try:
        if kind == "signature":
            status = validate_pdf_signature(signature, context.validation_context(material))
        else:
            status = validate_pdf_timestamp(signature, context.validation_context(material))
    except SignatureValidationError as error:
        indication = error.ades_subindication or AdESFailure.FORMAT_FAILURE
        return _unreadable(signature, kind, indication)
    except _READ_ERRORS as error:
        _log_read_error("signature", error)
        return _unreadable(signature, kind, AdESFailure.FORMAT_FAILURE)
    return _judge(signature, kind, status, material, context)


def _unreadable(
    signature: EmbeddedPdfSignature, kind: str, indication: AdESSubIndic
) -> SignatureReport:
    reasons = [
        Reason(indication.standard_name, explanations.sub_indication_text(indication.standard_name))
    ]
    if indication == AdESFailure.FORMAT_FAILURE:
        reasons.append(
            Reason(
                "UNREADABLE",
                _(
                    "The signature's data could not be read, or is in a form this service does not check."
                ),
            )
        )
    try:
        signer = signature.signer_cert
    except _READ_ERRORS:
        signer = None
    return SignatureReport(
        field_name=str(signature.field_name),
        kind=kind,
        sub_filter=_sub_filter(signature),
        verdict=_verdict_of(indication),
        sub_indication=indication.standard_name,
        reasons=reasons,
        signer_name=_name_part(signer.subject, "common_name") if signer is not None else "",
        signer_organization=(
            _name_part(signer.subject, "organization_name") if signer is not None else ""
        ),
    )


def _judge(
    signature: EmbeddedPdfSignature,
    kind: str,
    status: PdfSignatureStatus | DocumentTimestampStatus,
    material: _Material,
    context: _Context,
) -> SignatureReport:
    reasons: list[Reason] = []
    coverage = _COVERAGE.get(status.coverage) if status.coverage is not None else None
    level = status.modification_level
    modifications = _MODIFICATIONS.get(level) if level is not None else None
    certification = _certification(signature) if kind == "signature" else None
    timestamp_status = status.timestamp_validity if isinstance(status, PdfSignatureStatus) else None
    if isinstance(status, DocumentTimestampStatus):
        # A document time-stamp is its own time-stamp: its TSA signs the document.
        timestamp_status = status
    timestamp = _timestamp_info(timestamp_status)
    if isinstance(status, DocumentTimestampStatus):
        # A document time-stamp restricts nothing: only changes that may alter what the document
        # shows are held against it.
        modifications_allowed: bool | None = (
            level != ModificationLevel.OTHER if level is not None else None
        )
    else:
        modifications_allowed = status.docmdp_ok
    indication: AdESSubIndic | None = None
    proof: dt.datetime | None = None

    if not status.intact:
        indication = AdESFailure.HASH_FAILURE
    elif not status.valid:
        indication = AdESFailure.SIG_CRYPTO_FAILURE
    elif status.coverage is not None and status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        indication = AdESFailure.FORMAT_FAILURE
        reasons.append(
            Reason(
                "COVERAGE",
                _(
                    "The signature does not cover the whole document as it was when signed, as "
                    "the PDF standard requires: what is shown may not be what was signed."
                ),
            )
        )
    elif modifications_allowed is False:
        indication = AdESFailure.FORMAT_FAILURE
        if certification is not None:
            reasons.append(
                Reason(
                    "MODIFIED_NOT_ALLOWED",
                    _(
                        "The document was changed after this certifying signature in a way it "
                        "does not allow (it allows %(allowed)s)."
                    ),
                    {"allowed": explanations.CERTIFICATION[certification]},
                )
            )
        else:
            reasons.append(
                Reason(
                    "MODIFIED_NOT_ALLOWED",
                    _(
                        "The document was changed after it was signed, in a way that may alter "
                        "what it shows (not only form filling, comments or validation data)."
                    ),
                )
            )
    elif status.trust_problem_indic is not None:
        indication = status.trust_problem_indic
        if (
            indication in _POE_CAN_LIFT
            and kind == "signature"
            and timestamp is not None
            and timestamp.intact
            and timestamp.trusted
        ):
            indication, proof = _long_term(signature, material, context, indication)
        if indication == AdESIndeterminate.REVOKED_NO_POE:
            # EN 319 102-1 § 5.5.4: revoked before the best signature time (no time-stamp: the
            # time of the check) is a failure.
            indication = AdESFailure.REVOKED
    elif status.validation_path is None:
        indication = AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND
    elif isinstance(status, PdfSignatureStatus) and not status.seed_value_ok:
        indication = AdESIndeterminate.SIG_CONSTRAINTS_FAILURE

    verdict = Verdict.VALID if indication is None else _verdict_of(indication)
    if indication is not None:
        reasons.insert(
            0,
            Reason(
                indication.standard_name, explanations.sub_indication_text(indication.standard_name)
            ),
        )
    else:
        reasons.append(
            Reason(
                "PASSED",
                _(
                    "The signature is intact, and its certificate leads to a trusted root and "
                    "was valid at the time of the check."
                ),
            )
        )
    if proof is not None:
        reasons.append(
            Reason(
                "POE_TIMESTAMP",
                _(
                    "A trusted time-stamp proves that the signature existed on %(time)s, while "
                    "the certificate was valid."
                ),
                {"time": _local(proof)},
            )
        )
    if (
        timestamp is not None
        and kind == "signature"
        and not (timestamp.intact and timestamp.trusted)
    ):
        reasons.append(
            Reason(
                "TIMESTAMP_NOT_TRUSTED",
                _(
                    "The signature's time-stamp is damaged or its authority is not trusted, so it "
                    "proves nothing and was not used."
                ),
            )
        )
    claimed = status.signer_reported_dt if isinstance(status, PdfSignatureStatus) else None
    if claimed is not None and claimed > context.validation_time and verdict != Verdict.INVALID:
        reasons.append(
            Reason(
                "CLAIMED_AFTER_CHECK",
                _(
                    "The signer's computer gives %(claimed)s as the signing time, which is after "
                    "the time of the check. A claimed time proves nothing; only a time-stamp does."
                ),
                {"claimed": _local(claimed)},
            )
        )

    signer = status.signing_cert
    path = status.validation_path
    known = [*material.certs, *_embedded_certs(signature)]
    certificates = [
        _certificate_info(certificate, context.root_digests)
        for certificate in _chain(signer, known, path)
    ]
    revocation, revocation_date = "unknown", None
    details = status.revocation_details
    # The signer's own certificate (a revoked authority above it is said by REVOKED_CA_NO_POE).
    if (details is not None and not details.ca_revoked) or indication == AdESFailure.REVOKED:
        revocation = "revoked"
        revocation_date = details.revocation_date if details is not None else None
    elif path is not None and status.intact and status.valid:
        usage = status.default_usage_constraints()
        # After a long-term validation, the revocation data that counts is that of the time the
        # time-stamp proves.
        moment = (
            dataclasses.replace(context, validation_time=proof, point_in_time=True)
            if proof is not None
            else context
        )
        if _revocation_covered(
            signer,
            material,
            moment,
            set(usage.key_usage or ()),
            set(usage.extd_key_usage) if usage.extd_key_usage is not None else None,
        ):
            revocation = "good"
    if revocation == "unknown" and verdict == Verdict.VALID:
        reasons.append(Reason("REVOCATION_NOT_CHECKED", explanations.REVOCATION["unknown"]))

    return SignatureReport(
        field_name=str(signature.field_name),
        kind=kind,
        sub_filter=_sub_filter(signature),
        verdict=verdict,
        sub_indication=_indic(indication),
        reasons=reasons,
        signer_name=_name_part(signer.subject, "common_name"),
        signer_organization=_name_part(signer.subject, "organization_name"),
        certificates=certificates,
        chains_to_trusted_root=path is not None,
        claimed_signing_time=claimed,
        timestamp=timestamp,
        intact=bool(status.intact),
        coverage=coverage,
        modifications=modifications,
        modifications_allowed=modifications_allowed,
        certification=certification,
        revocation=revocation,
        revocation_date=revocation_date,
        proof_of_existence=proof,
    )


def _embedded_certs(signature: EmbeddedPdfSignature) -> list[x509.Certificate]:
    try:
        return list(signature.other_embedded_certs)
    except _READ_ERRORS:
        return []


def _long_term(
    signature: EmbeddedPdfSignature,
    material: _Material,
    context: _Context,
    indication: AdESSubIndic,
) -> tuple[AdESSubIndic | None, dt.datetime | None]:
    """pyHanko's long-term validation (EN 319 102-1 § 5.6.3), with the signature's time-stamp
    and the document's time-stamps as proofs of existence: (its sub-indication or None when it
    passed, the proven time)."""
    try:
        result = asyncio.run(
            ades.ades_lta_validation(
                signature, context.long_term_spec(material), timing_info=context.timing()
            )
        )
    except _LONG_TERM_ERRORS as error:
        _log_read_error("long-term validation", error)
        return indication, None
    if result.ades_subindic.status == AdESStatus.PASSED:
        return None, result.best_signature_time
    return result.ades_subindic, None


def _local(moment: dt.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _unsupported(name: str, sub_filter: str) -> SignatureReport:
    return SignatureReport(
        field_name=name,
        kind="signature",
        sub_filter=sub_filter,
        verdict=Verdict.INVALID,
        sub_indication=AdESFailure.FORMAT_FAILURE.standard_name,
        reasons=[
            Reason("FORMAT_FAILURE", explanations.sub_indication_text("FORMAT_FAILURE")),
            Reason(
                "UNSUPPORTED_FORMAT",
                _(
                    "Its format (%(format)s) is not one this service checks: PAdES "
                    "(ETSI.CAdES.detached), adbe.pkcs7.detached and adbe.pkcs7.sha1."
                ),
                {"format": sub_filter or "?"},
            ),
        ],
    )


# --- the door -----------------------------------------------------------------------------------


def verify_pdf(data: bytes | IO[bytes], *, at: dt.datetime | None = None) -> Report:
    """Check every signature of a PDF at ``at`` (aware; now by default) and report."""
    content = _read(data)
    point_in_time = at is not None
    validation_time = at if at is not None else timezone.now()
    if timezone.is_naive(validation_time):
        validation_time = timezone.make_aware(validation_time)
    reader = _open(content)
    try:
        fields = [
            (str(name), value.get_object())
            for name, value, _field in enumerate_sig_fields(reader, filled_status=True)
        ]
        signatures = list(reader.embedded_signatures)
        for signature in signatures:
            _check_byte_range(signature, len(content))
    except VerificationError:
        raise
    except _READ_ERRORS as error:
        _log_read_error("signatures", error)
        raise _damaged() from error
    if not fields and not signatures:
        return Report(
            verdict=Verdict.INDETERMINATE,
            validation_time=validation_time,
            signatures=[],
            reasons=[Reason("NO_SIGNATURE", explanations.NO_SIGNATURE)],
        )
    roots = trusted_roots()
    context = _Context(
        roots=roots,
        root_digests={root.sha256 for root in roots},
        validation_time=validation_time,
        point_in_time=point_in_time,
    )
    material = _Material.of_document(reader)
    reports = [_verify_signature(signature, material, context) for signature in signatures]
    checked = {report.field_name for report in reports}
    for name, value in fields:
        if name not in checked:
            sub_filter = value.get("/SubFilter") if hasattr(value, "get") else None
            reports.append(_unsupported(name, str(sub_filter or "").lstrip("/")))
    return Report(
        verdict=overall_verdict(report.verdict for report in reports),
        validation_time=validation_time,
        signatures=reports,
    )


__all__ = [
    "CertificateInfo",
    "Reason",
    "Report",
    "SignatureReport",
    "TimestampInfo",
    "Verdict",
    "VerificationError",
    "verify_pdf",
]
