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

With ``PAGE_CACHE_DIR`` set, every page stored in the cache is also written as a file,
``<PAGE_CACHE_DIR>/current/<host>/<path>index.html`` (and ``index.html.gz``), which nginx serves
to anonymous visitors without asking Django (``deploy/nginx/vgp.conf``, ADR 0006). ``current``
is a symbolic link to a generation directory; :func:`purge` makes a fresh empty generation and
swaps the link atomically, so every file goes at once. A request resolves the generation when
it starts, as it resolves the cache key: a page rendered from data read before a purge is
written into the old generation, which nobody reads any more, never into the new one.

Wired in as the innermost layer of Wagtail's ``on_serve_page`` chain (``wagtail_hooks.py``), so
Wagtail's view-restriction check runs on every request, hit or miss, before a cached page is
returned. Restricted pages are never stored: whoever passes a restriction (password, login,
group) carries a session cookie, and such requests bypass the cache.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.request import split_domain_port
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

logger = logging.getLogger(__name__)

# The file store (PAGE_CACHE_DIR), served by nginx.
CURRENT_LINK = "current"
FILE_NAME = "index.html"
_GENERATION_PREFIX = "gen-"
# A generation that stopped being current is deleted by a later purge once it has been retired
# this long: nginx may have found a file in it a moment before the swap and still be opening it.
GENERATION_GRACE_SECONDS = 10
# A host name as nginx's $host gives it (lower case, no port, no trailing dot) or an IPv6
# literal; nothing that could climb out of the generation directory ("..", "/").
_HOST_RE = re.compile(
    r"^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*|\[[0-9a-f:.]+\])$"
)
# What nginx sends with a file is fixed by its configuration: only responses that carry nothing
# else (the security headers and Vary are added later, by middleware or by nginx) become files.
_FILE_HEADERS = frozenset({"content-type", "content-length"})
_FILE_CONTENT_TYPE = "text/html; charset=utf-8"


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def purge() -> None:
    """Forget every cached page, for every host, path and language.

    Inside a transaction (the admin publishes in one) the purge happens now and once more when
    the transaction commits: a page rendered between the two from data read before the commit
    went into the generation that the second purge retires.
    """
    _purge_now()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_purge_now)


def _purge_now() -> None:
    # The token before the files: a request resolves the file generation before the token, so
    # one that sees the new generation also sees the new token, misses and renders afresh.
    # A fresh random token, not a counter: a counter evicted from the cache would restart at a
    # value that old entries still carry and bring them back to life.
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    root = file_store_dir()
    if root is not None:
        _purge_files(root)


def _generation() -> str:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(_GENERATION_KEY)
    return str(generation)


def generation() -> str:
    """The current content generation: a token that :func:`purge` replaces.

    Other caches of published content (menus, fragments of templates) put it in their keys,
    so that the purge that forgets the pages forgets them too. With the file store it names the
    file generation as well, which every worker sees (see :func:`cache_key`).
    """
    files = current_generation()
    return f"{_generation()}:{files.name}" if files is not None else _generation()


def cache_key(request: HttpRequest, file_generation: Path | None = None) -> str:
    """The key of this request's page; with the file store, it names the file generation too.

    The file generation lives on the file system that every worker shares, so a purge made by
    any process retires the entries of all of them, even in per-process (local-memory) caches.
    """
    url = f"{request.scheme}://{request.get_host()}{request.path}"
    language = translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha256(f"{url}|{language}".encode()).hexdigest()
    token = _generation()
    if file_generation is not None:
        token = f"{token}:{file_generation.name}"
    return f"{_KEY_PREFIX}:{token}:{digest}"


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


# --- File store -------------------------------------------------------------------------------


def file_store_dir() -> Path | None:
    value = getattr(settings, "PAGE_CACHE_DIR", "")
    return Path(value) if value else None


def current_generation() -> Path | None:
    """The generation directory that ``current`` points to now (made on first use)."""
    root = file_store_dir()
    if root is None:
        return None
    try:
        try:
            target = os.readlink(root / CURRENT_LINK)
        except FileNotFoundError:
            _install_generation(root)
            target = os.readlink(root / CURRENT_LINK)
    except OSError:
        logger.warning("Page cache directory %s is unusable", root, exc_info=True)
        return None
    return root / target


def page_file(generation: Path, request: HttpRequest) -> Path | None:
    """Where nginx looks for this request's page: ``<generation>/<host>/<path>index.html``.

    None for what nginx never looks up (a path not ending in "/") and for anything that
    could name a file outside the generation.
    """
    host, _port = split_domain_port(request.get_host())
    path = request.path
    if not _HOST_RE.match(host) or not path.startswith("/") or not path.endswith("/"):
        return None
    segments = path.split("/")[1:-1]
    for segment in segments:
        # nginx merges "//" and resolves "." and ".."; dot files are this store's own.
        if not segment or segment.startswith(".") or "\x00" in segment or "\\" in segment:
            return None
    return generation.joinpath(host, *segments, FILE_NAME)


def is_file_storable(response: HttpResponse) -> bool:
    """nginx can send this response exactly from a file (see ``_FILE_HEADERS``)."""
    headers = {name.lower() for name in response.headers}
    content_type = response.get("Content-Type", "").lower().replace(" ", "")
    return headers <= _FILE_HEADERS and content_type == _FILE_CONTENT_TYPE.replace(" ", "")


def write_page_file(generation: Path, target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` inside ``generation``, never recreating a deleted one.

    The gzip variant first, then the page, each by rename: nginx sees a whole file or none,
    and never a compressed variant older than the page beside it.
    """
    if not generation.is_dir():
        return  # retired and deleted by a purge: the page belongs to nobody any more
    directory = generation
    for part in target.parent.relative_to(generation).parts:
        directory = directory / part
        # One level at a time: if a purge deletes the generation meanwhile, this fails instead
        # of bringing the generation back.
        with contextlib.suppress(FileExistsError):
            directory.mkdir()
    _atomic_write(target.with_name(FILE_NAME + ".gz"), gzip.compress(content, compresslevel=6))
    _atomic_write(target, content)


def _atomic_write(target: Path, content: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    # 0o644 less the umask: nginx runs as another user and must read it.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _install_generation(root: Path) -> str:
    """Make a fresh empty generation and point ``current`` at it in one rename."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"{_GENERATION_PREFIX}{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    (root / name).mkdir()
    link = root / f".{CURRENT_LINK}.{uuid.uuid4().hex}.tmp"
    os.symlink(name, link)  # relative: the directory may be moved or mounted elsewhere
    try:
        os.replace(link, root / CURRENT_LINK)
    except BaseException:
        link.unlink(missing_ok=True)
        raise
    return name


def _purge_files(root: Path) -> None:
    try:
        previous = _readlink(root / CURRENT_LINK)
        new = _install_generation(root)
        if previous:
            # Its retirement time: what the grace period counts from.
            os.utime(root / previous)
    except OSError:
        # Serving stale files would be worse than serving none: let every request fall
        # through to Django until the next purge works.
        logger.exception("Could not purge the page files in %s", root)
        (root / CURRENT_LINK).unlink(missing_ok=True)
        return
    _delete_retired_generations(root, keep={new})


def _readlink(link: Path) -> str | None:
    try:
        return os.readlink(link)
    except FileNotFoundError:
        return None


def _delete_retired_generations(root: Path, keep: set[str]) -> None:
    """Best effort: generations neither current nor recently retired, and stray temp links."""
    current = _readlink(root / CURRENT_LINK)
    deadline = time.time() - GENERATION_GRACE_SECONDS
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if entry.name in keep or entry.name == current:
            continue
        try:
            # A generation another purge has just made is young too, and kept.
            if entry.stat(follow_symlinks=False).st_mtime > deadline:
                continue
            if entry.name.startswith(_GENERATION_PREFIX) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            elif entry.name.startswith(f".{CURRENT_LINK}.") and entry.is_symlink():
                os.unlink(entry.path)
        except OSError:
            continue


def _store_file(generation: Path, request: HttpRequest, response: HttpResponse) -> None:
    target = page_file(generation, request)
    if target is None or not is_file_storable(response):
        return
    try:
        write_page_file(generation, target, response.content)
    except OSError:
        # The page itself is fine; nginx will keep asking Django for it.
        logger.warning("Could not write the page file %s", target, exc_info=True)


# --- Serving -----------------------------------------------------------------------------------


def serve_with_cache(
    page: Page, request: HttpRequest, serve: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """Answer from the cache when allowed, otherwise call ``serve`` and maybe keep its result."""
    seconds = cache_seconds()
    if seconds <= 0 or not is_cacheable_request(request) or not is_cacheable_page(page):
        return serve()

    # The file generation before the key's token (see _purge_now), both before rendering.
    file_generation = current_generation()
    key = cache_key(request, file_generation)
    frozen = cache.get(key)
    if frozen is not None:
        # Only a fresh rendering goes to the file store: it is written on the miss.
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
        if file_generation is not None:
            _store_file(file_generation, request, response)
    response[CACHE_HEADER] = "MISS"
    return response
