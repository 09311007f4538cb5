"""Searching within the gazette: folded queries, numbers, years, snippets, pages, rebuild."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from vgp.gazette import search_index
from vgp.gazette.models import GazetteEntry
from vgp.gazette.testing import make_issue
from vgp.portal.demo import ensure_home_pages
from vgp.search.engine import get_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def home_pages(db):
    return ensure_home_pages()


def test_a_query_without_diacritics_finds_the_document(published_issue):
    results = search_index.search("nuoc mat quan trac")

    assert [hit.printed.reference for hit in results.hits] == ["Nghị định 08/2022/NĐ-CP"]
    snippet = results.hits[0].snippet.html
    assert "<mark>nước</mark> <mark>mặt</mark>" in snippet
    assert "<mark>quan</mark> <mark>trắc</mark>" in snippet


def test_a_document_number_finds_its_entry(published_issue):
    results = search_index.search("83/2008/QĐ-TTg")

    assert results.hits[0].printed.reference == "Quyết định 83/2008/QĐ-TTg"


def test_results_narrow_down_by_year(gazette_editor, second_editor, documents, published_issue):
    older = make_issue(
        [documents.letter, documents.decree],
        submitter=gazette_editor,
        publisher=second_editor,
        issue_date=dt.date(published_issue.year - 1, 6, 1),
    )

    everything = search_index.search("bao ve moi truong")
    assert {hit.entry.issue_id for hit in everything.hits} == {published_issue.pk, older.pk}
    assert {b.year: b.count for b in everything.year_counts} == {
        published_issue.year: 1,
        older.year: 1,
    }

    narrowed = search_index.search("bao ve moi truong", years=[older.year])
    assert [hit.entry.issue_id for hit in narrowed.hits] == [older.pk]
    # The other year is still offered.
    assert {b.year for b in narrowed.year_counts} == {published_issue.year, older.year}


def test_drafts_never_reach_the_index(gazette_editor, draft_issue):
    search_index.catch_up()

    assert search_index.search("moi truong").hits == []


def test_the_search_page_pages_through_results(
    client, gazette_editor, second_editor, documents, settings, monkeypatch
):
    monkeypatch.setattr(search_index, "PER_PAGE", 2)
    today = timezone.localdate()
    for _ in range(3):
        make_issue(
            [documents.decree],
            submitter=gazette_editor,
            publisher=second_editor,
            issue_date=today,
        )

    first = client.get("/cong-bao/tim-kiem/", {"q": "moi truong"})
    second = client.get("/cong-bao/tim-kiem/", {"q": "moi truong", "page": 2})

    assert first.status_code == 200 and second.status_code == 200
    assert first.content.decode().count('class="gazette-result"') == 2
    assert second.content.decode().count('class="gazette-result"') == 1
    assert "page=2" in first.content.decode()
    assert "<mark>" in first.content.decode()
    assert client.get("/cong-bao/tim-kiem/", {"q": "moi truong", "page": 3}).status_code == 404


def test_the_search_page_explains_an_empty_result_and_a_bad_year(client, published_issue):
    empty = client.get("/cong-bao/tim-kiem/", {"q": "khong co gi ca"})
    bad = client.get("/cong-bao/tim-kiem/", {"q": "moi truong", "nam": "1800"})

    assert empty.status_code == 200 and 'class="search-results__empty"' in empty.content.decode()
    assert bad.status_code == 200 and 'class="error-summary"' in bad.content.decode()


def test_the_index_is_rebuilt_by_a_command(published_issue):
    get_index(search_index.ENTRIES).clear()
    assert search_index.search("moi truong").hits == []

    output = io.StringIO()
    call_command("rebuild_gazette_index", stdout=output)

    assert "Indexed 2 documents" in output.getvalue()

    entries = set(GazetteEntry.objects.filter(issue=published_issue).values_list("pk", flat=True))
    assert get_index(search_index.ENTRIES).ids() == entries


def test_publishing_schedules_indexing_after_commit(
    gazette_editor, second_editor, draft_issue, django_capture_on_commit_callbacks
):
    from vgp.gazette import actions

    actions.submit_for_review(gazette_editor, draft_issue)
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_issue(second_editor, draft_issue)

    assert len(search_index.search("dat dai").hits) == 1


def test_a_question_shows_its_best_matches(client, published_issue, monkeypatch):
    from vgp.search import engine

    monkeypatch.setattr(engine, "CANDIDATES", 1)
    response = client.get("/cong-bao/tim-kiem/", {"q": "văn bản nào quy định quan trắc nước mặt"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 văn bản phù hợp nhất" in page
    assert page.count('class="gazette-result"') == 1
