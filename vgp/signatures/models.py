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
