"""State changes of accounts, second factors and API keys: atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vgp.agencies.models import Agency
from vgp.audit.trail import record
from vgp.core.versions import SharedVersion

from . import permissions
from .models import ApiKey, User, generate_api_key, hash_api_key
from .roles import GROUP_NAMES

# Writing last_used_at on every call would turn each API read into a write; a minute's
# precision is what an administrator needs to see whether a key is in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def create_official(
    actor: Any,
    *,
    username: str,
    password: str | None,
    agency: Agency | None,
    roles: Iterable[str] = (),
    unit: Agency | None = None,
    **fields: Any,
) -> User:
    """Create an account; ``actor=None`` means the system (commands, demo data)."""
    if actor is not None:
        permissions.require(actor, "accounts.add_user")
    with transaction.atomic():
        user = User(username=username, agency=agency, unit=unit, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        role_list = sorted(set(roles))
        if role_list:
            user.groups.set(
                [Group.objects.get_or_create(name=GROUP_NAMES[r])[0] for r in role_list]
            )
        record(
            action="accounts.create_official",
            actor=actor,
            obj=user,
            summary=f"Account {username} created",
            changes={"agency": [None, agency.code if agency else None], "roles": [[], role_list]},
        )
    return user


def start_totp_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first call (one per user)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


def confirm_totp_device(user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with a correct code; returns False (nothing changed) if wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not device.verify_token(token.strip().replace(" ", "")):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(
            action="accounts.enrol_totp",
            actor=user,
            obj=user,
            summary="Second factor (TOTP) enrolled",
            object_repr=user.get_username(),
        )
    return True


def reset_second_factor(actor: Any, user: User, *, reason: str) -> int:
    """Remove a user's TOTP devices (lost phone) so that they enrol again at next sign-in."""
    permissions.require(actor, "accounts.change_user", user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for resetting the second factor.")})
    with transaction.atomic():
        count, _details = TOTPDevice.objects.filter(user=user).delete()
        record(
            action="accounts.reset_totp",
            actor=actor,
            obj=user,
            summary=reason[:500],
            changes={"devices": [count, 0]},
        )
    return count


def unlock_sign_in(actor: Any, user: User) -> int:
    """Lift the pause on a user's sign-in after too many failures; returns attempts cleared."""
    from axes.utils import reset as reset_failed_attempts

    permissions.require(actor, "accounts.change_user", user)
    with transaction.atomic():
        cleared = reset_failed_attempts(username=user.get_username())
        record(
            action="accounts.unlock_sign_in",
            actor=actor,
            obj=user,
            summary=f"{cleared} failed sign-in records cleared",
        )
    return cleared


def issue_api_key(actor: Any, *, agency: Agency, name: str) -> tuple[ApiKey, str]:
    """Create a key for an agency's system; returns the key and its raw value (shown once)."""
    if actor is not None:
        permissions.require(actor, "accounts.add_apikey")
    if not name.strip():
        raise ValidationError({"name": _("Name the system that will use this key.")})
    if not agency.is_active_on(timezone.localdate()):
        raise ValidationError({"agency": _("API keys can only be issued to an active agency.")})
    raw, prefix, key_hash = generate_api_key()
    with transaction.atomic():
        key = ApiKey.objects.create(
            agency=agency,
            name=name.strip(),
            prefix=prefix,
            key_hash=key_hash,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record(
            action="accounts.issue_api_key",
            actor=actor,
            obj=key,
            agency_code=None if actor else agency.code,
            summary=f"API key {prefix}… issued to {agency.code} for {key.name}",
        )
    return key, raw


def revoke_api_key(actor: Any, key: ApiKey, *, reason: str = "") -> ApiKey:
    if actor is not None:
        permissions.require(actor, "accounts.revoke_apikey", key)
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key.pk)
        if key.revoked_at is not None:
            return key
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        transaction.on_commit(forget_api_keys)
        record(
            action="accounts.revoke_api_key",
            actor=actor,
            obj=key,
            summary=reason[:500] or "revoked",
            changes={"revoked_at": [None, key.revoked_at]},
        )
    return key


# Keys found are kept in each process for API_KEY_CACHE_SECONDS, so that a busy agency system
# costs no query per call (the feedback intake, ADR 0013). A revocation bumps a shared version
# (vgp.core.versions): the revoking process forgets its keys at once, every other process
# within a second. An agency closed in the registry stops its keys within API_KEY_CACHE_SECONDS.
API_KEY_CACHE_SECONDS = 30
API_KEY_CACHE_MAX = 1000
_keys_version = SharedVersion("vgp:accounts:api-keys-version")
_found_keys: dict[str, tuple[float, str, ApiKey]] = {}
_found_lock = threading.Lock()


def forget_api_keys() -> None:
    """Make every process look its keys up again (after a revocation)."""
    _keys_version.bump()
    _found_keys.clear()


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key matching ``raw``, with its last-used time refreshed; else ``None``."""
    if not raw:
        return None
    key_hash = hash_api_key(raw.strip())
    version = _keys_version.current()
    now_mono = time.monotonic()
    found = _found_keys.get(key_hash)
    key: ApiKey | None
    if found is not None and found[0] > now_mono and found[1] == version:
        key = found[2]
    else:
        key = (
            ApiKey.objects.select_related("agency")
            .filter(key_hash=key_hash, revoked_at__isnull=True)
            .first()
        )
        if key is None:
            return None
        with _found_lock:
            if len(_found_keys) >= API_KEY_CACHE_MAX:
                _found_keys.clear()
            _found_keys[key_hash] = (now_mono + API_KEY_CACHE_SECONDS, version, key)
    if not key.agency.is_active_on(timezone.localdate()):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        # A bookkeeping timestamp, not a state change of the key: not audited.
        key.last_used_at = now
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
