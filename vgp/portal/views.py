"""Serving public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from wagtail import views as wagtail_views
from wagtail.models import Page

from . import content_cache


def serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """Wagtail's own ``serve`` (hooks, view restrictions, page cache), with the site and the
    route found once per content generation instead of on every request."""
    if not content_cache.prime_route(request, path):
        # Found and kept before the page is served, so that nothing serving adds to the page
        # object (a request's state) is kept with it.
        Page.route_for_request(request, path)
        content_cache.keep_route(request, path)
    return wagtail_views.serve(request, path)
