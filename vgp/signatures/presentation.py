"""A verification report in words, for the page and the command (the API sends the data).

Every value is a sentence a person can read: dates in Viet Nam's time (dd/mm/yyyy HH:MM),
"yes"/"no" as words, each code next to what it means. The verdict is said first, in words and
with a symbol, never by colour alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from . import explanations
from .verification import CertificateInfo, Report, SignatureReport, Verdict

#: A symbol for each verdict, beside its word (for people who cannot tell colours apart).
SYMBOLS = {Verdict.VALID: "✓", Verdict.INVALID: "✗", Verdict.INDETERMINATE: "?"}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class CertificateLine:
    name: str
    issuer: str
    validity: str
    trusted_root: bool


@dataclass(frozen=True)
class SignatureView:
    number: int
    title: str
    verdict: Verdict
    verdict_title: str
    symbol: str
    sub_indication: str | None
    reasons: list[str]
    facts: list[Fact]
    chain: list[CertificateLine]


@dataclass(frozen=True)
class ReportView:
    verdict: Verdict
    verdict_title: str
    symbol: str
    summary: str
    validation_time: str
    counts: str
    signatures: list[SignatureView]


def when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return pgettext("signature report", "unknown")
    return pgettext("signature report", "yes") if value else pgettext("signature report", "no")


def _certificate_line(certificate: CertificateInfo) -> CertificateLine:
    name = certificate.common_name or certificate.subject
    if certificate.organization and certificate.organization not in name:
        name = f"{name} ({certificate.organization})"
    return CertificateLine(
        name=name,
        issuer=certificate.issuer,
        validity=_("valid from %(start)s to %(end)s")
        % {"start": when(certificate.not_before), "end": when(certificate.not_after)},
        trusted_root=certificate.trusted_root,
    )


def _modifications(signature: SignatureReport) -> str:
    if signature.modifications is None:
        return _("could not be determined")
    text = str(explanations.MODIFICATIONS[signature.modifications])
    if signature.modifications == "none":
        return text
    allowed = (
        _("Allowed.")
        if signature.modifications_allowed
        else _("Not allowed.")
        if signature.modifications_allowed is False
        else _("Whether they are allowed could not be determined.")
    )
    return f"{text} {allowed}"


def _timestamp(signature: SignatureReport) -> str:
    stamp = signature.timestamp
    if stamp is None:
        return _("none: nothing proves when the signature was made")
    if stamp.intact and stamp.trusted:
        state = _("valid and trusted")
    elif stamp.intact:
        state = _("intact, but its authority is not trusted")
    else:
        state = pgettext("signature report", "damaged")
    return _("%(time)s, by %(authority)s (%(state)s)") % {
        "time": when(stamp.time),
        "authority": stamp.authority,
        "state": state,
    }


def _revocation(signature: SignatureReport) -> str:
    text = str(explanations.REVOCATION[signature.revocation])
    if signature.revocation == "revoked" and signature.revocation_date is not None:
        text = _("Revoked on %(date)s.") % {"date": when(signature.revocation_date)}
    return text


def _signer(signature: SignatureReport) -> str:
    name = signature.signer_name or pgettext("signature report", "unknown")
    if signature.signer_organization:
        return f"{name} — {signature.signer_organization}"
    return name


def signature_view(signature: SignatureReport, number: int, total: int) -> SignatureView:
    if signature.kind == "document_timestamp":
        title = _("Document time-stamp %(number)s of %(total)s (field “%(field)s”)")
    else:
        title = _("Signature %(number)s of %(total)s (field “%(field)s”)")
    title = title % {"number": number, "total": total, "field": signature.field_name}
    facts = [
        Fact(
            _("Time-stamp authority") if signature.kind == "document_timestamp" else _("Signer"),
            _signer(signature),
        ),
        Fact(_("Signature type"), signature.signature_type or "—"),
    ]
    if signature.kind == "signature":
        facts.append(
            Fact(
                _("Signing time claimed by the signer"),
                when(signature.claimed_signing_time)
                if signature.claimed_signing_time
                else pgettext("signature report", "not given"),
            )
        )
    facts.append(Fact(_("Time-stamp"), _timestamp(signature)))
    if signature.intact is not None:
        facts.append(
            Fact(
                _("Integrity"),
                _("intact: the signed content has not changed")
                if signature.intact
                else _("broken: the signed content was changed"),
            )
        )
    if signature.coverage is not None:
        facts.append(
            Fact(_("The signature covers"), str(explanations.COVERAGE[signature.coverage]))
        )
        facts.append(Fact(_("Changes after signing"), _modifications(signature)))
    if signature.certification is not None:
        facts.append(
            Fact(
                _("Certifying signature"),
                _("yes; it allows %(allowed)s")
                % {"allowed": explanations.CERTIFICATION[signature.certification]},
            )
        )
    if signature.certificates:
        facts.append(
            Fact(
                _("Leads to a trusted root certificate"), _yes_no(signature.chains_to_trusted_root)
            )
        )
        facts.append(Fact(_("Revocation"), _revocation(signature)))
    reasons = [reason.text for reason in signature.reasons]
    return SignatureView(
        number=number,
        title=title,
        verdict=signature.verdict,
        verdict_title=str(signature.verdict.label),
        symbol=SYMBOLS[signature.verdict],
        sub_indication=signature.sub_indication,
        reasons=reasons,
        facts=facts,
        chain=[_certificate_line(certificate) for certificate in signature.certificates],
    )


def report_view(report: Report) -> ReportView:
    total = len(report.signatures)
    if report.signed:
        counts = ngettext(
            "%(count)d signature found in the file.",
            "%(count)d signatures found in the file.",
            total,
        ) % {"count": total}
        summary = str(report.verdict.summary)
    else:
        counts = _("No signature found in the file.")
        summary = " ".join(reason.text for reason in report.reasons)
    return ReportView(
        verdict=report.verdict,
        verdict_title=str(report.verdict.label),
        symbol=SYMBOLS[report.verdict],
        summary=summary,
        validation_time=when(report.validation_time),
        counts=counts,
        signatures=[
            signature_view(signature, number, total)
            for number, signature in enumerate(report.signatures, start=1)
        ],
    )


def as_text(report: Report) -> str:
    """The report as plain text (the command's output)."""
    view = report_view(report)
    lines = [
        f"{view.symbol} {view.verdict_title.upper()} ({report.verdict.value})",
        view.summary,
        _("Checked at: %(time)s") % {"time": view.validation_time},
        view.counts,
    ]
    for signature in view.signatures:
        lines += ["", signature.title]
        code = f" [{signature.sub_indication}]" if signature.sub_indication else ""
        lines.append(f"  {signature.symbol} {signature.verdict_title}{code}")
        lines += [f"  - {reason}" for reason in signature.reasons]
        lines += [f"  {fact.label}: {fact.value}" for fact in signature.facts]
        if signature.chain:
            lines.append("  " + _("Certificate chain (signer first):"))
            for certificate in signature.chain:
                mark = " — " + _("trusted root") if certificate.trusted_root else ""
                lines.append(f"    {certificate.name}; {certificate.validity}{mark}")
    return "\n".join(lines)
