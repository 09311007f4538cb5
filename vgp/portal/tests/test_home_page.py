"""The public home page and the site's shell, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
import re

import time_machine

SKIP_LINK_VI = "Bỏ qua, đến nội dung chính"


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_vietnamese_home_page_is_at_the_root(client, home_pages):
    page = html(client.get("/"))
    assert '<html lang="vi">' in page
    assert f'<h1 class="home-hero__title">{home_pages.vietnamese.title}</h1>' in page
    assert "<title>Cổng Thông tin điện tử Chính phủ</title>" in page
    assert "Cơ quan chủ quản: Văn phòng Chính phủ" in page


def test_english_home_page_is_under_en(client, home_pages):
    page = html(client.get("/en/"))
    assert '<html lang="en">' in page
    assert home_pages.english.title in page
    assert "<title>Viet Nam Government Portal</title>" in page


def test_skip_link_comes_first_and_targets_main(client, home_pages):
    page = html(client.get("/"))
    body = page.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
    assert 'href="#main"' in first_link
    assert SKIP_LINK_VI in first_link
    assert '<main id="main"' in page


def test_language_switch_links_the_two_editions(client, home_pages):
    vi = html(client.get("/"))
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in vi
    en = html(client.get("/en/"))
    assert '<a href="/" hreflang="vi" lang="vi">Tiếng Việt</a>' in en
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in vi


def test_language_switch_of_a_page_outside_wagtail_keeps_the_path(client, home_pages):
    # The 404 page is not a Wagtail page: the switch keeps the path under the other prefix
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="/en/khong-co-trang-nay/"' in page
    assert "Không tìm thấy trang" in page


def test_primary_navigation_marks_the_current_page(client, home_pages):
    page = html(client.get("/"))
    assert '<a href="/" aria-current="page">Trang chủ</a>' in page
    assert '<a href="/en/" aria-current="page">Home</a>' in html(client.get("/en/"))


def test_dates_are_written_day_first(client, home_pages):
    with time_machine.travel(dt.datetime(2026, 9, 2, 8, 0, tzinfo=dt.UTC), tick=False):
        home_pages.vietnamese.save_revision().publish()
        vi = html(client.get("/"))
        en = html(client.get("/en/"))
    assert "Thứ 4, ngày 02/09/2026" in vi
    assert 'Cập nhật lần cuối: <time datetime="2026-09-02T15:00:00+07:00">02/09/2026</time>' in vi
    assert "Wednesday, 02/09/2026" in en


def test_footer_links_the_api_documentation(client, home_pages):
    page = html(client.get("/"))
    assert 'href="/api/v1/docs"' in page
    assert "Tài liệu API dành cho hệ thống của các cơ quan" in page


def test_assets_come_from_the_site_itself(client, home_pages):
    page = html(client.get("/"))
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in page
    assert 'href="/static/vendor/be-vietnam-pro/be-vietnam-pro.css"' in page
    external = re.compile(r"^(https?:)?//")
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page):
        if 'rel="alternate"' in tag:
            continue  # the language versions' own addresses
        url = re.search(r'(?:src|href)="([^"]*)"', tag).group(1)
        assert not external.match(url), tag
