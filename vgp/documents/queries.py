"""Who may see which official document: the one read path for the admin, the API and exports.

An unclassified document is seen by
- the clerks and leaders of the organisation whose register holds it (their agency and its
  units, as ``accounts.permissions`` scopes everything);
- every member of a unit that takes part in it (``Access`` rows naming a unit: the lead and
  supporting units, the drafting unit, whoever holds it), and of the units above that unit;
- each person named on it (``Access`` rows naming a user: handlers, reviewers, the signer);
- auditors (nationwide).

A classified document (``secrecy`` > 0) is seen only by the people named on it and by the
holders of the roles listed in its ``secret_roles`` in the organisation keeping it: not by a
unit as a whole, not by an auditor or an IT administrator (ADR 0014).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from vgp.accounts import permissions
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency

from .models import Access, Document, Secrecy

PERM_VIEW = "documents.view_document"
PERM_REGISTER = "documents.register_document"
PERM_DIRECT = "documents.direct_document"
PERM_ASSIGN = "documents.assign_document"
PERM_HANDLE = "documents.handle_document"
PERM_SIGN = "documents.sign_document"
PERM_REPORT = "documents.report_document"

# Roles that see their organisation's whole register (of unclassified documents).
REGISTER_ROLES = (Role.CLERK, Role.LEADER)


def unit_ids_of(user: Any) -> set[int]:
    """The user's unit and the units below it, cached on the user."""
    cache = getattr(user, "_vgp_document_units", None)
    if cache is None:
        from vgp.agencies.models import with_units

        cache = with_units({user.unit_id}) if getattr(user, "unit_id", None) else set()
        user._vgp_document_units = cache
    return set(cache)


def register_agency_ids(user: Any) -> set[int]:
    """The registers whose unclassified documents this user sees whole (clerks, leaders)."""
    if not any(permissions.has_role(user, role) for role in REGISTER_ROLES):
        return set()
    return permissions.agency_ids_of(user)


def secret_roles_q(user: Any) -> Q:
    """Classified documents of the user's organisation that one of the user's roles may read."""
    agency_ids = permissions.agency_ids_of(user)
    query = Q(pk__in=[])
    if not agency_ids:
        return query
    for role in permissions.roles_of(user):
        query |= Q(agency_id__in=agency_ids, secret_roles__contains=f",{role},")
    return query


def _named_q(user: Any) -> Q:
    return Q(pk__in=Access.objects.filter(user_id=user.pk).values("document_id"))


def classified_q(user: Any) -> Q:
    """The classified documents ``user`` may read: named on them, or by role."""
    return Q(secrecy__gt=Secrecy.NONE) & (_named_q(user) | secret_roles_q(user))


def visible_q(user: Any) -> Q:
    """The condition on ``Document`` for what ``user`` may see (see the module docstring)."""
    classified = classified_q(user)
    if permissions.is_nationwide(user):
        return Q(secrecy=Secrecy.NONE) | classified
    # Named on it or one of the user's units on it: a correlated EXISTS, probed through the
    # access table's unique (document, user) and (document, unit) indexes for each row a list
    # walks. An ``IN (subquery)`` would first gather every document of the unit (tens of
    # thousands in a large department) for a page that shows a few dozen.
    # Two EXISTS rather than one on ``user OR unit``: each is answered from its own index
    # alone, (user, document) or (unit, document); PostgreSQL hashes the ids of a large unit
    # (30,000 rows) from the index without reading the table.
    units = unit_ids_of(user)
    unclassified = Q(Exists(Access.objects.filter(user_id=user.pk, document_id=OuterRef("pk"))))
    if units:
        unclassified |= Q(
            Exists(Access.objects.filter(unit_id__in=units, document_id=OuterRef("pk")))
        )
    registers = register_agency_ids(user)
    if registers:  # first: the cheap test decides most rows of a clerk's list
        unclassified = Q(agency_id__in=registers) | unclassified
    return (Q(secrecy=Secrecy.NONE) & unclassified) | classified


def visible_documents(user: Any) -> QuerySet[Document]:
    """Every document ``user`` may see (none without the view permission)."""
    if not permissions.can(user, PERM_VIEW):
        return Document.objects.none()
    return Document.objects.filter(visible_q(user))


def within_view_q(user: Any, prefix: str = "document") -> Q:
    """A condition on rows pointing to a document (tasks, review steps) that the user may see
    them, for rows already limited to the user's own work or units: those rows' unclassified
    documents are visible by construction (their units or people are on ``Access``), so only
    a classified document is checked, against the few the user may read. Far cheaper than
    ``document__in=visible_documents(user)`` on a large register."""
    # "No classified document the user may not read": an anti-join probed by primary key
    # (or against the few classified documents, through ``documents_classified_idx``). Not
    # ``secrecy = 0 OR document_id IN (…)``: PostgreSQL charges that subquery to every row
    # of a nested loop and reads the whole register in a hash join instead.
    hidden = Document.objects.filter(pk=OuterRef(f"{prefix}_id"), secrecy__gt=Secrecy.NONE).exclude(
        _named_q(user) | secret_roles_q(user)
    )
    return ~Q(Exists(hidden))


def can_view(user: Any, document: Document) -> bool:
    return visible_documents(user).filter(pk=document.pk).exists()


def acts_for(user: Any, agency: Agency | int | None) -> bool:
    """Does ``user`` work in ``agency`` (the agency itself or one of its units)?"""
    if agency is None:
        return False
    agency_id = agency if isinstance(agency, int) else agency.pk
    return permissions.is_nationwide(user) or agency_id in permissions.agency_ids_of(user)


def in_unit(user: Any, unit: Agency | int | None) -> bool:
    """Is ``unit`` the user's unit or one below it (a department's head answers for its
    divisions)?"""
    if unit is None or not getattr(user, "unit_id", None):
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    return unit_id in unit_ids_of(user)
