"""The e-newspaper in a real browser: accessible, usable on a phone, searchable without JS."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from vgp.news import editorial
from vgp.news.models import DailyViews, RelatedItem, TopStory
from vgp.news.testing import (
    make_article,
    make_gallery,
    make_image,
    make_section,
    make_video,
)

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)

VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class NewsSite:
    base_url: str
    section: str
    article: str
    withdrawn: str
    gallery: str
    video: str
    topic: str


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=VIET_NAM)


@pytest.fixture
def news_site(site) -> NewsSite:
    """A small newspaper: two sections, articles with pictures, a gallery, a video, readers."""
    base_url, pages = site
    home = pages.vietnamese
    politics = make_section(home, "Thời sự", slug="thoi-su", intro="Tin hoạt động của Chính phủ.")
    economy = make_section(home, "Kinh tế", slug="kinh-te")
    body = [
        {
            "type": "paragraph",
            "value": "<p>Thủ tướng yêu cầu các bộ, ngành hoàn thành kết nối dữ liệu dân cư trong quý I.</p>",
        },
        {"type": "heading", "value": {"text": "Những việc cần làm ngay", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>Mỗi thủ tục hành chính phải được thực hiện trực tuyến toàn trình.</p>",
        },
        {
            "type": "quote",
            "value": {
                "text": "Lấy người dân, doanh nghiệp làm trung tâm.",
                "attribution": "Thủ tướng Chính phủ",
            },
        },
        {
            "type": "table",
            "value": {
                "caption": "Dịch vụ công trực tuyến theo năm",
                "table": {
                    "columns": [
                        {"type": "text", "heading": "Năm"},
                        {"type": "number", "heading": "Số dịch vụ"},
                    ],
                    "rows": [{"values": ["2025", "4512"]}, {"values": ["2026", "5230"]}],
                },
            },
        },
    ]
    article = make_article(
        politics,
        "Chính phủ điện tử phục vụ người dân và doanh nghiệp",
        lead="Thủ tướng chủ trì hội nghị toàn quốc về chuyển đổi số, yêu cầu đẩy mạnh dịch vụ công trực tuyến.",
        body=body,
        tags=["Chuyển đổi số", "Dịch vụ công"],
        date=_at(20, 14),
        image=make_image("Hội nghị trực tuyến toàn quốc", 1280, 720),
        byline="Minh Anh",
    )
    others = [
        make_article(
            section,
            title,
            lead="Tóm tắt: " + title.lower() + ".",
            date=_at(day),
            image=make_image(title, 960, 540) if with_image else None,
            tags=["Chuyển đổi số"] if day % 2 else [],
        )
        for section, title, day, with_image in [
            (politics, "Thủ tướng tiếp Đại sứ Nhật Bản", 19, True),
            (politics, "Phiên họp Chính phủ thường kỳ tháng 11", 18, True),
            (politics, "Công điện về ứng phó mưa lũ miền Trung", 17, False),
            (economy, "Quốc hội thông qua dự toán ngân sách năm 2027", 16, True),
            (economy, "Xuất khẩu nông sản tăng 12% sau mười tháng", 15, False),
            (economy, "Giải ngân vốn đầu tư công đạt 70% kế hoạch", 14, True),
        ]
    ]
    withdrawn = make_article(politics, "Thông báo lịch tiếp công dân (đã thay thế)", date=_at(10))
    editorial.withdraw(
        actor=None,
        page=withdrawn,
        reason="Lịch tiếp công dân đã được cập nhật trong thông báo mới.",
    )
    gallery = make_gallery(
        politics,
        "Toàn cảnh hội nghị chuyển đổi số quốc gia",
        [
            (make_image("Ảnh 1", 1200, 800), "Thủ tướng phát biểu khai mạc hội nghị.", "Nhật Bắc"),
            (
                make_image("Ảnh 2", 1200, 800),
                "Các đại biểu dự hội nghị tại điểm cầu Hà Nội.",
                "Nhật Bắc",
            ),
            (make_image("Ảnh 3", 800, 1200), "Trình diễn dịch vụ công trực tuyến.", ""),
        ],
        date=_at(20, 10),
    )
    video = make_video(
        politics,
        "Thủ tướng phát biểu tại hội nghị chuyển đổi số",
        transcript="Thưa các đồng chí,\nChuyển đổi số là nhiệm vụ trọng tâm của năm nay.",
        image=make_image("Ảnh đại diện video", 1280, 720),
        date=_at(20, 11),
    )
    RelatedItem.objects.create(page=article, item=gallery, sort_order=0)
    RelatedItem.objects.create(page=article, item=video, sort_order=1)
    for order, story in enumerate([article, others[0], gallery, others[3]]):
        TopStory.objects.create(page=home, story=story, sort_order=order)
    home.save_revision().publish()
    today = timezone.localdate()
    for count, item in [(40, article), (25, others[3]), (12, video), (8, others[1])]:
        DailyViews.objects.create(page=item, day=today, count=count)
    return NewsSite(
        base_url=base_url,
        section=politics.url,
        article=article.url,
        withdrawn=withdrawn.url,
        gallery=gallery.url,
        video=video.url,
        topic="/chu-de/chuyen-doi-so/",
    )


def serve_media(page) -> None:
    """Answer /media/ from the test's in-memory storage (the live server serves no media)."""

    def fulfil(route) -> None:
        name = unquote(urlsplit(route.request.url).path).removeprefix("/media/")
        if not default_storage.exists(name):
            route.fulfill(status=404)
            return
        with default_storage.open(name) as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=body, headers={"Content-Type": content_type})

    page.route("**/media/**", fulfil)


def open_at(open_page, url: str, width: int, javascript: bool = True):
    page = open_page(width=width, height=900, javascript=javascript)
    serve_media(page)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def assert_fits(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px ({scroll_width}px)"


def check_page(open_page, screenshots_dir: Path, url: str, name: str) -> None:
    for width in WIDTHS:
        page = open_at(open_page, url, width)
        # Scroll through once so that lazily loaded pictures are in the screenshot.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshots_dir / f"news-{name}-{width}.png"), full_page=True)
        assert page.locator("main h1").count() == 1
        assert_accessible(page)
        if width == 375:
            assert_fits(page, width)


def test_home_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + "/", "home")


def test_section_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.section, "section")


def test_article_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.article, "article")


def test_withdrawn_article_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.withdrawn, "withdrawn")


def test_gallery_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.gallery, "gallery")


def test_video_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.video, "video")


def test_topic_page(news_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, news_site.base_url + news_site.topic, "topic")


def test_print_page(news_site, open_page, screenshots_dir):
    check_page(
        open_page, screenshots_dir, news_site.base_url + news_site.article + "ban-in/", "print"
    )


def test_search_page_with_results_and_with_an_error(news_site, open_page, screenshots_dir):
    check_page(
        open_page,
        screenshots_dir,
        news_site.base_url + "/tim-kiem/?q=chinh+phu+dien+tu",
        "search",
    )
    check_page(
        open_page,
        screenshots_dir,
        news_site.base_url + "/tim-kiem/?q=ngan+sach&date_from=31%2F02%2F2026",
        "search-error",
    )


def test_search_works_without_javascript(news_site, open_page, screenshots_dir):
    # Given a citizen whose browser runs no JavaScript, on a phone
    page = open_at(open_page, news_site.base_url + "/", 375, javascript=False)
    # When they search from the header, without diacritics
    page.fill("#site-search-q", "chinh phu dien tu")
    page.locator(".site-search button").click()
    page.wait_for_load_state()
    # Then the article is found
    assert "/tim-kiem/" in page.url
    results = page.locator(".search-results .card-item__title a")
    assert "Chính phủ điện tử phục vụ người dân và doanh nghiệp" in results.all_inner_texts()
    # When they narrow the search to a section that does not have it
    page.select_option("#id_section", "kinh-te")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_load_state()
    # Then nothing is found, and the page says so
    assert page.locator(".search-results .card-item__title").count() == 0
    assert page.locator(".search-results__empty").is_visible()
    assert_fits(page, 375)  # (axe needs JavaScript: it checks this page in the test above)


def test_pages_read_on_a_phone_without_javascript(news_site, open_page):
    # The menu is a <details>: it opens without JavaScript
    page = open_at(open_page, news_site.base_url + news_site.article, 375, javascript=False)
    page.locator(".primary-nav__toggle").click()
    assert page.get_by_role("link", name="Kinh tế").first.is_visible()
    # The transcript of a video opens without JavaScript too
    page = open_at(open_page, news_site.base_url + news_site.video, 375, javascript=False)
    page.locator(".transcript__summary").click()
    assert page.get_by_text("Chuyển đổi số là nhiệm vụ trọng tâm").is_visible()


def test_reading_an_article_counts_it(news_site, open_page):
    page = open_at(open_page, news_site.base_url + news_site.section, 1280)
    before = sum(DailyViews.objects.values_list("count", flat=True))
    page.goto(news_site.base_url + news_site.article)
    page.wait_for_load_state("networkidle")
    assert sum(DailyViews.objects.values_list("count", flat=True)) == before + 1
