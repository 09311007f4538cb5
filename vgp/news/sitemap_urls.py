"""``/sitemap.xml``, ``/sitemap-<section>.xml`` and ``/robots.txt``: one per host, no language prefix."""

from django.urls import path

from . import sitemaps

app_name = "news_sitemaps"

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap_index, name="index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
