"""Template tags of the public site's shell: menus, language versions, cache generation."""

from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Page

from vgp.portal import navigation, page_cache
from vgp.portal.language_versions import LanguageVersion, language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def primary_navigation(context: dict[str, Any]) -> list[navigation.NavLink]:
    return navigation.build_links(navigation.PRIMARY_NAVIGATION, context["request"])


@register.simple_tag(takes_context=True)
def quick_links(context: dict[str, Any]) -> list[navigation.NavLink]:
    request = context["request"]
    # The parts of the portal, not each news section (the home page lists those itself).
    sections = [
        link
        for link in navigation.build_links(navigation.PRIMARY_NAVIGATION, request)
        if link.key != "home" and not link.group
    ]
    return sections + navigation.build_links(navigation.QUICK_LINKS, request)


@register.simple_tag(takes_context=True)
def page_language_versions(context: dict[str, Any]) -> list[LanguageVersion]:
    page = context.get("page")
    return language_versions(context["request"], page if isinstance(page, Page) else None)


@register.simple_tag(takes_context=True)
def home_url(context: dict[str, Any]) -> str:
    return navigation.home_url(context["request"])


@register.simple_tag
def content_generation() -> str:
    """For ``{% cache %}`` keys: a fragment of published content is forgotten on publish."""
    return page_cache.generation()


@register.filter
def in_group(links: list[navigation.NavLink], group: str) -> list[navigation.NavLink]:
    """The menu links that stand for pages of one kind, e.g. the news sections."""
    return [link for link in links if link.group == group]
