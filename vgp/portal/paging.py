"""Links to the pages of a public list addressed as ``?page=N``.

One shape for every list of the public site (news sections, topics and search, legal search,
gazette years and search), drawn by ``portal/includes/pagination.html``: the first and last
pages, the pages next to the current one, and a gap between distant ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, QueryDict


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


def page_url(query: QueryDict, number: int, path: str = "") -> str:
    """The address of page ``number`` of the list at ``path`` (the current address when
    empty), keeping the rest of ``query``; page 1 has no ``page`` parameter."""
    query = query.copy()
    if number <= 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    encoded = query.urlencode()
    if encoded:
        return f"{path}?{encoded}"
    return path or "."


def page_links(query: QueryDict, current: int, pages: int, path: str = "") -> PageLinks:
    """First, last, and the pages next to ``current``, with gaps between; none for one page."""
    if pages <= 1:
        return PageLinks(links=[], previous_url="", next_url="")
    numbers = Paginator(range(pages), 1).get_elided_page_range(current, on_each_side=1, on_ends=1)
    links = [
        PageLink(number, page_url(query, number, path), number == current)
        if isinstance(number, int)
        else PageLink(None, "", False)
        for number in numbers
    ]
    return PageLinks(
        links=links,
        previous_url=page_url(query, current - 1, path) if current > 1 else "",
        next_url=page_url(query, current + 1, path) if current < pages else "",
    )


@dataclass(frozen=True)
class Paged(PageLinks):
    """A page of a list with its links; iterating gives the page's items."""

    page: Page

    def __iter__(self) -> Any:
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)


def paginate(request: HttpRequest, items: Any, per_page: int) -> Paged:
    """Page ``?page=N`` of ``items``; a page number that does not exist is a 404."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    links = page_links(request.GET, page.number, paginator.num_pages)
    return Paged(links.links, links.previous_url, links.next_url, page=page)
