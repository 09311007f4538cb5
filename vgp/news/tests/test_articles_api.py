"""The public news API (GET /api/v1/articles): content, filters, sync with a cursor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vgp.news import editorial
from vgp.news.testing import (
    make_article,
    make_document,
    make_gallery,
    make_image,
    make_section,
    make_video,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:800]
    return response.json()


def walk(client, **params) -> list[int]:
    """Every id the list gives, following ``next`` to the end."""
    ids: list[int] = []
    body = get(client, **params)
    while True:
        ids.extend(item["id"] for item in body["items"])
        if body["next"] is None:
            return ids
        response = client.get(body["next"])
        assert response.status_code == 200
        body = response.json()


@pytest.fixture
def finance_item(newspaper, ministry_of_finance):
    return make_article(
        newspaper.economy,
        "Bộ Tài chính công bố số liệu thu ngân sách",
        lead="Thu ngân sách 10 tháng đạt 90% dự toán.",
        source_agency=ministry_of_finance,
        source_url="https://mof.gov.vn/tin/123",
        licence="cc-by-4.0",
        attribution="Ảnh: Bộ Tài chính",
    )


@pytest.fixture
def english_item(home_pages):
    section = make_section(home_pages.english, "News", slug="news")
    return make_article(section, "Government meets businesses", lead="The PM met investors.")


def test_the_list_is_public_and_describes_each_item(client, newspaper):
    body = get(client)

    assert [item["id"] for item in body["items"]] == [newspaper.budget.pk, newspaper.egov.pk]
    assert body["next"] is None and body["next_cursor"]
    egov = body["items"][1]
    assert egov["translation_key"] == str(newspaper.egov.translation_key)
    assert egov["kind"] == "article"
    assert egov["language"] == "vi"
    assert egov["url"] == newspaper.egov.get_full_url()
    assert egov["title"] == newspaper.egov.title
    assert egov["lead"] == newspaper.egov.lead
    assert egov["body_html"] == (
        "<p>Các bộ, ngành cần hoàn thành kết nối dữ liệu.</p><p>Đoạn thứ hai.</p>"
    )
    assert dt.datetime.fromisoformat(egov["date"]) == newspaper.egov.date
    assert egov["updated_at"]
    assert egov["byline"] == "Minh Anh"
    assert egov["section"] == {
        "id": newspaper.politics.pk,
        "slug": "thoi-su",
        "title": "Thời sự",
        "url": newspaper.politics.get_full_url(),
    }
    assert sorted(topic["name"] for topic in egov["topics"]) == ["Chuyển đổi số", "Dịch vụ công"]
    assert egov["featured_image"]["url"].startswith("http://testserver/")
    assert egov["featured_image"]["width"] == 1200
    assert egov["source_agency"] is None
    assert egov["licence"]["code"] == "attribution"
    assert egov["withdrawn"] is None


def test_source_agency_licence_and_attribution_are_given(client, finance_item):
    (item,) = get(client, agency="000.00.00.G12")["items"]

    assert item["source_agency"] == {"code": "000.00.00.G12", "name": "Bộ Tài chính"}
    assert item["source_url"] == "https://mof.gov.vn/tin/123"
    assert item["licence"] == {
        "code": "cc-by-4.0",
        "name": "Được tự do sử dụng lại, ghi rõ nguồn (CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert item["attribution"] == "Ảnh: Bộ Tài chính"
    vietnamese = client.get(URL, {"agency": "000.00.00.G12"}, HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vietnamese["items"][0]["source_agency"]["name"] == "Bộ Tài chính"


def test_filters_by_section_agency_language_and_kind(client, newspaper, finance_item, english_item):
    gallery = make_gallery(
        newspaper.politics, "Ảnh hội nghị", [(make_image(), "Toàn cảnh", "TTXVN")]
    )

    def ids(**params):
        return {item["id"] for item in get(client, **params)["items"]}

    assert ids(section="thoi-su") == {newspaper.egov.pk, gallery.pk}
    assert ids(agency="000.00.00.G12") == {finance_item.pk}
    assert ids(agency="000.00.00.G99") == set()
    assert ids(lang="en") == {english_item.pk}
    assert ids(kind="gallery") == {gallery.pk}
    assert len(ids()) == 5  # both languages by default


def test_drafts_are_not_listed_and_not_found(client, newspaper):
    draft = newspaper.politics.add_child(
        instance=type(newspaper.egov)(title="Bản nháp", lead="Chưa duyệt.", live=False)
    )

    assert draft.pk not in {item["id"] for item in get(client)["items"]}
    assert client.get(f"{URL}/{draft.pk}").status_code == 404
    one = client.get(f"{URL}/{newspaper.egov.pk}")
    assert one.status_code == 200 and one.json()["title"] == newspaper.egov.title


def test_updated_since_must_be_a_date_and_time(client, newspaper):
    response = client.get(URL, {"updated_since": "hôm qua"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["updated_since"]
    assert "ISO 8601" in response.json()["fields"]["updated_since"][0]


def test_updated_since_gives_what_changed_from_then(client, newspaper):
    cut = timezone.now()
    later = make_article(newspaper.politics, "Tin mới", lead="Vừa đăng.")

    assert [item["id"] for item in get(client, updated_since=cut.isoformat())["items"]] == [
        later.pk
    ]
    # Without an offset, the time is Hà Nội's.
    local = timezone.localtime(cut).replace(tzinfo=None).isoformat()
    assert [item["id"] for item in get(client, updated_since=local)["items"]] == [later.pk]


def test_a_walk_with_the_cursor_sees_every_item_once_even_when_news_arrives(client, newspaper):
    for n in range(5):
        make_article(newspaper.politics, f"Tin số {n}", lead="Tin ngắn.")
    first = get(client, limit=3)
    assert first["next"] is not None

    # While the client pages, two items are published.
    arrived = [make_article(newspaper.economy, f"Tin đến sau {n}", lead="Mới.") for n in range(2)]
    seen = [item["id"] for item in first["items"]]
    body = client.get(first["next"]).json()
    while True:
        seen.extend(item["id"] for item in body["items"])
        if body["next"] is None:
            break
        body = client.get(body["next"]).json()

    assert len(seen) == len(set(seen)) == 9
    assert seen[-2:] == [item.pk for item in arrived]
    # Polling later with the last cursor gives only what changed since.
    assert get(client, cursor=body["next_cursor"])["items"] == []
    newest = make_article(newspaper.economy, "Tin mới nhất", lead="Mới nhất.")
    assert [i["id"] for i in get(client, cursor=body["next_cursor"])["items"]] == [newest.pk]


def test_newest_first_pages_without_gaps(client, newspaper):
    for n in range(4):
        make_article(newspaper.politics, f"Tin số {n}", lead="Tin ngắn.")

    ids = walk(client, order="-updated", limit=2)

    assert len(ids) == len(set(ids)) == 6
    assert ids == list(reversed(walk(client, limit=4)))


def test_a_withdrawn_item_comes_again_marked_withdrawn(client, newspaper):
    cursor = get(client)["next_cursor"]

    editorial.withdraw(actor=None, page=newspaper.budget, reason="Số liệu đã được đính chính.")

    (item,) = get(client, cursor=cursor)["items"]
    assert item["id"] == newspaper.budget.pk
    assert item["withdrawn"]["reason"] == "Số liệu đã được đính chính."


def test_a_bad_cursor_is_a_422_naming_it(client, newspaper):
    for cursor in ("khong-hop-le", "eyJ0IjoiMjAyNSJ9"):
        response = client.get(URL, {"cursor": cursor})
        assert response.status_code == 422
        assert list(response.json()["fields"]) == ["cursor"]
    made_for_other_order = get(client, order="-updated", limit=1)["next_cursor"]
    assert client.get(URL, {"cursor": made_for_other_order}).status_code == 422


def test_bodies_are_safe_html_with_absolute_addresses(client, newspaper):
    report = make_document("Báo cáo", "bao-cao.pdf")
    picture = make_image("Biểu đồ", width=900, height=600)
    item = make_article(
        newspaper.politics,
        "Bài có nhiều khối",
        body=[
            {
                "type": "paragraph",
                "value": f'<p>Xem <a linktype="page" id="{newspaper.budget.pk}">dự toán</a> và '
                f'<a linktype="document" id="{report.pk}">báo cáo</a>.</p>',
            },
            {"type": "heading", "value": {"text": "Kết quả <b>nổi bật</b>", "level": "h3"}},
            {
                "type": "image",
                "value": {
                    "image": picture.pk,
                    "alt_text": "Biểu đồ thu",
                    "caption": "Thu",
                    "credit": "BTC",
                },
            },
            {
                "type": "quote",
                "value": {"text": "<script>alert(1)</script>", "attribution": "Thủ tướng"},
            },
            {"type": "attachment", "value": {"document": report.pk, "title": "Toàn văn báo cáo"}},
        ],
    )

    html = client.get(f"{URL}/{item.pk}").json()["body_html"]

    assert f'<a href="{newspaper.budget.get_full_url()}">dự toán</a>' in html
    assert 'href="http://testserver/tai-lieu/' in html
    assert "<h3>Kết quả &lt;b&gt;nổi bật&lt;/b&gt;</h3>" in html
    assert '<img src="http://testserver/' in html and 'alt="Biểu đồ thu"' in html
    assert "<figcaption>Thu — BTC</figcaption>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ">Toàn văn báo cáo</a>" in html


def test_the_list_costs_the_same_queries_for_3_or_9_items(client, newspaper, english_item):
    report = make_document("Báo cáo", "bao-cao.pdf")
    for n in range(4):
        make_article(
            newspaper.politics,
            f"Tin số {n}",
            tags=[f"Chủ đề {n}"],
            image=make_image(f"Ảnh {n}", width=640, height=400),
            body=[
                {
                    "type": "paragraph",
                    "value": f'<p><a linktype="page" id="{newspaper.egov.pk}">Liên kết</a></p>',
                },
                {
                    "type": "image",
                    "value": {
                        "image": make_image(f"Hình {n}").pk,
                        "alt_text": "",
                        "caption": "",
                        "credit": "",
                    },
                },
                {"type": "attachment", "value": {"document": report.pk, "title": ""}},
            ],
        )
    make_gallery(newspaper.politics, "Ảnh", [(make_image(), "Một", ""), (make_image(), "Hai", "")])
    make_video(newspaper.politics, "Video", image=make_image())

    def count(limit: int) -> int:
        client.get(URL, {"limit": limit, "order": "-updated"})  # renditions made, then reused
        with CaptureQueriesContext(connection) as queries:
            body = get(client, limit=limit, order="-updated")
        assert len(body["items"]) == limit
        return len(queries)

    # The 3 newest are a video, a gallery and an article: every kind and every reference.
    assert count(3) == count(9)
