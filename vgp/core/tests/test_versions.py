"""Per-process caches and the shared version that tells them to reload (vgp.core.versions)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from vgp.core import versions
from vgp.core.versions import SharedVersion


@pytest.fixture
def every_second(settings):
    settings.SHARED_VERSION_CHECK_SECONDS = 1.0
    cache.clear()


def test_the_process_that_changes_sees_it_at_once_the_others_within_a_second(
    every_second, monkeypatch
):
    this_process, other_process = SharedVersion("v:test"), SharedVersion("v:test")
    before = other_process.current()
    assert this_process.current() == before

    this_process.bump()

    assert this_process.current() != before
    assert other_process.current() == before  # read less than a second ago
    later = time.monotonic() + 1.5
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert other_process.current() == this_process.current()


def test_a_flushed_cache_starts_a_new_version(every_second, monkeypatch):
    shared = SharedVersion("v:test")
    first = shared.current()
    cache.clear()
    later = time.monotonic() + 1.5
    monkeypatch.setattr(time, "monotonic", lambda: later)

    assert shared.current() not in {first, versions.UNAVAILABLE}


def test_an_unreachable_cache_is_not_an_error(every_second, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get", unreachable)

    assert SharedVersion("v:test").current() == versions.UNAVAILABLE
    assert "v:test unreadable" in caplog.text
