"""The agency's certification authority and the certificates officials sign with (ADR 0016).

Private keys are stored encrypted (PKCS#8, with a passphrase from the environment; see
``keystore.py``) or stay on a hardware token (PKCS#11, only a label here). No code outside
``actions.py`` saves these models; they are never edited in a form.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class KeyAlgorithm(models.TextChoices):
    EC_P256 = "ec-p256", _("ECDSA P-256")
    RSA_2048 = "rsa-2048", _("RSA 2048")
    RSA_3072 = "rsa-3072", _("RSA 3072")


class AuthorityKind(models.TextChoices):
    ROOT = "root", _("Root certification authority")
    ISSUING = "issuing", _("Issuing certification authority")


class CertificateAuthority(models.Model):
    """A root (self-signed) or an issuing CA (signed by the root) of this installation. Only an
    issuing CA issues officials' certificates; the root signs issuing CAs and its own CRL."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=10, choices=AuthorityKind.choices)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("issued by"),
    )
    certificate = models.BinaryField(editable=False)
    private_key = models.BinaryField(editable=False)
    key_algorithm = models.CharField(
        _("key algorithm"), max_length=10, choices=KeyAlgorithm.choices
    )
    serial = models.CharField(_("serial number"), max_length=40, editable=False)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    crl_number = models.PositiveIntegerField(default=0, editable=False)
    crl = models.BinaryField(blank=True, default=b"", editable=False)
    crl_next_update = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only an active CA issues certificates.")
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-active", "kind", "-created_at", "id"]
        verbose_name = _("certification authority")
        verbose_name_plural = _("certification authorities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="root", parent__isnull=True)
                | Q(kind="issuing", parent__isnull=False),
                name="signatures_ca_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CertificateKind(models.TextChoices):
    PERSONAL = "personal", _("Personal (an official)")
    SEAL = "seal", _("Organisation seal")
    TSA = "tsa", _("Time-stamp authority")


class CertificateSource(models.TextChoices):
    ISSUED = "issued", _("Issued by this installation's CA")
    IMPORTED = "imported", _("Imported (PKCS#12)")


class KeyStorage(models.TextChoices):
    DATABASE = "database", _("Encrypted in the database")
    PKCS11 = "pkcs11", _("Hardware token (PKCS#11)")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class RevocationReason(models.TextChoices):
    """RFC 5280 reasons an administrator may give (the CRL and OCSP carry them)."""

    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "key_compromise", _("Key compromised")
    AFFILIATION_CHANGED = "affiliation_changed", _("Left the organisation")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("No longer needed")


class SigningCertificate(models.Model):
    """A certificate with the means to sign: an official's, an organisation's seal, or the
    time-stamp authority's."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=10, choices=CertificateKind.choices)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=CertificateSource.choices,
        default=CertificateSource.ISSUED,
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("holder"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("organisation"),
    )
    issuer = models.ForeignKey(
        CertificateAuthority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("issued by"),
    )
    certificate = models.BinaryField(editable=False)
    # Imported certificates: the intermediate certificates that came with them (DER, each
    # prefixed by its length in 4 bytes). Ours: empty (the issuer is known).
    chain = models.BinaryField(blank=True, default=b"", editable=False)
    key_storage = models.CharField(
        _("key storage"), max_length=10, choices=KeyStorage.choices, default=KeyStorage.DATABASE
    )
    private_key = models.BinaryField(blank=True, default=b"", editable=False)
    token_key_label = models.CharField(_("key label on the token"), max_length=64, blank=True)
    key_algorithm = models.CharField(_("key algorithm"), max_length=10)
    serial = models.CharField(_("serial number"), max_length=40, editable=False)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=255)
    issuer_name = models.CharField(_("issuer"), max_length=255)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    renewal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    # The handwritten signature (personal, blue on transparent) or the red seal (organisation)
    # drawn in the visible signature; PNG, checked when uploaded.
    image = models.BinaryField(_("signature image"), blank=True, default=b"", editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["agency", "kind", "-not_after", "id"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        permissions = [
            ("revoke_signingcertificate", _("Can suspend, reinstate and revoke certificates")),
            ("use_seal", _("Can sign with the organisation's seal")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="personal") | Q(holder__isnull=False),
                name="signatures_personal_holder",
            ),
            models.CheckConstraint(
                condition=Q(source="imported") | Q(issuer__isnull=False),
                name="signatures_issued_issuer",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer", "serial"], name="signatures_cert_serial_idx"),
            models.Index(fields=["holder", "status"], name="signatures_cert_holder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial[:12]})"

    def usable_at(self, moment: dt.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return (
            self.status == CertificateStatus.ACTIVE and self.not_before <= moment < self.not_after
        )


# --- What the portal signs when it publishes (issue 7, point 5) ------------------------------


class PublicationKind(models.TextChoices):
    """What the portal publishes and may seal. Each has its switch and level in
    :class:`PublicationSigningSettings`; ``publishing.sign_publication`` names one."""

    GAZETTE_ISSUE = "gazette_issue", _("Official Gazette issue (PDF)")
    FEEDBACK_REPLY = "feedback_reply", _("Reply letter to a citizen's submission (PDF)")


class SignatureLevel(models.TextChoices):
    B_B = "B-B", _("PAdES B-B (signature only)")
    B_T = "B-T", _("PAdES B-T (with a time-stamp)")
    B_LT = "B-LT", _("PAdES B-LT (time-stamp and validation data, verifiable for years)")


@register_setting(icon="key")
class PublicationSigningSettings(BaseGenericSetting):
    """Whether the portal seals what it publishes, per kind, and at which level (one row,
    under Settings in the admin; edited by IT administrators, audited through Wagtail's log)."""

    wagtail_reference_index_ignore = True

    gazette_issue_sign = models.BooleanField(
        _("sign gazette issues"),
        default=True,
        help_text=_("Seal each issue's PDF when it is published, with the publisher's seal."),
    )
    gazette_issue_level = models.CharField(
        _("level for gazette issues"),
        max_length=5,
        choices=SignatureLevel.choices,
        default=SignatureLevel.B_LT,
        help_text=_("B-LT keeps the issue verifiable for years, after the certificates expire."),
    )
    feedback_reply_sign = models.BooleanField(
        _("sign reply letters"),
        default=True,
        help_text=_("Seal the letter sent with each reply, with the handling agency's seal."),
    )
    feedback_reply_level = models.CharField(
        _("level for reply letters"),
        max_length=5,
        choices=SignatureLevel.choices,
        default=SignatureLevel.B_T,
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("gazette_issue_sign"), FieldPanel("gazette_issue_level")],
            heading=_("Official Gazette issues (PDF)"),
        ),
        MultiFieldPanel(
            [FieldPanel("feedback_reply_sign"), FieldPanel("feedback_reply_level")],
            heading=_("Reply letters to citizens' submissions (PDF)"),
        ),
    ]

    class Meta:
        verbose_name = _("signing what the portal publishes")
        verbose_name_plural = _("signing what the portal publishes")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def rule_for(self, kind: str) -> tuple[bool, str]:
        """(sign?, level) for ``kind`` (a :class:`PublicationKind` value)."""
        kind = PublicationKind(kind)
        return bool(getattr(self, f"{kind}_sign")), str(getattr(self, f"{kind}_level"))


class SealOutcome(models.TextChoices):
    SIGNED = "signed", _("Signed")
    OFF = "off", _("Not signed: signing is off for this kind")
    NO_SEAL = "no_seal", _("Not signed: the organisation has no usable seal")
    FAILED = "failed", _("Not signed: the signature failed")


class PublicationSignature(models.Model):
    """What ``publishing.sign_publication`` did with one publication: the fingerprint of the
    bytes it returned (what the domain stores and serves), and whether and how they were sealed.
    Pages read it by that fingerprint to say "signed electronically by …"."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("kind"), max_length=20, choices=PublicationKind.choices)
    sha256 = models.CharField(_("SHA-256 of the published file"), max_length=64)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=SealOutcome.choices)
    certificate = models.ForeignKey(
        SigningCertificate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("seal"),
    )
    level = models.CharField(_("level"), max_length=5, choices=SignatureLevel.choices, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    # Why a signature failed, for the administrators (the log has the traceback).
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signature of a publication")
        verbose_name_plural = _("signatures of publications")
        indexes = [models.Index(fields=["sha256"], name="signatures_publication_sha")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]} ({self.get_outcome_display()})"

    @property
    def signed(self) -> bool:
        return self.outcome == SealOutcome.SIGNED
