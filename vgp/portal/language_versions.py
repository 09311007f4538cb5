"""Where the page being shown lives in each of the site's languages.

A Wagtail page links to its own translation when that translation is live; anything else
(a page not translated yet, a Django view) keeps its path under the other language's prefix
(``/`` for Vietnamese, ``/en/`` for English), the way ``i18n_patterns`` routes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from . import content_cache


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    #: The language's name in that language ("Tiếng Việt", "English").
    name: str
    url: str
    is_current: bool


def _translated_page_urls(page: Page, request: HttpRequest) -> dict[str, str]:
    """The URL of each live translation of ``page``, by language code (one query, kept until
    the next publication: see ``content_cache``)."""
    key = content_cache.key("translations", request.get_host(), page.pk)
    urls = cache.get(key)
    if urls is None:
        translations = page.get_translations(inclusive=False).live().select_related("locale")
        urls = {
            translated.locale.language_code: url
            for translated in translations
            if (url := translated.get_url(request))
        }
        cache.set(key, urls, content_cache.ROUTE_SECONDS)
    return urls


def language_versions(request: HttpRequest, page: Page | None = None) -> list[LanguageVersion]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    translated = _translated_page_urls(page, request) if page is not None else {}
    versions = []
    for code, name in settings.LANGUAGES:
        if code == current:
            url = page.get_url(request) if page is not None else path
        else:
            url = translated.get(code) or translate_url(path, code)
        versions.append(LanguageVersion(code=code, name=name, url=url, is_current=code == current))
    return versions
