"""Rendering without the page cache reads the published structure once per content generation.

With the whole-page cache off (the benchmark's "uncached" page), an article is still rendered on
every request, but where its path leads, its site, its view restrictions and its translations are
kept until the next publication. These tests show that every change a reader must see retires
them at once.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from vgp.news.testing import make_article


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_a_warm_article_is_rendered_without_a_query(client, newspaper, django_assert_num_queries):
    url = newspaper.egov.url
    assert client.get(url).status_code == 200  # reads and keeps what the page needs
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert newspaper.egov.title in response.content.decode()


def test_a_published_change_is_shown_on_the_next_request(client, newspaper):
    article = newspaper.egov
    client.get(article.url)
    article.title = "Chính phủ số phục vụ người dân"
    article.save_revision().publish()
    assert "Chính phủ số phục vụ người dân" in client.get(article.url).content.decode()


def test_a_deleted_page_is_gone_on_the_next_request(client, newspaper):
    article = make_article(newspaper.politics, "Bài sẽ bị xóa")
    url = article.url
    assert client.get(url).status_code == 200
    article.delete()
    assert client.get(url).status_code == 404


def test_a_new_view_restriction_applies_on_the_next_request(client, newspaper):
    url = newspaper.egov.url
    assert client.get(url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=newspaper.politics, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Nội bộ"))
    response = client.get(url)
    assert response.status_code == 302  # to the sign-in page
    restriction.delete()
    assert client.get(url).status_code == 200


def test_a_withdrawal_is_shown_on_the_next_request(client, newspaper):
    from vgp.news import editorial

    url = newspaper.egov.url
    client.get(url)
    editorial.withdraw(actor=None, page=newspaper.egov, reason="Thông tin đã được thay thế.")
    assert "Thông tin đã được thay thế." in client.get(url).content.decode()
