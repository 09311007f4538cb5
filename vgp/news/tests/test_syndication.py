"""Agencies' systems send articles (POST /api/v1/syndication/articles); editors approve them.

Personas: Bộ Tài chính's portal system (key ``mof_key``) sends; Văn phòng Chính phủ's system
(``vpcp_key``) is another agency that must not post in its name.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from wagtail.models import Page

from vgp.accounts.actions import issue_api_key
from vgp.audit.models import AuditRecord
from vgp.news import syndication
from vgp.news.models import ArticlePage, NewsItemPage, SectionPage

pytestmark = pytest.mark.django_db

URL = "/api/v1/syndication/articles"


@pytest.fixture
def mof_key(home_pages, ministry_of_finance) -> str:
    return issue_api_key(None, agency=ministry_of_finance, name="Cổng TTĐT Bộ Tài chính")[1]


@pytest.fixture
def vpcp_key(home_pages, government_office) -> str:
    return issue_api_key(None, agency=government_office, name="Hệ thống VPCP")[1]


def article(**changes) -> dict:
    data = {
        "source_id": "btc-2026-0042",
        "title": "Thu ngân sách 10 tháng đạt 90% dự toán",
        "lead": "Tổng thu ngân sách nhà nước 10 tháng ước đạt 1,7 triệu tỷ đồng.",
        "body_html": "<p>Theo <b>Bộ Tài chính</b>, thu nội địa tăng 12%.</p><p>Chi tiết xem báo cáo.</p>",
        "date": "2026-11-21T09:30:00+07:00",
        "byline": "Minh Châu",
        "source_url": "https://mof.gov.vn/tin/42",
        "topics": ["Ngân sách", "Thuế"],
        "licence": "cc-by-4.0",
        "attribution": "Nguồn: Bộ Tài chính",
    }
    data.update(changes)
    return data


def post(client, key: str | None, data: dict, language: str = "en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if key:
        headers["HTTP_X_API_KEY"] = key
    return client.post(URL, data, content_type="application/json", **headers)


def the_page() -> ArticlePage:
    return ArticlePage.objects.get(source_id="btc-2026-0042")


def test_a_new_article_lands_as_a_draft_of_its_agency(client, mof_key, ministry_of_finance):
    response = post(client, mof_key, article())

    assert response.status_code == 201, response.content
    body = response.json()
    page = the_page()
    assert body["id"] == page.pk and body["status"] == "draft" and body["url"] is None
    assert not page.live and page.has_unpublished_changes
    assert page.source_agency == ministry_of_finance
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Thu ngân sách 10 tháng đạt 90% dự toán"
    assert draft.byline == "Minh Châu" and draft.licence == "cc-by-4.0"
    assert sorted(tag.name for tag in draft.tags.all()) == ["Ngân sách", "Thuế"]
    assert [block.block_type for block in draft.body] == ["paragraph"]
    assert draft.body[0].value.source == (
        "<p>Theo <b>Bộ Tài chính</b>, thu nội địa tăng 12%.</p><p>Chi tiết xem báo cáo.</p>"
    )
    section = page.get_parent().specific
    assert isinstance(section, SectionPage)
    assert (section.slug, section.title) == (
        "tin-bo-nganh-dia-phuong",
        "Tin từ bộ, ngành, địa phương",
    )
    assert section.live and section.show_on_home
    # Not public until an editor publishes it.
    assert client.get("/api/v1/articles").json()["items"] == []


def test_posting_again_updates_the_draft_and_never_duplicates(client, mof_key):
    first = post(client, mof_key, article()).json()

    again = post(client, mof_key, article(title="Thu ngân sách 10 tháng vượt dự kiến"))

    assert again.status_code == 200
    assert again.json()["id"] == first["id"] and again.json()["status"] == "draft"
    assert NewsItemPage.objects.filter(source_id="btc-2026-0042").count() == 1
    assert the_page().get_latest_revision_as_object().title == "Thu ngân sách 10 tháng vượt dự kiến"


def test_the_same_content_again_makes_no_new_revision(client, mof_key):
    post(client, mof_key, article())
    revisions = the_page().revisions.count()

    again = post(client, mof_key, article())

    assert again.status_code == 200
    assert the_page().revisions.count() == revisions


def test_a_published_article_changes_only_when_editors_approve(client, mof_key):
    post(client, mof_key, article())
    the_page().get_latest_revision().publish()
    published_title = the_page().title

    again = post(client, mof_key, article(title="Số liệu thu ngân sách được cập nhật"))

    assert again.status_code == 200
    assert again.json()["status"] == "awaiting_approval"
    assert again.json()["url"].startswith("http://localhost/")
    page = the_page()
    assert page.live and page.title == published_title
    (public,) = client.get("/api/v1/articles").json()["items"]
    assert public["title"] == published_title
    assert page.get_latest_revision_as_object().title == "Số liệu thu ngân sách được cập nhật"
    # The editor publishes the new version.
    page.get_latest_revision().publish()
    assert the_page().title == "Số liệu thu ngân sách được cập nhật"


def test_a_malformed_article_is_422_naming_each_field(client, mof_key):
    data = article(date="hôm nay", licence="tự do", topics=[""])
    del data["title"]

    response = post(client, mof_key, data)

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid."
    assert set(body["fields"]) == {"title", "date", "licence", "topics.0"}
    assert body["fields"]["title"] == ["This field is required."]
    assert not NewsItemPage.objects.exists()
    vietnamese = post(client, mof_key, data, language="vi").json()
    assert vietnamese["detail"] == "Yêu cầu không hợp lệ."


def test_blank_text_and_a_bad_address_are_refused_by_field(client, mof_key):
    response = post(client, mof_key, article(lead="   ", source_url="javascript:alert(1)"))

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"lead", "source_url"}


def test_an_agency_cannot_post_as_another(client, mof_key, vpcp_key):
    response = post(client, vpcp_key, article(agency="000.00.00.G12"))

    assert response.status_code == 403
    assert "000.00.00.G22" in response.json()["detail"]
    assert not NewsItemPage.objects.exists()
    # Naming its own agency is fine.
    assert post(client, mof_key, article(agency="000.00.00.G12")).status_code == 201


def test_the_same_source_id_from_two_agencies_is_two_articles(client, mof_key, vpcp_key):
    assert post(client, mof_key, article()).status_code == 201
    assert post(client, vpcp_key, article()).status_code == 201
    assert NewsItemPage.objects.filter(source_id="btc-2026-0042").count() == 2


def test_without_a_key_the_post_is_refused(client, home_pages):
    response = post(client, None, article(), language="vi")

    assert response.status_code == 401
    assert response.json()["detail"] == "Cần khóa API hợp lệ (tiêu đề X-API-Key)."


def test_each_post_is_in_the_audit_trail_with_the_agency(client, mof_key):
    post(client, mof_key, article())
    post(client, mof_key, article(title="Tiêu đề mới"))

    records = AuditRecord.objects.filter(action="news.receive_syndicated_article").order_by("seq")
    assert [r.changes["created"] for r in records] == [True, False]
    assert {r.agency_code for r in records} == {"000.00.00.G12"}
    assert {r.via for r in records} == {"api"}
    assert records[0].object_id == str(the_page().pk)
    assert records[0].actor_username.startswith("api:vgp_")


def test_untrusted_html_keeps_only_what_an_editor_could_type(client, mof_key):
    html = (
        "<h1>Bối cảnh</h1>"
        '<p onclick="steal()">Văn bản <script>alert("x")</script><em>nghiêng</em> '
        '<a href="javascript:alert(1)">xấu</a> <a href="https://mof.gov.vn/a">tốt</a> '
        '<a data-linktype="page" data-id="1">nội bộ</a></p>'
        "<style>p{}</style><img src=x onerror=alert(1)>"
        "<h3>Chi tiết</h3>Dòng không có thẻ<ul><li>một</li></ul>"
    )

    post(client, mof_key, article(body_html=html))

    body = the_page().get_latest_revision_as_object().body
    assert [(b.block_type) for b in body] == ["heading", "paragraph", "heading", "paragraph"]
    assert body[0].value["text"] == "Bối cảnh" and body[0].value["level"] == "h2"
    first = body[1].value.source
    assert first == (
        '<p>Văn bản <em>nghiêng</em> <a>xấu</a> <a href="https://mof.gov.vn/a">tốt</a> '
        "<a>nội bộ</a></p>"
    )
    assert body[3].value.source == "<p>Dòng không có thẻ</p><ul><li>một</li></ul>"


def test_an_english_article_goes_to_the_english_section(client, mof_key):
    post(client, mof_key, article())
    english = article(source_id="btc-2026-0042-en", language="en", title="Revenue at 90% of plan")
    response = post(client, mof_key, english)

    assert response.status_code == 201
    english = NewsItemPage.objects.get(pk=response.json()["id"])
    assert english.locale.language_code == "en"
    section = english.get_parent().specific
    vietnamese_section = the_page().get_parent()
    assert section.title == "News from ministries and provinces"
    assert section.translation_key == vietnamese_section.translation_key
    # One source id is one article in one language.
    again_in_english = post(client, mof_key, article(language="en"))
    assert again_in_english.status_code == 422
    assert list(again_in_english.json()["fields"]) == ["language"]


def test_a_lost_race_on_insert_becomes_an_update(mof_key, ministry_of_finance, monkeypatch):
    """Another writer inserts the article between our lookup and our insert (simulated)."""
    payload = syndication.IncomingArticle(
        source_id="btc-2026-0042", title="Bài", lead="Tóm tắt.", date=syndication.timezone.now()
    )
    first, created = syndication.receive_article(
        agency=ministry_of_finance, api_key=None, payload=payload
    )
    assert created
    real_find = syndication._find
    calls = []

    def late_find(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real_find(*args, **kwargs)

    monkeypatch.setattr(syndication, "_find", late_find)
    changed = syndication.IncomingArticle(**{**payload.__dict__, "title": "Bài đã sửa"})

    page, created = syndication.receive_article(
        agency=ministry_of_finance, api_key=None, payload=changed
    )

    assert not created and page.pk == first.pk
    assert NewsItemPage.objects.filter(source_id="btc-2026-0042").count() == 1
    assert Page.objects.filter(slug__startswith="bai").count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises writers itself, so the row locks are not tested",
)
def test_simultaneous_identical_posts_make_one_page(transactional_db, ministry_of_finance):
    from django.test import Client

    from vgp.portal.demo import ensure_home_pages

    ensure_home_pages()
    raw = issue_api_key(None, agency=ministry_of_finance, name="Cổng BTC")[1]
    threads, statuses, errors = 4, [], []
    barrier = threading.Barrier(threads)

    def send() -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(post(Client(), raw, article()).status_code)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert not errors
    assert sorted(statuses) == [200, 200, 200, 201]
    assert NewsItemPage.objects.filter(source_id="btc-2026-0042").count() == 1
    assert SectionPage.objects.filter(slug="tin-bo-nganh-dia-phuong").count() == 1


# --- the editors' queue in the back office --------------------------------------------------

QUEUE = "/quan-tri/tin-bo-nganh-dia-phuong/"


@pytest.fixture
def queue_items(newsroom, client, mof_key, vpcp_key):
    """A draft from Bộ Tài chính, a published one with a new version, one from VPCP."""
    post(client, mof_key, article())
    post(client, mof_key, article(source_id="btc-2026-0043", title="Giải ngân vốn đầu tư công"))
    published = ArticlePage.objects.get(source_id="btc-2026-0043")
    published.get_latest_revision().publish()
    post(
        client,
        mof_key,
        article(source_id="btc-2026-0043", title="Giải ngân vốn đầu tư công (cập nhật)"),
    )
    post(
        client, vpcp_key, article(source_id="vpcp-1", title="Thông cáo báo chí phiên họp Chính phủ")
    )
    return newsroom


def test_editors_see_what_agencies_sent_with_links_to_review(client, queue_items, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(queue_items.editor_in_chief)

    response = client.get(QUEUE)

    assert response.status_code == 200
    html = response.content.decode()
    draft = the_page()
    assert draft.draft_title in html
    assert "Giải ngân vốn đầu tư công (cập nhật)" in html
    assert "Thông cáo báo chí phiên họp Chính phủ" in html
    assert f"/quan-tri/pages/{draft.pk}/edit/" in html
    assert f"/quan-tri/pages/{draft.pk}/view_draft/" in html
    menu = client.get("/quan-tri/").content.decode()
    assert QUEUE in menu


def test_the_queue_filters_by_agency_and_status(client, queue_items, ministry_of_finance, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(queue_items.section_editor)

    by_agency = client.get(QUEUE, {"source_agency": ministry_of_finance.pk}).content.decode()
    awaiting = client.get(QUEUE, {"status": "awaiting_approval"}).content.decode()

    assert "Thông cáo báo chí phiên họp Chính phủ" not in by_agency
    assert the_page().draft_title in by_agency
    assert "Giải ngân vốn đầu tư công (cập nhật)" in awaiting
    assert the_page().draft_title not in awaiting


def test_published_items_leave_the_queue(client, queue_items, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(queue_items.editor_in_chief)
    the_page().get_latest_revision().publish()

    assert the_page().draft_title not in client.get(QUEUE).content.decode()


def test_officials_without_page_rights_do_not_see_the_queue(client, queue_items, clerk, settings):
    settings.VGP_REQUIRE_2FA = False
    client.force_login(clerk)

    assert client.get(QUEUE).status_code in (302, 403)
