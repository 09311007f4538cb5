"""The audit trail: append-only records linked by a SHA-256 hash chain.

See docs/adr/0003-audit-hash-chain.md. Each record stores a snapshot of who acted (not a
foreign key), so deleting or renaming a user or an agency never rewrites history, and the
hash covers exactly the stored values (in one canonical form, see ``hashed_payload``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any, NoReturn

from django.db import models
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


def canonical_json_value(value: Any) -> Any:
    """``value`` (already JSON-decoded) in the one spelling every database gives back.

    PostgreSQL's ``jsonb`` keeps numbers as ``numeric``: ``1e+20`` comes back as
    ``100000000000000000000`` (an int in Python) and ``-0.0`` as ``0.0``; it also refuses the NUL
    character. Floats that hold a whole number therefore become ints, non-finite floats become
    text and NUL becomes U+FFFD, so that the value hashed when writing equals the value read back.
    """
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {str(k).replace("\x00", "\ufffd"): canonical_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_json_value(v) for v in value]
    return str(value)


def canonical_ip(value: str | None) -> str | None:
    """The address as Django writes it (``None`` if it is not one).

    PostgreSQL's ``inet`` may respell an IPv6 address (``2001:db8:0:1::1`` against Django's
    ``2001:db8:0:1:0:0:0:1``), so both sides of the hash use this spelling.
    """
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    return clean_ipv6_address(str(address)) if address.version == 6 else str(address)


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecordQuerySet(models.QuerySet["AuditRecord"]):
    """Refuses every bulk write: records are added one by one by ``trail.record()`` (or
    ``trail.record_many()``, which appends a batch under one lock of the chain's head) only."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records are append-only.")

    def bulk_create(
        self,
        objs: Iterable[AuditRecord],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> NoReturn:
        raise AppendOnlyError("Audit records are appended one by one through trail.record().")

    def bulk_update(self, objs: Iterable[AuditRecord], *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")


class AuditRecord(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    agency_code = models.CharField(_("acting for agency"), max_length=35, blank=True, db_index=True)
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
        return hashed_payload({name: getattr(self, name) for name in HASHED_FIELDS})

    def compute_hash(self) -> str:
        return hashlib.sha256(self.hashed_payload()).hexdigest()


# Every stored field of AuditRecord except ``id`` (a database detail) and ``hash`` itself.
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "agency_code",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "summary",
    "changes",
    "ip",
    "via",
    "prev_hash",
)


def hashed_payload(values: Mapping[str, Any]) -> bytes:
    """Canonical JSON of a record's ``HASHED_FIELDS`` (given as read from the row).

    Values are put in one canonical form (time in UTC with microseconds, JSON numbers and IP
    addresses as :func:`canonical_json_value` and :func:`canonical_ip` spell them), so the hash
    is the same whether computed before the insert or after reading the row back from SQLite or
    PostgreSQL. Keys are sorted, no whitespace, UTF-8 (Vietnamese text stays as it is).
    """
    payload = {name: values[name] for name in HASHED_FIELDS}
    payload["created_at"] = (
        values["created_at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    )
    payload["changes"] = canonical_json_value(values["changes"])
    payload["ip"] = canonical_ip(values["ip"])
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def record_hash(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(hashed_payload(values)).hexdigest()


class ChainVerification(models.Model):
    """The outcome of one run of ``verify_audit``, shown to auditors in the admin."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("verified at"), db_index=True)
    records_checked = models.PositiveBigIntegerField(_("records checked"), default=0)
    intact = models.BooleanField(_("chain intact"))
    problem_seq = models.PositiveBigIntegerField(_("first broken record"), null=True, blank=True)
    problem_code = models.CharField(_("problem"), max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    head_seq = models.PositiveBigIntegerField(_("head sequence"), default=0)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")

    def __str__(self) -> str:
        state = "intact" if self.intact else f"broken at #{self.problem_seq}"
        return f"{self.finished_at:%Y-%m-%d %H:%M} {state}"


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
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
