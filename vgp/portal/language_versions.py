"""Where the page being shown lives in each of the site's languages.

A Wagtail page links to its own translation when that translation is live; anything else
(a page not translated yet, a Django view) keeps its path under the other language's prefix
(``/`` for Vietnamese, ``/en/`` for English), the way ``i18n_patterns`` routes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    #: The language's name in that language ("Tiếng Việt", "English").
    name: str
    url: str
    is_current: bool


def _translated_page_url(page: Page, code: str, request: HttpRequest) -> str | None:
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return None
    translated = page.get_translation_or_none(locale)
    if translated is None or not translated.live:
        return None
    return translated.get_url(request)


def language_versions(request: HttpRequest, page: Page | None = None) -> list[LanguageVersion]:
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        if code == current:
            url = page.get_url(request) if page is not None else path
        else:
            url = (page is not None and _translated_page_url(page, code, request)) or ""
            url = url or translate_url(path, code)
        versions.append(LanguageVersion(code=code, name=name, url=url, is_current=code == current))
    return versions
