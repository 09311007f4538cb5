"""Officials' accounts and the API keys that agency systems use."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

API_KEY_PREFIX = "vgp_"


class User(AbstractUser):
    """A person who signs in: an official (has an agency) or a citizen (has none)."""

    email = models.EmailField(_("official email address"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )
    unit = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_members",
        help_text=_("The department or unit inside the agency where the official works."),
    )
    position = models.CharField(_("position / title"), max_length=100, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_email_unique_when_set"
            )
        ]

    @property
    def is_official(self) -> bool:
        return self.agency_id is not None

    def get_full_name(self) -> str:
        # Vietnamese order: family name first.
        return " ".join(p for p in (self.last_name, self.first_name) if p).strip()


def hash_api_key(raw: str) -> str:
    # The keys are 256-bit random values, so a fast unsalted hash is enough (like GitHub tokens);
    # a slow password hash would only slow down every API call.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def generate_api_key() -> tuple[str, str, str]:
    """Return (raw key shown once, lookup prefix, stored hash)."""
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return raw, raw[: len(API_KEY_PREFIX) + 8], hash_api_key(raw)


class ApiKey(models.Model):
    """A credential for one agency's system; only its hash is stored."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="api_keys",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses this key."))
    prefix = models.CharField(_("key prefix"), max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        permissions = [("revoke_apikey", _("Can revoke API keys"))]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
