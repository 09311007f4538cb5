"""Whole-page cache for anonymous visitors of public Wagtail pages.

Most of the portal's traffic is citizens reading the same public pages, so the full response of
an anonymous ``GET`` is kept in Django's cache for ``PAGE_CACHE_SECONDS`` (default 300; 0 turns
the cache off), keyed by scheme, host, path and language. Signed-in users, requests with a query
string, requests carrying a session or message cookie and previews are never served from nor
stored in the cache, and neither is a response that set a cookie, used the CSRF token, or showed
a flash message.

Purging works by generation: every key embeds the current generation token, and
:func:`purge` replaces the token, so all stored pages become unreachable at once and expire by
their own timeout. Publishing, unpublishing, moving or creating a page and editing a site purge
(see ``signal_handlers``). With the local-memory backend each worker process has its own cache
and only the process that published is purged; production must use a shared cache (Redis), as
the ``portal.W001`` deploy check says.

Wired in as the innermost layer of Wagtail's ``on_serve_page`` chain (``wagtail_hooks.py``), so
Wagtail's view-restriction check runs on every request, hit or miss, before a cached page is
returned. Restricted pages are never stored: whoever passes a restriction (password, login,
group) carries a session cookie, and such requests bypass the cache.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.cache import get_max_age
from wagtail.models import Page

CACHE_HEADER = "X-Cache"
_GENERATION_KEY = "vgp:page-cache:generation"
_KEY_PREFIX = "vgp:page-cache:page"
# Cache-Control directives with which a view says its response is not for everyone.
_PRIVATE_DIRECTIVES = ("private", "no-cache", "no-store")
# django.contrib.messages' cookie storage (the first one FallbackStorage tries).
_MESSAGES_COOKIE = "messages"


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def purge() -> None:
    """Forget every cached page, for every host, path and language."""
    # A fresh random token, not a counter: a counter evicted from the cache would restart at a
    # value that old entries still carry and bring them back to life.
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(_GENERATION_KEY)
    return str(generation)


def cache_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.path}"
    language = translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha256(f"{url}|{language}".encode()).hexdigest()
    return f"{_KEY_PREFIX}:{_generation()}:{digest}"


def is_cacheable_request(request: HttpRequest) -> bool:
    """Whether this request may be answered from, and stored in, the shared page cache."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if getattr(request, "is_preview", False):
        return False
    # A session cookie means a signed-in user or someone the site keeps state for; a messages
    # cookie means a flash message waits to be shown. Both get a page made for them alone.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or _MESSAGES_COOKIE in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def is_cacheable_page(page: Page) -> bool:
    """A page type opts out with ``cache_anonymous_responses = False`` (e.g. a live feed)."""
    return bool(getattr(page, "cache_anonymous_responses", True))


def is_cacheable_response(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in _PRIVATE_DIRECTIVES):
        return False
    if get_max_age(response) == 0:
        return False
    # The page embeds a CSRF token (a form): the token belongs to this visitor's cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    # A flash message rendered into this page must not be shown to the next visitor.
    return not len(messages.get_messages(request))


def _freeze(response: HttpResponse) -> dict[str, Any]:
    return {
        "status": response.status_code,
        "headers": list(response.headers.items()),
        "content": response.content,
    }


def _thaw(frozen: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(frozen["content"], status=frozen["status"])
    for name, value in frozen["headers"]:
        response[name] = value
    return response


def serve_with_cache(
    page: Page, request: HttpRequest, serve: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """Answer from the cache when allowed, otherwise call ``serve`` and maybe keep its result."""
    seconds = cache_seconds()
    if seconds <= 0 or not is_cacheable_request(request) or not is_cacheable_page(page):
        return serve()

    key = cache_key(request)
    frozen = cache.get(key)
    if frozen is not None:
        hit = _thaw(frozen)
        hit[CACHE_HEADER] = "HIT"
        return hit

    response = serve()
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        # Render now rather than in the handler: what rendering did (CSRF token, messages)
        # decides whether the result may be shared.
        response.render()
    if isinstance(response, HttpResponse) and is_cacheable_response(request, response):
        cache.set(key, _freeze(response), seconds)
    response[CACHE_HEADER] = "MISS"
    return response
