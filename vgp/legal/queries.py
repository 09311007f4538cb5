"""Reads of the legal documents database for the public pages, the API and the gazette.

:func:`search` is the one entry to full-text search: documents or articles, with filters,
facet counts, sorting, highlighted snippets and pagination. It asks the index (ADR 0010) for
ids, then loads the rows, keeping only published documents, in the index's order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vgp.agencies.models import Agency
from vgp.search.engine import Query, get_index
from vgp.search.snippets import Snippet, make_snippet

from . import search_index
from .models import (
    Category,
    DocumentRelation,
    DocumentType,
    LegalDocument,
    Provision,
    ProvisionKind,
    Sector,
    Validity,
)
from .numbering import query_identifier_terms

PER_PAGE = 20
MAX_PAGE = 500  # deep pages are not useful to read and cost the index; refine instead

KIND_DOCUMENT = "document"
KIND_ARTICLE = "article"
SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
}
FACETS = ("type", "issuer", "year", "status", "category", "sector")
FACET_LABELS = {
    "type": _("Type"),
    "issuer": _("Issuer"),
    "year": _("Year of issue"),
    "status": _("Validity"),
    "category": _("Category"),
    "sector": _("Sector"),
}
_STATUS_BY_CODE = {code: status for status, code in search_index.STATUS_CODES.items()}
_CATEGORY_BY_CODE = {code: cat for cat, code in search_index.CATEGORY_CODES.items()}


@dataclass
class SearchParams:
    """What a person asks: text, filters (index codes), sort, page and kind."""

    q: str = ""
    kind: str = KIND_DOCUMENT
    types: list[int] = field(default_factory=list)
    issuers: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # Validity values
    categories: list[str] = field(default_factory=list)  # Category values
    sectors: list[int] = field(default_factory=list)
    document: int | None = None  # articles of one document only
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    def filters(self) -> dict[str, list[int]]:
        found = {
            "type": self.types,
            "issuer": self.issuers,
            "year": self.years,
            "status": [search_index.STATUS_CODES[Validity(s)] for s in self.statuses],
            "category": [search_index.CATEGORY_CODES[c] for c in self.categories],
            "sector": self.sectors,
        }
        if self.document and self.kind == KIND_ARTICLE:
            found["document"] = [self.document]
        return {name: values for name, values in found.items() if values}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchHit:
    document: LegalDocument
    score: float
    snippet: Snippet
    article: Provision | None = None

    @property
    def url(self) -> str:
        if self.article is not None:
            return self.article.get_absolute_url()
        return self.document.get_absolute_url()


@dataclass
class SearchPage:
    params: SearchParams
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]
    # False for a question (a long query, ranked by BM25 with no word required): ``total``
    # is then the number of its best matches kept (at most ``engine.CANDIDATES``) and the
    # facet counts are counted among them (ADR 0010).
    total_exact: bool = True

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.params.per_page)))

    @property
    def has_next(self) -> bool:
        return self.params.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1


def search(params: SearchParams, *, with_facets: bool = True) -> SearchPage:
    page = max(1, min(params.page, MAX_PAGE))
    params.page = page
    spec = search_index.ARTICLES if params.kind == KIND_ARTICLE else search_index.DOCUMENTS
    query = Query(
        text=params.q,
        identifiers=query_identifier_terms(params.q) if params.q else (),
        filters=params.filters(),
        sort=params.sort if params.sort in SORTS else "relevance",
        offset=(page - 1) * params.per_page,
        limit=params.per_page,
        facets=FACETS if with_facets else (),
    )
    result = get_index(spec).search(query)
    terms = result.parsed.highlight_terms
    ids = [hit.id for hit in result.hits]
    hits: list[SearchHit] = []
    if params.kind == KIND_ARTICLE:
        articles = {
            a.pk: a
            for a in Provision.objects.filter(
                pk__in=ids, kind=ProvisionKind.ARTICLE, document__live=True
            ).select_related("document", "document__doc_type", "document__issuer")
        }
        for hit in result.hits:
            article = articles.get(hit.id)
            if article is None:
                continue
            text = f"{article.heading}. {article.text}"
            hits.append(
                SearchHit(
                    document=article.document,
                    article=article,
                    score=hit.score,
                    snippet=make_snippet(text, terms),
                )
            )
    else:
        documents = {
            d.pk: d
            for d in LegalDocument.objects.published()
            .filter(pk__in=ids)
            .select_related("doc_type", "issuer")
        }
        for hit in result.hits:
            document = documents.get(hit.id)
            if document is None:
                continue
            text = document.summary or document.body[:20000] or document.title
            hits.append(
                SearchHit(document=document, score=hit.score, snippet=make_snippet(text, terms))
            )
    facets = _facet_values(result.facets, params) if with_facets else {}
    return SearchPage(
        params=params,
        hits=hits,
        total=result.total,
        facets=facets,
        total_exact=result.total_exact,
    )


def _issuer_labels() -> dict[int, str]:
    """Index issuer keys → names (agencies in the registry, and printed names outside it)."""
    labels = cache.get("legal:issuer-labels")
    if labels is None:
        labels = {}
        rows = (
            LegalDocument.objects.order_by()
            .values_list("issuer_id", "issuer_name", "issuer__name_vi")
            .distinct()
        )
        for issuer_id, issuer_name, agency_name in rows:
            key = search_index.issuer_key(issuer_id, agency_name or issuer_name)
            labels[key] = agency_name or issuer_name
        cache.set("legal:issuer-labels", labels, 300)
    return labels


def _facet_values(raw: dict[str, dict[int, int]], params: SearchParams) -> dict[str, list[Any]]:
    facets: dict[str, list[FacetValue]] = {}
    types = {t.pk: t.name for t in DocumentType.objects.all()}
    sectors = {s.pk: s.name for s in Sector.objects.all()}
    issuers = _issuer_labels()
    for name in FACETS:
        counts = raw.get(name, {})
        values: list[FacetValue] = []
        for code, count in counts.items():
            if name == "type":
                label, value, selected = types.get(code, "?"), str(code), code in params.types
            elif name == "sector":
                label, value, selected = sectors.get(code, "?"), str(code), code in params.sectors
            elif name == "issuer":
                label, value = issuers.get(code, "?"), str(code)
                selected = code in params.issuers
            elif name == "year":
                if not code:
                    continue
                label, value, selected = str(code), str(code), code in params.years
            elif name == "status":
                status = _STATUS_BY_CODE.get(code)
                if status is None:
                    continue
                label, value = str(Validity(status).label), str(status)
                selected = status in params.statuses
            else:
                category = _CATEGORY_BY_CODE.get(code)
                if category is None:
                    continue
                label, value = str(Category(category).label), category
                selected = category in params.categories
            values.append(FacetValue(value=value, label=label, count=count, selected=selected))
        if name == "year":
            values.sort(key=lambda v: -int(v.value))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        facets[name] = values
    return facets


def published_documents() -> QuerySet[LegalDocument]:
    return LegalDocument.objects.published().select_related("doc_type", "issuer")


def document_for_page(pk: int) -> LegalDocument | None:
    """A published document with what its page shows, in a fixed number of queries."""
    return (
        published_documents()
        .prefetch_related(
            "sectors",
            Prefetch("provisions", queryset=Provision.objects.order_by("position")),
            Prefetch(
                "relations",
                queryset=DocumentRelation.objects.select_related("target", "target__doc_type"),
            ),
            Prefetch(
                "incoming_relations",
                queryset=DocumentRelation.objects.filter(source__live=True).select_related(
                    "source", "source__doc_type"
                ),
            ),
            "attachments__file",
        )
        .filter(pk=pk)
        .first()
    )


def find_by_number(text: str) -> QuerySet[LegalDocument]:
    """Published documents whose number and symbol is ``text`` in any spelling."""
    from .numbering import SymbolError, parse_symbol

    try:
        key = parse_symbol(text).key
    except SymbolError:
        return LegalDocument.objects.none()
    return published_documents().filter(symbol_key=key)


def issuers_matching(text: str) -> list[int]:
    """Index issuer keys for an issuer given by code, abbreviation or name (for the API)."""
    agencies = Agency.objects.filter(
        Q(code__iexact=text) | Q(abbreviation__iexact=text) | Q(name_vi__iexact=text)
    ).values_list("pk", flat=True)
    keys = [int(pk) for pk in agencies]
    if not keys:
        keys = [search_index.issuer_key(None, text)]
    return keys
