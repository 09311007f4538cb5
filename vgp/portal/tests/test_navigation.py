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
    (home,) = links(navigation.PRIMARY_NAVIGATION, path="/en/", language="en")
    assert (home.url, home.label, home.current) == ("/en/", "Home", "page")


def test_url_name_entries_are_reversed(home_pages):
    quick = {link.key: link.url for link in links(navigation.QUICK_LINKS)}
    assert quick == {"staff": "/quan-tri/", "api": "/api/v1/docs"}


def test_a_section_is_current_for_the_pages_below_it(home_pages):
    items = (
        NavItem("home", "Trang chủ", page_type="portal.HomePage"),
        NavItem("api", "API", url_name="api-v1:openapi-view"),
    )
    home, api = links(items, path="/api/v1/docs/anything")
    assert home.current == ""  # every path is under the home page; that is not "here"
    assert api.current == "true"
