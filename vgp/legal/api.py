"""JSON API of the legal documents database: public, read only, no key needed.

- ``GET /api/v1/legal-documents``: published documents, filtered, searched and counted by facet;
- ``GET /api/v1/legal-documents/{id}``: one document with its structure (parts, chapters,
  sections, articles, clauses and points, each with its anchor and address), its relations
  both ways and its files;
- ``GET /api/v1/legal-search``: full-text search of documents or of their articles (Điều).

Filters take what people write: a type by id, name or abbreviation (``7``, ``Nghị định``,
``NĐ``), an issuer by agency code, abbreviation or name, a sector by id, slug or name. Repeat
a parameter for several values (``?year=2022&year=2023``): values of one filter are alternatives,
filters combine. A value that names nothing is a 422 with ``fields`` saying so in the caller's
language (``Accept-Language``).

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import StringConstraints

from vgp.api.validation import invalid_field
from vgp.core.text import fold
from vgp.search.engine import CANDIDATES

from . import presentation, queries
from .models import Category, DocumentType, LegalDocument, RelationKind, Sector, Validity
from .numbering import FIRST_YEAR, max_year
from .structure import Node

documents_router = Router(tags=["legal documents"])
search_router = Router(tags=["legal documents"])

MAX_PER_PAGE = 100
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


# --- output ---------------------------------------------------------------------------------


class TypeOut(Schema):
    id: int
    name: str = Field(description="Vietnamese name, e.g. Nghị định")
    name_en: str = Field(description="English name, e.g. Decree")
    abbreviation: str = Field(description="Code in symbols, e.g. NĐ; empty for Luật, Công văn")


class IssuerOut(Schema):
    code: str | None = Field(
        description="Electronic code in the agency registry (/api/v1/agencies); null for an "
        "issuer outside it, such as the National Assembly"
    )
    name: str = Field(description="Vietnamese name")
    name_en: str


class SectorOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str


class DocumentSummaryOut(Schema):
    """A document in a list. The field set is a published contract: add fields, never rename."""

    id: int = Field(description="Stable identifier; what /legal-documents/{id} takes")
    number_symbol: str = Field(description="Số, ký hiệu as printed, e.g. 83/2008/QĐ-TTg")
    type: TypeOut
    category: Category = Field(description="legal: legal normative; directive: administrative")
    issuer: IssuerOut | None
    title: str = Field(description="Trích yếu (Vietnamese)")
    title_en: str = Field(description="English title; empty when not translated")
    issued_date: dt.date | None
    effective_date: dt.date | None
    expiry_date: dt.date | None
    status: Validity = Field(description="Validity, recomputed from dates and relations")
    status_label: str = Field(description="Validity in the caller's language")
    sectors: list[SectorOut]
    url: str = Field(description="The document's page on the portal")


class DocumentHitOut(DocumentSummaryOut):
    snippet: str = Field(description="The passage that matched, plain text ('…' where cut)")
    snippet_html: str = Field(description="The same passage, HTML-escaped, matches in <mark>")


class FacetValueOut(Schema):
    value: str = Field(description="What to pass in the filter of the same name")
    label: str = Field(description="In the caller's language")
    count: int
    selected: bool


class Facets(Schema):
    type: list[FacetValueOut]
    issuer: list[FacetValueOut]
    year: list[FacetValueOut]
    status: list[FacetValueOut]
    category: list[FacetValueOut]
    sector: list[FacetValueOut]


class PageOut(Schema):
    count: int = Field(description="Matching documents (or articles) in all")
    count_exact: bool = Field(
        description=(
            "False for a question (more than four distinct words, ranked with no word "
            "required): count is then the number of best matches kept (at most "
            f"{CANDIDATES}), and the facet counts are counted among them"
        )
    )
    page: int
    pages: int = Field(description=f"Pages available (at most {queries.MAX_PAGE})")
    per_page: int
    next: str | None = Field(description="Address of the next page; null on the last")
    previous: str | None
    facets: Facets = Field(
        description=(
            "Matches per value of each filter, under the other filters: the values of a "
            "field being filtered on are alternatives, so each is counted as if chosen"
        )
    )


class DocumentListOut(PageOut):
    results: list[DocumentHitOut]


class NodeOut(Schema):
    kind: Literal[
        "preamble", "part", "chapter", "section", "subsection", "article", "clause", "point"
    ]
    number: str = Field(description="As in the text: II for Chương II, 32 for Điều 32, a")
    heading: str
    text: str = Field(description="The unit's own text; its clauses and points are children")
    anchor: str = Field(description="Stable fragment, e.g. dieu-32-khoan-1-diem-a")
    url: str = Field(description="The unit on the document's page")
    children: list["NodeOut"]


class DocumentRefOut(Schema):
    id: int
    number_symbol: str
    type: str
    title: str
    status: Validity
    url: str | None = Field(description="Null when the document is not published")


class RelationOut(Schema):
    kind: RelationKind = Field(
        description="What the source does to the target: amends, replaces, repeals, guides, "
        "based_on"
    )
    label: str = Field(description="As read from this document's side, in the caller's language")
    partial: bool = Field(description="Only some provisions are concerned")
    note: str
    document: DocumentRefOut | None = Field(description="The other document, when in the database")
    reference: str = Field(description="Its number, when it is not in the database yet")


class RelationsOut(Schema):
    outgoing: list[RelationOut] = Field(description="What this document does to others")
    incoming: list[RelationOut] = Field(description="What published documents do to this one")


class AttachmentOut(Schema):
    title: str
    url: str
    file_type: str = Field(description="PDF, DOCX…")
    size: int | None = Field(description="Bytes, when known")
    is_original: bool = Field(description="The signed original")


class DocumentOut(DocumentSummaryOut):
    """A whole document: metadata, structure, relations and files."""

    signer_name: str
    signer_position: str
    summary: str
    source_url: str
    status_checked_on: dt.date | None
    structure: list[NodeOut] = Field(
        description="Preamble, parts, chapters, sections, subsections and articles as a tree; "
        "each article holds its clauses and points"
    )
    relations: RelationsOut
    attachments: list[AttachmentOut]


class SearchHitOut(Schema):
    kind: Literal["document", "article"]
    document_id: int
    document_number: str
    document_type: str
    document_title: str
    document_url: str
    issued_date: dt.date | None
    status: Validity
    article_number: str | None = Field(description="The Điều's number, e.g. 32 (articles only)")
    article_heading: str | None
    anchor: str | None = Field(description="The article's fragment, e.g. dieu-32")
    url: str = Field(description="The document's page, with #anchor for an article")
    snippet: str = Field(description="Plain text")
    snippet_html: str = Field(description="HTML-escaped, matches in <mark>")
    score: float = Field(description="Relevance (0 when sorted by date)")


class SearchOut(PageOut):
    results: list[SearchHitOut]


# --- input ------------------------------------------------------------------------------------


def _one_of(values: list[str]) -> dict[str, Any]:
    return {"items": {"type": "string", "enum": values}}


# Lists are plain strings here and checked in _params: an item's error then names its filter
# ("status"), not pydantic's path to the item ("filters.status.0").
class DocumentFilters(Schema):
    q: Text = Field("", description='Words (accents optional, "phrases" exact) or a number')
    type: list[str] = Field(
        [], description="Type id, name or abbreviation: 7, Nghị định, NĐ (repeat for several)"
    )
    issuer: list[str] = Field(
        [], description="Agency code, abbreviation or name, or an issuer value of the facets"
    )
    year: list[str] = Field([], description=f"Year of issue, {FIRST_YEAR} or later")
    status: list[str] = Field(
        [], description="Validity", json_schema_extra=_one_of(list(Validity.values))
    )
    category: list[str] = Field(
        [],
        description="legal (legal normative) or directive (administrative)",
        json_schema_extra=_one_of(list(Category.values)),
    )
    sector: list[str] = Field([], description="Sector id, slug or name")
    sort: Literal["relevance", "newest", "oldest"] | None = Field(
        None, description="Default: relevance with q, newest without"
    )
    page: int = Field(1, ge=1, le=queries.MAX_PAGE)
    per_page: int = Field(queries.PER_PAGE, ge=1, le=MAX_PER_PAGE)


class SearchFilters(DocumentFilters):
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = (
        Field(description='Words (accents optional, "phrases" exact) or a document number')
    )
    kind: Literal["document", "article"] = Field(
        "document", description="Search whole documents, or their articles (Điều)"
    )


# --- filters: from what people write to index keys ---------------------------------------------


def _types(values: list[str], errors: list[dict[str, Any]]) -> list[int]:
    if not values:
        return []
    kinds = list(DocumentType.objects.all())
    found = []
    for value in values:
        folded = fold(value)
        match = next(
            (
                kind
                for kind in kinds
                if value == str(kind.pk)
                or folded in (fold(kind.name), fold(kind.name_en))
                or (kind.abbreviation and folded == fold(kind.abbreviation))
            ),
            None,
        )
        if match is None:
            errors.append(
                invalid_field(
                    "query",
                    "type",
                    _(
                        "No document type is called “%(value)s”. Give its id, its name "
                        "(Nghị định) or its abbreviation (NĐ)."
                    )
                    % {"value": value},
                )
            )
        else:
            found.append(match.pk)
    return found


def _sectors(values: list[str], errors: list[dict[str, Any]]) -> list[int]:
    if not values:
        return []
    sectors = list(Sector.objects.all())
    found = []
    for value in values:
        folded = fold(value)
        match = next(
            (
                sector
                for sector in sectors
                if value in (str(sector.pk), sector.slug)
                or folded in (fold(sector.name), fold(sector.name_en))
            ),
            None,
        )
        if match is None:
            errors.append(
                invalid_field(
                    "query",
                    "sector",
                    _("No sector is called “%(value)s”. Give its id, its slug or its name.")
                    % {"value": value},
                )
            )
        else:
            found.append(match.pk)
    return found


def _issuers(values: list[str]) -> list[int]:
    keys: list[int] = []
    for value in values:
        # The facets' own values are index keys (digits); agency codes never are.
        found = [int(value)] if value.isdigit() else queries.issuers_matching(value)
        keys.extend(key for key in found if key not in keys)
    return keys


def _values(values: list[str]) -> list[str]:
    """Non-empty, stripped, each once, at most 50 (a URL asking more is not a person)."""
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))[:50]


def _years(values: list[str], errors: list[dict[str, Any]]) -> list[int]:
    found = []
    for value in values:
        if not (value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= max_year()):
            errors.append(
                invalid_field(
                    "query",
                    "year",
                    _("Enter a year between %(first)d and %(last)d.")
                    % {"first": FIRST_YEAR, "last": max_year()},
                )
            )
        else:
            found.append(int(value))
    return found


def _choices(
    name: str, values: list[str], allowed: list[str], errors: list[dict[str, Any]]
) -> list[str]:
    found = [value for value in values if value in allowed]
    if len(found) < len(values):
        errors.append(
            invalid_field(
                "query", name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}
            )
        )
    return found


def _params(filters: DocumentFilters, kind: str, q: str) -> queries.SearchParams:
    errors: list[dict[str, Any]] = []
    params = queries.SearchParams(
        q=q,
        kind=kind,
        types=_types(_values(filters.type), errors),
        issuers=_issuers(_values(filters.issuer)),
        years=_years(_values(filters.year), errors),
        statuses=_choices("status", _values(filters.status), list(Validity.values), errors),
        categories=_choices("category", _values(filters.category), list(Category.values), errors),
        sectors=_sectors(_values(filters.sector), errors),
        sort=filters.sort or ("relevance" if q else "newest"),
        page=filters.page,
        per_page=filters.per_page,
    )
    if errors:
        raise NinjaValidationError(errors)
    return params


# --- shaping ----------------------------------------------------------------------------------


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _document_path(document: LegalDocument) -> str:
    """The Vietnamese (canonical) address, whatever language the caller reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return document.get_absolute_url()


def _sector_map(ids: list[int]) -> dict[int, list[Sector]]:
    through = LegalDocument.sectors.through
    found: dict[int, list[Sector]] = {}
    rows = through.objects.filter(legaldocument_id__in=ids).select_related("sector")
    for row in rows.order_by("sector__name"):
        found.setdefault(row.legaldocument_id, []).append(row.sector)
    return found


def _summary(
    request: HttpRequest, document: LegalDocument, sectors: list[Sector]
) -> dict[str, Any]:
    agency = document.issuer if document.issuer_id else None
    issuer = None
    if agency is not None:
        issuer = {"code": agency.code, "name": agency.name_vi, "name_en": agency.name_en}
    elif document.issuer_name:
        issuer = {"code": None, "name": document.issuer_name, "name_en": ""}
    kind = document.doc_type
    return {
        "id": document.pk,
        "number_symbol": document.number_symbol,
        "type": {
            "id": kind.pk,
            "name": kind.name,
            "name_en": kind.name_en,
            "abbreviation": kind.abbreviation,
        },
        "category": document.category,
        "issuer": issuer,
        "title": document.title,
        "title_en": document.title_en,
        "issued_date": document.issued_date,
        "effective_date": document.effective_date,
        "expiry_date": document.expiry_date,
        "status": document.status,
        "status_label": presentation.validity_label(document.status),
        "sectors": [
            {"id": s.pk, "slug": s.slug, "name": s.name, "name_en": s.name_en} for s in sectors
        ],
        "url": _absolute(request, _document_path(document)),
    }


def _facets(page: queries.SearchPage) -> dict[str, list[dict[str, Any]]]:
    label = presentation.FacetLabels(page.facets)
    return {
        name: [
            {
                "value": value.value,
                "label": label(name, value.value, value.label)[0],
                "count": value.count,
                "selected": value.selected,
            }
            for value in page.facets.get(name, [])
        ]
        for name in queries.FACETS
    }


def _page_links(request: HttpRequest, page: queries.SearchPage) -> dict[str, Any]:
    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    number = page.params.page
    return {
        "count": page.total,
        "count_exact": page.total_exact,
        "page": number,
        "pages": page.pages,
        "per_page": page.params.per_page,
        "next": link(number + 1) if page.has_next else None,
        "previous": link(number - 1) if page.has_previous and number <= page.pages else None,
        "facets": _facets(page),
    }


def _node(node: Node, base_url: str) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "number": node.number,
        "heading": node.heading,
        "text": node.text,
        "anchor": node.anchor,
        "url": f"{base_url}#{node.anchor}",
        "children": [_node(child, base_url) for child in node.children],
    }


def _relation(request: HttpRequest, relation: presentation.RelationView) -> dict[str, Any]:
    other = relation.other
    document = None
    if other is not None:
        document = {
            "id": other.document.pk,
            "number_symbol": other.document.number_symbol,
            "type": other.document.doc_type.name,
            "title": other.document.title,
            "status": other.document.status,
            "url": _absolute(request, _document_path(other.document))
            if other.document.live
            else None,
        }
    return {
        "kind": relation.kind,
        "label": relation.label,
        "partial": relation.partial,
        "note": relation.note,
        "document": document,
        "reference": relation.reference,
    }


# --- endpoints --------------------------------------------------------------------------------


@documents_router.get(
    "", response=DocumentListOut, summary="Published legal documents, filtered or searched"
)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> dict[str, Any]:
    """Without ``q``, the newest first; with it, the best matches first (a number in any
    spelling — ``83/2008/QD-TTg``, ``QĐ-TTg 83`` — finds its document first). ``facets``
    count the matches per value of each filter."""
    params = _params(filters, queries.KIND_DOCUMENT, filters.q)
    page = queries.search(params)
    sectors = _sector_map([hit.document.pk for hit in page.hits])
    results = [
        {
            **_summary(request, hit.document, sectors.get(hit.document.pk, [])),
            "snippet": hit.snippet.text,
            "snippet_html": str(hit.snippet.html),
        }
        for hit in page.hits
    ]
    return {**_page_links(request, page), "results": results}


@documents_router.get(
    "/{document_id}", response=DocumentOut, summary="One published legal document, whole"
)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    document = queries.document_for_page(document_id)
    if document is None:
        raise HttpError(
            404, _("No published legal document has the id %(id)s.") % {"id": document_id}
        )
    base_url = _absolute(request, _document_path(document))
    nodes = presentation.text_tree(document, stored=True)
    return {
        **_summary(request, document, list(document.sectors.all())),
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "summary": document.summary,
        "source_url": document.source_url,
        "status_checked_on": document.status_checked_on,
        "structure": [_node(node, base_url) for node in nodes],
        "relations": {
            "outgoing": [_relation(request, r) for r in presentation.outgoing_relations(document)],
            "incoming": [
                _relation(request, r)
                for r in presentation.incoming_relations(document, stored=True)
            ],
        },
        "attachments": [
            {
                "title": file.title,
                "url": _absolute(request, file.url),
                "file_type": file.file_type,
                "size": file.size,
                "is_original": file.is_original,
            }
            for file in presentation.attachments(document)
        ],
    }


@search_router.get("", response=SearchOut, summary="Full-text search of documents or articles")
def search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    """``kind=article`` searches the articles (Điều) one by one: each result names its
    document and article and links to the article (``…#dieu-32``). Filters apply to the
    article's document. ``q`` is required."""
    kind = queries.KIND_ARTICLE if filters.kind == "article" else queries.KIND_DOCUMENT
    params = _params(filters, kind, filters.q)
    page = queries.search(params)
    results = []
    for hit in page.hits:
        document = hit.document
        document_url = _absolute(request, _document_path(document))
        article = hit.article
        results.append(
            {
                "kind": "article" if article is not None else "document",
                "document_id": document.pk,
                "document_number": document.number_symbol,
                "document_type": document.doc_type.name,
                "document_title": document.title,
                "document_url": document_url,
                "issued_date": document.issued_date,
                "status": document.status,
                "article_number": article.number if article is not None else None,
                "article_heading": article.heading if article is not None else None,
                "anchor": article.anchor if article is not None else None,
                "url": f"{document_url}#{article.anchor}" if article is not None else document_url,
                "snippet": hit.snippet.text,
                "snippet_html": str(hit.snippet.html),
                "score": hit.score,
            }
        )
    return {**_page_links(request, page), "results": results}
