"""RSS 2.0 and Atom feeds of new gazette issues (``/cong-bao/rss/``, ``/cong-bao/atom/``).

Each item is an issue: its number and date, the list of its documents, and its PDF as an
enclosure. Identifiers are tag URIs (RFC 4151) built from the issue's id, so a reader never
shows an issue twice. Django shares a ``Feed`` between requests: nothing is kept on ``self``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from vgp.legal.feeds import ChannelFeed

from .models import GazetteEntry, GazetteIssue

FEED_LENGTH = 30
CACHE_SECONDS = 300
_TAG_DATE = "2026"


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str
    description: str
    published: dt.datetime
    pdf_url: str
    pdf_size: int
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    items: list[Item]


def _item(issue: GazetteIssue, request: HttpRequest) -> Item:
    link = request.build_absolute_uri(issue.get_absolute_url())
    host = urlsplit(link).hostname or "localhost"
    entries = list(issue.entries.all())
    documents = format_html_join(
        "",
        "<li>{} — {}</li>",
        (
            (
                " ".join(p for p in (e.document.doc_type.name, e.document.number_symbol) if p),
                e.document.title,
            )
            for e in entries
        ),
    )
    published = issue.published_at or dt.datetime.combine(
        issue.issue_date, dt.time(0), tzinfo=dt.UTC
    )
    return Item(
        title=_("Official Gazette No. %(number)s/%(year)s, %(date)s")
        % {**issue.number_kwargs(), "date": date_format(issue.issue_date, "SHORT_DATE_FORMAT")},
        link=link,
        guid=f"tag:{host},{_TAG_DATE}:gazette-issue-{issue.pk}",
        description=format_html("<ul>{}</ul>", documents) if entries else "",
        published=published,
        pdf_url=request.build_absolute_uri(issue.get_pdf_url()),
        pdf_size=issue.pdf_size,
        categories=sorted({e.document.doc_type.name for e in entries}),
    )


class GazetteIssuesFeed(ChannelFeed):
    """The newest published issues (RSS 2.0), each with its PDF as an enclosure."""

    cache_seconds = CACHE_SECONDS

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Channel:
        issues = (
            GazetteIssue.objects.published()
            .order_by("-published_at", "-year", "-number")
            .prefetch_related(
                Prefetch(
                    "entries",
                    queryset=GazetteEntry.objects.select_related(
                        "document", "document__doc_type"
                    ).order_by("sort_order", "pk"),
                )
            )[:FEED_LENGTH]
        )
        return Channel(
            title=_("Official Gazette: new issues"),
            link=reverse("gazette_home"),
            description=_("New issues of the Official Gazette of Viet Nam published by %(site)s.")
            % {"site": settings.WAGTAIL_SITE_NAME},
            items=[_item(issue, request) for issue in issues],
        )

    def item_enclosures(self, item: Item) -> list[Enclosure]:
        return [Enclosure(item.pdf_url, str(item.pdf_size), "application/pdf")]


class AtomGazetteIssuesFeed(GazetteIssuesFeed):
    feed_type = Atom1Feed
