"""A version kept in Django's cache, which per-process caches compare their copy against.

Rules, the holiday calendar's overrides and API keys are read once per process and kept; an
action that changes one of them calls :meth:`SharedVersion.bump`, and every process reloads
when it sees the new version. Reading the shared version on every call would cost a cache round
trip per request (three of them for one feedback submission, ADR 0013), so each process reads
it at most once per ``SHARED_VERSION_CHECK_SECONDS`` (1 s): another process sees a change
within that time, the process that made it at once. The test settings set it to 0, so that a
test's queries do not depend on how long the test before it took.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

UNAVAILABLE = "unavailable"


class SharedVersion:
    def __init__(self, key: str) -> None:
        self.key = key
        # Shared by the process's threads; a race only makes two of them read the cache.
        self._value: str | None = None
        self._until = 0.0

    def current(self) -> str:
        """The shared version, read again once ``SHARED_VERSION_CHECK_SECONDS`` have passed.
        When the cache is out of reach the answer is ``UNAVAILABLE`` (callers then reload by
        age)."""
        now = time.monotonic()
        if self._value is not None and now < self._until:
            return self._value
        try:
            value = cache.get(self.key)
            if value is None:
                # Unknown (cache flushed or never set): start a new version, so that every
                # process reloads rather than trusting what it had.
                cache.add(self.key, uuid.uuid4().hex, timeout=None)
                value = cache.get(self.key)
        except Exception:  # a cache outage must not stop the callers
            logger.warning("Shared version %s unreadable", self.key, exc_info=True)
            value = None
        found = str(value or UNAVAILABLE)
        self._value, self._until = found, now + settings.SHARED_VERSION_CHECK_SECONDS
        return found

    def bump(self) -> None:
        """A change: every process reloads (this one at once, the others within
        ``SHARED_VERSION_CHECK_SECONDS``)."""
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
        self.forget()

    def forget(self) -> None:
        """Read the shared version again on the next call."""
        self._value = None
