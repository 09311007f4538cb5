"""Fixtures of the portal's tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from vgp.portal.demo import HomePages, ensure_home_pages


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no page kept by an earlier test can answer."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_pages(db) -> HomePages:
    """The Vietnamese home page (the site's root) and its English translation, both live."""
    return ensure_home_pages()
