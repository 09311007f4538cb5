"""Validity status (hiệu lực) computed from dates and from other documents' relations.

- not yet in force: the effective date is in the future;
- expired: the expiry date has passed, or a published document that *replaces* it, or
  *repeals* it entirely, has taken effect;
- partly expired: a published document that *amends* it, or repeals only some of its
  provisions, has taken effect;
- in force: otherwise, once it has an effective (or issue) date;
- not determined: no dates are known (e.g. a law imported from a corpus without metadata).

A relation takes effect on its source's effective date (or issue date when that is unknown).
Statuses are stored for filtering and facets; :func:`refresh_all` runs every hour so that a
date passing changes them, and publishing recomputes the document and every document it
points at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from vgp.audit import trail

from .models import DocumentRelation, LegalDocument, RelationKind, Validity


@dataclass(frozen=True)
class IncomingEffect:
    kind: str
    partial: bool
    takes_effect: date | None


def compute(
    *,
    effective_date: date | None,
    issued_date: date | None,
    expiry_date: date | None,
    incoming: Iterable[IncomingEffect],
    today: date,
) -> Validity:
    if effective_date and effective_date > today:
        return Validity.NOT_YET_IN_FORCE
    if expiry_date and expiry_date <= today:
        return Validity.EXPIRED
    partly = False
    for effect in incoming:
        if effect.takes_effect is None or effect.takes_effect > today:
            continue
        if effect.kind == RelationKind.REPLACES or (
            effect.kind == RelationKind.REPEALS and not effect.partial
        ):
            return Validity.EXPIRED
        if effect.kind in (RelationKind.AMENDS, RelationKind.REPEALS):
            partly = True
    if partly:
        return Validity.PARTLY_EXPIRED
    if effective_date is None and issued_date is None:
        return Validity.UNKNOWN
    return Validity.IN_FORCE


def _incoming(document_ids: Iterable[int]) -> dict[int, list[IncomingEffect]]:
    effects: dict[int, list[IncomingEffect]] = {}
    rows = DocumentRelation.objects.filter(
        target_id__in=list(document_ids),
        source__live=True,
        kind__in=[RelationKind.AMENDS, RelationKind.REPLACES, RelationKind.REPEALS],
    ).values_list("target_id", "kind", "partial", "source__effective_date", "source__issued_date")
    for target_id, kind, partial, effective, issued in rows:
        effects.setdefault(target_id, []).append(
            IncomingEffect(kind=kind, partial=partial, takes_effect=effective or issued)
        )
    return effects


def refresh(document_ids: Iterable[int], *, today: date | None = None) -> list[int]:
    """Recompute the statuses of these documents; return the ids whose status changed."""
    today = today or timezone.localdate()
    ids = list(document_ids)
    changed: list[int] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        effects = _incoming(chunk)
        rows = LegalDocument.objects.filter(pk__in=chunk).values_list(
            "pk", "status", "effective_date", "issued_date", "expiry_date"
        )
        updates: dict[str, list[int]] = {}
        for pk, status, effective, issued, expiry in rows:
            new = compute(
                effective_date=effective,
                issued_date=issued,
                expiry_date=expiry,
                incoming=effects.get(pk, ()),
                today=today,
            )
            if new != status:
                updates.setdefault(new, []).append(pk)
        now = timezone.now()
        with transaction.atomic():
            for status, pks in updates.items():
                # changed_at moves so that the search index picks the new status up.
                LegalDocument.objects.filter(pk__in=pks).update(
                    status=status, status_checked_on=today, changed_at=now
                )
                changed.extend(pks)
            if updates:
                trail.record(
                    action="legal.validity_changed",
                    object_type="legal.legaldocument",
                    summary=f"{sum(len(p) for p in updates.values())} validity statuses changed",
                    changes={status: pks[:200] for status, pks in updates.items()},
                )
    return changed


def refresh_all(*, today: date | None = None) -> int:
    """Recompute every document whose status could have changed since it was last checked."""
    today = today or timezone.localdate()
    ids = LegalDocument.objects.values_list("pk", flat=True)
    return len(refresh(list(ids), today=today))
