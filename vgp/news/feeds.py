"""RSS 2.0 and Atom feeds of the e-newspaper: everything, one section, one source agency.

Each feed lists the 50 newest live items of the current language (Vietnamese at ``/rss/``,
English at ``/en/rss/``). Withdrawn items are left out: a feed is a list of news to read, and
a reader that already fetched a withdrawn item keeps its copy whatever we publish; the page
itself, with its withdrawal notice, stays at its address.

Identifiers are tag URIs (RFC 4151) built from the page id, not the address, so that a reader
does not show an item again when editors correct its slug or move it to another section.

Django instantiates a ``Feed`` once and shares it between requests, so everything a request
needs is computed in ``get_object`` into a :class:`Channel` and nothing is kept on ``self``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from vgp.agencies.models import Agency

from . import published
from .models import Licence, NewsItemPage

FEED_LENGTH = 50
CACHE_SECONDS = 300
# RFC 4151: a tag URI names a domain and a date on which its owner held it.
_TAG_DATE = "2025"


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    guid: str
    description: str
    published: dt.datetime
    updated: dt.datetime
    author: str | None
    categories: list[str]
    image_url: str
    rights: str


@dataclass(frozen=True)
class Channel:
    title: str
    link: str
    description: str
    entries: list[Entry] = field(default_factory=list)


def guid(item: NewsItemPage, link: str) -> str:
    host = urlsplit(link).hostname or "localhost"
    return f"tag:{host},{_TAG_DATE}:news-item-{item.pk}"


def _rights(item: NewsItemPage) -> str:
    licence = str(Licence(item.licence).label) if item.licence in Licence.values else ""
    return " — ".join(part for part in (licence, item.attribution) if part)


def entry(item: NewsItemPage, request: HttpRequest) -> Entry:
    link = published.page_url(item, request)
    agency = item.source_agency
    return Entry(
        title=item.title,
        link=link,
        guid=guid(item, link),
        # Readers take a description as HTML; the lead is plain text.
        description=escape(item.lead),
        published=item.date,
        updated=max(item.date, item.last_published_at or item.date),
        author=item.byline or (agency.name if agency else None),
        categories=[tag.name for tag in item.tags.all()],
        image_url=published.social_image_url(item, request),
        rights=_rights(item),
    )


def _active_locale() -> Locale:
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None:
        raise Http404("No content in this language.")
    return locale


def _site_name() -> str:
    return str(settings.WAGTAIL_SITE_NAME)


class NewsFeed(Feed):
    """The RSS 2.0 feed of all items; subclasses narrow it down (``narrow``)."""

    feed_type: type[Rss201rev2Feed] | type[Atom1Feed] = Rss201rev2Feed
    item_guid_is_permalink = False

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        return response

    def narrow(
        self, request: HttpRequest, locale: Locale, items: QuerySet[NewsItemPage], **kwargs: Any
    ) -> tuple[QuerySet[NewsItemPage], Channel]:
        channel = Channel(
            title=_site_name(),
            link=reverse("wagtail_serve", args=("",)),
            description=_("The latest news from the Viet Nam Government Portal."),
        )
        return items, channel

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Channel:
        locale = _active_locale()
        items, channel = self.narrow(request, locale, published.current_items(locale), **kwargs)
        entries = [entry(item, request) for item in items[:FEED_LENGTH]]
        return Channel(channel.title, channel.link, channel.description, entries)

    # Django reads these from the object get_object returned.
    def title(self, obj: Channel) -> str:
        return obj.title

    def link(self, obj: Channel) -> str:
        return obj.link

    def description(self, obj: Channel) -> str:
        return obj.description

    def subtitle(self, obj: Channel) -> str:
        return obj.description

    def author_name(self, obj: Channel) -> str:
        return _site_name()

    def feed_copyright(self, obj: Channel) -> str:
        return _("© Viet Nam Government Portal")

    def items(self, obj: Channel) -> list[Entry]:
        return obj.entries

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.guid

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_pubdate(self, item: Entry) -> dt.datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> dt.datetime:
        return item.updated

    def item_author_name(self, item: Entry) -> str | None:
        return item.author

    def item_categories(self, item: Entry) -> list[str]:
        return item.categories

    def item_copyright(self, item: Entry) -> str:
        return item.rights

    def item_enclosures(self, item: Entry) -> list[Enclosure]:
        if not item.image_url:
            return []
        # The size of a rendition is not stored; the RSS Advisory Board says to give 0 then.
        return [Enclosure(item.image_url, "0", published.SOCIAL_IMAGE_MIME_TYPE)]


class SectionFeed(NewsFeed):
    def narrow(
        self, request: HttpRequest, locale: Locale, items: QuerySet[NewsItemPage], **kwargs: Any
    ) -> tuple[QuerySet[NewsItemPage], Channel]:
        section = published.live_section(locale, kwargs["section_slug"])
        if section is None:
            raise Http404("No such section.")
        channel = Channel(
            title=f"{_site_name()}: {section.title}",
            link=published.page_url(section, request),
            description=section.intro
            or _("The latest news in the section %(section)s.") % {"section": section.title},
        )
        return items.filter(section=section), channel


class AgencyFeed(NewsFeed):
    def narrow(
        self, request: HttpRequest, locale: Locale, items: QuerySet[NewsItemPage], **kwargs: Any
    ) -> tuple[QuerySet[NewsItemPage], Channel]:
        agency = Agency.objects.filter(code=kwargs["agency_code"]).first()
        if agency is None:
            raise Http404("No such agency.")
        channel = Channel(
            title=f"{_site_name()}: {agency.name}",
            link=reverse("wagtail_serve", args=("",)),
            description=_("News from %(agency)s on the Viet Nam Government Portal.")
            % {"agency": agency.name},
        )
        return items.filter(source_agency=agency), channel


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed


class AtomSectionFeed(SectionFeed):
    feed_type = Atom1Feed


class AtomAgencyFeed(AgencyFeed):
    feed_type = Atom1Feed
