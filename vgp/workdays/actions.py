"""Changing the working-day calendar: atomic, permission-checked and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vgp.accounts import permissions
from vgp.audit import trail

from . import deadlines
from .models import CalendarOverride, OverrideKind

_AUDITED_FIELDS = ("date", "kind", "reason")


def _calendar_changed() -> None:
    # Now, so that this process (and this transaction) computes with the change; and again after
    # commit, so that a process that reloaded meanwhile does not keep the uncommitted state.
    deadlines.overrides_changed()
    transaction.on_commit(deadlines.overrides_changed)


def set_override(
    *,
    actor: Any,
    day: dt.date,
    kind: str,
    reason: str,
    override: CalendarOverride | None = None,
) -> CalendarOverride:
    """Make ``day`` an extra day off or a working day.

    Without ``override``, the entry for ``day`` is created, or changed if it exists. With it
    (the admin's edit form), that entry is changed and may move to another date; the unique
    date then guards against two entries for one day.
    """
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise ValidationError(_("Give a date."), code="invalid")
    if kind not in OverrideKind.values:
        raise ValidationError(_("Unknown kind of day."), code="invalid_choice")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason (the decision it follows)."), code="required")

    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update()
        if override is not None:
            current: CalendarOverride | None = existing.get(pk=override.pk)
        else:
            current = existing.filter(date=day).first()

        if current is None:
            permissions.require(actor, "workdays.add_calendaroverride")
            current = CalendarOverride(date=day, kind=kind, reason=reason)
            current.created_by = actor if getattr(actor, "is_authenticated", False) else None
            current.save(force_insert=True)
            trail.record(
                action="workdays.override_added",
                actor=actor,
                obj=current,
                summary=f"{day:%d/%m/%Y}: {kind}",
                changes=trail.diff({}, trail.snapshot(current, _AUDITED_FIELDS)),
            )
        else:
            permissions.require(actor, "workdays.change_calendaroverride", current)
            before = trail.snapshot(current, _AUDITED_FIELDS)
            current.date, current.kind, current.reason = day, kind, reason
            changes = trail.diff(before, trail.snapshot(current, _AUDITED_FIELDS))
            if not changes:
                return current  # saving the same values again is not an event
            current.save(update_fields=["date", "kind", "reason", "updated_at"])
            trail.record(
                action="workdays.override_changed",
                actor=actor,
                obj=current,
                summary=f"{day:%d/%m/%Y}: {kind}",
                changes=changes,
            )
        _calendar_changed()
    return current


def remove_override(*, actor: Any, override: CalendarOverride) -> None:
    """Delete an override; the day falls back to the statutory calendar."""
    with transaction.atomic():
        current = CalendarOverride.objects.select_for_update().get(pk=override.pk)
        permissions.require(actor, "workdays.delete_calendaroverride", current)
        before = trail.snapshot(current, _AUDITED_FIELDS)
        trail.record(
            action="workdays.override_removed",
            actor=actor,
            obj=current,
            summary=f"{current.date:%d/%m/%Y}: {current.kind}",
            changes=trail.diff(before, {}),
        )
        current.delete()
        _calendar_changed()
