"""What a news item's head tells link previews and search engines: Open Graph and JSON-LD."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from vgp.news.testing import make_article, make_section

pytestmark = pytest.mark.django_db


def head_of(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    """The contents of the meta tags with this property (Open Graph) or name (Twitter)."""
    found = soup.find_all("meta", attrs={"property": key}) or soup.find_all(
        "meta", attrs={"name": key}
    )
    return [tag["content"] for tag in found]


def json_ld(soup: BeautifulSoup) -> dict:
    (script,) = soup.find_all("script", attrs={"type": "application/ld+json"})
    return json.loads(script.string)


def test_an_article_has_open_graph_twitter_and_canonical_tags(client, newspaper):
    egov = newspaper.egov
    soup = head_of(client, egov)

    canonical = egov.get_full_url()
    assert soup.find("link", rel="canonical")["href"] == canonical
    assert meta(soup, "og:type") == ["article"]
    assert meta(soup, "og:title") == [egov.title]
    assert meta(soup, "og:description") == [egov.lead]
    assert meta(soup, "og:url") == [canonical]
    assert meta(soup, "og:locale") == ["vi_VN"]
    (image,) = meta(soup, "og:image")
    assert image.startswith("http://testserver/") and image.endswith(".jpg")
    assert meta(soup, "og:image:width") == ["1200"]
    assert meta(soup, "og:image:height") == ["630"]
    assert meta(soup, "article:published_time") == ["2026-11-20T14:05:00+07:00"]
    assert meta(soup, "article:modified_time")
    assert meta(soup, "article:section") == ["Thời sự"]
    assert sorted(meta(soup, "article:tag")) == ["Chuyển đổi số", "Dịch vụ công"]
    assert meta(soup, "twitter:card") == ["summary_large_image"]


def test_an_article_describes_itself_as_a_news_article(client, newspaper):
    egov = newspaper.egov
    data = json_ld(head_of(client, egov))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == egov.title
    assert data["description"] == egov.lead
    assert data["datePublished"] == "2026-11-20T14:05:00+07:00"
    assert data["dateModified"]
    assert data["author"] == [{"@type": "Person", "name": "Minh Anh"}]
    assert data["publisher"]["name"] == "Cổng Thông tin điện tử Chính phủ"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert data["image"][0].startswith("http://testserver/")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": egov.get_full_url()}
    assert data["inLanguage"] == "vi"
    assert data["isAccessibleForFree"] is True


def test_a_title_cannot_break_out_of_the_json_or_the_attributes(client, newspaper):
    title = '</script><script>alert("x")</script> & <b>đậm</b>'
    item = make_article(newspaper.politics, title, lead="Tóm tắt </script> & 'nháy'")

    response = client.get(item.url)
    html = response.content.decode()

    assert "<script>alert" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert json_ld(soup)["headline"] == title
    assert json_ld(soup)["description"] == "Tóm tắt </script> & 'nháy'"
    assert meta(soup, "og:title") == [title]


def test_an_item_without_picture_or_byline_credits_its_agency(
    client, newspaper, ministry_of_finance
):
    item = make_article(
        newspaper.economy,
        "Thông cáo báo chí",
        lead="Bộ Tài chính thông báo.",
        source_agency=ministry_of_finance,
    )

    soup = head_of(client, item)

    assert meta(soup, "og:image") == []
    data = json_ld(soup)
    assert "image" not in data
    assert data["author"] == [{"@type": "GovernmentOrganization", "name": "Bộ Tài chính"}]


def test_an_english_item_says_so(client, home_pages):
    section = make_section(home_pages.english, "News", slug="news")
    item = make_article(section, "Government meets businesses", lead="The PM met investors.")

    soup = head_of(client, item)

    assert meta(soup, "og:locale") == ["en_US"]
    assert json_ld(soup)["inLanguage"] == "en"
    assert json_ld(soup)["publisher"]["name"] == "Viet Nam Government Portal"
    assert soup.find("link", rel="canonical")["href"].startswith("http://localhost/en/")
