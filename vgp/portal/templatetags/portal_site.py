"""Template tags of the public site's shell: menus and language versions."""

from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Page

from vgp.portal import navigation
from vgp.portal.language_versions import LanguageVersion, language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def primary_navigation(context: dict[str, Any]) -> list[navigation.NavLink]:
    return navigation.build_links(navigation.PRIMARY_NAVIGATION, context["request"])


@register.simple_tag(takes_context=True)
def quick_links(context: dict[str, Any]) -> list[navigation.NavLink]:
    request = context["request"]
    sections = [
        link
        for link in navigation.build_links(navigation.PRIMARY_NAVIGATION, request)
        if link.key != "home"
    ]
    return sections + navigation.build_links(navigation.QUICK_LINKS, request)


@register.simple_tag(takes_context=True)
def page_language_versions(context: dict[str, Any]) -> list[LanguageVersion]:
    page = context.get("page")
    return language_versions(context["request"], page if isinstance(page, Page) else None)
