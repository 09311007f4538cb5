"""Template tags of the e-newspaper's pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from vgp.news import queries
from vgp.portal import content_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def most_read(context: dict[str, Any]) -> list[queries.MostRead]:
    """The items of the current language most read over the last seven days."""
    return queries.most_read(context["request"], content_cache.active_locale())


@register.filter
def file_type(document: Any) -> str:
    """ "PDF", "DOCX"…: the extension of a document's file, as readers call it."""
    return (getattr(document, "file_extension", "") or "").upper()


@register.filter
def language_name(code: str) -> str:
    """A language's name in that language, as the language switch writes it ("Tiếng Việt")."""
    return dict(settings.LANGUAGES).get(code, code)
