"""Public pages of the Official Gazette: latest issues, a year, an issue, its text, its PDF,
and search. Server-rendered; nothing needs JavaScript."""

from __future__ import annotations

import math

from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_safe

from vgp.portal.paging import page_links

from . import queries, search_index
from .forms import GazetteSearchForm
from .models import GazetteIssue

ISSUES_PER_PAGE = 50
# A published issue never changes: browsers and proxies may keep its PDF for a day.
PDF_CACHE_SECONDS = 86400


def _issue_or_404(year: int, number: int) -> GazetteIssue:
    issue = queries.issue_for_page(year, number)
    if issue is None:
        raise Http404("No published gazette issue with this number.")
    return issue


@require_GET
def home(request: HttpRequest) -> TemplateResponse:
    """The latest issues and the years of the archive."""
    return TemplateResponse(
        request,
        "gazette/home.html",
        {"issues": queries.latest_issues(), "years": queries.years()},
    )


@require_GET
def year(request: HttpRequest, year: int) -> TemplateResponse:
    """Every published issue of one year, newest first, in pages."""
    issues = queries.issues_of_year(year)
    paginator = Paginator(issues, ISSUES_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    if not page.object_list:
        raise Http404("No published gazette issue in this year.")
    return TemplateResponse(
        request,
        "gazette/year.html",
        {
            "year": year,
            "issues": page.object_list,
            "page": page,
            "paging": page_links(request.GET, page.number, paginator.num_pages),
            "years": queries.years(),
        },
    )


@require_GET
def issue(request: HttpRequest, year: int, number: int) -> TemplateResponse:
    """One issue: its date, its contents with page numbers, and the PDF to download."""
    found = _issue_or_404(year, number)
    return TemplateResponse(
        request,
        "gazette/issue.html",
        {
            "issue": found,
            "entries": queries.printed_entries(found),
            "signature": queries.signature(found),
        },
    )


@require_GET
def issue_text(request: HttpRequest, year: int, number: int) -> TemplateResponse:
    """The whole issue as HTML: every document's text as printed, with the PDF's pages."""
    found = _issue_or_404(year, number)
    return TemplateResponse(
        request,
        "gazette/issue_text.html",
        {"issue": found, "entries": queries.printed_entries(found)},
    )


@require_safe
def issue_pdf(request: HttpRequest, year: int, number: int) -> HttpResponseBase:
    """The stored PDF; ``?tai-ve=1`` asks the browser to save it instead of showing it."""
    found = GazetteIssue.objects.published().filter(year=year, number=number).first()
    if found is None or not found.pdf:
        raise Http404("No published gazette issue with this number.")
    etag = f'"{found.pdf_sha256}"'
    last_modified = (
        math.floor(found.published_at.timestamp()) if found.published_at is not None else None
    )
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        response: HttpResponseBase = not_modified
    else:
        response = FileResponse(
            found.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=request.GET.get("tai-ve") == "1",
            filename=f"cong-bao-{found.year}-{found.number}.pdf",
        )
        response["Content-Length"] = str(found.pdf_size)
    response["ETag"] = etag
    if found.published_at is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=PDF_CACHE_SECONDS)
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search the documents of published issues, by words or number, within a year."""
    years = [summary.year for summary in queries.years()]
    form = GazetteSearchForm(request.GET or None, years=years)
    context: dict[str, object] = {"form": form, "query": request.GET.get("q", "")}
    if form.is_bound and form.has_criteria():
        if form.is_valid():
            try:
                page = int(request.GET.get("page") or 1)
            except ValueError as error:
                raise Http404("No such page.") from error
            wanted = form.cleaned_data["nam"]
            results = search_index.search(
                form.cleaned_data["q"].strip(), years=[wanted] if wanted else [], page=page
            )
            if page > results.pages:
                raise Http404("No such page.")
            context.update(
                results=results,
                searched=True,
                paging=page_links(request.GET, results.page, results.pages),
            )
        else:
            form.describe_errors()
    return TemplateResponse(request, "gazette/search.html", context)
