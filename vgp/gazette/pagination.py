"""Links to the pages of a list addressed as ``?page=N`` (years' issues, search results)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap between distant pages
    url: str
    current: bool


@dataclass(frozen=True)
class PageLinks:
    links: list[PageLink]
    previous_url: str
    next_url: str


def _url(query: QueryDict, number: int) -> str:
    query = query.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "."


def page_links(query: QueryDict, current: int, pages: int) -> PageLinks:
    """First, last, and the pages next to ``current``; gaps between them."""
    if pages <= 1:
        return PageLinks(links=[], previous_url="", next_url="")
    shown = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    links: list[PageLink] = []
    for number in shown:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(number=None, url="", current=False))
        links.append(PageLink(number=number, url=_url(query, number), current=number == current))
    return PageLinks(
        links=links,
        previous_url=_url(query, current - 1) if current > 1 else "",
        next_url=_url(query, current + 1) if current < pages else "",
    )
