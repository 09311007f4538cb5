"""Anonymous visitors get whole pages from the cache; everyone else gets them fresh."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail import hooks
from wagtail.models import PageViewRestriction

from vgp.portal import page_cache


def publish_intro(page, intro: str) -> None:
    page.intro = intro
    page.save_revision().publish()


def test_second_anonymous_visit_is_served_from_the_cache(client, home_pages):
    # Given a citizen who opens the home page
    first = client.get("/")
    # When another anonymous visitor opens it
    second = client.get("/")
    # Then the first was rendered and kept, the second came from the cache, identical
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_runs_no_template_and_few_queries(client, home_pages, django_assert_max_num_queries):
    client.get("/")
    # Finding the site and page and checking view restrictions still query; rendering does not.
    with django_assert_max_num_queries(5):
        assert client.get("/")["X-Cache"] == "HIT"


def test_each_language_has_its_own_entry(client, home_pages):
    client.get("/")
    english = client.get("/en/")
    assert english["X-Cache"] == "MISS"
    assert b'lang="en"' in english.content
    assert client.get("/en/")["X-Cache"] == "HIT"
    assert b'lang="vi"' in client.get("/").content


def test_each_host_has_its_own_entry(client, home_pages, settings):
    settings.ALLOWED_HOSTS = ["testserver", "cong.example.gov.vn"]
    client.get("/")
    assert client.get("/", HTTP_HOST="cong.example.gov.vn")["X-Cache"] == "MISS"


def test_signed_in_users_are_never_served_from_the_cache(client, home_pages, citizen):
    # Given a page kept for anonymous visitors
    client.get("/")
    # When Chị Lan signs in and opens it
    client.force_login(citizen)
    response = client.get("/")
    # Then she gets a freshly rendered page, which is not stored either
    assert response.status_code == 200
    assert "X-Cache" not in response
    client.logout()
    assert client.get("/")["X-Cache"] == "HIT"


def test_query_strings_bypass_the_cache(client, home_pages):
    client.get("/")
    response = client.get("/?utm_source=bao-chi")
    assert "X-Cache" not in response
    assert response.status_code == 200


def test_other_methods_bypass_the_cache(client, home_pages):
    client.get("/")
    assert "X-Cache" not in client.head("/")
    assert "X-Cache" not in client.post("/", {})


def test_a_session_or_flash_message_cookie_bypasses_the_cache(client, home_pages, settings):
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Cache" not in client.get("/")
    del client.cookies[settings.SESSION_COOKIE_NAME]
    client.cookies["messages"] = "anything"
    assert "X-Cache" not in client.get("/")


def test_zero_seconds_turns_the_cache_off(client, home_pages, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_publishing_any_page_purges_the_cache(client, home_pages):
    # Given the home page kept in the cache
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    # When an editor publishes a new intro
    publish_intro(home_pages.vietnamese, "<p>Thông báo mới của Văn phòng Chính phủ.</p>")
    # Then the next visitor gets the new content, freshly rendered
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Thông báo mới của Văn phòng Chính phủ." in response.content.decode()


def test_publishing_the_english_page_purges_the_vietnamese_one_too(client, home_pages):
    client.get("/")
    publish_intro(home_pages.english, "<p>News.</p>")
    assert client.get("/")["X-Cache"] == "MISS"


def test_unpublishing_purges_the_cache(client, home_pages):
    # Given the English home page kept in the cache
    client.get("/en/")
    assert client.get("/en/")["X-Cache"] == "HIT"
    # When an editor unpublishes it
    home_pages.english.unpublish()
    # Then /en/ falls back to the Vietnamese page instead of the stale English one
    response = client.get("/en/")
    assert response["X-Cache"] == "MISS"
    assert home_pages.vietnamese.title in response.content.decode()


def test_the_purge_command_forgets_every_page(client, home_pages):
    client.get("/")
    call_command("purge_page_cache", stdout=None)
    assert client.get("/")["X-Cache"] == "MISS"


def test_a_restriction_added_later_is_enforced_before_the_cache(client, home_pages):
    # Given the English home page kept in the cache while it was public
    client.get("/en/")
    assert client.get("/en/")["X-Cache"] == "HIT"
    # When an editor protects it with a password (which purges nothing)
    PageViewRestriction.objects.create(
        page=home_pages.english, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    # Then anonymous visitors get Wagtail's password form, not the cached page
    response = client.get("/en/")
    assert "X-Cache" not in response
    assert home_pages.english.title not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_the_cache_is_the_innermost_serving_layer():
    names = [fn.__name__ for fn in hooks.get_hooks("on_serve_page")]
    assert names[-1] == "serve_through_page_cache"


class TestWhatMayBeStored:
    """A response made for one visitor is never stored for the next."""

    @pytest.fixture
    def request_(self, rf: RequestFactory):
        request = rf.get("/")
        request._messages = CookieStorage(request)
        return request

    def test_a_plain_page_may_be_stored(self, request_):
        assert page_cache.is_cacheable_response(request_, HttpResponse("ok"))

    def test_not_a_page_that_embeds_a_csrf_token(self, request_):
        request_.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        assert not page_cache.is_cacheable_response(request_, HttpResponse("form"))

    def test_not_a_page_that_sets_a_cookie(self, request_):
        response = HttpResponse("ok")
        response.set_cookie("seen", "1")
        assert not page_cache.is_cacheable_response(request_, response)

    def test_not_a_private_page(self, request_):
        response = HttpResponse("ok", headers={"Cache-Control": "private"})
        assert not page_cache.is_cacheable_response(request_, response)

    def test_not_an_error(self, request_):
        assert not page_cache.is_cacheable_response(request_, HttpResponse(status=500))

    def test_not_a_page_showing_a_flash_message(self, request_):
        request_._messages.add(message_levels.SUCCESS, "Đã gửi phản ánh.")
        assert not page_cache.is_cacheable_response(request_, HttpResponse("ok"))


def test_saving_a_live_page_in_code_purges_the_cache(client, home_pages):
    client.get("/")
    page = home_pages.vietnamese
    page.intro = "<p>Sửa trực tiếp.</p>"
    page.save()
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "Sửa trực tiếp." in response.content.decode()


def test_saving_a_draft_keeps_the_cache(client, home_pages):
    client.get("/")
    page = home_pages.vietnamese
    page.intro = "<p>Bản nháp.</p>"
    page.save_revision()
    response = client.get("/")
    assert response["X-Cache"] == "HIT"
    assert "Bản nháp." not in response.content.decode()
