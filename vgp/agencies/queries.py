"""Reads of the agency registry shared by the API and the admin (the registry is public)."""

from __future__ import annotations

import datetime as dt

from .models import Agency, AgencyQuerySet, AgencyStatus
from .search_text import terms

ALL_STATUSES = "all"


def registry() -> AgencyQuerySet:
    """Every agency, with what listings show of its parent and successor loaded in one query."""
    return Agency.objects.select_related("parent", "successor").order_by("code")


def search(queryset: AgencyQuerySet, query: str) -> AgencyQuerySet:
    """Agencies whose code, names or abbreviation contain every word of ``query``.

    Case and Vietnamese diacritics are ignored ("ha noi" finds "Hà Nội"): both sides are folded,
    the agency side once when it is saved (``search_text``).
    """
    for word in terms(query):
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def filter_registry(
    queryset: AgencyQuerySet,
    *,
    code: str | None = None,
    group: str | None = None,
    kind: str | None = None,
    status: str | None = AgencyStatus.ACTIVE,
    q: str | None = None,
    on: dt.date | None = None,
) -> AgencyQuerySet:
    """Apply the public filters; ``status`` *active* means active and valid on ``on`` (today)."""
    if code:
        queryset = queryset.filter(code=code.strip())
    if group:
        queryset = queryset.filter(group=group.strip().upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if status == AgencyStatus.ACTIVE:
        queryset = queryset.active(on)
    elif status and status != ALL_STATUSES:
        queryset = queryset.filter(status=status)
    if q:
        queryset = search(queryset, q)
    return queryset
