"""The legal documents API, as an agency's system or a citizen's app uses it (no key needed).

Documents: the ``library`` of ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vgp.legal.models import RelationKind, Sector
from vgp.legal.testing import make_document, relate

DOCUMENTS = "/api/v1/legal-documents"
SEARCH = "/api/v1/legal-search"


def ok(response) -> dict:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()


def numbers(data: dict) -> list[str]:
    return [result["number_symbol"] for result in data["results"]]


# --- the list ---------------------------------------------------------------------------------


def test_the_list_gives_published_documents_newest_first_with_facets(client, library):
    data = ok(client.get(DOCUMENTS))
    assert numbers(data) == ["02/2023/TT-BTC", "08/2022/NĐ-CP", "45/2013/QH13", "83/2008/QĐ-TTg"]
    assert (data["count"], data["page"], data["pages"], data["next"]) == (4, 1, 1, None)
    decree = data["results"][1]
    assert decree["type"] == {
        "id": decree["type"]["id"],
        "name": "Nghị định",
        "name_en": "Decree",
        "abbreviation": "NĐ",
    }
    assert decree["issuer"] == {
        "code": "000.00.00.G22",
        "name": "Văn phòng Chính phủ",
        "name_en": "Government Office",
    }
    assert decree["issued_date"] == "2022-01-10"
    assert decree["status"] == "in_force"
    assert decree["title_en"].startswith("Detailing")
    assert [s["slug"] for s in decree["sectors"]] == ["tai-nguyen-moi-truong"]
    assert decree["url"] == f"http://testserver{library.decree.get_absolute_url()}"
    # The law's issuer is outside the registry
    law = data["results"][2]
    assert law["issuer"] == {"code": None, "name": "Quốc hội", "name_en": ""}
    assert law["status"] == "expired"
    # Facets count every filter's values
    types = {value["label"]: value["count"] for value in data["facets"]["type"]}
    assert types == {"Luật": 1, "Nghị định": 1, "Quyết định": 1, "Thông tư": 1}
    assert {v["value"] for v in data["facets"]["status"]} == {
        "in_force",
        "expired",
        "partly_expired",
    }


@pytest.mark.parametrize("typed", ["83/2008/QĐ-TTg", "83/2008/QD-TTg", "83/2008", "QĐ-TTg 83"])
def test_a_number_in_any_spelling_comes_first(client, library, typed):
    assert numbers(ok(client.get(DOCUMENTS, {"q": typed})))[0] == "83/2008/QĐ-TTg"


def test_words_without_diacritics_find_the_document_with_a_marked_passage(client, library):
    data = ok(client.get(DOCUMENTS, {"q": "bao ve moi truong"}))
    assert numbers(data)[0] == "08/2022/NĐ-CP"
    first = data["results"][0]
    assert "<mark>" not in first["snippet"] and "bảo vệ" in first["snippet"].lower()
    assert "<mark>môi</mark>" in first["snippet_html"].lower()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Quyết định"}, ["83/2008/QĐ-TTg"]),
        ({"type": "nghi dinh"}, ["08/2022/NĐ-CP"]),
        ({"type": "TT"}, ["02/2023/TT-BTC"]),
        ({"type": ["NĐ", "Luật"]}, ["08/2022/NĐ-CP", "45/2013/QH13"]),
        ({"issuer": "BTC"}, ["02/2023/TT-BTC"]),
        ({"issuer": "000.00.00.G22"}, ["08/2022/NĐ-CP", "83/2008/QĐ-TTg"]),
        ({"issuer": "Quốc hội"}, ["45/2013/QH13"]),
        ({"year": "2013"}, ["45/2013/QH13"]),
        ({"status": "partly_expired"}, ["83/2008/QĐ-TTg"]),
        ({"sector": "dat-dai", "status": "in_force"}, ["02/2023/TT-BTC"]),
        (
            {"sector": "Đất đai", "sort": "oldest"},
            ["83/2008/QĐ-TTg", "45/2013/QH13", "02/2023/TT-BTC"],
        ),
        ({"category": "directive"}, []),
    ],
)
def test_filters_take_what_people_write(client, library, params, expected):
    assert numbers(ok(client.get(DOCUMENTS, params))) == expected


def test_a_facet_value_can_be_passed_back_as_a_filter(client, library):
    facets = ok(client.get(DOCUMENTS))["facets"]
    national_assembly = next(v for v in facets["issuer"] if v["label"] == "Quốc hội")
    data = ok(client.get(DOCUMENTS, {"issuer": national_assembly["value"]}))
    assert numbers(data) == ["45/2013/QH13"]
    assert next(v for v in data["facets"]["issuer"] if v["selected"])["count"] == 1
    land = Sector.objects.get(slug="dat-dai")
    assert len(numbers(ok(client.get(DOCUMENTS, {"sector": land.pk})))) == 3


def test_pages_link_to_each_other(client, db):
    for number in range(1, 8):
        make_document(
            f"{number:02d}/2024/QĐ-UBND",
            "Quyết định",
            f"Công bố thủ tục hành chính {number}",
            issued_date=dt.date(2024, 3, number),
            issuer_name="Ủy ban nhân dân tỉnh Lào Cai",
        )
    first = ok(client.get(DOCUMENTS, {"per_page": 3}))
    assert (first["count"], first["pages"], first["previous"]) == (7, 3, None)
    assert first["next"] == "http://testserver/api/v1/legal-documents?per_page=3&page=2"
    last = ok(client.get(DOCUMENTS, {"per_page": 3, "page": 3}))
    assert len(last["results"]) == 1 and last["next"] is None
    seen = numbers(first) + numbers(ok(client.get(first["next"]))) + numbers(last)
    assert len(set(seen)) == 7


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "Sắc lệnh"}, "type"),
        ({"sector": "vũ trụ"}, "sector"),
        ({"year": "1800"}, "year"),
        ({"year": "năm ngoái"}, "year"),
        ({"status": "bogus"}, "status"),
        ({"category": "rumour"}, "category"),
        ({"sort": "random"}, "sort"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_a_value_that_names_nothing_is_a_422_naming_the_field(client, library, params, field):
    response = client.get(DOCUMENTS, params, headers={"Accept-Language": "en"})
    assert response.status_code == 422, response.content
    fields = response.json()["fields"]
    assert list(fields) == [field]
    assert all(message for message in fields[field])


def test_errors_speak_the_callers_language(client, library):
    english = client.get(DOCUMENTS, {"type": "Sắc lệnh"}, headers={"Accept-Language": "en"})
    assert "No document type is called “Sắc lệnh”" in english.json()["fields"]["type"][0]
    vietnamese = client.get(DOCUMENTS, {"type": "Sắc lệnh"}, headers={"Accept-Language": "vi"})
    assert vietnamese.status_code == 422
    assert "Sắc lệnh" in vietnamese.json()["fields"]["type"][0]


def test_the_list_costs_the_same_queries_for_one_result_or_twenty(client, library):
    def cost(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            ok(client.get(DOCUMENTS, params))
        return len(captured)

    cost({})
    one = cost({"q": "83/2008/QĐ-TTg"})
    for number in range(1, 21):
        make_document(
            f"{number:02d}/2024/NĐ-CP",
            "Nghị định",
            f"Quy định về quản lý đất đai số {number}",
            issued_date=dt.date(2024, 4, number),
            sectors=["Đất đai", "Bất động sản"],
        )
    cost({})  # the issuer labels, forgotten when the index changed, are cached again
    assert cost({"q": "đất đai"}) == one


# --- one document -------------------------------------------------------------------------------


def test_a_document_comes_whole_with_its_structure(client, library):
    data = ok(client.get(f"{DOCUMENTS}/{library.decree.pk}"))
    assert data["number_symbol"] == "08/2022/NĐ-CP"
    assert data["signer_name"] == "Lê Văn Thành"
    assert data["summary"].startswith("Nghị định hướng dẫn")
    kinds = [node["kind"] for node in data["structure"]]
    assert kinds == ["preamble", "chapter", "chapter"]
    chapter = data["structure"][1]
    assert (chapter["number"], chapter["heading"], chapter["anchor"]) == (
        "I",
        "NHỮNG QUY ĐỊNH CHUNG",
        "chuong-i",
    )
    article = chapter["children"][1]
    assert (article["kind"], article["number"], article["heading"]) == (
        "article",
        "2",
        "Đối tượng áp dụng",
    )
    clause = article["children"][1]
    assert (clause["kind"], clause["anchor"]) == ("clause", "dieu-2-khoan-2")
    point = clause["children"][0]
    assert (point["kind"], point["number"], point["text"]) == (
        "point",
        "a",
        "Bộ Tài nguyên và Môi trường;",
    )
    assert (
        point["url"]
        == f"http://testserver{library.decree.get_absolute_url()}#dieu-2-khoan-2-diem-a"
    )
    files = data["attachments"]
    assert [(f["title"], f["is_original"], f["file_type"]) for f in files] == [
        ("Bản gốc có chữ ký", True, "PDF"),
        ("Phụ lục I", False, "DOCX"),
    ]
    assert files[0]["size"] > 0 and files[0]["url"].startswith("http://testserver/tai-lieu/")


def test_relations_come_both_ways(client, library):
    circular = ok(client.get(f"{DOCUMENTS}/{library.circular.pk}"))["relations"]
    amends, based_on = circular["outgoing"]
    assert (amends["kind"], amends["document"]["number_symbol"]) == ("amends", "83/2008/QĐ-TTg")
    assert amends["document"]["url"].endswith(library.decision.get_absolute_url())
    assert (based_on["kind"], based_on["document"], based_on["reference"]) == (
        "based_on",
        None,
        "14/2019/TT-BTC",
    )
    decision = ok(
        client.get(f"{DOCUMENTS}/{library.decision.pk}", headers={"Accept-Language": "en"})
    )["relations"]
    (incoming,) = decision["incoming"]
    assert incoming["label"] == "Amended or supplemented by"
    assert incoming["document"]["number_symbol"] == "02/2023/TT-BTC"
    assert decision["outgoing"] == []


def test_a_relation_to_a_draft_names_it_without_an_address(client, library):
    relate(library.decree, RelationKind.GUIDES, library.draft)
    outgoing = ok(client.get(f"{DOCUMENTS}/{library.decree.pk}"))["relations"]["outgoing"]
    assert outgoing[0]["document"]["url"] is None


def test_a_missing_or_unpublished_document_is_a_json_404(client, library):
    for pk in (library.draft.pk, 999999):
        response = client.get(f"{DOCUMENTS}/{pk}", headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert response.json() == {"detail": f"No published legal document has the id {pk}."}


# --- search -----------------------------------------------------------------------------------


def test_an_article_search_names_the_document_and_the_article(client, library):
    data = ok(client.get(SEARCH, {"q": "nước mặt", "kind": "article"}))
    (hit,) = data["results"]
    assert hit["kind"] == "article"
    assert hit["document_id"] == library.decree.pk
    assert hit["document_number"] == "08/2022/NĐ-CP"
    assert hit["document_title"] == library.decree.title
    assert hit["article_number"] == "3"
    assert hit["article_heading"] == "Bảo vệ môi trường nước mặt"
    assert hit["url"] == f"http://testserver{library.decree.get_absolute_url()}#dieu-3"
    assert "<mark>" not in hit["snippet"]
    assert "<mark>nước</mark> <mark>mặt</mark>" in hit["snippet_html"]
    assert hit["score"] > 0


def test_a_document_search_through_the_search_endpoint(client, library):
    data = ok(client.get(SEARCH, {"q": "QĐ-TTg 83", "kind": "document"}))
    first = data["results"][0]
    assert (first["kind"], first["document_number"], first["article_number"]) == (
        "document",
        "83/2008/QĐ-TTg",
        None,
    )


def test_article_search_filters_by_the_articles_document(client, library):
    data = ok(client.get(SEARCH, {"q": "hiệu lực", "kind": "article", "type": "Quyết định"}))
    assert {hit["document_number"] for hit in data["results"]} == {"83/2008/QĐ-TTg"}


def test_search_escapes_what_it_marks(client, db):
    make_document("05/2025/TT-BTC", "Thông tư", "Thuế <script>alert(1)</script> giá trị gia tăng")
    hit = ok(client.get(SEARCH, {"q": "giá trị gia tăng"}))["results"][0]
    assert "<script>" not in hit["snippet_html"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_search_needs_words(client, library, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["q"]


def test_search_never_finds_a_draft(client, library):
    for kind in ("document", "article"):
        data = ok(client.get(SEARCH, {"q": "môi trường biển", "kind": kind}))
        assert all(hit["document_id"] != library.draft.pk for hit in data["results"])


def test_the_openapi_description_documents_the_endpoints(client, db):
    schema = ok(client.get("/api/v1/openapi.json"))
    paths = schema["paths"]
    assert "/api/v1/legal-documents" in paths
    assert "/api/v1/legal-documents/{document_id}" in paths
    assert "/api/v1/legal-search" in paths
    parameters = {p["name"]: p for p in paths["/api/v1/legal-documents"]["get"]["parameters"]}
    assert "abbreviation" in parameters["type"]["description"]
    assert "in_force" in str(parameters["status"]["schema"])


def test_a_question_says_whether_its_count_is_every_match(client, library, monkeypatch):
    from vgp.search import engine

    question = {"q": "văn bản nào quy định bảo vệ môi trường", "kind": "document"}
    data = ok(client.get(SEARCH, question))
    assert data["count_exact"] is True
    assert data["count"] == len(data["results"]) >= 1
    monkeypatch.setattr(engine, "CANDIDATES", 1)
    data = ok(client.get(SEARCH, question))
    assert (data["count"], data["count_exact"], data["pages"]) == (1, False, 1)
    assert data["results"][0]["document_number"] == "08/2022/NĐ-CP"
    assert ok(client.get(SEARCH, {"q": "môi trường"}))["count_exact"] is True
