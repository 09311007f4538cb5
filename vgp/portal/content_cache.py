"""Caches of published structure that every public request would otherwise read again.

Rendering a public page starts with the same reads each time: which page a path leads to (one
query per level of the tree, plus the page's own fields), which view restrictions apply to it
(two queries), and the active ``Locale`` row. Published content changes only when something is
published, changed or withdrawn, and every such change calls :func:`page_cache.purge`, which
replaces the content generation. Every key here embeds that generation, so the purge that
forgets the cached pages forgets these too; nothing is served from here that a purge has retired.

Only routes to live pages are kept (drafts are never routed to: previews do not route). The key
is the whole path, so a sub-route of a routable page (``ban-in/``) is kept with its arguments. The HTML is still rendered on every request: this is what lets a page that is not in the
page cache be rendered in a handful of milliseconds.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction

from . import page_cache

log = logging.getLogger(__name__)
ROUTE_SECONDS = 600
_MISSING = object()


def key(kind: str, *parts: Any) -> str:
    """A cache key for ``kind`` that the next purge retires."""
    return f"vgp:content:{kind}:{page_cache.generation()}:" + ":".join(str(part) for part in parts)


def _route_key(request: HttpRequest, path: str) -> str:
    language = translation.get_language() or ""
    return key("route", request.get_host(), request.get_port(), language, path)


def prime_route(request: HttpRequest, path: str) -> bool:
    """Give Wagtail the site and the route it found for this path before, if any.

    Wagtail keeps both on the request (``_wagtail_site``, ``_wagtail_route_for_request``) and
    looks them up only when they are missing. Returns whether they were found.
    """
    cached = cache.get(_route_key(request, path))
    if cached is None:
        return False
    request._wagtail_site, request._wagtail_route_for_request = cached  # type: ignore[attr-defined]
    return True


def keep_route(request: HttpRequest, path: str) -> None:
    """Keep what Wagtail found for this path, when it leads to a live page."""
    result = getattr(request, "_wagtail_route_for_request", None)
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None or not result[0].live:
        return
    try:
        cache.set(_route_key(request, path), (site, result), ROUTE_SECONDS)
    except (pickle.PicklingError, TypeError, AttributeError):  # a view that cannot be kept
        log.debug("Route of %s not cached", result[0], exc_info=True)


def view_restrictions(page: Page, load: Callable[[], Any]) -> Any:
    """The view restrictions of ``page`` and its ancestors, once per content generation.

    Returns a queryset already filled with the kept rows, so that callers may iterate it,
    test it (``exists()``) or filter it further as Wagtail does. Adding or removing a
    restriction purges (see ``signal_handlers``).
    """
    restrictions_key = key("restrictions", page.path)
    restrictions = cache.get(restrictions_key)
    if restrictions is None:
        restrictions = list(load())
        cache.set(restrictions_key, restrictions, ROUTE_SECONDS)
    queryset = PageViewRestriction.objects.filter(pk__in=[r.pk for r in restrictions])
    queryset._result_cache = list(restrictions)
    return queryset


_locales: dict[str, Locale] = {}


def active_locale() -> Locale:
    """``Locale.get_active()`` without a query per request (locales are created once)."""
    code = translation.get_language() or ""
    locale = _locales.get(code)
    if locale is None:
        locale = Locale.get_active()
        _locales[locale.language_code] = locale
        if code != locale.language_code:
            _locales[code] = locale
    return locale


def forget_locales(**kwargs: Any) -> None:
    _locales.clear()
