"""The feeds (new issues, newly promulgated documents) and the JSON API of the gazette."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from vgp.gazette.models import GazetteEntry
from vgp.gazette.testing import make_issue
from vgp.legal.testing import make_document
from vgp.portal.demo import ensure_home_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home_pages(db):
    return ensure_home_pages()


@pytest.mark.parametrize("path", ["/cong-bao/rss/", "/cong-bao/atom/"])
def test_the_new_issues_feed_lists_published_issues_with_their_pdf(
    client, path, published_issue, gazette_editor, draft_issue_2026
):
    response = client.get(path)

    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 1  # the draft is not there
    entry = feed.entries[0]
    assert entry.link.endswith(published_issue.get_absolute_url())
    assert entry.id == f"tag:testserver,2026:gazette-issue-{published_issue.pk}"
    assert "Nghị định" in entry.summary and "08/2022/NĐ-CP" in entry.summary
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href.endswith(published_issue.get_pdf_url())
    assert enclosure.type == "application/pdf"
    assert int(enclosure.length) == published_issue.pdf_size


@pytest.fixture
def draft_issue_2026(gazette_editor, documents):
    from vgp.gazette import actions

    return actions.create_issue(
        gazette_editor,
        year=2026,
        number=50,
        issue_date=dt.date(2026, 1, 5),
        documents=[documents.letter],
    )


@pytest.mark.parametrize("path", ["/van-ban/moi-ban-hanh/rss/", "/van-ban/moi-ban-hanh/atom/"])
def test_the_newly_promulgated_documents_feed_lists_newest_first(client, path, documents):
    undated = make_document("", "Luật", "Luật không ghi ngày", "Điều 1. Phạm vi", None)

    response = client.get(path)

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    # Newest date of issue first; an undated document last; never an unpublished one.
    assert titles == [
        "Công văn 1925/VPCP-KGVX: Về việc tổ chức Ngày Sách và Văn hóa đọc Việt Nam",
        "Nghị định 08/2022/NĐ-CP: Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        "Quyết định 83/2008/QĐ-TTg: Về việc phê duyệt Đề án đổi mới quản lý đất đai",
        undated.title,
    ]
    assert feed.entries[0].id.endswith(f":legal-document-{documents.letter.pk}")
    assert feed.entries[0].link.endswith(documents.letter.get_absolute_url())


def test_the_api_lists_issues_by_year(
    client, published_issue, gazette_editor, second_editor, documents
):
    older = make_issue(
        [documents.letter],
        submitter=gazette_editor,
        publisher=second_editor,
        issue_date=dt.date(published_issue.year - 1, 3, 3),
    )

    everything = client.get("/api/v1/gazette/issues").json()
    of_year = client.get("/api/v1/gazette/issues", {"year": older.year}).json()

    assert [(i["year"], i["number"]) for i in everything["items"]] == [
        (published_issue.year, 1),
        (older.year, 1),
    ]
    assert everything["count"] == 2
    assert [i["year"] for i in of_year["items"]] == [older.year]
    item = of_year["items"][0]
    assert item["document_count"] == 1
    assert item["pdf_url"].endswith(older.get_pdf_url())
    assert item["pdf_sha256"] == older.pdf_sha256


def test_the_api_gives_an_issue_with_documents_and_pages(client, published_issue, documents):
    response = client.get(f"/api/v1/gazette/issues/{published_issue.year}/1")

    assert response.status_code == 200
    data = response.json()
    decree = GazetteEntry.objects.filter(issue=published_issue).order_by("sort_order").first()
    first = data["entries"][0]
    assert first["position"] == 1
    assert first["document"]["id"] == documents.decree.pk
    assert first["document"]["number_symbol"] == "08/2022/NĐ-CP"
    assert first["document"]["title"] == documents.decree.title
    assert (first["start_page"], first["end_page"]) == (decree.start_page, decree.end_page)
    assert first["text_url"].endswith(f"{published_issue.get_text_url()}#van-ban-1")
    assert data["pdf_url"].endswith(published_issue.get_pdf_url())
    assert data["page_count"] == published_issue.page_count


def test_the_api_answers_404_for_an_unpublished_issue(client, draft_issue):
    response = client.get(f"/api/v1/gazette/issues/{draft_issue.year}/1")

    assert response.status_code == 404
    assert "1/" in response.json()["detail"]
