"""sitemap.xml (an index), the pages and Google News sitemaps, and robots.txt."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from vgp.news.testing import make_article, make_section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def xml(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314  # our own output


@pytest.fixture
def fresh_item(newspaper):
    """An item published an hour ago, when the newspaper's other items are a week old."""
    week_ago = timezone.now() - dt.timedelta(days=7)
    for item in (newspaper.egov, newspaper.budget):
        item.date = week_ago
        item.save_revision().publish()
    return make_article(
        newspaper.politics,
        "Thủ tướng chủ trì phiên họp Chính phủ thường kỳ",
        lead="Phiên họp bàn về tình hình kinh tế - xã hội.",
        date=timezone.now() - dt.timedelta(hours=1),
    )


def test_the_index_lists_the_pages_and_news_sitemaps(client, newspaper):
    index = xml(client.get("/sitemap.xml"))

    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert locations == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-news.xml",
    ]


def test_the_pages_sitemap_covers_both_languages_with_alternates(client, newspaper, home_pages):
    english = make_section(home_pages.english, "News", slug="news")
    politics_en = newspaper.politics.copy_for_translation(english.locale)
    politics_en.save_revision().publish()

    urlset = xml(client.get("/sitemap-pages.xml"))

    locations = {url.findtext("sm:loc", namespaces=NS) for url in urlset.findall("sm:url", NS)}
    assert newspaper.egov.get_full_url() in locations
    assert newspaper.budget.get_full_url() in locations
    assert english.get_full_url() in locations
    assert home_pages.english.get_full_url() in locations
    assert all(url.findtext("sm:lastmod", namespaces=NS) for url in urlset.findall("sm:url", NS))
    politics = next(
        url
        for url in urlset.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == newspaper.politics.get_full_url()
    )
    alternates = {
        link.get("hreflang"): link.get("href") for link in politics.findall("xhtml:link", NS)
    }
    assert alternates == {
        "vi": newspaper.politics.get_full_url(),
        "en": politics_en.get_full_url(),
    }


def test_the_news_sitemap_has_the_last_two_days_with_the_news_fields(client, fresh_item):
    urlset = xml(client.get("/sitemap-news.xml"))

    (url,) = urlset.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == fresh_item.get_full_url()
    news = url.find("news:news", NS)
    assert news is not None
    assert news.findtext("news:publication/news:name", namespaces=NS) == (
        "Cổng Thông tin điện tử Chính phủ"
    )
    assert news.findtext("news:publication/news:language", namespaces=NS) == "vi"
    assert news.findtext("news:title", namespaces=NS) == fresh_item.title
    published = dt.datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == fresh_item.date.replace(microsecond=0)


def test_withdrawn_news_leaves_the_news_sitemap(client, fresh_item):
    fresh_item.withdrawn_at = timezone.now()
    fresh_item.save(update_fields=["withdrawn_at"])

    assert xml(client.get("/sitemap-news.xml")).findall("sm:url", NS) == []


def test_an_unknown_sitemap_is_404(client, newspaper):
    assert client.get("/sitemap-khac.xml").status_code == 404


def test_robots_txt_allows_the_site_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /quan-tri/" in lines
    assert "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "public" in response["Cache-Control"]
