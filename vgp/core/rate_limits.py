"""Rate limits and load shedding for the site's doors, with no outside service.

Counters are fixed windows in Django's cache (local memory in development and tests, Redis in
production): one key per (scope, subject, window), created with ``cache.add`` and counted
with ``cache.incr``. Keys are SHA-256 hashes, so no e-mail address, phone number, IP address
or API key appears in the cache. A refused attempt still counts: hammering a closed door keeps
it closed.

Each door names its scope (``"tracking"``, ``"documents_api_read"``, ...) and its policy: the
feedback app's policies are in ``vgp.feedback.rate_limits``, the official documents API's come
from its settings. ``policy_from_settings`` reads a door's overrides from one settings dict.

``admission()`` sheds load: at most ``max_in_flight`` requests of one kind run at once in a
process; the next is refused at once with ``Overloaded`` (answered 429 by the view) rather
than queued behind the others.

The JSON API's 429 (``Retry-After``, ``{"detail", "retry_after"}``) is in
``vgp.core.api_throttling``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from vgp.core.request_context import client_ip

__all__ = [
    "DAY",
    "HOUR",
    "MINUTE",
    "Limit",
    "Overloaded",
    "Policy",
    "admission",
    "client_ip",
    "hit",
    "policy_from_settings",
]

KEY_PREFIX = "vgp:rl:"
MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Policy:
    """At most ``limit`` attempts per window of ``window_seconds``."""

    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Limit:
    """The answer for one attempt: may it go on, how many are left, when to come back."""

    allowed: bool
    remaining: int
    retry_after: int  # seconds until the current window ends
    policy: str = ""  # which policy answered (the one that refused, when refused)


def policy_from_settings(setting: str, name: str, defaults: Mapping[str, Policy]) -> Policy:
    """``defaults[name]``, or its override in the settings dict ``setting`` (a ``Policy`` or
    ``(limit, window_seconds)``). A bad override fails loudly, naming the setting."""
    overrides = getattr(settings, setting, {}) or {}
    if name in overrides:
        value = overrides[name]
        try:
            limit, window = (
                (value.limit, value.window_seconds) if isinstance(value, Policy) else value
            )
            chosen = Policy(int(limit), int(window))
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(
                f"{setting}[{name!r}] must be (limit, window_seconds), got {value!r}"
            ) from error
        if chosen.limit < 0 or chosen.window_seconds < 1:
            raise ImproperlyConfigured(
                f"{setting}[{name!r}]: limit >= 0 and window_seconds >= 1 required"
            )
        return chosen
    try:
        return defaults[name]
    except KeyError:
        raise ValueError(f"Unknown rate-limit policy: {name!r}") from None


def _cache_key(scope: str, key: str, window_index: int) -> str:
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    # The window's number is part of the key: a counter that lost its expiry (Redis INCR on a
    # key that expired between EXISTS and INCR creates it without one) only ever blocks a
    # window that is already over.
    return f"{KEY_PREFIX}{digest}:{window_index}"


def hit(scope: str, key: str, limit: int, window_seconds: int) -> Limit:
    """Count one attempt of ``key`` in ``scope`` and say whether it is within ``limit``.

    Windows are aligned to the clock (an hour's window starts on the hour), so every process
    counts in the same window without agreeing on anything.
    """
    if window_seconds < 1:
        raise ValueError("window_seconds must be at least 1")
    now = time.time()
    window_index = int(now // window_seconds)
    window_end = (window_index + 1) * window_seconds
    retry_after = max(1, int(window_end - now + 0.999))
    cache_key = _cache_key(scope, key, window_index)
    timeout = retry_after + 1
    count = _count(cache_key, timeout)
    if count is None:
        # The cache keeps losing the key: let the attempt through rather than lock people out
        # because of a cache problem.
        return Limit(
            allowed=True, remaining=max(0, limit - 1), retry_after=retry_after, policy=scope
        )
    return Limit(
        allowed=count <= limit,
        remaining=max(0, limit - count),
        retry_after=retry_after,
        policy=scope,
    )


def _count(cache_key: str, timeout: int) -> int | None:
    """Add one to the counter; None when the cache keeps losing it."""
    redis: Any = getattr(cache, "client", None)
    if redis is not None and hasattr(redis, "get_client"):
        # django-redis (production): one round trip instead of three (add's SET NX, then
        # incr's EXISTS-and-INCRBY script): INCR creates the counter, EXPIRE NX gives it its
        # end once.
        full_key = redis.make_key(cache_key)
        pipe = redis.get_client(write=True).pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.expire(full_key, timeout, nx=True)
        count, _expiry_set = pipe.execute()
        return int(count)
    for _attempt in range(3):
        cache.add(cache_key, 0, timeout)
        try:
            return int(cache.incr(cache_key))
        except ValueError:
            # The key expired (or was evicted) between add and incr: add it again.
            continue
    return None


# --- Load shedding -------------------------------------------------------------------------------


class Overloaded(Exception):
    """Too many requests of one kind in flight in this process: answer 429, retry soon."""

    retry_after = 1

    def __init__(self, name: str) -> None:
        super().__init__(f"Too many {name!r} requests in flight")
        self.name = name


_semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


def _semaphore(name: str, max_in_flight: int) -> threading.BoundedSemaphore:
    with _semaphores_lock:
        semaphore = _semaphores.get((name, max_in_flight))
        if semaphore is None:
            semaphore = threading.BoundedSemaphore(max_in_flight)
            _semaphores[(name, max_in_flight)] = semaphore
        return semaphore


@contextmanager
def admission(name: str, max_in_flight: int) -> Iterator[None]:
    """Run the block only if fewer than ``max_in_flight`` ``name`` blocks run in this process.

    Raises ``Overloaded`` at once otherwise (no waiting: a queue would only make everyone
    wait longer). The slot is released on exit, exceptions included. The bound is per process
    (per worker), so the whole server admits (number of workers) times ``max_in_flight``.
    """
    if max_in_flight < 1:
        raise ValueError("max_in_flight must be at least 1")
    semaphore = _semaphore(name, max_in_flight)
    if not semaphore.acquire(blocking=False):
        raise Overloaded(name)
    try:
        yield
    finally:
        semaphore.release()
