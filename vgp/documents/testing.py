"""Personas and documents for the tests of official documents (and the demo data).

The Government Office (VPCP, ``000.00.00.G22``) keeps the registers; two of its units take
part: the General Affairs Department (Vụ Tổng hợp, ``TH``) and the Legal Affairs Department
(Vụ Pháp luật, ``PL``). The Ministry of Home Affairs (BNV) is another agency in the registry.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any, cast

from django.utils import timezone

from vgp.accounts.models import User
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency, AgencyKind
from vgp.testing.factories import AgencyFactory, UserFactory

from . import actions
from .models import Document, DocumentType


def government_office() -> Agency:
    return cast(
        Agency,
        AgencyFactory(
            code="000.00.00.G22",
            name_vi="Văn phòng Chính phủ",
            name_en="Government Office",
            abbreviation="VPCP",
            kind=AgencyKind.MINISTRY_LEVEL,
        ),
    )


def unit(parent: Agency, code: str, name: str, abbreviation: str) -> Agency:
    return cast(
        Agency,
        AgencyFactory(
            code=code,
            name_vi=name,
            name_en="",
            abbreviation=abbreviation,
            kind=AgencyKind.UNIT,
            parent=parent,
        ),
    )


def general_affairs(office: Agency) -> Agency:
    return unit(office, "000.00.01.G22", "Vụ Tổng hợp", "TH")


def legal_affairs(office: Agency) -> Agency:
    return unit(office, "000.00.02.G22", "Vụ Pháp luật", "PL")


def home_affairs() -> Agency:
    return cast(
        Agency,
        AgencyFactory(
            code="000.00.00.G09",
            name_vi="Bộ Nội vụ",
            name_en="Ministry of Home Affairs",
            abbreviation="BNV",
            kind=AgencyKind.MINISTRY,
        ),
    )


def official(
    username: str, agency: Agency, *roles: Role, unit: Agency | None = None, name: str = ""
) -> User:
    last, _, first = name.rpartition(" ")
    return cast(
        User,
        UserFactory(
            username=username,
            agency=agency,
            unit=unit,
            first_name=first or username.title(),
            last_name=last,
            position="",
            roles=list(roles),
        ),
    )


def ensure_document_types() -> None:
    """The types migration 0002 adds (a transactional test's flush removes them)."""
    from django.apps import apps

    migration = importlib.import_module("vgp.documents.migrations.0002_document_types")
    migration.add_types(apps, None)


def doc_type(code: str = "CV") -> DocumentType:
    if not DocumentType.objects.filter(code=code).exists():
        ensure_document_types()
    return DocumentType.objects.get(code=code)


def incoming(clerk: Any, **overrides: Any) -> Document:
    """Công văn 1925/BNV-TCBC of the Ministry of Home Affairs, registered by ``clerk``."""
    values: dict[str, Any] = {
        "document_type": doc_type("CV"),
        "summary": "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của các bộ",
        "number_symbol": "1925/BNV-TCBC",
        "document_date": timezone.localdate() - dt.timedelta(days=2),
        "issuer_name": "Bộ Nội vụ",
    }
    values.update(overrides)
    return actions.register_incoming(clerk, **values)


def draft(handler: Any, **overrides: Any) -> Document:
    """A Công văn drafted by ``handler`` in reply, to be signed by ``signer``."""
    values: dict[str, Any] = {
        "document_type": doc_type("CV"),
        "summary": "Về việc tham gia ý kiến dự thảo Nghị định",
        "content": "Văn phòng Chính phủ có ý kiến như sau: thống nhất với dự thảo.",
    }
    values.update(overrides)
    return actions.create_draft(handler, **values)
