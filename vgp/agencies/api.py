"""The public agency registry API (``/api/v1/agencies``): read only, no sign-in needed.

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from . import queries
from .models import Agency, AgencyKind

router = Router(tags=["agencies"])


class ContactsOut(Schema):
    address: str
    phone: str
    fax: str
    email: str
    website: str


class AgencyOut(Schema):
    """One agency. The field set is a published contract: add fields, never rename them."""

    code: str
    code_form: Literal["qcvn102", "qd20"] = Field(
        description="qcvn102: 13-character LLL.KK.JJ.Xnn; qd20: dotted form of Decision 20/2020"
    )
    name_vi: str
    name_en: str
    abbreviation: str = Field(description="Used in document symbols, e.g. VPCP, BNV, TTg")
    group: str = Field(description="Level-1 group letter, A to K")
    kind: str
    parent_code: str | None
    status: Literal["active", "merged", "retired"]
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None
    contacts: ContactsOut

    @staticmethod
    def resolve_parent_code(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent is not None else None

    @staticmethod
    def resolve_successor_code(obj: Agency) -> str | None:
        return obj.successor.code if obj.successor is not None else None

    @staticmethod
    def resolve_contacts(obj: Agency) -> dict[str, str]:
        return {
            "address": obj.address,
            "phone": obj.phone,
            "fax": obj.fax,
            "email": obj.email,
            "website": obj.website,
        }


class AgencyFilters(Schema):
    code: str | None = Field(None, description="Exact electronic code")
    group: str | None = Field(None, pattern="^[A-Ka-k]$", description="Level-1 group letter")
    kind: AgencyKind | None = None
    status: Literal["active", "merged", "retired", "all"] = Field(
        "active", description="active (valid today, the default), merged, retired or all"
    )
    q: str | None = Field(
        None,
        max_length=200,
        description="Words of the name, code or abbreviation; accents optional",
    )


@router.get("", response=list[AgencyOut], summary="List agencies")
@paginate(LimitOffsetPagination)
def list_agencies(request: HttpRequest, filters: Query[AgencyFilters]) -> object:
    """The registry, ordered by code; ``count`` is the number of matches before paging."""
    return queries.filter_registry(
        queries.registry(),
        code=filters.code,
        group=filters.group,
        kind=filters.kind,
        status=filters.status,
        q=filters.q,
    )


@router.get("/{code}", response=AgencyOut, summary="One agency by its electronic code")
def get_agency(request: HttpRequest, code: str) -> Agency:
    """Any agency, whatever its status: merged and retired codes stay resolvable."""
    agency = queries.registry().filter(code=code).first()
    if agency is None:
        raise HttpError(404, _("No agency has the code %(code)s.") % {"code": code})
    return agency
