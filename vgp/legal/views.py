"""Public pages of the legal documents database: the search, a document's page, its print view.

The search page is a GET form that works without JavaScript; with htmx, changing a filter or
typing updates the results in place (the server answers an htmx request with the results region
only). A value in the address that cannot be read is reported on the form and left out of the
search, so the page always answers 200 with what it could find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vgp.portal.paging import page_links, page_url

from . import presentation, queries
from .forms import KIND_ARTICLES, KIND_DOCUMENTS, SearchForm
from .models import LegalDocument
from .presentation import DocumentView

# Facet values shown before "more"; a selected value is always shown.
FACET_VISIBLE = 8


def grouped_number(value: int) -> str:
    """1234 → "1.234" in Vietnamese, "1,234" in English."""
    return formats.number_format(value, force_grouping=True)


# --- the search page ----------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    lang: str
    count: int
    selected: bool
    input_id: str

    @property
    def count_display(self) -> str:
        return grouped_number(self.count)


@dataclass
class FacetGroup:
    name: str
    label: str
    shown: list[FacetOption] = field(default_factory=list)
    more: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> int:
        return sum(1 for option in [*self.shown, *self.more] if option.selected)


@dataclass(frozen=True)
class HitView:
    """One result: a document, or an article of one ("Điều 32." ``label``, its ``heading``)."""

    document: DocumentView
    url: str
    snippet_html: str
    is_article: bool
    label: str = ""
    heading: str = ""


def _hits(page: queries.SearchPage, english: bool) -> list[HitView]:
    found = []
    for hit in page.hits:
        view = DocumentView(hit.document, english=english)
        article = hit.article
        found.append(
            HitView(
                document=view,
                url=hit.url,
                snippet_html=hit.snippet.html,
                is_article=article is not None,
                label=_("Article %(number)s.") % {"number": article.number} if article else "",
                heading=article.heading if article else "",
            )
        )
    return found


def _facet_groups(page: queries.SearchPage, form: SearchForm, english: bool) -> list[FacetGroup]:
    """The facets with labels in the active language; a selected value the current results
    no longer count is kept (with 0) so that it can be unticked."""
    label = presentation.FacetLabels(
        page.facets, selected_issuers=[int(v) for v in form.value("issuer", [])], english=english
    )
    groups = []
    for name in queries.FACETS:
        values = page.facets.get(name, [])
        chosen = [str(v) for v in form.value(name, [])]
        options = []
        seen = set()
        for value in values:
            text, lang = label(name, value.value, value.label)
            options.append(
                FacetOption(
                    value=value.value,
                    label=text,
                    lang=lang,
                    count=value.count,
                    selected=value.value in chosen,
                    input_id=f"filter-{name}-{value.value}",
                )
            )
            seen.add(value.value)
        for missing in chosen:
            if missing not in seen:
                text, lang = label(name, missing, missing, counted=False)
                options.insert(
                    0, FacetOption(missing, text, lang, 0, True, f"filter-{name}-{missing}")
                )
        if not options:
            continue
        shown = [o for o in options if o.selected] + [o for o in options if not o.selected]
        visible = max(FACET_VISIBLE, sum(1 for o in options if o.selected))
        groups.append(
            FacetGroup(
                name=name,
                label=str(queries.FACET_LABELS[name]),
                shown=shown[:visible],
                more=shown[visible:],
            )
        )
    return groups


def _kind_links(request: HttpRequest, current: str) -> dict[str, str]:
    links = {}
    for kind in (KIND_DOCUMENTS, KIND_ARTICLES):
        query: QueryDict = request.GET.copy()
        query.pop("page", None)
        query["kind"] = kind
        links[kind] = f"{request.path}?{query.urlencode()}"
    return links


def _clear_filters_url(request: HttpRequest, form: SearchForm) -> str:
    query = QueryDict(mutable=True)
    if form.query:
        query["q"] = form.query
    if form.kind_value != KIND_DOCUMENTS:
        query["kind"] = form.kind_value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _error_list(form: SearchForm) -> list[tuple[str, str, str]]:
    """(anchor to the field, its label, the message) for each problem, in the form's order."""
    anchors = {"q": "id_q", "kind": "id_kind_0", "sort": "id_sort"}
    anchors.update(dict.fromkeys(SearchForm.FILTERS, "legal-facets"))
    return [
        (anchors.get(name, ""), str(form[name].label) if name in form.fields else "", str(error))
        for name in form.fields
        for error in form.errors.get(name, [])
    ]


@require_GET
def search_page(request: HttpRequest) -> TemplateResponse:
    """Search documents or their articles: words (with or without diacritics, "phrases"), a
    number in any spelling, filters with counts, three orders, 20 a page. Without words, the
    latest published documents."""
    form = SearchForm(request.GET)
    form.is_valid()  # what could be read is searched; the rest is reported on the form
    if form.errors:
        form.describe_errors()
    english = presentation.is_english()
    params = form.search_params()
    page = queries.search(params)
    searched = bool(form.query or form.has_filters)
    beyond_last_page = page.total > 0 and not page.hits and params.page > 1
    context: dict[str, Any] = {
        "form": form,
        "query": form.query,
        "kind": form.kind_value,
        "sort": form.sort_value,
        "sorts": [(value, str(label)) for value, label in queries.SORTS.items()],
        "kind_links": _kind_links(request, form.kind_value),
        "page": page,
        "page_number": params.page,
        "hits": _hits(page, english),
        "total": page.total,
        "total_display": grouped_number(page.total),
        "total_exact": page.total_exact,
        "facets": _facet_groups(page, form, english),
        "pagination": page_links(request.GET, params.page, page.pages, request.path),
        "searched": searched,
        "beyond_last_page": beyond_last_page,
        "first_page_url": page_url(request.GET, 1, request.path),
        "clear_filters_url": _clear_filters_url(request, form) if form.has_filters else "",
        "errors": _error_list(form),
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "legal/includes/search_results.html" if partial else "legal/search_page.html"
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- a document ---------------------------------------------------------------------------------


def _published_or_404(pk: int) -> LegalDocument:
    document = queries.document_for_page(pk)
    if document is None:
        raise Http404(_("No published legal document has this number."))
    return document


@require_GET
def document_page(request: HttpRequest, pk: int, slug: str) -> HttpResponseBase:
    """A published document: metadata, validity, relations both ways, files, the full text
    with a table of contents and a link to each article, clause and point."""
    document = _published_or_404(pk)
    if slug != document.slug:
        return redirect(document.get_absolute_url(), permanent=True)
    context = presentation.document_context(document, stored=True)
    context["meta"] = presentation.metadata(document, request)
    context["print_url"] = reverse("legal_document_print", kwargs={"pk": pk, "slug": slug})
    return TemplateResponse(request, "legal/document_page.html", context)


@require_GET
def document_print(request: HttpRequest, pk: int, slug: str) -> HttpResponseBase:
    """The document on its own, for printing or saving as PDF."""
    document = _published_or_404(pk)
    if slug != document.slug:
        return redirect(
            reverse("legal_document_print", kwargs={"pk": pk, "slug": document.slug}),
            permanent=True,
        )
    context = presentation.document_context(document, stored=True)
    context["canonical"] = request.build_absolute_uri(document.get_absolute_url())
    return TemplateResponse(request, "legal/document_print.html", context)


@require_GET
def document_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """``/van-ban/<id>/``: the short address of a document, sent on to its full one."""
    document = queries.published_documents().filter(pk=pk).first()
    if document is None:
        raise Http404(_("No published legal document has this number."))
    return redirect(document.get_absolute_url(), permanent=True)
