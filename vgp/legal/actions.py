"""State changes of the legal documents database. Each is atomic and audited.

Staff edit documents through Wagtail's snippet views (drafts, workflow "draft → check →
published", revisions), which Wagtail audits and the audit bridge copies into the chain.
What must follow a publication — the document's structure rebuilt from its text, relations
linked to the documents they name, validity recomputed, the search index refreshed — is
:func:`after_publication`, called by Wagtail's ``published``/``unpublished`` signals for this
model (the only way in from Wagtail's publish action) and directly by the importer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from vgp.audit import trail

from . import search_index, validity
from .models import DocumentRelation, LegalDocument, Provision, ProvisionKind
from .numbering import parse_symbol
from .structure import Node, parse_text

# The structural units stored as rows; clauses and points are parsed from an article's text
# when shown (structure.parse_article_body), with the same anchors.
STORED_KINDS = {
    "preamble": ProvisionKind.PREAMBLE,
    "part": ProvisionKind.PART,
    "chapter": ProvisionKind.CHAPTER,
    "section": ProvisionKind.SECTION,
    "subsection": ProvisionKind.SUBSECTION,
    "article": ProvisionKind.ARTICLE,
}


def apply_symbol(document: LegalDocument) -> None:
    """Fill the parsed parts of ``number_symbol`` (raises numbering.SymbolError)."""
    if not document.number_symbol.strip():
        document.number_symbol = ""
        document.number = document.type_code = document.issuer_code = document.unit_code = ""
        document.year = None
        document.symbol_key = ""
        return
    symbol = parse_symbol(document.number_symbol)
    document.number_symbol = symbol.canonical
    document.number = symbol.number
    document.year = symbol.year
    document.type_code = symbol.type_code
    document.issuer_code = symbol.issuer_code
    document.unit_code = symbol.unit
    document.symbol_key = symbol.key


def provisions_from_nodes(document: LegalDocument, nodes: Sequence[Node]) -> list[Provision]:
    """Provision rows (unsaved, ``parent`` as the Python object) for parsed ``nodes``."""
    rows: list[Provision] = []

    def walk(node: Node, parent: Provision | None) -> None:
        kind = STORED_KINDS.get(node.kind)
        if kind is None:
            return
        if kind == ProvisionKind.ARTICLE or kind == ProvisionKind.PREAMBLE:
            text = node.full_text()
        else:
            text = node.text
        row = Provision(
            document=document,
            kind=kind,
            number=node.number[:20],
            heading=node.heading[:500],
            text=text,
            anchor=node.anchor[:120],
            position=len(rows),
        )
        row._parent_row = parent  # type: ignore[attr-defined]
        rows.append(row)
        if kind != ProvisionKind.ARTICLE:
            for child in node.children:
                walk(child, row)

    for node in nodes:
        walk(node, None)
    return rows


def save_provisions(document: LegalDocument, rows: list[Provision]) -> None:
    """Replace the document's provisions with ``rows`` (parents saved before children)."""
    Provision.objects.filter(document=document).delete()
    pending = list(rows)
    saved: set[int] = set()
    while pending:
        ready = [
            row
            for row in pending
            if row._parent_row is None or id(row._parent_row) in saved  # type: ignore[attr-defined]
        ]
        for row in ready:
            parent = row._parent_row  # type: ignore[attr-defined]
            row.parent_id = parent.pk if parent is not None else None
        Provision.objects.bulk_create(ready, batch_size=500)
        saved.update(id(row) for row in ready)
        pending = [row for row in pending if id(row) not in saved]


def rebuild_structure(document: LegalDocument) -> int:
    """Parse the document's full text into its provisions; return the number of articles."""
    rows = provisions_from_nodes(document, parse_text(document.body))
    save_provisions(document, rows)
    return sum(1 for row in rows if row.kind == ProvisionKind.ARTICLE)


def link_relations(documents: Iterable[LegalDocument]) -> set[int]:
    """Point relations that name these documents by number at them; return affected ids."""
    affected: set[int] = set()
    for document in documents:
        if not document.symbol_key:
            continue
        pending = DocumentRelation.objects.filter(target__isnull=True).exclude(target_reference="")
        for relation in pending.filter(target_reference__iexact=document.number_symbol):
            relation.target = document
            relation.save(update_fields=["target"])
            affected.update({relation.source_id, document.pk})
        # Other spellings of the same number ("QD" for "QĐ"): compare parsed keys.
        for relation in pending.filter(target_reference__icontains=document.number or "~"):
            try:
                key = parse_symbol(relation.target_reference).key
            except ValueError:
                continue
            if key == document.symbol_key:
                relation.target = document
                relation.save(update_fields=["target"])
                affected.update({relation.source_id, document.pk})
    return affected


def resolve_own_references(document: LegalDocument) -> None:
    """Link this document's relations that name a target by number only."""
    for relation in document.relations.filter(target__isnull=True).exclude(target_reference=""):
        try:
            key = parse_symbol(relation.target_reference).key
        except ValueError:
            continue
        target = LegalDocument.objects.filter(symbol_key=key).exclude(pk=document.pk).first()
        if target is not None:
            relation.target = target
            relation.save(update_fields=["target"])


def after_publication(document: LegalDocument, *, actor: Any = None) -> None:
    """Everything a (re)publication or unpublication implies, in the caller's transaction."""
    with transaction.atomic():
        articles = rebuild_structure(document) if document.live else 0
        if not document.live:
            Provision.objects.filter(document=document).delete()
        resolve_own_references(document)
        affected = {document.pk} | link_relations([document])
        affected |= set(
            document.relations.exclude(target__isnull=True).values_list("target_id", flat=True)
        )
        validity.refresh(affected)
        trail.record(
            action="legal.structure_rebuilt" if document.live else "legal.withdrawn_from_index",
            actor=actor,
            obj=document,
            summary=f"{document}: {articles} articles",
            changes={"articles": articles, "affected": sorted(affected)},
        )
        search_index.schedule(affected)
