"""Numbers of official documents (Decree 30/2020/NĐ-CP): incoming numbers and issued numbers.

Every number comes from a ``NumberingSeries`` row, drawn by :func:`draw` inside the transaction
that stores the document. The row is created if missing (an insert that ignores a conflict, so
two first registrations of a year cannot both create it) and then locked with
``SELECT … FOR UPDATE``: a second registration waits until the first commits or rolls back,
and a rollback gives the number back. That is what makes the series gap-free and free of
duplicates under concurrency (ADR 0014); the unique constraints on ``Document`` are the last
line of defence.

Series (``key``):

============================  =====================================================
``in``                        incoming documents, per register and calendar year
``in-secret``                 classified incoming documents (their own register)
``out:<type code>``           issued administrative documents of one type
``legal:<type code>``         issued legal normative documents of one type
``secret``                    issued classified documents, every type together
============================  =====================================================
"""

from __future__ import annotations

from django.db import transaction

from vgp.agencies.models import Agency
from vgp.legal.numbering import DocumentSymbol, SymbolError, parse_symbol

from .models import Document, DocumentType, NumberingSeries, Secrecy

__all__ = [
    "DocumentSymbol",
    "SymbolError",
    "draw",
    "format_number",
    "incoming_series",
    "issued_notation",
    "number_symbol",
    "outgoing_series",
    "parse_symbol",
]


def incoming_series(secrecy: int) -> str:
    return "in-secret" if secrecy > Secrecy.NONE else "in"


def outgoing_series(document_type: DocumentType, *, legal_normative: bool, secrecy: int) -> str:
    if secrecy > Secrecy.NONE:
        return "secret"
    if legal_normative:
        return f"legal:{document_type.code}"
    return f"out:{document_type.code}"


def draw(agency_id: int, year: int, key: str) -> int:
    """The next number of a series, locked until the caller's transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.draw() must run inside the transaction storing the number")
    NumberingSeries.objects.bulk_create(
        [NumberingSeries(agency_id=agency_id, year=year, key=key)], ignore_conflicts=True
    )
    series = NumberingSeries.objects.select_for_update().get(
        agency_id=agency_id, year=year, key=key
    )
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number


def format_number(number: int) -> str:
    """Numbers below 10 take a leading zero (Decree 30): ``05``, ``15``, ``1925``."""
    return f"{number:02d}"


def issued_notation(document: Document) -> str:
    """The symbol after the number (and year): ``QĐ-BNV``, ``VPCP-WebCP``, ``NĐ-CP``.

    Organisation and unit abbreviations come from the registry (``Agency.abbreviation``); a
    Công văn carries the drafting unit's abbreviation after the organisation's."""
    agency: Agency = document.agency
    organisation = _abbreviation(agency)
    unit = document.drafting_unit
    unit_abbreviation = (
        unit.abbreviation if unit is not None and unit.pk != agency.pk and unit.abbreviation else ""
    )
    type_abbreviation = document.document_type.abbreviation
    if type_abbreviation:
        parts = [type_abbreviation, organisation]
    else:
        parts = [organisation, unit_abbreviation]
    return "-".join(part for part in parts if part)


def number_symbol(number: str, notation: str, *, year: int | None) -> str:
    """``15/QĐ-BNV``; a legal normative document adds its year: ``83/2008/QĐ-TTg``."""
    if year is not None:
        return f"{number}/{year}/{notation}"
    return f"{number}/{notation}"


def _abbreviation(agency: Agency) -> str:
    # A unit without a register of its own signs with its agency's abbreviation.
    node: Agency | None = agency
    while node is not None:
        if node.abbreviation:
            return node.abbreviation
        node = node.parent
    return agency.code
