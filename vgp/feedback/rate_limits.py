"""Rate limits for the public feedback doors, and load shedding, with no outside service.

Counters are fixed windows in Django's cache (local memory in development and tests, Redis in
production): one key per (policy, subject, window), created with ``cache.add`` and counted
with ``cache.incr``. Keys are SHA-256 hashes, so no e-mail address, phone number or IP address
appears in the cache. A refused attempt still counts: hammering a closed door keeps it closed.

Policies (``FEEDBACK_RATE_LIMITS`` overrides any of them, e.g. ``{"ip": (30, 3600)}``):

- ``ip``: submissions per client address with a proof of work, 20 an hour;
- ``ip_no_script``: submissions without a proof of work (no JavaScript), 3 an hour;
- ``contact``: submissions per e-mail address or phone number, 5 a day;
- ``tracking``: lookups of the tracking page per address, 60 an hour;
- ``api_key``: API calls per key, 600 a minute.

``admission()`` sheds load: at most ``FEEDBACK_MAX_IN_FLIGHT`` (8) requests of one kind run at
once in a process; the next is refused at once with ``Overloaded`` (answered 429 by the view)
rather than queued behind the others.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from vgp.core.request_context import client_ip

__all__ = [
    "DEFAULT_POLICIES",
    "Limit",
    "Overloaded",
    "Policy",
    "admission",
    "check_submission",
    "client_ip",
    "hit",
    "hit_policy",
    "normalise_contact",
    "policy",
]

KEY_PREFIX = "vgp:rl:"
HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Policy:
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Limit:
    """The answer for one attempt: may it go on, how many are left, when to come back."""

    allowed: bool
    remaining: int
    retry_after: int  # seconds until the current window ends
    policy: str = ""  # which policy answered (the one that refused, when refused)


DEFAULT_POLICIES: dict[str, Policy] = {
    "ip": Policy(20, HOUR),
    "ip_no_script": Policy(3, HOUR),
    "contact": Policy(5, DAY),
    "tracking": Policy(60, HOUR),
    "api_key": Policy(600, 60),
}


def policy(name: str) -> Policy:
    """The named policy, with ``FEEDBACK_RATE_LIMITS`` applied; a bad override fails loudly."""
    overrides = getattr(settings, "FEEDBACK_RATE_LIMITS", {}) or {}
    if name in overrides:
        value = overrides[name]
        try:
            limit, window = (
                (value.limit, value.window_seconds) if isinstance(value, Policy) else value
            )
            chosen = Policy(int(limit), int(window))
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(
                f"FEEDBACK_RATE_LIMITS[{name!r}] must be (limit, window_seconds), got {value!r}"
            ) from error
        if chosen.limit < 0 or chosen.window_seconds < 1:
            raise ImproperlyConfigured(
                f"FEEDBACK_RATE_LIMITS[{name!r}]: limit >= 0 and window_seconds >= 1 required"
            )
        return chosen
    try:
        return DEFAULT_POLICIES[name]
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
        # The cache keeps losing the key: let the attempt through rather than lock citizens
        # out because of a cache problem.
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


def hit_policy(name: str, key: str) -> Limit:
    """Count one attempt against a named policy (``tracking``, ``api_key``, ...)."""
    chosen = policy(name)
    return hit(name, key, chosen.limit, chosen.window_seconds)


_NON_DIGITS = re.compile(r"\D")


def normalise_contact(contact: str) -> str:
    """One spelling per e-mail address or phone number, so that variants share a counter.

    E-mail addresses are stripped and lower-cased; phone numbers keep their digits, with the
    country code of Viet Nam (+84 or 0084) written as the leading 0 of national numbers.
    """
    value = contact.strip()
    if "@" in value:
        return value.lower()
    digits = _NON_DIGITS.sub("", value)
    if value.startswith("+") and digits.startswith("84"):
        return "0" + digits[2:]
    if digits.startswith("0084"):
        return "0" + digits[4:]
    return digits


def check_submission(ip: str, contacts: Sequence[str], with_proof: bool) -> Limit:
    """Count a submission against its address and every contact it gives; the first refusal.

    Every counter is hit even when an earlier one refuses (a refused attempt counts). The same
    contact written twice in one submission counts once. When everything allows it, the
    answer is the allowance with the fewest submissions left.
    """
    ip_policy = "ip" if with_proof else "ip_no_script"
    answers = [hit_policy(ip_policy, ip or "unknown")]
    normalised = {normalise_contact(contact) for contact in contacts}
    normalised.discard("")
    answers.extend(hit_policy("contact", contact) for contact in sorted(normalised))
    for answer in answers:
        if not answer.allowed:
            return answer
    return min(answers, key=lambda answer: answer.remaining)


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


def default_max_in_flight() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_IN_FLIGHT", 8))


@contextmanager
def admission(name: str, max_in_flight: int | None = None) -> Iterator[None]:
    """Run the block only if fewer than ``max_in_flight`` ``name`` blocks run in this process.

    Raises ``Overloaded`` at once otherwise (no waiting: a queue would only make every citizen
    wait longer). The slot is released on exit, exceptions included. The bound is per process
    (per worker), so the whole server admits (number of workers) times ``max_in_flight``.
    """
    bound = default_max_in_flight() if max_in_flight is None else max_in_flight
    if bound < 1:
        raise ValueError("max_in_flight must be at least 1")
    semaphore = _semaphore(name, bound)
    if not semaphore.acquire(blocking=False):
        raise Overloaded(name)
    try:
        yield
    finally:
        semaphore.release()
