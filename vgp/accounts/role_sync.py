"""Bring the role groups in line with ``roles.ROLE_PERMISSIONS``."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from vgp.audit.trail import record

from .roles import GROUP_NAMES, ROLE_PERMISSIONS

log = logging.getLogger(__name__)


def sync_roles() -> list[str]:
    """Create missing role groups and set each one's permissions; return what changed."""
    changes: list[str] = []
    with transaction.atomic():
        for role, name in GROUP_NAMES.items():
            group, created = Group.objects.get_or_create(name=name)
            wanted: set[int] = set()
            for perm in ROLE_PERMISSIONS.get(role, []):
                app_label, codename = perm.split(".", 1)
                found = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).values_list("id", flat=True)
                if not found:
                    log.warning("Role %s names the unknown permission %s", role, perm)
                wanted.update(found)
            current = set(group.permissions.values_list("id", flat=True))
            if created or current != wanted:
                group.permissions.set(wanted)
                changes.append(name)
                record(
                    action="accounts.sync_role",
                    obj=group,
                    summary=f"Role {role}: {len(wanted)} permissions",
                    changes={"permissions": [len(current), len(wanted)]},
                )
    return changes


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps

    # Run once, after the last app that receives the signal (Django skips apps without
    # models): by then every app's permissions exist.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    # Our receiver may run before Django's own for this last app, so make sure every app's
    # permissions exist first (idempotent).
    from django.contrib.auth.management import create_permissions

    for config in with_models:
        create_permissions(config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles()
