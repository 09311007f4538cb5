"""The one place that decides what a user may see and change.

Two questions, always asked together:

1. Does one of the user's roles grant the Django permission (``app_label.codename``)?
2. Does the object belong to the user's agency (or one of its units)?  Holders of a
   nationwide role (IT administrator, auditor) and superusers pass this check everywhere.

Views, admin viewsets, the API and commands call :func:`can`, :func:`require` and
:func:`scope`; none of them re-implements these rules. A model opts into agency scoping with
:func:`register_scope`, naming the path from the model to its agency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy

from .roles import NATIONWIDE_ROLES, ROLE_BY_GROUP_NAME, Role

M = TypeVar("M", bound=models.Model)

# model -> lookup path to the owning agency, e.g. "agency" or "document__register__agency".
_SCOPES: dict[type[models.Model], str] = {}
# model -> predicate deciding whether the registry-wide objects are visible to anyone signed in.
_PUBLIC_READ: set[type[models.Model]] = set()


def register_scope(model: type[models.Model], agency_path: str) -> None:
    """Declare that objects of ``model`` belong to the agency reached by ``agency_path``."""
    _SCOPES[model] = agency_path


def register_public_read(model: type[models.Model]) -> None:
    """Declare that any signed-in official may view every object of ``model`` (a registry)."""
    _PUBLIC_READ.add(model)


def roles_of(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_vgp_roles", None)
    if cache is None:
        names = user.groups.values_list("name", flat=True)
        cache = {ROLE_BY_GROUP_NAME[n] for n in names if n in ROLE_BY_GROUP_NAME}
        user._vgp_roles = cache
    return set(cache)


def has_role(user: Any, role: Role | str) -> bool:
    return role in roles_of(user)


def is_nationwide(user: Any) -> bool:
    """True for users not limited to their own agency."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or roles_of(user) & NATIONWIDE_ROLES)


def agency_ids_of(user: Any) -> set[int]:
    """The agency of the user and every agency below it (its units), cached on the user."""
    cache = getattr(user, "_vgp_agency_ids", None)
    if cache is not None:
        return set(cache)
    ids: set[int] = set()
    if getattr(user, "agency_id", None):
        from vgp.agencies.models import with_units

        ids = with_units({user.agency_id})
    user._vgp_agency_ids = ids
    return set(ids)


def _agency_id_of(obj: models.Model) -> int | None:
    path = _SCOPES.get(type(obj))
    if path is None:
        return None
    value: Any = obj
    parts = path.split("__")
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return getattr(value, f"{parts[-1]}_id", None)


def can(user: Any, perm: str, obj: models.Model | None = None) -> bool:
    """May ``user`` use ``perm`` (``app_label.codename``), on ``obj`` if given?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.has_perm(perm):
        return False
    if obj is None or is_nationwide(user):
        return True
    if type(obj) in _PUBLIC_READ and perm.split(".")[-1].startswith("view_"):
        return True
    if type(obj) not in _SCOPES:
        # Unscoped models (registries, settings) are governed by the permission alone.
        return True
    agency_id = _agency_id_of(obj)
    return agency_id is not None and agency_id in agency_ids_of(user)


def require(user: Any, perm: str, obj: models.Model | None = None) -> None:
    """Raise ``PermissionDenied`` with a translated message unless :func:`can` allows it."""
    if not can(user, perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def scope(user: Any, queryset: models.QuerySet[M], perm: str | None = None) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see (and use ``perm`` on, when given)."""
    model = queryset.model
    meta = model._meta
    needed = perm or f"{meta.app_label}.view_{meta.model_name}"
    if not can(user, needed):
        return queryset.none()
    if is_nationwide(user) or model in _PUBLIC_READ or model not in _SCOPES:
        return queryset
    path = _SCOPES[model]
    return queryset.filter(Q(**{f"{path}__in": agency_ids_of(user)}))


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model policy, answering through :func:`can` and :func:`scope`.

    Give it to a viewset (``permission_policy = ScopedPermissionPolicy(Model)``) so that
    Wagtail's admin applies the same rules as the API and the actions.
    """

    def _perm(self, action: str) -> str:
        return f"{self.app_label}.{action}_{self.model_name}"

    def user_has_permission(self, user: Any, action: str) -> bool:
        return can(user, self._perm(action))

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return can(user, self._perm(action), instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> Any:
        return scope(user, self.model._default_manager.all(), self._perm(action))


class ViewOnlyPermissionPolicy(ScopedPermissionPolicy):
    """For a model whose admin only shows rows: nobody adds, edits or deletes one there, every
    change being a step through an action.

    Officials holding ``view_perm`` see the list, a row when ``can_view(user, row)`` and the
    rows of ``visible(user)`` — the domain's own reading rules (its ``queries``), so that the
    admin shows exactly what the domain's pages and actions allow.
    """

    def __init__(
        self,
        model: type[M],
        *,
        view_perm: str,
        can_view: Callable[[Any, M], bool],
        visible: Callable[[Any], models.QuerySet[M]],
    ) -> None:
        super().__init__(model)
        self.view_perm = view_perm
        self.can_view = can_view
        self.visible = visible

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and can(user, self.view_perm)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return action == "view" and self.can_view(user, instance)

    def instances_user_has_permission_for(self, user: Any, action: str) -> Any:
        if action != "view":
            return self.model._default_manager.none()
        return self.visible(user)
