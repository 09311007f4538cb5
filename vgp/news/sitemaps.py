"""What search engines read: ``sitemap.xml``, the sitemaps it lists, and ``robots.txt``.

- ``/sitemap.xml``: an index of the sitemaps below (Django's, with their last change).
- ``/sitemap-pages.xml``: every live public page in both languages, each with ``hreflang``
  links to its translations. Wagtail's sitemap covers one site root; the English home page
  is a translation beside it, not below it, so the roots here are the root and its
  translations.
- ``/sitemap-news.xml``: the Google News sitemap, items published in the last two days.
- ``/robots.txt``: everything may be crawled except the admin and the API.

These addresses are outside ``i18n_patterns``: one sitemap and one robots file per host.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from .models import NewsItemPage

CACHE_SECONDS = 300
NEWS_DAYS = 2
NEWS_TEMPLATE = "news/sitemap_news.xml"


class PagesSitemap(WagtailSitemap):
    # Smaller than the protocol's 50,000 so that one sitemap page stays quick to build.
    limit = 10_000

    def _pages(self) -> Any:  # a PageQuerySet
        site = self.get_wagtail_site()
        roots = Q()
        for root in site.root_page.get_translations(inclusive=True).only("path"):
            roots |= Q(path__startswith=root.path)
        return Page.objects.live().public().filter(roots)

    def items(self) -> Any:
        return self._pages().order_by("path").defer_streamfields().specific()

    def get_latest_lastmod(self) -> dt.datetime | None:
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]

    def _alternates(self, pages: list[Page]) -> dict[Any, list[dict[str, str]]]:
        """``{translation_key: [{lang_code, location}]}`` for keys with two or more versions."""
        keys = {page.translation_key for page in pages}
        versions: dict[Any, list[dict[str, str]]] = {}
        translations = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .only("pk", "url_path", "translation_key", "locale__language_code")
            .order_by("locale__language_code")
        )
        for version in translations:
            url = version.get_full_url(self.request)
            if url:
                versions.setdefault(version.translation_key, []).append(
                    {"lang_code": version.locale.language_code, "location": url}
                )
        return {key: found for key, found in versions.items() if len(found) > 1}

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        pages = list(self.paginator.page(page).object_list)
        alternates = self._alternates(pages)
        urls: list[dict[str, Any]] = []
        for item in pages:
            for info in item.get_sitemap_urls(self.request):
                if item.translation_key in alternates:
                    info = {**info, "alternates": alternates[item.translation_key]}
                urls.append(info)
        last_mods = [info["lastmod"] for info in urls if info.get("lastmod") is not None]
        if last_mods and len(last_mods) == len(urls):
            self.latest_lastmod = max(last_mods)
        return urls


class NewsSitemap(WagtailSitemap):
    """Google News: items first published in the last two days, at most 1,000 per file."""

    limit = 1000

    def _items(self) -> QuerySet[NewsItemPage]:
        now = timezone.now()
        return (
            NewsItemPage.objects.live()
            .public()
            .filter(
                withdrawn_at__isnull=True,
                date__gte=now - dt.timedelta(days=NEWS_DAYS),
                date__lte=now,
            )
        )

    def items(self) -> Any:
        return self._items().select_related("locale").order_by("-date", "-pk")

    def get_latest_lastmod(self) -> dt.datetime | None:
        return self._items().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        names: dict[str, str] = {}
        urls: list[dict[str, Any]] = []
        for item in self.paginator.page(page).object_list:
            language = item.locale.language_code
            if language not in names:
                with translation.override(language):
                    names[language] = str(settings.WAGTAIL_SITE_NAME)
            urls.append(
                {
                    "item": item,
                    "location": item.get_full_url(self.request),
                    "lastmod": item.last_published_at,
                    "language": language,
                    "publication_name": names[language],
                    # W3C date-time with the offset and no fraction, as Google News asks.
                    "publication_date": timezone.localtime(item.date)
                    .replace(microsecond=0)
                    .isoformat(),
                }
            )
        if urls and all(url["lastmod"] for url in urls):
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls


def _sitemaps(request: HttpRequest) -> dict[str, WagtailSitemap]:
    return {"pages": PagesSitemap(request), "news": NewsSitemap(request)}


def _cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return _cached(
        sitemap_views.index(request, _sitemaps(request), sitemap_url_name="news_sitemaps:section")
    )


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    template = NEWS_TEMPLATE if section == "news" else "sitemap.xml"
    return _cached(
        sitemap_views.sitemap(request, _sitemaps(request), section=section, template_name=template)
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("news_sitemaps:index"))
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /quan-tri/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    return _cached(response)
