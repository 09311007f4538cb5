"""Lists split into pages of a fixed size, addressed as ``?page=N``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the ellipsis between distant pages
    url: str
    current: bool


@dataclass(frozen=True)
class Paged:
    page: Page
    links: list[PageLink]
    previous_url: str
    next_url: str

    def __iter__(self) -> Any:
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)


def _url(query: QueryDict, number: int) -> str:
    query = query.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "."


def paginate(request: HttpRequest, items: Any, per_page: int) -> Paged:
    """Page ``?page=N`` of ``items``; a page number that does not exist is a 404."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    links = [
        PageLink(
            number=number if isinstance(number, int) else None,
            url=_url(request.GET, number) if isinstance(number, int) else "",
            current=number == page.number,
        )
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Paged(
        page=page,
        links=links if paginator.num_pages > 1 else [],
        previous_url=_url(request.GET, page.number - 1) if page.has_previous() else "",
        next_url=_url(request.GET, page.number + 1) if page.has_next() else "",
    )
