"""What a citizen sees of the legal documents database: search, a document's page, print view.

Personas: a citizen (Chị Lan) looking up a decree by its number or searching its text, without
signing in; the English edition for foreign readers. The documents are the ``library`` of
``conftest.py``: a decree on environmental protection with its full text, a decision of the
Prime Minister amended by a circular of the Ministry of Finance, an expired law of the
National Assembly and a draft decree that was never published.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from vgp.legal import presentation
from vgp.legal.models import LegalDocument, RelationKind, Sector, Validity
from vgp.legal.testing import SAMPLE_BODY, attach, make_document, relate

SEARCH = "/van-ban/"


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def search(client, **params) -> BeautifulSoup:
    return BeautifulSoup(html(client.get(SEARCH, params)), "html.parser")


def hit_names(soup: BeautifulSoup) -> list[str]:
    """The documents found, in order ("Nghị định 08/2022/NĐ-CP"), or articles ("Điều 3. …")."""
    return [" ".join(a.get_text(" ").split()) for a in soup.select(".legal-hit__title a")]


def facet(soup: BeautifulSoup, name: str) -> dict[str, int]:
    """A facet's values as {label: count}."""
    found = {}
    for option in soup.select(f"#facet-{name} .facet__option"):
        label = option.select_one("label span").get_text()
        count = option.select_one(".facet__count").get_text().strip("()")
        found[label] = int(count.replace(".", "").replace(",", ""))
    return found


def total(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("#legal-results-title").get_text().split())


# --- search by words --------------------------------------------------------------------------


def test_search_without_diacritics_finds_the_decree(client, library):
    # When Chị Lan types the words without diacritics
    soup = search(client, q="nghi dinh bao ve moi truong")
    # Then the decree "Nghị định … bảo vệ môi trường" is found, its words marked in the passage
    assert hit_names(soup)[0] == "Nghị định 08/2022/NĐ-CP"
    assert "Quy định chi tiết một số điều của Luật Bảo vệ môi trường" in soup.get_text()
    marks = {m.get_text().lower() for m in soup.select(".legal-hit__snippet mark")}
    assert {"bảo", "vệ", "môi", "trường"} <= marks
    # And what was typed stays in the box
    assert soup.select_one("#id_q")["value"] == "nghi dinh bao ve moi truong"


def test_exact_diacritics_rank_above_folded_matches(client, db):
    folded = make_document(
        "10/2020/TT-BLĐTBXH",
        "Thông tư",
        "Quy dinh ve moi truong lao dong",  # typed without diacritics at the source
        issued_date=dt.date(2020, 1, 1),
    )
    exact = make_document(
        "11/2019/TT-BLĐTBXH",
        "Thông tư",
        "Quy định về môi trường lao động",
        issued_date=dt.date(2019, 1, 1),
    )
    assert hit_names(search(client, q="môi trường lao động"))[:2] == [
        f"Thông tư {exact.number_symbol}",
        f"Thông tư {folded.number_symbol}",
    ]
    # Typed without diacritics, both are found
    assert len(hit_names(search(client, q="moi truong lao dong"))) == 2


def test_a_phrase_in_quotation_marks_is_found_as_a_whole(client, library):
    scattered = make_document(
        "12/2021/NĐ-CP",
        "Nghị định",
        "Bảo vệ và phát triển rừng gắn với cải thiện môi trường sống",
        issued_date=dt.date(2021, 5, 5),
    )
    loose = hit_names(search(client, q="bảo vệ môi trường"))
    assert f"Nghị định {scattered.number_symbol}" in loose
    phrase = hit_names(search(client, q="“bảo vệ môi trường”"))
    assert "Nghị định 08/2022/NĐ-CP" in phrase
    assert f"Nghị định {scattered.number_symbol}" not in phrase


@pytest.mark.parametrize("typed", ["83/2008/QĐ-TTg", "83/2008/QD-TTg", "83/2008", "QĐ-TTg 83"])
def test_a_number_in_any_spelling_finds_its_document_first(client, library, typed):
    # The circular names the same number in its title: the decision itself still comes first
    names = hit_names(search(client, q=typed))
    assert names[0] == "Quyết định 83/2008/QĐ-TTg"


def test_without_words_the_latest_published_documents_are_listed(client, library):
    soup = search(client)
    assert hit_names(soup) == [
        "Thông tư 02/2023/TT-BTC",
        "Nghị định 08/2022/NĐ-CP",
        "Luật 45/2013/QH13",
        "Quyết định 83/2008/QĐ-TTg",
    ]
    assert soup.select_one("#id_sort option[selected]")["value"] == "newest"
    # The draft is nowhere
    assert "99/2024" not in str(soup)


def test_results_sort_by_date_either_way(client, library):
    newest = hit_names(search(client, q="đất đai", sort="newest"))
    oldest = hit_names(search(client, q="đất đai", sort="oldest"))
    assert newest == [
        "Thông tư 02/2023/TT-BTC",
        "Luật 45/2013/QH13",
        "Quyết định 83/2008/QĐ-TTg",
    ]
    assert oldest == list(reversed(newest))


def test_the_total_is_counted_and_grouped_in_thousands(client, library, monkeypatch):
    from vgp.legal import queries

    real_search = queries.search

    def many(params, **kwargs):
        page = real_search(params, **kwargs)
        page.total = 1234
        return page

    monkeypatch.setattr(queries, "search", many)
    soup = search(client, q="đất đai")
    assert "1.234" in total(soup)
    with translation.override("en"):
        soup = BeautifulSoup(html(client.get("/en/van-ban/", {"q": "đất đai"})), "html.parser")
    assert total(soup) == "Found 1,234 documents"


def test_nothing_found_says_so_and_suggests_what_to_try(client, library):
    soup = search(client, q="tàu vũ trụ liên hành tinh", status="expired")
    assert hit_names(soup) == []
    empty = soup.select_one(".search-results__empty")
    assert empty is not None
    links = [a["href"] for a in empty.select("a")]
    assert any("kind=articles" in href for href in links)  # try the articles instead
    assert any("status" not in href and "q=" in href for href in links)  # drop the filters
    assert "83/2008/QĐ-TTg" in empty.get_text()  # how to type a number


# --- filters and facets ----------------------------------------------------------------------


def test_facets_count_the_results_by_type_issuer_year_validity_and_sector(client, library):
    soup = search(client)
    assert facet(soup, "type") == {"Luật": 1, "Nghị định": 1, "Quyết định": 1, "Thông tư": 1}
    assert facet(soup, "issuer") == {"Văn phòng Chính phủ": 2, "Bộ Tài chính": 1, "Quốc hội": 1}
    assert facet(soup, "year") == {"2023": 1, "2022": 1, "2013": 1, "2008": 1}
    assert facet(soup, "sector") == {
        "Đất đai": 3,
        "Thuế, phí, lệ phí": 1,
        "Tài nguyên - Môi trường": 1,
    }
    statuses = {
        option["value"]: option.find_next("span", class_="facet__count").get_text()
        for option in soup.select("#facet-status input")
    }
    assert statuses == {"in_force": "(2)", "expired": "(1)", "partly_expired": "(1)"}


def test_filters_narrow_the_results_and_stay_ticked(client, library):
    land = Sector.objects.get(name="Đất đai")
    soup = search(client, sector=land.pk)
    assert len(hit_names(soup)) == 3
    assert soup.select_one(f"#filter-sector-{land.pk}").has_attr("checked")
    assert hit_names(search(client, sector=land.pk, status="expired")) == ["Luật 45/2013/QH13"]
    assert hit_names(search(client, year=2022)) == ["Nghị định 08/2022/NĐ-CP"]
    assert hit_names(search(client, issuer=library.circular.issuer_id)) == [
        "Thông tư 02/2023/TT-BTC"
    ]
    both_years = hit_names(search(client, year=[2022, 2008]))
    assert sorted(both_years) == ["Nghị định 08/2022/NĐ-CP", "Quyết định 83/2008/QĐ-TTg"]
    # A way back to everything
    soup = search(client, q="đất đai", year=2013)
    assert (
        soup.select_one(".legal-facets__clear")["href"] == "/van-ban/?q=%C4%91%E1%BA%A5t+%C4%91ai"
    )


def test_a_ticked_value_the_results_no_longer_count_can_be_unticked(client, library):
    soup = search(client, year=[2013, 2008], status="in_force")
    assert hit_names(soup) == []
    ticked = soup.select("#facet-year input[checked]")
    assert sorted(i["value"] for i in ticked) == ["2008", "2013"]


def test_unreadable_values_are_reported_and_the_rest_is_searched(client, library):
    # Given an address mangled by hand
    response = client.get(
        SEARCH, {"q": "đất đai", "page": "abc", "status": "bogus", "year": "1800"}
    )
    # Then the page still answers, names each problem, and searches with what it could read
    page = html(response)
    soup = BeautifulSoup(page, "html.parser")
    problems = soup.select(".error-summary__list li")
    assert len(problems) == 3
    assert "1945" in soup.select_one(".error-summary").get_text()
    assert len(hit_names(soup)) == 3
    too_far = search(client, page=str(10**6))
    assert len(too_far.select(".error-summary__list li")) == 1
    assert client.get(SEARCH, {"kind": "everything", "sort": "random"}).status_code == 200
    assert client.get(SEARCH, {"q": "x" * 500}).status_code == 200
    assert client.get(SEARCH, {"type": ["1"] * 60}).status_code == 200


def test_a_page_after_the_last_says_where_the_results_are(client, library):
    soup = search(client, page=5)
    assert hit_names(soup) == []
    assert soup.select_one(".search-results__empty a")["href"] == "/van-ban/"


# --- pagination -------------------------------------------------------------------------------


def test_results_come_twenty_a_page_with_links_between_pages(client, db):
    for number in range(1, 26):
        make_document(
            f"{number:02d}/2024/QĐ-UBND",
            "Quyết định",
            f"Về việc công bố thủ tục hành chính số {number}",
            issued_date=dt.date(2024, 1, 1) + dt.timedelta(days=number),
            issuer_name="Ủy ban nhân dân tỉnh Bắc Ninh",
        )
    first = search(client, q="thủ tục hành chính")
    assert len(hit_names(first)) == 20
    assert "25" in total(first)
    nav = first.select_one("nav.pagination")
    assert nav.select_one("a[aria-current=page]").get_text(" ").split()[-1] == "1"
    assert (
        nav.select_one("a[rel=next]")["href"]
        == "/van-ban/?q=th%E1%BB%A7+t%E1%BB%A5c+h%C3%A0nh+ch%C3%ADnh&page=2"
    )
    second = search(client, q="thủ tục hành chính", page=2)
    assert len(hit_names(second)) == 5
    assert second.select_one("nav.pagination a[rel=prev]")["href"].endswith("ch%C3%ADnh")
    assert second.select_one("nav.pagination a[rel=next]") is None
    assert set(hit_names(first)).isdisjoint(hit_names(second))


# --- articles ---------------------------------------------------------------------------------


def test_an_article_search_links_to_the_article_in_its_document(client, library):
    soup = search(client, q="nước mặt", kind="articles")
    (hit,) = soup.select(".legal-hit")
    link = hit.select_one(".legal-hit__title a")
    assert link["href"] == f"{library.decree.get_absolute_url()}#dieu-3"
    assert " ".join(link.get_text(" ").split()).endswith("3. Bảo vệ môi trường nước mặt")
    source = hit.select_one(".legal-hit__source")
    assert "Nghị định 08/2022/NĐ-CP" in source.get_text()
    assert soup.select_one("#id_kind_1").has_attr("checked")
    assert "1" in total(soup)


# --- the search page's cost and its htmx answer ----------------------------------------------


def _queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        html(client.get(url, params))
    return len(captured)


SEARCH_QUERIES = 4


def test_the_search_page_costs_the_same_queries_for_one_hit_or_twenty(
    client, library, django_assert_max_num_queries
):
    client.get(SEARCH)  # menus and labels are cached from here on, as on a live site
    one = _queries(client, SEARCH, {"q": "83/2008/QĐ-TTg", "kind": "documents"})
    for number in range(1, 21):
        make_document(
            f"{number:02d}/2024/QĐ-TTg",
            "Quyết định",
            f"Về việc phê duyệt quy hoạch đất đai vùng {number}",
            issued_date=dt.date(2024, 2, number),
            issuer=library.decision.issuer,
            sectors=["Đất đai", "Xây dựng - Đô thị"],
        )
    client.get(SEARCH)
    many = _queries(client, SEARCH, {"q": "đất đai"})
    articles = _queries(client, SEARCH, {"q": "đất đai", "kind": "articles"})
    assert one == many == articles
    with django_assert_max_num_queries(SEARCH_QUERIES):
        html(client.get(SEARCH, {"q": "đất đai", "sector": "1", "page": "2"}))


def test_htmx_gets_the_results_and_the_filters_only(client, library):
    response = client.get(SEARCH, {"q": "đất đai"}, headers={"HX-Request": "true"})
    page = html(response)
    assert "<html" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("#legal-results")
    assert soup.select_one("#legal-facets")["hx-swap-oob"] == "true"
    assert soup.select_one("#legal-search-status")["role"] == "status"
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page
    restore = client.get(
        SEARCH,
        {"q": "đất đai"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in html(restore)


def test_the_search_works_as_a_plain_form(client, library):
    soup = search(client)
    form = soup.select_one("form#legal-search-form")
    assert form["method"] == "get" and form["action"] == "/van-ban/"
    names = {field["name"] for field in form.select("input[name], select[name]")}
    assert {"q", "kind", "sort", "type", "issuer", "year", "status", "category", "sector"} <= names
    assert form.select("button[type=submit]")
    # Filters fold away on a phone
    assert form.select_one("details.legal-filters summary")


# --- a document's page --------------------------------------------------------------------------


def test_a_document_page_shows_its_metadata_and_validity(client, library):
    soup = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    assert soup.select_one("h1").get_text() == library.decree.title
    assert soup.select_one(".legal-doc__name").get_text() == "Nghị định 08/2022/NĐ-CP"
    badge = soup.select_one(".legal-doc__status .validity")
    assert "validity--in_force" in badge["class"] and badge.get_text().strip()
    cells = [td.get_text(" ").strip() for td in soup.select(".legal-meta td")]
    assert "08/2022/NĐ-CP" in cells
    assert "Nghị định" in cells
    assert "Văn phòng Chính phủ" in cells
    assert "Lê Văn Thành, Phó Thủ tướng" in cells
    assert "10/01/2022" in cells  # dd/mm/yyyy
    assert "Tài nguyên - Môi trường" in cells
    assert soup.select_one(".legal-meta a[href='https://vbpl.vn/nghi-dinh-08-2022']")
    assert library.decree.summary in soup.select_one(".legal-doc__summary").get_text()


def test_every_article_clause_and_point_has_its_own_link(client, library):
    page = html(client.get(library.decree.get_absolute_url()))
    soup = BeautifulSoup(page, "html.parser")
    for anchor in ("dieu-1", "dieu-2", "dieu-2-khoan-2", "dieu-2-khoan-2-diem-a", "chuong-ii"):
        unit = soup.find(id=anchor)
        assert unit is not None, anchor
        assert unit.select_one(f"a.legal-anchor[href='#{anchor}']"), anchor
    # The article's heading reads as in the text
    title = soup.find(id="dieu-3").select_one(".legal-article__title")
    assert title.get_text(" ").startswith("Điều 3. Bảo vệ môi trường nước mặt")
    # The link's words say where it goes (hidden for sight, read by screen readers)
    assert soup.select_one("#dieu-2-khoan-2-diem-a .legal-anchor .visually-hidden").get_text()


def test_the_table_of_contents_nests_chapters_and_articles(client, library):
    soup = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    toc = soup.select_one("nav.legal-toc")
    chapters = toc.select(".legal-toc__body > ol > li")
    assert [li.a["href"] for li in chapters] == ["#chuong-i", "#chuong-ii"]
    assert [a["href"] for a in chapters[0].select(":scope > ol a")] == ["#dieu-1", "#dieu-2"]
    assert (
        chapters[1].select_one(":scope > ol a").get_text() == "Điều 3. Bảo vệ môi trường nước mặt"
    )


def test_relations_are_shown_from_both_sides(client, library):
    circular = BeautifulSoup(html(client.get(library.circular.get_absolute_url())), "html.parser")
    relations = circular.select_one(".legal-relations")
    titles = [h.get_text() for h in relations.select("h3")]
    assert titles == [str(RelationKind.AMENDS.label), str(RelationKind.BASED_ON.label)]
    assert relations.select_one(f"a[href='{library.decision.get_absolute_url()}']")
    # A document not in the database: its number, without a link
    reference = relations.select_one(".legal-relations__reference")
    assert reference.get_text() == "14/2019/TT-BTC" and reference.find_parent("a") is None
    decision = BeautifulSoup(html(client.get(library.decision.get_absolute_url())), "html.parser")
    relations = decision.select_one(".legal-relations")
    from vgp.legal.models import REVERSE_LABELS

    assert relations.select_one("h3").get_text() == str(REVERSE_LABELS[RelationKind.AMENDS])
    assert relations.select_one(f"a[href='{library.circular.get_absolute_url()}']")
    # Amended, the decision is partly expired
    assert (
        "validity--partly_expired" in decision.select_one(".legal-doc__status .validity")["class"]
    )


def test_a_relation_from_a_draft_is_not_shown_on_its_target(client, library):
    relate(library.draft, RelationKind.REPLACES, library.decree)
    page = html(client.get(library.decree.get_absolute_url()))
    assert "99/2024" not in page


def test_files_link_to_their_download_and_the_original_is_marked(client, library):
    soup = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    files = soup.select(".legal-files__item")
    assert [f.select_one("a").get_text() for f in files] == ["Bản gốc có chữ ký", "Phụ lục I"]
    assert files[0].select_one(".legal-files__original") is not None
    assert files[1].select_one(".legal-files__original") is None
    assert "PDF" in files[0].get_text() and "DOCX" in files[1].get_text()
    assert files[0].a["href"].startswith("/tai-lieu/")


def test_other_apps_add_panels_and_a_failing_one_is_left_out(client, library):
    def gazette(document):
        return "Công báo", format_html("<p>Số {} ngày {}</p>", "12+13", "15/01/2022")

    def broken(document):
        raise RuntimeError("the gazette is down")

    def nothing(document):
        return None

    for provider in (gazette, broken, nothing):
        presentation.register_document_panel(provider)
    try:
        soup = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    finally:
        for provider in (gazette, broken, nothing):
            presentation.unregister_document_panel(provider)
    (panel,) = soup.select(".legal-panel")
    assert panel.h2.get_text() == "Công báo"
    assert panel.p.get_text() == "Số 12+13 ngày 15/01/2022"


def test_a_document_page_tells_search_engines_what_it_is(client, library):
    soup = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    url = f"http://testserver{library.decree.get_absolute_url()}"
    assert soup.select_one("link[rel=canonical]")["href"] == url
    assert soup.select_one("meta[property='og:url']")["content"] == url
    assert "08/2022/NĐ-CP" in soup.select_one("meta[property='og:title']")["content"]
    data = json.loads(soup.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "08/2022/NĐ-CP"
    assert data["legislationDate"] == "2022-01-10"
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["legislationPassedBy"]["name"] == "Văn phòng Chính phủ"


def test_a_title_cannot_break_out_of_the_json_ld(client, db):
    document = make_document("01/2025/TT-BTC", "Thông tư", "Thử </script><script>alert(1)</script>")
    page = html(client.get(document.get_absolute_url()))
    assert "<script>alert(1)" not in page


DOCUMENT_QUERIES = 7


def test_a_document_page_costs_the_same_queries_whatever_its_size(
    client, library, django_assert_max_num_queries, monkeypatch
):
    # Given a document with one article, one relation each way and one file
    small = make_document("01/2024/NĐ-CP", "Nghị định", "Nghị định nhỏ", "Điều 1. Một\nMột.")
    relate(small, RelationKind.GUIDES, library.decree)
    relate(library.circular, RelationKind.GUIDES, small)
    attach(small, "Bản gốc", is_original=True)
    client.get(small.get_absolute_url())  # menus cached, as on a live site
    cost = _queries(client, small.get_absolute_url(), {})
    # And one with sixty articles, clauses and points, four relations and two files
    big_body = "\n".join(
        f"Điều {n}. Quy định số {n}\n1. Khoản một.\na) Điểm a.\nb) Điểm b.\n2. Khoản hai."
        for n in range(1, 61)
    )
    big = make_document("50/2024/NĐ-CP", "Nghị định", "Nghị định lớn", big_body)
    for target in (library.decree, library.decision, library.law):
        relate(big, RelationKind.AMENDS, target)
    relate(library.circular, RelationKind.GUIDES, big)
    attach(big, "Bản gốc", is_original=True)
    attach(big, "Phụ lục", filename="phu-luc.pdf")
    # Then both cost the same (the panels of other apps included)
    assert _queries(client, big.get_absolute_url(), {}) == cost
    # And this app's own part is small (other apps' panels cost what they cost)
    monkeypatch.setattr(presentation, "_panel_providers", [])
    with django_assert_max_num_queries(DOCUMENT_QUERIES):
        html(client.get(big.get_absolute_url()))


# --- addresses ----------------------------------------------------------------------------------


def test_a_wrong_slug_and_the_short_address_redirect_to_the_page(client, library):
    url = library.decree.get_absolute_url()
    assert url == f"/van-ban/{library.decree.pk}/nghi-dinh-08-2022-nd-cp/"
    wrong = client.get(f"/van-ban/{library.decree.pk}/ten-cu/")
    assert (wrong.status_code, wrong["Location"]) == (301, url)
    short = client.get(f"/van-ban/{library.decree.pk}/")
    assert (short.status_code, short["Location"]) == (301, url)


def test_a_missing_or_unpublished_document_is_not_found(client, library):
    draft = library.draft
    assert client.get(f"/van-ban/{draft.pk}/{draft.slug}/").status_code == 404
    assert client.get(f"/van-ban/{draft.pk}/").status_code == 404
    assert client.get(f"/van-ban/{draft.pk}/{draft.slug}/ban-in/").status_code == 404
    assert client.get("/van-ban/999999/khong-co/").status_code == 404
    # Withdrawn after publication: gone too
    decree = library.decree
    LegalDocument.objects.filter(pk=decree.pk).update(live=False)
    assert client.get(decree.get_absolute_url()).status_code == 404


def test_drafts_are_never_found(client, library):
    assert hit_names(search(client, q="môi trường biển")) == []
    assert hit_names(search(client, q="99/2024/NĐ-CP")) == []
    assert "99/2024" not in str(search(client, q="bảo vệ môi trường", kind="articles"))


def test_the_print_version_holds_the_text_and_is_not_indexed(client, library):
    url = reverse(
        "legal_document_print", kwargs={"pk": library.decree.pk, "slug": library.decree.slug}
    )
    soup = BeautifulSoup(html(client.get(url)), "html.parser")
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    assert soup.find(id="dieu-2-khoan-2-diem-a")
    assert soup.select_one("link[rel=canonical]")["href"].endswith(
        library.decree.get_absolute_url()
    )
    page = BeautifulSoup(html(client.get(library.decree.get_absolute_url())), "html.parser")
    assert page.select_one(f".legal-doc__actions a[href='{url}']")


# --- the English edition ------------------------------------------------------------------------


def test_the_english_edition_shows_english_labels_and_titles(client, library):
    decree_url = library.decree.get_absolute_url()
    decision_url = library.decision.get_absolute_url()
    soup = BeautifulSoup(
        html(client.get("/en/van-ban/", {"q": "environmental protection"})), "html.parser"
    )
    assert soup.select_one("h1").get_text() == "Legal documents"
    assert soup.select_one("label[for=id_q]").get_text() == "Number, title or words of the text"
    soup = BeautifulSoup(html(client.get("/en/van-ban/")), "html.parser")
    assert "Decree 08/2022/NĐ-CP" in hit_names(soup)
    assert "Decree" in facet(soup, "type")
    assert "Natural resources and environment" in facet(soup, "sector")
    assert "Government Office" in facet(soup, "issuer")
    page = BeautifulSoup(html(client.get(f"/en{decree_url}")), "html.parser")
    assert page.select_one("h1").get_text() == library.decree.title_en
    assert page.select_one(".legal-doc__name").get_text() == "Decree 08/2022/NĐ-CP"
    assert page.select_one(".legal-doc__status .validity").get_text() == "In force"
    headers = [th.get_text() for th in page.select(".legal-meta th")]
    assert headers[:3] == ["Number and symbol", "Type", "Category"]
    assert "Natural resources and environment" in page.select_one(".legal-meta").get_text()
    # The text stays Vietnamese, and says so
    assert page.select_one(".legal-text")["lang"] == "vi"
    assert (
        page.select_one("#dieu-1 .legal-anchor .visually-hidden").get_text() == "Link to Article 1"
    )
    # A title without an English version is shown in Vietnamese, marked as such
    decision = BeautifulSoup(html(client.get(f"/en{decision_url}")), "html.parser")
    assert decision.select_one("h1")["lang"] == "vi"
    assert decision.select_one(".legal-relations h3").get_text() == "Amended or supplemented by"


# --- the admin's preview --------------------------------------------------------------------------


def test_the_preview_of_a_draft_shows_its_own_text(db, government_office):
    draft = make_document(
        "07/2025/NĐ-CP", "Nghị định", "Dự thảo", SAMPLE_BODY, issuer=government_office, live=False
    )
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = draft.serve_preview(request, draft.default_preview_mode)
    response.render()
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.find(id="dieu-2-khoan-2-diem-b")
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    assert soup.select_one("h1").get_text() == "Dự thảo"


def test_validity_labels_cover_every_status():
    for status in Validity.values:
        assert presentation.validity_label(status)
    assert presentation.validity_label("nonsense") == str(Validity.UNKNOWN.label)


def test_unit_names_say_where_a_link_goes():
    from vgp.legal.structure import parse_article_body

    article = parse_article_body("32", "Quyền", "1. Khoản.\na) Điểm a.")
    clause = article.children[0]
    point = clause.children[0]
    with translation.override("en"):
        assert presentation.unit_name(article, []) == "Article 32"
        assert presentation.unit_name(clause, [article]) == "clause 1 of Article 32"
        assert (
            presentation.unit_name(point, [article, clause]) == "point a of clause 1 of Article 32"
        )


def test_no_page_tells_of_another_language_when_the_text_is_missing(client, db):
    empty = make_document("03/2025/CT-TTg", "Chỉ thị", "Về tăng cường kỷ luật", body="")
    soup = BeautifulSoup(html(client.get(empty.get_absolute_url())), "html.parser")
    assert soup.select_one(".legal-fulltext__none")
    assert soup.select_one("nav.legal-toc") is None
    assert re.search(r"validity--", str(soup.select_one(".legal-doc__status")))


def test_a_question_shows_its_best_matches_and_says_so(client, library, monkeypatch):
    from vgp.search import engine

    # When a citizen types a whole question and more documents match than are kept
    monkeypatch.setattr(engine, "CANDIDATES", 1)
    soup = search(client, q="văn bản nào quy định về bảo vệ môi trường")
    # Then the page shows the best match and says it is the best, not every match
    assert hit_names(soup) == ["Nghị định 08/2022/NĐ-CP"]
    assert total(soup) == "1 văn bản phù hợp nhất"
    assert "được hiểu là một câu hỏi" in soup.get_text()
    assert "Số lượng được đếm trong các kết quả phù hợp nhất." in soup.get_text()
