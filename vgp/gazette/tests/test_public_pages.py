"""The gazette's public pages: latest issues, a year, an issue, its text and its PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from vgp.gazette import actions
from vgp.gazette.models import GazetteEntry
from vgp.gazette.testing import make_issue
from vgp.portal.demo import ensure_home_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home_pages(db):
    return ensure_home_pages()


def test_the_gazette_home_lists_the_latest_issues_and_the_years(client, published_issue):
    response = client.get("/cong-bao/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/cong-bao/{published_issue.year}/1/"' in html
    assert f'href="/cong-bao/{published_issue.year}/"' in html
    assert "2 documents" in html or "2 văn bản" in html
    # Both feeds are announced to browsers and feed readers.
    assert 'type="application/rss+xml"' in html and 'href="/cong-bao/rss/"' in html
    assert 'href="/cong-bao/atom/"' in html
    assert 'href="/van-ban/moi-ban-hanh/rss/"' in html
    assert 'href="/van-ban/moi-ban-hanh/atom/"' in html


def test_drafts_and_issues_in_review_are_not_public(client, gazette_editor, draft_issue):
    actions.submit_for_review(gazette_editor, draft_issue)

    assert f"/cong-bao/{draft_issue.year}/1/" not in client.get("/cong-bao/").content.decode()
    assert client.get(f"/cong-bao/{draft_issue.year}/1/").status_code == 404
    assert client.get(f"/cong-bao/{draft_issue.year}/1/van-ban/").status_code == 404
    assert client.get(f"/cong-bao/{draft_issue.year}/1/pdf/").status_code == 404
    assert client.get(f"/cong-bao/{draft_issue.year}/").status_code == 404


def test_unknown_years_issues_and_pages_are_404(client, published_issue):
    year = published_issue.year
    assert client.get("/cong-bao/1999/").status_code == 404
    assert client.get(f"/cong-bao/{year}/2/").status_code == 404
    assert client.get(f"/cong-bao/{year}/", {"page": 9}).status_code == 404
    assert client.get(f"/cong-bao/{year}/", {"page": "x"}).status_code == 404


def test_the_issue_page_has_the_date_the_contents_with_pages_and_the_pdf(
    client, published_issue, documents
):
    response = client.get(published_issue.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    decree, decision = GazetteEntry.objects.filter(issue=published_issue).order_by("sort_order")
    assert published_issue.issue_date.strftime("%d/%m/%Y") in html
    assert "Nghị định 08/2022/NĐ-CP" in html and "Quyết định 83/2008/QĐ-TTg" in html
    # Each document: its place in the HTML view, its page, its page in the legal database.
    text_url = published_issue.get_text_url()
    assert f'href="{text_url}#van-ban-1"' in html and f'href="{text_url}#van-ban-2"' in html
    assert f"#page={decree.start_page}" in html and f"#page={decision.start_page}" in html
    assert decree.pages_label in html
    assert documents.decree.get_absolute_url() in html
    # The PDF, to download, with its size, and the fingerprint to check a copy.
    assert f'href="{published_issue.get_pdf_url()}?tai-ve=1"' in html
    assert re.search(r"\d+([.,]\d)?\s(KB|MB|kB)", html)
    assert published_issue.pdf_sha256 in html


def test_the_html_view_shows_every_document_as_printed(client, published_issue):
    response = client.get(published_issue.get_text_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="van-ban-1"' in html and 'id="van-ban-2"' in html
    # Chapters, articles, clauses and points, each with the legal page's anchor.
    assert 'id="van-ban-1-chuong-i"' in html
    assert 'id="van-ban-1-dieu-2-khoan-2-diem-a"' in html
    assert "Điều 3." in html and "Bảo vệ môi trường nước mặt" in html
    assert "Chất lượng nước mặt phải được quan trắc định kỳ." in html
    assert "Lê Văn Thành" in html and "Phó Thủ tướng" in html


def test_the_pdf_is_served_with_disposition_and_caching_headers(client, published_issue):
    url = published_issue.get_pdf_url()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    year, number = published_issue.year, published_issue.number
    assert response["Content-Disposition"] == f'inline; filename="cong-bao-{year}-{number}.pdf"'
    assert response["Content-Length"] == str(published_issue.pdf_size)
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) == published_issue.pdf_size

    download = client.get(url, {"tai-ve": "1"})
    assert download["Content-Disposition"].startswith("attachment;")

    again = client.get(url, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_year_page_lists_that_years_issues(
    client, gazette_editor, second_editor, documents, published_issue
):
    last_year = make_issue(
        [documents.letter],
        submitter=gazette_editor,
        publisher=second_editor,
        issue_date=dt.date(published_issue.year - 1, 12, 30),
    )

    html = client.get(f"/cong-bao/{published_issue.year}/").content.decode()
    assert published_issue.get_absolute_url() in html
    assert last_year.get_absolute_url() not in html
    # The other year is one click away.
    assert f'href="/cong-bao/{last_year.year}/"' in html


def test_the_pages_exist_in_english_too(client, published_issue):
    assert client.get("/en/cong-bao/").status_code == 200
    assert client.get(f"/en/cong-bao/{published_issue.year}/1/").status_code == 200


def test_list_pages_cost_the_same_number_of_queries_whatever_the_number_of_issues(
    client, gazette_editor, second_editor, documents, django_assert_max_num_queries
):
    today = timezone.localdate()
    make_issue(
        [documents.decree], submitter=gazette_editor, publisher=second_editor, issue_date=today
    )
    # Warm what is cached per process (menus, content types, the site).
    client.get("/cong-bao/")
    client.get(f"/cong-bao/{today.year}/")
    with django_assert_max_num_queries(12) as few:
        client.get("/cong-bao/")
    with django_assert_max_num_queries(12) as few_year:
        client.get(f"/cong-bao/{today.year}/")

    for _ in range(4):
        make_issue(
            [documents.decision, documents.letter],
            submitter=gazette_editor,
            publisher=second_editor,
            issue_date=today,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/cong-bao/")
    assert response.content.decode().count('class="gazette-issue"') == 5
    with django_assert_max_num_queries(len(few_year.captured_queries)):
        client.get(f"/cong-bao/{today.year}/")
    issue = reverse("gazette_issue", kwargs={"year": today.year, "number": 5})
    with django_assert_max_num_queries(12):
        assert client.get(issue).status_code == 200
