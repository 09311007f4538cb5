from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_context(request: HttpRequest) -> dict:
    return {"SITE_NAME": settings.WAGTAIL_SITE_NAME, "PRODUCTION": settings.PRODUCTION}
