"""The deploy check warns when the page cache cannot be purged across workers."""

from __future__ import annotations

from vgp.portal.checks import check_page_cache_is_shared

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://x/0"}}


def test_process_memory_cache_is_reported(settings):
    settings.CACHES = LOCMEM
    assert [w.id for w in check_page_cache_is_shared()] == ["portal.W001"]


def test_shared_cache_or_disabled_page_cache_is_fine(settings):
    settings.CACHES = REDIS
    assert check_page_cache_is_shared() == []
    settings.CACHES = LOCMEM
    settings.PAGE_CACHE_SECONDS = 0
    assert check_page_cache_is_shared() == []
