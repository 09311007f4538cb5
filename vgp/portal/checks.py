"""System checks of the portal's deployment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from . import page_cache


@register(Tags.caches, deploy=True)
def check_page_cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if page_cache.cache_seconds() > 0 and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is kept in process memory: publishing purges only the worker "
                "that handled the publish, and the others keep serving the old page for up to "
                "PAGE_CACHE_SECONDS.",
                hint="Set CACHE_URL=redis://... so that all workers share one cache.",
                id="portal.W001",
            )
        ]
    return []
