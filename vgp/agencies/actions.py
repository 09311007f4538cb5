"""The only code that changes agencies.

Each action checks the actor's permission (``actor=None`` means the system: a management
command or the demo loader), runs in one transaction, validates the model (``full_clean``) and
writes its audit record, with the before/after values, in that same transaction. Views, the
admin, the API and the importer call these functions; none of them saves an ``Agency``.

Rows that two writers can reach together are locked with ``select_for_update()``: the agencies
named by the action first (in primary-key order), then the units below them (in primary-key
order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts import permissions
from vgp.audit.trail import diff, record, snapshot

from .models import Agency, AgencyStatus

# Every field an action may set, and the fields whose before/after the audit trail keeps.
FIELDS: tuple[str, ...] = (
    "code",
    "name_vi",
    "name_en",
    "abbreviation",
    "kind",
    "parent",
    "address",
    "phone",
    "fax",
    "email",
    "website",
    "valid_from",
    "valid_to",
    "status",
    "successor",
    "note",
)
_FOREIGN_KEYS = {"parent", "successor"}
# Status changes need the permission of the matching action, whichever door they come from.
_STATUS_PERMISSION: dict[str, str] = {
    AgencyStatus.MERGED: "agencies.merge_agency",
    AgencyStatus.RETIRED: "agencies.retire_agency",
}


def _require(actor: Any, perm: str, obj: Agency | None = None) -> None:
    if actor is None:  # the system itself (commands, the demo loader)
        return
    permissions.require(actor, perm, obj)


def _check_field_names(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown agency fields: {', '.join(sorted(unknown))}")


def _summary(message: str, **params: Any) -> str:
    """Audit summaries are data: written in the installation's language, not the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


def pending_changes(agency: Agency, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields that ``fields`` would change on ``agency``."""
    _check_field_names(fields)
    after = {
        name: (value.pk if value is not None else None) if name in _FOREIGN_KEYS else value
        for name, value in fields.items()
    }
    return diff(snapshot(agency, fields.keys()), after)


def _status_permissions(actor: Any, agency: Agency | None, status: str | None) -> None:
    if status in _STATUS_PERMISSION:
        _require(actor, _STATUS_PERMISSION[status], agency)


def _save(agency: Agency, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            agency.save(**kwargs)
    except IntegrityError as exc:
        # full_clean() checked uniqueness, but another writer may have taken the code since.
        raise ValidationError(
            {"code": _("An agency with code %(code)s already exists.") % {"code": agency.code}}
        ) from exc


def create_agency(actor: Any, **fields: Any) -> Agency:
    """Register a new agency."""
    _require(actor, "agencies.add_agency")
    _check_field_names(fields)
    _status_permissions(actor, None, fields.get("status"))
    with transaction.atomic():
        agency = Agency(**fields)
        agency.full_clean()
        _save(agency, force_insert=True)
        record(
            action="agencies.create",
            actor=actor,
            obj=agency,
            summary=_summary(gettext_noop("Agency %(code)s registered."), code=agency.code),
            changes=diff({}, snapshot(agency, FIELDS)),
        )
    return agency


def update_agency(actor: Any, agency: Agency, **fields: Any) -> Agency:
    """Change some fields of ``agency``; returns the saved row (unchanged rows are not saved).

    Nothing is written, and nothing audited, when no field actually changes.
    """
    _require(actor, "agencies.change_agency", agency)
    _check_field_names(fields)
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        changes = pending_changes(locked, fields)
        if not changes:
            return locked
        if "status" in changes:
            _status_permissions(actor, locked, fields["status"])
        for name in changes:
            setattr(locked, name, fields[name])
        locked.full_clean()
        _save(locked, update_fields=[*changes, "updated_at"])
        record(
            action="agencies.update",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Agency %(code)s updated: %(fields)s."),
                code=locked.code,
                fields=", ".join(changes),
            ),
            changes=changes,
        )
    return locked


def _refuse(message: str, error_code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=error_code, params=params or None)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason (the decision that ordered it).")}, code="no_reason"
        )
    return reason


def _check_day(agency: Agency, on: dt.date) -> None:
    if agency.valid_from and on < agency.valid_from:
        raise _refuse(
            _("%(code)s only became valid on %(start)s; the date cannot be earlier."),
            "before_start",
            code=agency.code,
            start=agency.valid_from.strftime("%d/%m/%Y"),
        )


def _active_units(agency: Agency) -> list[Agency]:
    return list(
        Agency.objects.select_for_update()
        .filter(parent=agency, status=AgencyStatus.ACTIVE)
        .order_by("pk")
    )


def _ensure_active(agency: Agency, message: str) -> None:
    if agency.status != AgencyStatus.ACTIVE:
        raise _refuse(
            message, "not_active", code=agency.code, status=agency.get_status_display().lower()
        )


def retire_agency(actor: Any, agency: Agency, *, on: dt.date, reason: str) -> Agency:
    """Retire ``agency`` from ``on`` (its last valid day); its row and history are kept.

    Refused while it still has active units: retire or merge those first.
    """
    _require(actor, "agencies.retire_agency", agency)
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        _ensure_active(locked, _("%(code)s is already %(status)s."))
        _check_day(locked, on)
        units = _active_units(locked)
        if units:
            raise _refuse(
                _(
                    "%(code)s still has active units (%(units)s): retire them or merge them "
                    "into another agency first."
                ),
                "active_units",
                code=locked.code,
                units=", ".join(unit.code for unit in units),
            )
        before = snapshot(locked, FIELDS)
        locked.status = AgencyStatus.RETIRED
        locked.valid_to = on
        locked.full_clean()
        locked.save(update_fields=["status", "valid_to", "updated_at"])
        record(
            action="agencies.retire",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Agency %(code)s retired from %(day)s: %(reason)s"),
                code=locked.code,
                day=on.strftime("%d/%m/%Y"),
                reason=reason,
            ),
            changes={**diff(before, snapshot(locked, FIELDS)), "reason": [None, reason]},
        )
    return locked


def merge_agencies(
    actor: Any, source: Agency, target: Agency, *, on: dt.date, reason: str
) -> Agency:
    """Merge ``source`` into ``target`` on ``on`` (the last day ``source`` is valid).

    ``source`` becomes *merged* with ``target`` as successor; its active units move under
    ``target``. Refused when merging an agency into itself, into an agency that is no longer
    active, or into one of its own units (which would make the hierarchy a cycle).
    """
    _require(actor, "agencies.merge_agency", source)
    reason = _check_reason(reason)
    if source.pk == target.pk:
        raise _refuse(_("An agency cannot be merged into itself."), "into_itself")
    with transaction.atomic():
        rows = {
            row.pk: row
            for row in Agency.objects.select_for_update()
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }
        src, tgt = rows[source.pk], rows[target.pk]
        _ensure_active(src, _("%(code)s is already %(status)s."))
        _ensure_active(tgt, _("Cannot merge into %(code)s: it is %(status)s."))
        if tgt.valid_to and tgt.valid_to <= on:
            raise _refuse(
                _("Cannot merge into %(code)s: it is valid only until %(end)s."),
                "target_ends",
                code=tgt.code,
                end=tgt.valid_to.strftime("%d/%m/%Y"),
            )
        if any(node.pk == src.pk for node in tgt.ancestors()):
            raise _refuse(
                _(
                    "Cannot merge %(source)s into %(target)s: %(target)s is one of its units, "
                    "so the hierarchy would become a cycle."
                ),
                "cycle",
                source=src.code,
                target=tgt.code,
            )
        _check_day(src, on)
        units = _active_units(src)

        before = snapshot(src, FIELDS)
        src.status = AgencyStatus.MERGED
        src.successor = tgt
        src.valid_to = on
        src.full_clean()
        src.save(update_fields=["status", "successor", "valid_to", "updated_at"])
        record(
            action="agencies.merge",
            actor=actor,
            obj=src,
            summary=_summary(
                gettext_noop("Agency %(source)s merged into %(target)s from %(day)s: %(reason)s"),
                source=src.code,
                target=tgt.code,
                day=on.strftime("%d/%m/%Y"),
                reason=reason,
            ),
            changes={
                **diff(before, snapshot(src, FIELDS)),
                "reason": [None, reason],
                "units_moved": [None, [unit.code for unit in units]],
            },
        )
        for unit in units:
            unit_before = snapshot(unit, ["parent"])
            unit.parent = tgt
            unit.save(update_fields=["parent", "updated_at"])
            record(
                action="agencies.move_unit",
                actor=actor,
                obj=unit,
                summary=_summary(
                    gettext_noop("Unit %(code)s moved from %(source)s to %(target)s (merger)."),
                    code=unit.code,
                    source=src.code,
                    target=tgt.code,
                ),
                changes=diff(unit_before, snapshot(unit, ["parent"])),
            )
    return src
