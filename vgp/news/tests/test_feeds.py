"""RSS 2.0 and Atom feeds: everything, per section, per source agency, per language."""

from __future__ import annotations

import datetime as dt
import html

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from vgp.news.testing import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200, response.content[:500]
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def assert_complete(entry):
    """The fields every reader needs are present and usable."""
    assert entry.title
    assert entry.link.startswith("http://")
    assert entry.id.startswith("tag:")
    assert entry.published_parsed is not None
    assert entry.summary


@pytest.fixture
def finance_item(newspaper, ministry_of_finance):
    """An item of the Ministry of Finance, the oldest of the newspaper."""
    return make_article(
        newspaper.economy,
        "Bộ Tài chính công bố số liệu thu ngân sách",
        lead="Thu ngân sách 10 tháng đạt 90% dự toán.",
        source_agency=ministry_of_finance,
        date=dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )


def test_rss_of_everything_lists_the_newest_items_with_every_field(client, newspaper):
    response = client.get("/rss/")

    feed = parse(response)
    assert feed.version == "rss20"
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert feed.feed.title == "Cổng Thông tin điện tử Chính phủ"
    assert feed.feed.language == "vi"
    assert [e.title for e in feed.entries] == [newspaper.egov.title, newspaper.budget.title]
    for entry in feed.entries:
        assert_complete(entry)
    egov = feed.entries[0]
    assert egov.link == newspaper.egov.get_full_url()
    assert egov.summary == newspaper.egov.lead
    assert egov.author == "Minh Anh"
    assert sorted(tag.term for tag in egov.tags) == ["Chuyển đổi số", "Dịch vụ công"]
    assert egov.published_parsed[:5] == (2026, 11, 20, 7, 5)  # 14:05 in Hà Nội
    (enclosure,) = egov.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/")
    assert client.get(enclosure.href.removeprefix("http://testserver")).status_code in (200, 404)


def test_atom_of_everything_is_valid_with_updated_and_author(client, newspaper):
    feed = parse(client.get("/atom/"))

    assert feed.version == "atom10"
    assert feed.feed.author == "Cổng Thông tin điện tử Chính phủ"
    assert feed.feed.updated_parsed is not None
    assert [e.title for e in feed.entries] == [newspaper.egov.title, newspaper.budget.title]
    for entry in feed.entries:
        assert_complete(entry)
        assert entry.updated_parsed is not None
    assert feed.entries[0].author == "Minh Anh"
    assert feed.entries[0].rights  # the licence and attribution


def test_a_section_feed_lists_only_that_section(client, newspaper):
    politics = parse(client.get("/rss/thoi-su/"))
    economy = parse(client.get("/atom/kinh-te/"))

    assert [e.title for e in politics.entries] == [newspaper.egov.title]
    assert politics.feed.title.endswith("Thời sự")
    assert politics.feed.link == newspaper.politics.get_full_url()
    assert [e.title for e in economy.entries] == [newspaper.budget.title]
    assert client.get("/rss/khong-co/").status_code == 404


def test_an_agency_feed_lists_only_that_agencys_items(client, finance_item):
    rss = parse(client.get("/rss/co-quan/000.00.00.G12/"))
    atom = parse(client.get("/atom/co-quan/000.00.00.G12/"))

    assert [e.title for e in rss.entries] == [finance_item.title]
    assert [e.title for e in atom.entries] == [finance_item.title]
    assert rss.entries[0].author == "Bộ Tài chính"  # no byline: the source agency
    assert client.get("/rss/co-quan/000.00.00.G99/").status_code == 404


def test_withdrawn_items_and_drafts_stay_out_of_feeds(client, newspaper):
    newspaper.budget.withdrawn_at = timezone.now()
    newspaper.budget.save(update_fields=["withdrawn_at"])
    draft = newspaper.politics.add_child(
        instance=type(newspaper.egov)(title="Bản nháp", lead="Chưa duyệt.", live=False)
    )

    titles = [e.title for e in parse(client.get("/rss/")).entries]

    assert titles == [newspaper.egov.title]
    assert draft.title not in titles


def test_the_english_edition_has_its_own_feeds(client, newspaper, home_pages):
    english = make_section(home_pages.english, "News", slug="news")
    item = make_article(english, "Government meets businesses", lead="The PM met investors.")

    feed = parse(client.get("/en/rss/"))

    assert feed.feed.language == "en"
    assert feed.feed.title == "Viet Nam Government Portal"
    assert [e.title for e in feed.entries] == [item.title]
    assert "/en/" in feed.entries[0].link
    assert [e.title for e in parse(client.get("/en/atom/news/")).entries] == [item.title]


def test_an_items_id_survives_a_change_of_address(client, newspaper):
    before = parse(client.get("/rss/")).entries[0]
    egov = newspaper.egov
    egov.slug = "chinh-phu-so"
    egov.save_revision().publish()

    after = parse(client.get("/rss/")).entries[0]

    assert after.link != before.link
    assert after.id == before.id


def test_titles_with_markup_characters_come_back_as_written(client, newspaper):
    title = 'Thuế & phí: "mức <5%" được giữ'
    make_article(newspaper.economy, title, lead="A & B <c>", date=timezone.now())

    for url in ("/rss/", "/atom/"):
        entry = parse(client.get(url)).entries[0]
        assert entry.title == title
        # A summary is HTML: the plain-text lead arrives escaped, whole, not read as a tag.
        assert html.unescape(entry.summary) == "A & B <c>"


def test_a_feed_costs_the_same_queries_for_2_or_12_items(client, newspaper):
    def count() -> int:
        client.get("/rss/")  # renditions are made on the first request, then reused
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rss/").status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        make_article(
            newspaper.politics,
            f"Tin số {n}",
            tags=[f"Chủ đề {n}"],
            image=make_image(f"Ảnh {n}", width=640, height=400),
        )
    assert count() == few


def test_every_page_announces_the_feed_of_its_language(client, newspaper):
    vietnamese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert 'type="application/rss+xml"' in vietnamese and 'href="/rss/"' in vietnamese
    assert 'href="/en/rss/"' in english
    assert Locale.objects.count() == 2
