"""Reads of the e-newspaper for its public pages: lists, related items, most read, search.

Every list is one query for the items (with their featured image and section joined) plus one
for the renditions of those images that the page shows, however many items there are. Only
live items are listed; withdrawn ones stay in section lists, topic pages and search (labelled)
but leave the home page, related items and "most read". Feeds, sitemaps and the API read through
``published.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import HttpRequest
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Locale, Page, PageViewRestriction

from vgp.core.text import terms

from .models import DailyViews, NewsItemPage, RelatedItem, SectionPage, Topic, TopStory

#: The pictures of items in lists: a card's and the lead story's. ``news/includes/card.html``
#: uses exactly these specs in its ``{% picture %}`` tags, so that a list fetches their
#: renditions with its items. A spec used there but missing here would make Wagtail render the
#: image again on every request (it trusts prefetched renditions to be complete).
LIST_IMAGE_SPECS = (
    ("format-{avif,webp,jpeg}", "fill-{320x180,640x360}"),
    ("format-{avif,webp,jpeg}", "fill-{640x360,960x540,1280x720}"),
)
#: A gallery's photos (``news/gallery_page.html``), same rule.
GALLERY_IMAGE_SPECS = ("format-{avif,webp,jpeg}", "width-{480,960,1440}")

HOME_SECTION_SIZE = 5
RELATED_SIZE = 5
MOST_READ_DAYS = 7
MOST_READ_SIZE = 5
# "Most read" moves slowly; summing it again for every page would cost more than it shows.
MOST_READ_CACHE_SECONDS = 300

# Wagtail's ``.public()`` reads every view restriction on each call; lists run on every page,
# so the restricted subtrees are read once a minute instead (restricting news is rare).
_PRIVATE_PATHS_KEY = "vgp:news:private-paths"
_PRIVATE_PATHS_SECONDS = 60


def _private_paths() -> list[str]:
    paths = cache.get(_PRIVATE_PATHS_KEY)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(_PRIVATE_PATHS_KEY, paths, _PRIVATE_PATHS_SECONDS)
    return list(paths)


def public(items: QuerySet[Any]) -> QuerySet[Any]:
    """``items`` less the pages under a view restriction (password, sign-in, groups)."""
    private = Q()
    for path in _private_paths():
        private |= Q(path__startswith=path)
    return items.exclude(private) if private else items


def _renditions_of(path: str, *spec_sets: Sequence[str]) -> Prefetch:
    """Prefetch the renditions named by ``spec_sets`` of the image at ``path``."""
    specs = [spec for specs in spec_sets for spec in Filter.expand_spec(list(specs))]
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{path}__renditions", queryset=renditions, to_attr="prefetched_renditions")


def with_cards(items: QuerySet[Any]) -> QuerySet[Any]:
    """Join what a card shows (image, section) and fetch the images' renditions at once."""
    return items.select_related("featured_image", "section").prefetch_related(
        _renditions_of("featured_image", *LIST_IMAGE_SPECS)
    )


def published(locale: Locale | int | None = None) -> QuerySet[NewsItemPage]:
    """Live public items, newest first, in one language (``locale``) or all."""
    items = public(NewsItemPage.objects.live()).order_by("-date", "-pk")
    if locale is not None:
        items = items.filter(locale=locale)
    return items


def current(locale: Locale | int | None = None) -> QuerySet[NewsItemPage]:
    """Published items that have not been withdrawn: what the home page and suggestions offer."""
    return published(locale).filter(withdrawn_at__isnull=True)


def section_items(section: SectionPage) -> QuerySet[NewsItemPage]:
    """A section's list (withdrawn items included, labelled), newest first."""
    return with_cards(published().filter(section=section))


def topic_items(topic: Topic, locale: Locale) -> QuerySet[NewsItemPage]:
    return with_cards(published(locale).filter(tags=topic))


# --- home page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionBlock:
    section: SectionPage
    items: list[NewsItemPage]


def home_sections(home: Page, exclude: Sequence[int] = ()) -> list[SectionBlock]:
    """The sections shown on ``home``, each with its latest items (two queries per section)."""
    sections = public(
        SectionPage.objects.live().child_of(home).filter(show_on_home=True).order_by("path")
    )
    blocks = []
    for section in sections:
        latest = current().filter(section=section).exclude(pk__in=exclude)
        items = list(with_cards(latest)[:HOME_SECTION_SIZE])
        if items:
            blocks.append(SectionBlock(section, items))
    return blocks


def top_stories(home: Page) -> list[NewsItemPage]:
    """The items the editors put at the top of ``home``, in their order, if still current."""
    ids = list(
        TopStory.objects.filter(page_id=home.pk)
        .order_by("sort_order", "pk")
        .values_list("story_id", flat=True)
    )
    if not ids:
        return []
    by_id = {item.pk: item for item in with_cards(current().filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


# --- an item's page -------------------------------------------------------------------------


def related_items(item: NewsItemPage) -> list[NewsItemPage]:
    """The items the editors chose for ``item``; else the latest others of its section.

    One query: the chosen items and the section's latest come together, chosen ones first in
    the editors' order; the section's are used only when no chosen one is current.
    """
    chosen = RelatedItem.objects.filter(page_id=item.pk, item_id=OuterRef("pk"))
    candidates = Q(pk__in=RelatedItem.objects.filter(page_id=item.pk).values("item_id"))
    if item.section_id is not None:
        candidates |= Q(section_id=item.section_id)
    items = list(
        current()
        .filter(candidates)
        .exclude(pk=item.pk)
        .annotate(chosen_order=Subquery(chosen.values("sort_order")[:1]))
        .annotate(is_chosen=Exists(chosen))
        .order_by("-is_chosen", "chosen_order", "-date", "-pk")[:RELATED_SIZE]
    )
    if any(related.is_chosen for related in items):
        return [related for related in items if related.is_chosen]
    return items


def gallery_photos(gallery: Any) -> list[Any]:
    """A gallery's photos in order, with their images and renditions (two queries)."""
    return list(
        gallery.gallery_images.select_related("image")
        .prefetch_related(_renditions_of("image", GALLERY_IMAGE_SPECS))
        .order_by("sort_order", "pk")
    )


# --- most read ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MostRead:
    title: str
    url: str
    views: int


def most_read(request: HttpRequest, locale: Locale, today: dt.date | None = None) -> list[MostRead]:
    """The current items of ``locale`` read most over the last seven days (today included)."""
    today = today or timezone.localdate()
    key = f"vgp:news:most-read:{locale.pk}:{request.get_host()}:{today.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    totals = (
        DailyViews.objects.filter(
            day__gt=today - dt.timedelta(days=MOST_READ_DAYS),
            day__lte=today,
            page__live=True,
            page__withdrawn_at__isnull=True,
            page__locale=locale,
        )
        .values("page")
        .annotate(views=Sum("count"))
        .order_by("-views", "-page")[:MOST_READ_SIZE]
    )
    views = {row["page"]: row["views"] for row in totals}
    by_id = {page.pk: page for page in public(NewsItemPage.objects.filter(pk__in=views))}
    result = [
        MostRead(title=by_id[pk].title, url=by_id[pk].get_url(request) or "", views=total)
        for pk, total in views.items()
        if pk in by_id
    ]
    cache.set(key, result, MOST_READ_CACHE_SECONDS)
    return result


# --- search ---------------------------------------------------------------------------------


def search(
    query: str,
    locale: Locale,
    section: SectionPage | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[NewsItemPage]:
    """Items whose folded text holds every folded word of ``query``, title matches first.

    "chinh phu dien tu" finds "Chính phủ điện tử": ``search_text`` is stored folded (lower
    case, no diacritics), and so are the words searched for.
    """
    items = published(locale)
    words = terms(query)
    for word in words:
        items = items.filter(search_text__contains=word)
    if section is not None:
        items = items.filter(section=section)
    if date_from is not None:
        items = items.filter(date__gte=_start_of(date_from))
    if date_to is not None:
        items = items.filter(date__lt=_start_of(date_to + dt.timedelta(days=1)))
    if words:
        # There is no folded title column: an item whose title holds the query as typed, or
        # whose folded text (which starts with the title) starts with it, comes first.
        in_title = Q(title__icontains=query.strip()) | Q(search_text__startswith=" ".join(words))
        items = items.alias(
            title_match=Case(When(in_title, then=Value(1)), default=Value(0))
        ).order_by("-title_match", "-date", "-pk")
    return with_cards(items)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def sections_of(locale: Locale) -> QuerySet[SectionPage]:
    """The live sections of a language, in the tree's order (the search form's choices)."""
    return public(SectionPage.objects.live()).filter(locale=locale).order_by("path")
