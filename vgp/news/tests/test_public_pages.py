"""What a citizen sees of the e-newspaper: home, sections, topics, search, items, print, counts."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from vgp.news import editorial, queries, readership
from vgp.news.models import DailyViews, NewsItemPage, RelatedItem, TopStory
from vgp.news.testing import (
    make_article,
    make_document,
    make_gallery,
    make_image,
    make_section,
    make_video,
)

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)

VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")


def says(page: str, vietnamese: str, english: str) -> bool:
    """Whether ``page`` holds a message in Vietnamese (``english`` is its msgid, for readers)."""
    return vietnamese in page


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment of November 2026, Viet Nam time."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VIET_NAM)


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


# --- sections ---------------------------------------------------------------------------------


def test_a_section_lists_twenty_items_a_page_newest_first(client, newspaper, no_page_cache):
    # Given 25 articles in "Kinh tế" (the fixture's one and 24 more, one a day)
    for day in range(1, 25):
        make_article(newspaper.economy, f"Tin kinh tế số {day}", date=at(day))
    # When a citizen opens the section
    first = html(client.get("/kinh-te/"))
    # Then the newest 20 are listed, newest first, with a link to page 2
    titles = re.findall(r'class="card-item__title"><a href="[^"]+">([^<]+)</a>', first)
    assert len(titles) == 20
    assert titles[:2] == ["Tin kinh tế số 24", "Tin kinh tế số 23"]
    assert 'href="?page=2"' in first
    assert re.search(
        r'<a href="\." aria-current="page"><span class="visually-hidden">\w+ </span>1</a>', first
    )
    # And page 2 holds the other five, says which page it is, and links back
    second = html(client.get("/kinh-te/?page=2"))
    titles = re.findall(r'class="card-item__title"><a href="[^"]+">([^<]+)</a>', second)
    assert titles == [f"Tin kinh tế số {day}" for day in (5, 4, 3, 2, 1)]
    assert says(second, "(trang 2)", "(page 2)")
    assert 'href="." rel="prev"' in second


def test_a_page_number_that_does_not_exist_is_not_found(client, newspaper, no_page_cache):
    assert client.get("/kinh-te/?page=9").status_code == 404
    assert client.get("/kinh-te/?page=abc").status_code == 404


def test_sections_are_in_the_main_menu_and_the_footer(client, newspaper):
    page = html(client.get("/thoi-su/"))
    menu = page.split('class="primary-nav__list"', 1)[1].split("</ul>", 1)[0]
    assert '<a href="/thoi-su/" aria-current="page">Thời sự</a>' in menu
    assert '<a href="/kinh-te/">Kinh tế</a>' in menu
    footer = page.split('class="site-footer__links"', 1)[1]
    assert '<a href="/kinh-te/">Kinh tế</a>' in footer


def test_a_new_section_appears_in_the_menu_once_published(client, newspaper):
    assert "/quoc-te/" not in html(client.get("/"))
    make_section(newspaper.home, "Quốc tế", slug="quoc-te")
    assert '<a href="/quoc-te/">Quốc tế</a>' in html(client.get("/"))


# --- topics -------------------------------------------------------------------------------------


def test_a_topic_page_lists_the_items_of_the_topic(client, newspaper):
    page = html(client.get(reverse("news:topic", args=["chuyen-doi-so"])))
    assert "<h1" in page and "Chuyển đổi số" in page
    assert "Chính phủ điện tử phục vụ người dân" in page
    assert "Quốc hội thông qua dự toán" not in page
    assert client.get("/chu-de/khong-co/").status_code == 404


def test_topics_link_from_an_article(client, newspaper):
    page = html(client.get(newspaper.egov.url))
    assert '<a class="topics__link" href="/chu-de/chuyen-doi-so/">Chuyển đổi số</a>' in page
    assert '<a class="topics__link" href="/chu-de/dich-vu-cong/">Dịch vụ công</a>' in page


# --- search -------------------------------------------------------------------------------------


def search(client, **params) -> str:
    return html(client.get(reverse("news:search"), params))


def result_titles(page: str) -> list[str]:
    return re.findall(r'class="card-item__title"><a href="[^"]+">([^<]+)</a>', page)


def test_search_without_diacritics_finds_the_article(client, newspaper):
    page = search(client, q="chinh phu dien tu")
    assert result_titles(page) == ["Chính phủ điện tử phục vụ người dân"]
    assert says(page, "1 kết quả", "1 result")
    # The words typed stay in the header's box and the form
    assert 'value="chinh phu dien tu"' in page


def test_search_with_diacritics_and_any_case_finds_it_too(client, newspaper):
    assert result_titles(search(client, q="CHÍNH PHỦ Điện Tử")) == [
        "Chính phủ điện tử phục vụ người dân"
    ]


def test_every_word_must_match(client, newspaper):
    assert result_titles(search(client, q="chinh phu ngan sach")) == []


def test_search_filters_by_section(client, newspaper):
    make_article(newspaper.economy, "Kinh tế số và chính phủ điện tử", date=at(21))
    everywhere = result_titles(search(client, q="chinh phu dien tu"))
    assert len(everywhere) == 2
    in_politics = result_titles(search(client, q="chinh phu dien tu", section="thoi-su"))
    assert in_politics == ["Chính phủ điện tử phục vụ người dân"]


def test_search_filters_by_date(client, newspaper):
    # The budget article is of 10/11, the e-government one of 20/11
    assert result_titles(search(client, date_from="2026-11-15")) == [
        "Chính phủ điện tử phục vụ người dân"
    ]
    assert result_titles(search(client, date_to="2026-11-10")) == [
        "Quốc hội thông qua dự toán ngân sách năm 2027"
    ]
    # A day-first date typed by hand (a browser without a date picker) works too
    assert result_titles(search(client, date_from="20/11/2026", date_to="20/11/2026")) == [
        "Chính phủ điện tử phục vụ người dân"
    ]


def test_titles_that_match_come_first(client, newspaper):
    make_article(
        newspaper.politics,
        "Họp báo Chính phủ thường kỳ",
        lead="Bàn về chính phủ điện tử.",
        date=at(21),
    )
    titles = result_titles(search(client, q="chinh phu dien tu"))
    assert titles == ["Chính phủ điện tử phục vụ người dân", "Họp báo Chính phủ thường kỳ"]


def test_a_bad_date_is_an_error_on_its_field(client, newspaper):
    page = search(client, q="chinh phu", date_from="31/02/2026")
    assert says(page, "Có lỗi cần sửa", "There is a problem")
    assert says(
        page,
        "Nhập một ngày có thật, ví dụ 02/09/2026.",
        "Enter a real date, for example 02/09/2026.",
    )
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_date_from_error"' in page
    assert "card-item__title" not in page


def test_an_end_before_the_start_is_an_error(client, newspaper):
    page = search(client, date_from="2026-11-20", date_to="2026-11-01")
    assert says(
        page,
        "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.",
        "The end date must be on or after the start date.",
    )


def test_no_results_says_so_and_helps(client, newspaper):
    page = search(client, q="khong co gi")
    assert says(page, "Không có kết quả", "No results")
    assert says(
        page, "Không có tin nào phù hợp với nội dung tìm kiếm.", "Nothing matches your search."
    )


def test_an_empty_search_shows_the_form_only(client, newspaper):
    page = search(client)
    assert '<form class="search-form" method="get"' in page
    assert "search-results" not in page


def test_the_search_lists_only_the_current_language(client, newspaper, home_pages):
    english = make_section(home_pages.english, "News", slug="news")
    make_article(english, "E-government serves the people", date=at(21))
    assert result_titles(search(client, q="government")) == []
    page = html(client.get("/en/tim-kiem/", {"q": "e-government"}))
    assert result_titles(page) == ["E-government serves the people"]


# --- an article ---------------------------------------------------------------------------------


def test_an_article_page_shows_what_a_reader_needs(client, newspaper, government_office):
    NewsItemPage.objects.filter(pk=newspaper.egov.pk).update(source_agency=government_office)
    page = html(client.get(newspaper.egov.url))
    # Breadcrumb: Home, then the section, then the title
    crumbs = page.split('class="breadcrumb__list"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == [
        "Trang chủ",
        "Thời sự",
        "Chính phủ điện tử phục vụ người dân",
    ]
    assert '<a href="/thoi-su/">Thời sự</a>' in crumbs
    # Date and time in the Vietnamese way, with a machine-readable value
    assert '<time datetime="2026-11-20T14:05:00+07:00">20/11/2026 14:05</time>' in page
    assert says(page, "Tác giả: Minh Anh", "Author: Minh Anh")
    assert says(page, "Nguồn: Văn phòng Chính phủ", "Source: Văn phòng Chính phủ")
    assert '<p class="item__lead">Thủ tướng yêu cầu đẩy mạnh dịch vụ công trực tuyến.</p>' in page
    assert "<p>Các bộ, ngành cần hoàn thành kết nối dữ liệu.</p>" in page
    # The featured image: responsive, modern formats, its size given (no layout shift)
    figure = page.split('class="figure item__figure"', 1)[1].split("</figure>", 1)[0]
    assert 'type="image/avif"' in figure and 'type="image/webp"' in figure
    assert 'alt="Hội nghị trực tuyến"' in figure
    assert re.search(r'<img [^>]*height="\d+"[^>]*width="\d+"', figure)
    # The licence of reuse
    assert 'class="item__licence"' in page


def test_share_links_are_plain_links_without_scripts(client, newspaper):
    page = html(client.get(newspaper.egov.url))
    share = page.split('class="share"', 1)[1].split("</section>", 1)[0]
    address = "http%3A%2F%2Flocalhost%2Fthoi-su%2Fchinh-phu-dien-tu-phuc-vu-nguoi-dan%2F"
    assert f"https://www.facebook.com/sharer/sharer.php?u={address}" in share
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in share
    assert 'href="mailto:?subject=' in share
    assert 'readonly value="http://localhost/thoi-su/chinh-phu-dien-tu-phuc-vu-nguoi-dan/"' in share
    assert f'href="{newspaper.egov.url}ban-in/"' in share
    # No script from elsewhere: only the site's own htmx (and data, which does not run)
    scripts = re.findall(r"<script[^>]*>", page)
    assert [tag for tag in scripts if "src=" in tag] == [
        '<script src="/static/vendor/htmx/htmx.min.js" defer>'
    ]
    assert all("src=" in tag or 'type="application/ld+json"' in tag for tag in scripts)


def test_related_items_are_the_latest_of_the_section_by_default(client, newspaper):
    older = make_article(newspaper.politics, "Bài cũ hơn", date=at(5))
    page = html(client.get(newspaper.egov.url))
    related = page.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert older.title in related
    assert newspaper.egov.title not in related  # not itself


def test_related_items_chosen_by_the_editors_replace_the_default(client, newspaper):
    make_article(newspaper.politics, "Bài cùng chuyên mục", date=at(5))
    RelatedItem.objects.create(page=newspaper.egov, item=newspaper.budget, sort_order=0)
    page = html(client.get(newspaper.egov.url))
    related = page.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert newspaper.budget.title in related
    assert "Bài cùng chuyên mục" not in related


def test_an_address_that_leads_nowhere_is_not_found(client, newspaper):
    assert client.get("/thoi-su/khong-co-bai-nay/").status_code == 404
    assert client.get(newspaper.egov.url + "khong-co/").status_code == 404
    assert client.get("/khong-co-muc-nay/bai-viet/").status_code == 404


def test_a_new_publish_shows_at_once_though_pages_are_kept(client, newspaper):
    # Given an article already read (its HTML is kept between publishes)
    assert "Đoạn thứ hai." in html(client.get(newspaper.egov.url))
    # When the editors publish a correction, and a new article in the same section
    newspaper.egov.body = [("paragraph", "<p>Đoạn đã sửa.</p>")]
    newspaper.egov.save_revision().publish()
    make_article(newspaper.politics, "Bài mới trong chuyên mục", date=at(21))
    # Then readers see both at once
    page = html(client.get(newspaper.egov.url))
    assert "Đoạn đã sửa." in page and "Đoạn thứ hai." not in page
    assert "Bài mới trong chuyên mục" in page.split('id="related-title"', 1)[1]


def test_the_print_version_is_the_item_alone(client, newspaper):
    page = html(client.get(newspaper.egov.url + "ban-in/"))
    assert (
        '<h1 class="item__title" id="item-title">Chính phủ điện tử phục vụ người dân</h1>' in page
    )
    assert "<p>Các bộ, ngành cần hoàn thành kết nối dữ liệu.</p>" in page
    assert "20/11/2026 14:05" in page
    assert "http://localhost/thoi-su/chinh-phu-dien-tu-phuc-vu-nguoi-dan/" in page
    assert 'name="robots" content="noindex"' in page
    # None of the site's menus, search or counter
    assert "primary-nav" not in page
    assert "site-search" not in page
    assert "view-pixel" not in page


def test_a_draft_has_no_print_version(client, newspaper):
    newspaper.egov.unpublish()
    assert client.get(newspaper.egov.url + "ban-in/").status_code == 404


def test_a_withdrawn_article_says_so_above_its_content(client, newspaper):
    with time_machine.travel(NOW, tick=False):
        editorial.withdraw(
            actor=None, page=newspaper.egov, reason="Thông tin đã được thay thế bởi bài mới."
        )
    page = html(client.get(newspaper.egov.url))
    notice = page.split('class="withdrawn-notice"', 1)[1].split("</section>", 1)[0]
    assert says(
        notice,
        "Bài viết này đã bị thu hồi ngày 22/11/2026",
        "This article was withdrawn on 22/11/2026",
    )
    assert "Thông tin đã được thay thế bởi bài mới." in notice
    assert page.index('class="withdrawn-notice"') < page.index('class="item__lead"')
    # Kept out of search engines, not counted, and labelled in its section
    assert '<meta name="robots" content="noindex">' in page
    assert "view-pixel" not in page
    assert says(html(client.get("/thoi-su/")), "Đã thu hồi", "Withdrawn")


# --- galleries and videos -----------------------------------------------------------------------


def test_a_gallery_shows_each_photo_with_caption_and_credit(client, newspaper):
    photos = [
        (make_image("Ảnh 1", 1200, 800), "Thủ tướng phát biểu", "Nhật Bắc"),
        (make_image("Ảnh 2", 1200, 800), "Toàn cảnh hội nghị", ""),
    ]
    gallery = make_gallery(newspaper.politics, "Hội nghị trực tuyến toàn quốc", photos)
    page = html(client.get(gallery.url))
    figures = page.split('<ol class="gallery"', 1)[1].split("</ol>", 1)[0]
    assert figures.count("<figure") == 2
    assert says(figures, "Ảnh 1 trên 2.", "Photo 1 of 2.")
    assert "Thủ tướng phát biểu" in figures
    assert says(
        figures,
        '<span class="figure__credit">Ảnh: Nhật Bắc</span>',
        '<span class="figure__credit">Photo: Nhật Bắc</span>',
    )
    assert 'alt="Thủ tướng phát biểu"' in figures
    assert "<script" not in figures


def test_a_video_page_plays_with_captions_poster_and_transcript(client, newspaper):
    video = make_video(
        newspaper.politics,
        "Phát biểu của Thủ tướng",
        transcript="Thưa đồng bào cả nước.",
        image=make_image("Poster", 1280, 720),
    )
    page = html(client.get(video.url))
    assert re.search(
        r'<video class="media__video" controls preload="metadata" poster="[^"]+\.jpg"', page
    )
    assert re.search(
        r'<track kind="captions" src="[^"]+" srclang="vi" label="Tiếng Việt" default>', page
    )
    assert '<source src="' in page and 'type="video/mp4"' in page
    assert says(
        page,
        '<summary class="transcript__summary">Lời thoại</summary>',
        '<summary class="transcript__summary">Transcript</summary>',
    )
    assert "Thưa đồng bào cả nước." in page


def test_a_video_without_captions_has_no_track(client, newspaper):
    video = make_video(newspaper.politics, "Video không phụ đề", captions=False)
    assert "<track" not in html(client.get(video.url))


def test_body_blocks_render_accessibly(client, newspaper):
    report = make_document("Báo cáo tổng kết", "bao-cao.pdf", b"%PDF" + b"0" * 4096)
    report.file_size = 4100
    report.save()
    image = make_image("Biểu đồ", 1200, 800)
    body = [
        {"type": "heading", "value": {"text": "Kết quả chính", "level": "h2"}},
        {
            "type": "quote",
            "value": {"text": "Lấy người dân làm trung tâm.", "attribution": "Thủ tướng"},
        },
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "Biểu đồ tăng trưởng",
                "caption": "Tăng trưởng",
                "credit": "TTXVN",
            },
        },
        {
            "type": "table",
            "value": {
                "caption": "Số liệu theo quý",
                "table": {
                    "columns": [
                        {"type": "text", "heading": "Quý"},
                        {"type": "number", "heading": "Tăng trưởng (%)"},
                    ],
                    "rows": [{"values": ["I", "6.9"]}, {"values": ["II", "7.1"]}],
                },
            },
        },
        {"type": "attachment", "value": {"document": report.pk, "title": ""}},
    ]
    article = make_article(newspaper.politics, "Bài có nhiều khối", body=body, date=at(21))
    page = html(client.get(article.url))
    assert '<h2 class="item__heading">Kết quả chính</h2>' in page
    assert (
        '<blockquote class="quote__text"><p>Lấy người dân làm trung tâm.</p></blockquote>' in page
    )
    assert "— Thủ tướng" in page
    assert 'alt="Biểu đồ tăng trưởng"' in page
    assert says(
        page,
        '<span class="figure__credit">Ảnh: TTXVN</span>',
        '<span class="figure__credit">Photo: TTXVN</span>',
    )
    assert '<caption class="table__caption">Số liệu theo quý</caption>' in page
    assert '<th scope="col">Quý</th>' in page
    assert re.search(
        r">Báo cáo tổng kết</a>\s*<span class=\"attachment__meta\">\((tệp|file) PDF, 4,0\xa0KB\)",
        page,
    )


# --- home page ----------------------------------------------------------------------------------


def test_home_page_shows_top_stories_then_each_section(client, newspaper):
    TopStory.objects.create(page=newspaper.home, story=newspaper.budget, sort_order=0)
    newspaper.home.save_revision().publish()
    page = html(client.get("/"))
    top = page.split('class="top-stories"', 1)[1].split("</section>", 1)[0]
    # The editors' choice comes first, big, even though it is older
    lead = top.split('class="top-stories__lead"', 1)[1]
    assert lead.index("card-item--big") < lead.index(newspaper.budget.title)
    # Sections list their latest, without repeating the top story
    sections = page.split('class="home-layout__main"', 1)[1].split("</div>\n  <aside", 1)[0]
    assert '<a href="/thoi-su/">Thời sự</a></h2>' in sections
    assert newspaper.egov.title in sections
    assert newspaper.budget.title not in sections
    # And the other parts of the portal
    assert 'href="/tim-kiem/"' in page.split('id="quick-links-title"', 1)[1]


def test_a_section_not_shown_on_home_stays_off_it(client, newspaper):
    hidden = make_section(newspaper.home, "Lưu trữ", slug="luu-tru", show_on_home=False)
    make_article(hidden, "Tin lưu trữ", date=at(21))
    page = html(client.get("/"))
    assert "Tin lưu trữ" not in page.split('class="home-layout__main"', 1)[1].split("<aside", 1)[0]


def test_a_withdrawn_top_story_leaves_the_home_page(client, newspaper):
    TopStory.objects.create(page=newspaper.home, story=newspaper.egov, sort_order=0)
    editorial.withdraw(actor=None, page=newspaper.egov, reason="Sai số liệu.")
    page = html(client.get("/"))
    assert newspaper.egov.title not in page


# --- reads and "most read" ----------------------------------------------------------------------


def test_the_pixel_counts_a_reading_and_is_never_cached(client, newspaper):
    url = reverse("news:view_pixel", args=[newspaper.egov.pk])
    assert f'<img class="view-pixel" src="{url}" alt="" width="1" height="1">' in html(
        client.get(newspaper.egov.url)
    )
    response = client.get(url)
    client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"]
    assert DailyViews.objects.get(page=newspaper.egov).count == 2


def test_only_gets_of_live_current_items_count(client, newspaper):
    url = reverse("news:view_pixel", args=[newspaper.budget.pk])
    assert client.post(url).status_code == 405
    newspaper.budget.unpublish()
    assert client.get(url).status_code == 200  # still an image, but not counted
    editorial.withdraw(actor=None, page=newspaper.egov, reason="Sai số liệu.")
    client.get(reverse("news:view_pixel", args=[newspaper.egov.pk]))
    client.get(reverse("news:view_pixel", args=[999999]))
    assert not DailyViews.objects.exists()


def test_a_concurrent_first_reading_is_not_lost(newspaper, monkeypatch):
    # Given another worker that inserts today's row between our UPDATE and our INSERT
    real_atomic = transaction.atomic

    @contextlib.contextmanager
    def other_worker_first(*args, **kwargs):
        DailyViews.objects.create(page=newspaper.egov, day=timezone.localdate(), count=1)
        with real_atomic(*args, **kwargs):
            yield

    monkeypatch.setattr(readership, "transaction", SimpleNamespace(atomic=other_worker_first))
    # When a reading is counted
    assert readership.count_view(newspaper.egov.pk)
    # Then both readings are there
    assert DailyViews.objects.get(page=newspaper.egov).count == 2


def test_most_read_sums_the_last_seven_days_per_language(client, newspaper, home_pages):
    today = dt.date(2026, 11, 22)
    english = make_section(home_pages.english, "News", slug="news")
    english_item = make_article(english, "Read in English", date=at(20))
    extra = [make_article(newspaper.politics, f"Tin {n}", date=at(n)) for n in range(1, 6)]
    views = {
        newspaper.egov: [(0, 3), (6, 4)],  # 7 within the week
        newspaper.budget: [(1, 5), (7, 100)],  # 5: the 100 are eight days old
        extra[0]: [(2, 6)],
        extra[1]: [(0, 1)],
        extra[2]: [(0, 2)],
        extra[3]: [(0, 1)],
        extra[4]: [(0, 1)],
        english_item: [(0, 50)],
    }
    for page, days in views.items():
        for days_ago, count in days:
            DailyViews.objects.create(
                page=page, day=today - dt.timedelta(days=days_ago), count=count
            )
    with time_machine.travel(NOW, tick=False):
        response = client.get("/")
    request = response.wsgi_request
    ranked = queries.most_read(request, newspaper.home.locale, today=today)
    assert [(item.title, item.views) for item in ranked] == [
        (newspaper.egov.title, 7),
        ("Tin 1", 6),
        (newspaper.budget.title, 5),
        ("Tin 3", 2),
        ("Tin 5", 1),
    ]
    assert ranked[0].url == newspaper.egov.url
    # And the home page shows them, in that order
    page = html(response)
    most_read = page.split('id="most-read-title"', 1)[1].split("</ol>", 1)[0]
    assert most_read.index(newspaper.egov.title) < most_read.index("Tin 1")
    assert "Read in English" not in most_read


def test_most_read_is_cached_for_a_few_minutes(newspaper, rf):
    request = rf.get("/")
    DailyViews.objects.create(page=newspaper.egov, day=timezone.localdate(), count=1)
    assert len(queries.most_read(request, newspaper.home.locale)) == 1
    DailyViews.objects.create(page=newspaper.budget, day=timezone.localdate(), count=1)
    assert len(queries.most_read(request, newspaper.home.locale)) == 1
    cache.clear()
    assert len(queries.most_read(request, newspaper.home.locale)) == 2


# --- cost of a page -----------------------------------------------------------------------------

# Measured with the page cache off and the shared fragments warm (menus, "most read", the item's
# own HTML), as between two publishes: finding the site, the language and the page in the tree
# takes 5 queries and Wagtail's view-restriction check 2; what follows is the page's own. Right
# after a publish, when every fragment is rendered again, the article takes 18, a section 19 and
# the home page 20.
ARTICLE_QUERIES = 10  # measured 9: + topics, language versions
SECTION_QUERIES = 11  # + count, items, their renditions, language versions
HOME_QUERIES = 6  # top stories, sections and "most read" are fragments


def test_an_uncached_article_page_needs_at_most_ten_queries(
    client, newspaper, no_page_cache, django_assert_max_num_queries
):
    for n in range(8):
        make_article(
            newspaper.politics, f"Tin liên quan {n}", date=at(n + 1), tags=["Chuyển đổi số"]
        )
    client.get(newspaper.egov.url)  # renditions made, menus and "most read" kept
    with django_assert_max_num_queries(ARTICLE_QUERIES):
        assert client.get(newspaper.egov.url).status_code == 200


def test_a_section_page_costs_the_same_with_twenty_items(
    client, newspaper, no_page_cache, django_assert_max_num_queries
):
    for n in range(25):
        make_article(
            newspaper.politics,
            f"Tin {n}",
            date=at(n % 20 + 1),
            image=make_image(width=640, height=360),
        )
    client.get("/thoi-su/")  # the pictures' renditions made once
    client.get("/thoi-su/?page=2")
    with django_assert_max_num_queries(SECTION_QUERIES):
        assert client.get("/thoi-su/").status_code == 200
    with django_assert_max_num_queries(SECTION_QUERIES):
        assert client.get("/thoi-su/?page=2").status_code == 200


def test_the_home_page_costs_little_once_its_fragments_are_kept(
    client, newspaper, no_page_cache, django_assert_max_num_queries
):
    for n in range(6):
        make_article(
            newspaper.economy, f"Tin {n}", date=at(n + 1), image=make_image(width=640, height=360)
        )
    client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
