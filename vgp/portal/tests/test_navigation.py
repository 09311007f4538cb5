"""Menus list only the sections that exist."""

from __future__ import annotations

from django.test import RequestFactory
from django.utils import translation

from vgp.portal import navigation
from vgp.portal.navigation import NavItem


def links(items, path="/", language="vi"):
    request = RequestFactory().get(path)
    with translation.override(language):
        return navigation.build_links(items, request)


def test_an_entry_whose_target_does_not_exist_is_left_out(home_pages):
    items = (
        NavItem("home", "Trang chủ", page_type="portal.HomePage"),
        NavItem("news", "Tin tức", url_name="news:index"),  # not built yet
    )
    assert [link.key for link in links(items)] == ["home"]


def test_a_page_type_entry_links_to_the_page_in_the_active_language(home_pages):
    home, *_others = links(navigation.PRIMARY_NAVIGATION, path="/en/", language="en")
    assert (home.url, home.label, home.current) == ("/en/", "Home", "page")


def test_url_name_entries_are_reversed(home_pages):
    quick = {link.key: link.url for link in links(navigation.QUICK_LINKS)}
    assert quick == {"staff": "/quan-tri/", "api": "/api/v1/docs", "search": "/tim-kiem/"}


def test_a_section_is_current_for_the_pages_below_it(home_pages):
    items = (
        NavItem("home", "Trang chủ", page_type="portal.HomePage"),
        NavItem("api", "API", url_name="api-v1:openapi-view"),
    )
    home, api = links(items, path="/api/v1/docs/anything")
    assert home.current == ""  # every path is under the home page; that is not "here"
    assert api.current == "true"


def test_each_section_of_the_home_page_is_an_entry(home_pages):
    from vgp.news.testing import make_section

    make_section(home_pages.vietnamese, "Thời sự", slug="thoi-su")
    make_section(home_pages.vietnamese, "Kinh tế", slug="kinh-te")
    make_section(home_pages.english, "News", slug="news")
    vi = links(navigation.PRIMARY_NAVIGATION, path="/kinh-te/bai-viet/")
    assert [(link.key, link.url, link.current, link.group) for link in vi] == [
        ("home", "/", "", ""),
        ("news:thoi-su", "/thoi-su/", "", "news"),
        ("news:kinh-te", "/kinh-te/", "true", "news"),
        ("legal", "/van-ban/", "", ""),
        ("gazette", "/cong-bao/", "", ""),
        ("feedback", "/phan-anh-kien-nghi/", "", ""),
    ]
    en = links(navigation.PRIMARY_NAVIGATION, path="/en/", language="en")
    assert [link.label for link in en] == [
        "Home",
        "News",
        "Legal documents",
        "Official Gazette",
        "Feedback and petitions",
    ]


def test_menus_are_kept_until_something_is_published(home_pages, django_assert_num_queries):
    links(navigation.PRIMARY_NAVIGATION)
    with django_assert_num_queries(0):
        links(navigation.PRIMARY_NAVIGATION)
    from vgp.news.testing import make_section

    make_section(home_pages.vietnamese, "Thời sự", slug="thoi-su")
    assert [link.key for link in links(navigation.PRIMARY_NAVIGATION)] == [
        "home",
        "news:thoi-su",
        "legal",
        "gazette",
        "feedback",
    ]
