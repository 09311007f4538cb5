"""Writing to the audit trail. Every action calls :func:`record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from vgp.core import request_context

from .models import (
    GENESIS_HASH,
    AuditChainHead,
    AuditRecord,
    canonical_ip,
    canonical_json_value,
)

_ACTION_MAX = AuditRecord._meta.get_field("action").max_length or 80
_CURRENT = object()  # record_many: "the current request's context"


class AuditOutsideTransactionError(RuntimeError):
    """An audit record must be written in the same transaction as the change it describes."""


def _jsonable(value: Any) -> Any:
    """Normalise a value to what JSON stores, so the hashed value equals the stored one."""
    return canonical_json_value(json.loads(json.dumps(value, default=_default, ensure_ascii=False)))


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` on ``instance``, foreign keys as their ids."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            # Only meaningful once the instance is saved; the ids, sorted, describe the set.
            manager = getattr(instance, name)
            values[name] = sorted(manager.values_list("pk", flat=True)) if instance.pk else []
            continue
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return _jsonable(values)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    before, after = _jsonable(dict(before)), _jsonable(dict(after))
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _actor_facts(actor: Any) -> tuple[int | None, str, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "", ""
    agency = getattr(actor, "agency", None)
    return actor.pk, actor.get_username(), getattr(agency, "code", "") or ""


def record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    agency_code: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditRecord:
    """Append one record to the chain. Must run inside the caller's ``transaction.atomic``.

    ``actor`` defaults to the user of the current request; ``agency_code`` to the actor's
    agency. ``changes`` is a before/after summary, usually from :func:`diff`.
    """
    return record_many(
        [
            {
                "action": action,
                "actor": actor,
                "obj": obj,
                "summary": summary,
                "changes": changes,
                "agency_code": agency_code,
                "object_type": object_type,
                "object_id": object_id,
                "object_repr": object_repr,
            }
        ]
    )[0]


def record_many(calls: Sequence[Mapping[str, Any]]) -> list[AuditRecord]:
    """Append several records, in order, taking the chain's head once (a background job that
    registers a batch). Each mapping holds :func:`record`'s keyword arguments, and may give the
    ``context`` (a ``RequestContext``) the change was asked in, which the current request's
    context otherwise supplies. Must run inside the caller's ``transaction.atomic``."""
    if not transaction.get_connection().in_atomic_block:
        names = ", ".join(repr(call.get("action")) for call in calls[:3])
        raise AuditOutsideTransactionError(
            f"audit.record({names}) called outside a transaction; wrap the action in atomic()."
        )
    # Everything that may fail (JSON conversion, user look-ups) happens before the lock, so the
    # head row is held only for the inserts themselves.
    prepared = [_prepare(**call) for call in calls]
    if not prepared:
        return []
    # The head row exists from migration 0003 on; get_or_create covers a flushed test database.
    # Locking it serialises appenders (PostgreSQL); SQLite serialises writers by itself.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    entries = []
    for fields in prepared:
        entry = AuditRecord(
            seq=head.last_seq + 1,
            # Taken under the lock, so that times never go backwards along the chain.
            created_at=timezone.now(),
            prev_hash=head.last_hash,
            **fields,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        entries.append(entry)
    head.save(update_fields=["last_seq", "last_hash"])
    return entries


def _prepare(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    summary: str = "",
    changes: Mapping[str, Any] | None = None,
    agency_code: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    context: Any = _CURRENT,
) -> dict[str, Any]:
    """A record's fields but its place in the chain (seq, time, hashes)."""
    if not action or len(action) > _ACTION_MAX:
        raise ValueError(f"audit action must be 1 to {_ACTION_MAX} characters: {action!r}")
    if context is _CURRENT:
        context = request_context.current()
    if actor is None and context is not None:
        actor = context.user
    actor_id, username, actor_agency = _actor_facts(actor)
    if actor_id is None and context is not None and context.actor_label:
        username, actor_agency = context.actor_label, context.agency_code
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return {
        "actor_id": actor_id,
        "actor_username": username[:150],
        "agency_code": (agency_code if agency_code is not None else actor_agency)[:35],
        "action": action,
        "object_type": (object_type or "")[:100],
        "object_id": (object_id or "")[:64],
        "object_repr": (object_repr or "")[:255],
        "summary": str(summary)[:500],
        "changes": _jsonable(dict(changes or {})),
        "ip": canonical_ip(context.ip) if context else None,
        "via": (context.via if context else "command")[:16],
    }
