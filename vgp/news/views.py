"""The e-newspaper's pages that are not Wagtail pages: topics, search and the view counter."""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vgp.portal import content_cache
from vgp.portal.paging import paginate

from . import queries, readership
from .forms import SearchForm
from .models import SectionPage, Topic

RESULTS_PER_PAGE = SectionPage.items_per_page
# The smallest transparent GIF (1 by 1 pixel).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def topic(request: HttpRequest, slug: str) -> TemplateResponse:
    """The items of one topic (chủ đề) in the current language, newest first."""
    topic = get_object_or_404(Topic, slug=slug)
    items = paginate(
        request, queries.topic_items(topic, content_cache.active_locale()), RESULTS_PER_PAGE
    )
    return TemplateResponse(request, "news/topic_page.html", {"topic": topic, "items": items})


@require_GET
def search(request: HttpRequest) -> TemplateResponse:
    """Search the items of the current language by words (with or without diacritics),
    section and publication date."""
    locale = content_cache.active_locale()
    form = SearchForm(request.GET or None, locale=locale)
    context: dict[str, object] = {"form": form, "query": request.GET.get("q", "")}
    if form.is_bound and form.has_criteria():
        if form.is_valid():
            data = form.cleaned_data
            results = queries.search(
                data["q"], locale, data["section"], data["date_from"], data["date_to"]
            )
            context["items"] = paginate(request, results, RESULTS_PER_PAGE)
            context["searched"] = True
        else:
            form.describe_errors()
    return TemplateResponse(request, "news/search_page.html", context)


@never_cache
@require_GET
def view_pixel(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a reading of item ``pk`` and answer with a transparent 1x1 GIF."""
    readership.count_view(pk)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, max-age=0"
    return response
