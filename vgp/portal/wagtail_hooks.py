"""The portal's hooks into Wagtail's page serving."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from wagtail import hooks
from wagtail.models import Page

from . import page_cache

ServeChain = Callable[[Page, HttpRequest, tuple[Any, ...], dict[str, Any]], HttpResponseBase]


# Wagtail wraps the serve chain so that the lowest order is the outermost layer. A high order
# puts the cache inside Wagtail's own check_view_restrictions (order 0) and any other layer that
# may refuse a request, so a cached page is only ever returned to someone allowed to see it.
PAGE_CACHE_HOOK_ORDER = 1000


@hooks.register("on_serve_page", order=PAGE_CACHE_HOOK_ORDER)
def serve_through_page_cache(next_serve: ServeChain) -> ServeChain:
    def serve(
        page: Page, request: HttpRequest, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponseBase:
        return page_cache.serve_with_cache(
            page, request, lambda: next_serve(page, request, args, kwargs)
        )

    return serve
