"""Published news for feeds, sitemaps, page metadata and the API: one query per list.

Every list here is one query for the items plus a fixed number of prefetches, whatever its
length: the related rows (locale, section, source agency, featured image and its social
rendition, topics) come with the items, and page URLs are computed from ``url_path`` and the
site root paths that Wagtail caches on the request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from wagtail.images import get_image_model
from wagtail.models import Locale

from . import queries
from .models import NewsItemPage, SectionPage

logger = logging.getLogger(__name__)

#: The picture shared with an item (Open Graph, feeds, the API): 1200x630 is what Facebook,
#: Zalo and X crop to; JPEG because not every reader of a feed understands WebP or AVIF.
SOCIAL_IMAGE_FILTER = "fill-1200x630|format-jpeg"
SOCIAL_IMAGE_MIME_TYPE = "image/jpeg"


def published_items() -> QuerySet[NewsItemPage]:
    """Live, public news items of every locale, withdrawn ones included, with their relations."""
    rendition_model = get_image_model().get_rendition_model()
    return (
        queries.public(NewsItemPage.objects.live())
        .select_related("locale", "section", "source_agency", "featured_image")
        .prefetch_related(
            "tags",
            Prefetch(
                "featured_image__renditions",
                queryset=rendition_model.objects.filter(filter_spec=SOCIAL_IMAGE_FILTER),
            ),
        )
    )


def current_items(locale: Locale | None = None) -> QuerySet[NewsItemPage]:
    """What feeds and the news sitemap list: published, not withdrawn, newest first."""
    items = published_items().filter(withdrawn_at__isnull=True)
    if locale is not None:
        items = items.filter(locale=locale)
    return items.order_by("-date", "-pk")


def with_changed_at(items: QuerySet[NewsItemPage]) -> QuerySet[NewsItemPage]:
    """The items, ready to order and filter by ``changed_at``.

    ``NewsItemPage.changed_at`` is stamped whenever the public sees an item change (published,
    unpublished, withdrawn, reinstated) and is indexed; rows written before it existed were
    filled by its migration.
    """
    return items.filter(changed_at__isnull=False)


def live_section(locale: Locale, slug: str) -> SectionPage | None:
    return (
        queries.public(SectionPage.objects.live())
        .filter(locale=locale, slug=slug)
        .select_related("locale")
        .order_by("path")
        .first()
    )


def social_image_url(item: NewsItemPage, request: HttpRequest) -> str:
    """The absolute address of the item's 1200x630 picture, or ``""`` without one.

    A missing or unreadable original must not break a feed or a page head: it is logged and
    the item goes without a picture.
    """
    image: Any = item.featured_image
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
    except Exception:
        logger.warning("No social rendition for image %s of page %s", image.pk, item.pk)
        return ""
    return absolute_url(request, rendition.url)


def absolute_url(request: HttpRequest, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


def page_url(item: Any, request: HttpRequest) -> str:
    """The canonical absolute address of a page (``""`` if it is not routable)."""
    return item.get_full_url(request) or ""
