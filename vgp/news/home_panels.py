"""The e-newspaper's panels on the portal's home page (see ``vgp.portal.home``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from wagtail.models import Page

from vgp.portal.home import HomePanel

from . import queries


def news_panels(home: Page, request: HttpRequest) -> Iterable[HomePanel]:
    def stories() -> list:
        return queries.top_stories(home)

    def sections() -> list:
        # An item already among the top stories is not repeated under its section.
        return queries.home_sections(home, exclude=[item.pk for item in top.load])

    top = HomePanel("news-top-stories", "news/home/top_stories.html", "top", 10, stories)
    yield top
    yield HomePanel("news-sections", "news/home/sections.html", "main", 10, sections)
    yield HomePanel("news-most-read", "news/home/most_read.html", "aside", 10)
