"""RSS 2.0 and Atom feeds of newly promulgated documents (``/van-ban/moi-ban-hanh/rss/``).

The newest published documents of the legal database: latest date of issue first, then the
latest first publication on the portal (documents without a date of issue come last). Each item
links to the document's page; its identifier is a tag URI built from the document's id, so a
corrected number or title does not show the document again as new. Routed from the gazette's
URLs (STANDARDS.md §5 asks for both feeds together); nothing here imports the gazette.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import LegalDocument

FEED_LENGTH = 50
CACHE_SECONDS = 300
_TAG_DATE = "2026"


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str
    description: str
    published: dt.datetime
    updated: dt.datetime
    author: str
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    items: list[Item]


def newest_documents() -> Any:
    """Published documents, newest date of issue first, then newest on the portal."""
    return (
        LegalDocument.objects.published()
        .select_related("doc_type", "issuer")
        .prefetch_related("sectors")
        .order_by(
            F("issued_date").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-pk",
        )
    )


def _moment(document: LegalDocument) -> dt.datetime:
    if document.issued_date is not None:
        return dt.datetime.combine(
            document.issued_date, dt.time(0), tzinfo=timezone.get_default_timezone()
        )
    return document.first_published_at or document.created_at


def _item(document: LegalDocument, request: HttpRequest) -> Item:
    link = request.build_absolute_uri(document.get_absolute_url())
    host = urlsplit(link).hostname or "localhost"
    title = (
        f"{document.display_name}: {document.title}" if document.number_symbol else document.title
    )
    facts = [document.doc_type.name, document.issuer_label]
    if document.issued_date:
        facts.append(
            _("issued on %(date)s")
            % {"date": date_format(document.issued_date, "SHORT_DATE_FORMAT")}
        )
    summary = document.summary or document.title
    description = f"<p>{escape(' · '.join(f for f in facts if f))}</p><p>{escape(summary)}</p>"
    published = _moment(document)
    return Item(
        title=title,
        link=link,
        guid=f"tag:{host},{_TAG_DATE}:legal-document-{document.pk}",
        description=description,
        published=published,
        updated=max(published, document.last_published_at or published),
        author=document.issuer_label,
        categories=[sector.name for sector in document.sectors.all()],
    )


class ChannelFeed(Feed):
    """A feed whose ``get_object`` returns a channel (title, link, description, items) of
    items (title, link, guid, description, published, and optionally updated, author,
    categories): the legal and gazette feeds share these accessors. Cached by proxies for
    ``cache_seconds``. Django shares a ``Feed`` between requests: nothing is kept on ``self``."""

    feed_type: type[Rss201rev2Feed] | type[Atom1Feed] = Rss201rev2Feed
    item_guid_is_permalink = False
    cache_seconds = CACHE_SECONDS

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=self.cache_seconds)
        return response

    def title(self, obj: Any) -> str:
        return str(obj.title)

    def link(self, obj: Any) -> str:
        return str(obj.link)

    def description(self, obj: Any) -> str:
        return str(obj.description)

    def subtitle(self, obj: Any) -> str:
        return str(obj.description)

    def author_name(self, obj: Any) -> str:
        return str(settings.WAGTAIL_SITE_NAME)

    def items(self, obj: Any) -> list[Any]:
        return list(obj.items)

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_link(self, item: Any) -> str:
        return str(item.link)

    def item_guid(self, item: Any) -> str:
        return str(item.guid)

    def item_description(self, item: Any) -> str:
        return str(item.description)

    def item_pubdate(self, item: Any) -> dt.datetime:
        published: dt.datetime = item.published
        return published

    def item_updateddate(self, item: Any) -> dt.datetime:
        updated: dt.datetime = getattr(item, "updated", item.published)
        return updated

    def item_author_name(self, item: Any) -> str | None:
        return getattr(item, "author", None)

    def item_categories(self, item: Any) -> list[str]:
        return list(getattr(item, "categories", []))


class NewDocumentsFeed(ChannelFeed):
    """Newly promulgated documents (RSS 2.0)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Channel:
        return Channel(
            title=_("Newly promulgated documents"),
            link=reverse("legal_search"),
            description=_("Legal documents newly published in the database of %(site)s.")
            % {"site": settings.WAGTAIL_SITE_NAME},
            items=[_item(d, request) for d in newest_documents()[:FEED_LENGTH]],
        )


class AtomNewDocumentsFeed(NewDocumentsFeed):
    feed_type = Atom1Feed
