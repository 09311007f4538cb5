"""Bring the role groups in line with ``roles.py``.

Three kinds of rights, all data in ``roles.py`` and all set exactly (what a role does not list,
its group loses):

- Django model permissions (``ROLE_PERMISSIONS``);
- Wagtail page permissions (``ROLE_PAGE_PERMISSIONS``) on the page trees that domains register
  with :func:`register_page_roots` — the accounts app does not know which pages exist;
- Wagtail collection permissions (``ROLE_COLLECTION_PERMISSIONS``) on the root collection.

Domains that build on the groups (a moderation workflow whose reviewers are role groups)
register a step with :func:`register_follow_up`; it runs after the groups are in line, in the
same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from vgp.audit.trail import record

from .roles import GROUP_NAMES, ROLE_COLLECTION_PERMISSIONS, ROLE_PAGE_PERMISSIONS, ROLE_PERMISSIONS

log = logging.getLogger(__name__)

PageRoots = Callable[[], Iterable[Any]]
FollowUp = Callable[[], list[str]]

_PAGE_ROOTS: dict[str, PageRoots] = {}
_FOLLOW_UPS: dict[str, FollowUp] = {}


def register_page_roots(name: str, roots: PageRoots) -> None:
    """Declare pages whose trees carry the roles' page permissions (``roots()`` lists them)."""
    _PAGE_ROOTS[name] = roots


def register_follow_up(name: str, step: FollowUp) -> None:
    """Run ``step()`` at the end of every sync; it returns what it changed (empty: nothing)."""
    _FOLLOW_UPS[name] = step


def sync_roles() -> list[str]:
    """Create missing role groups and set each one's permissions; return what changed."""
    changes: list[str] = []
    with transaction.atomic():
        roots = _page_roots()
        for role, name in GROUP_NAMES.items():
            group, created = Group.objects.get_or_create(name=name)
            changed = _sync_model_permissions(role, group, created)
            changed = _sync_page_permissions(role, group, roots) or changed
            changed = _sync_collection_permissions(role, group) or changed
            if changed:
                changes.append(name)
        for step in _FOLLOW_UPS.values():
            changes.extend(step())
    return changes


def _permission_ids(role: str, names: Iterable[str]) -> set[int]:
    wanted: set[int] = set()
    for perm in names:
        app_label, codename = perm.split(".", 1)
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).values_list("id", flat=True)
        if not found:
            log.warning("Role %s names the unknown permission %s", role, perm)
        wanted.update(found)
    return wanted


def _sync_model_permissions(role: str, group: Group, created: bool) -> bool:
    wanted = _permission_ids(role, ROLE_PERMISSIONS.get(role, []))
    current = set(group.permissions.values_list("id", flat=True))
    if not created and current == wanted:
        return False
    group.permissions.set(wanted)
    record(
        action="accounts.sync_role",
        obj=group,
        summary=f"Role {role}: {len(wanted)} permissions",
        changes={"permissions": [len(current), len(wanted)]},
    )
    return True


def _page_roots() -> list[Any]:
    roots: dict[int, Any] = {}
    for provider in _PAGE_ROOTS.values():
        for page in provider():
            roots[page.pk] = page
    return [roots[pk] for pk in sorted(roots)]


def _sync_rows(
    model: Any, object_field: str, group: Group, wanted: set[tuple[int, int]]
) -> set[tuple[int, int]] | None:
    """Make ``group``'s ``(object, permission)`` rows of ``model`` (Wagtail's per-page or
    per-collection permissions) exactly ``wanted``. Returns the rows there were before, or
    ``None`` when nothing had to change."""
    rows = model.objects.filter(group=group)
    current = set(rows.values_list(object_field, "permission_id"))
    if current == wanted:
        return None
    for object_id, perm_id in current - wanted:
        rows.filter(**{object_field: object_id}, permission_id=perm_id).delete()
    model.objects.bulk_create(
        model(group=group, permission_id=perm_id, **{object_field: object_id})
        for object_id, perm_id in sorted(wanted - current)
    )
    return current


def _sync_page_permissions(role: str, group: Group, roots: list[Any]) -> bool:
    perm_ids = _permission_ids(
        role, (f"wagtailcore.{action}_page" for action in ROLE_PAGE_PERMISSIONS.get(role, []))
    )
    wanted = {(page.pk, perm_id) for page in roots for perm_id in perm_ids}
    current = _sync_rows(GroupPagePermission, "page_id", group, wanted)
    if current is None:
        return False
    record(
        action="accounts.sync_role_pages",
        obj=group,
        summary=f"Role {role}: {len(wanted)} page permissions on {len(roots)} page trees",
        changes={"page_permissions": [sorted(current), sorted(wanted)]},
    )
    return True


def _sync_collection_permissions(role: str, group: Group) -> bool:
    root = Collection.get_first_root_node()
    perm_ids = _permission_ids(role, ROLE_COLLECTION_PERMISSIONS.get(role, []))
    wanted = {(root.pk, perm_id) for perm_id in perm_ids} if root is not None else set()
    current = _sync_rows(GroupCollectionPermission, "collection_id", group, wanted)
    if current is None:
        return False
    record(
        action="accounts.sync_role_collections",
        obj=group,
        summary=f"Role {role}: {len(wanted)} collection permissions",
        changes={"collection_permissions": [sorted(current), sorted(wanted)]},
    )
    return True


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
