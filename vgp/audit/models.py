"""The audit trail: append-only records linked by a SHA-256 hash chain.

See docs/adr/0003-audit-hash-chain.md. Each record stores a snapshot of who acted (not a
foreign key), so deleting or renaming a user or an agency never rewrites history, and the
hash covers exactly the stored values.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are append-only.")


class AuditRecord(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    agency_code = models.CharField(
        _("acting for agency"), max_length=35, blank=True, db_index=True
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("before/after"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    via = models.CharField(_("channel"), max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are append-only.")

    def hashed_payload(self) -> bytes:
        """The canonical bytes the hash covers: every stored field except the hash itself."""
        payload = {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "agency_code": self.agency_code,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "summary": self.summary,
            "changes": self.changes,
            "ip": self.ip,
            "via": self.via,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")

    def compute_hash(self) -> str:
        return hashlib.sha256(self.hashed_payload()).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the end of the chain; locking it serialises appends.

    It also lets ``verify_audit`` notice that the newest records were deleted, which a chain
    alone cannot show.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
