"""Numbers and symbols (số, ký hiệu) of Vietnamese documents: parsing, spelling, search terms."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from django.utils import translation

from vgp.legal.numbering import (
    ISSUER_CODES,
    TYPE_NAMES,
    DocumentSymbol,
    SymbolError,
    max_year,
    normalize_spelling,
    parse_symbol,
    query_identifier_terms,
    type_code_for_name,
)

# The abbreviations of Decree 30/2020/NĐ-CP (STANDARDS.md §2) and the legal normative types.
DECREE_30_CODES = [
    "NQ",
    "QĐ",
    "CT",
    "QC",
    "QyĐ",
    "TC",
    "TB",
    "HD",
    "CTr",
    "KH",
    "PA",
    "ĐA",
    "DA",
    "BC",
    "BB",
    "TTr",
    "HĐ",
    "CĐ",
    "BGN",
    "BTT",
    "GUQ",
    "GM",
    "GGT",
    "GNP",
    "PG",
    "PC",
    "PB",
    "SY",
    "TrS",
    "SL",
]
NORMATIVE_CODES = ["NĐ", "TT", "TTLT", "PL", "L"]


# --- parsing the canonical forms ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "year", "type_code", "issuer", "unit", "term"),
    [
        ("15/QĐ-BNV", "15", None, "QĐ", "BNV", "", None),
        ("15/QĐ-BNV-VP", "15", None, "QĐ", "BNV", "VP", None),
        ("1925/VPCP-WebCP", "1925", None, "", "VPCP", "WebCP", None),
        ("83/2008/QĐ-TTg", "83", 2008, "QĐ", "TTg", "", None),
        ("91/2006/NĐ-CP", "91", 2006, "NĐ", "CP", "", None),
        ("13/2023/NĐ-CP", "13", 2023, "NĐ", "CP", "", None),
        ("05/2019/TT-BTC", "05", 2019, "TT", "BTC", "", None),
        ("01/2014/TTLT-BTP-BNV", "01", 2014, "TTLT", "BTP-BNV", "", None),
        ("91/2015/QH13", "91", 2015, "", "QH", "", 13),
        ("45/2019/QH14", "45", 2019, "", "QH", "", 14),
        ("1234/NQ-UBTVQH15", "1234", None, "NQ", "UBTVQH", "", 15),
        ("351/2017/UBTVQH14", "351", 2017, "", "UBTVQH", "", 14),
        ("12/2020/NQ-HĐND", "12", 2020, "NQ", "HĐND", "", None),
        ("05/2019/L-CTN", "05", 2019, "L", "CTN", "", None),
        ("123/UBND", "123", None, "", "UBND", "", None),
    ],
)
def test_canonical_forms_parse_into_their_parts_and_back(
    text, number, year, type_code, issuer, unit, term
):
    symbol = parse_symbol(text)

    assert symbol == DocumentSymbol(number, year, type_code, issuer, unit, term)
    assert symbol.canonical == text
    assert str(symbol) == text
    assert parse_symbol(symbol.canonical) == symbol


def test_symbol_is_immutable():
    symbol = parse_symbol("15/QĐ-BNV")

    with pytest.raises(dataclasses.FrozenInstanceError):
        symbol.number = "16"  # type: ignore[misc]


def test_notation_is_the_symbol_after_number_and_year():
    assert parse_symbol("83/2008/QĐ-TTg").notation == "QĐ-TTg"
    assert parse_symbol("91/2015/QH13").notation == "QH13"
    assert parse_symbol("1925/VPCP-WebCP").notation == "VPCP-WebCP"


def test_type_name_names_the_type():
    assert parse_symbol("91/2006/NĐ-CP").type_name == "Nghị định"
    assert parse_symbol("1925/VPCP-WebCP").type_name == ""
    assert parse_symbol("91/2015/QH13").type_name == ""


# --- accepted spellings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "83/2008/QĐ-TTg",
        "83/2008/QD-TTg",
        "83/2008/qđ-ttg",
        "83/2008/qd-ttg",
        "83 / 2008 / QD - TTg",
        "83/2008/QĐ\u2013TTg",  # en dash
        "83/2008/QĐ\u2014TTg",  # em dash
        "  83/2008/QĐ-TTg  ",
        "Số 83/2008/QĐ-TTg",
        "số: 83/2008/QĐ-TTg",
        "Số:83/2008/QĐ-TTg",
        "SỐ 83/2008/QĐ-TTg",
        "So 83/2008/QD-TTG",
        unicodedata.normalize("NFD", "Số 83/2008/QĐ-TTg"),
    ],
)
def test_common_spellings_give_the_canonical_form(spelling):
    assert parse_symbol(spelling).canonical == "83/2008/QĐ-TTg"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("5/2019/TT-BTC", "05/2019/TT-BTC"),
        ("005/2019/TT-BTC", "05/2019/TT-BTC"),
        ("0083/2008/QĐ-TTg", "83/2008/QĐ-TTg"),
        ("1/2014/ttlt-btp-bnv", "01/2014/TTLT-BTP-BNV"),
        ("9/QD-UBND", "09/QĐ-UBND"),
        ("10/QĐ-UBND", "10/QĐ-UBND"),
    ],
)
def test_numbers_below_ten_take_a_leading_zero(spelling, canonical):
    assert parse_symbol(spelling).canonical == canonical


@pytest.mark.parametrize(
    ("spelling", "type_code"),
    [
        ("01/QD-UBND", "QĐ"),  # no code is spelt "QD": the D stands for Đ
        ("01/ND-CP", "NĐ"),
        ("01/QYD-UBND", "QyĐ"),
        ("01/qyđ-ubnd", "QyĐ"),
        ("01/CD-TTg", "CĐ"),
        ("01/HD-BNV", "HD"),  # Hướng dẫn: an exact code wins over Hợp đồng
        ("01/HĐ-BNV", "HĐ"),
        ("01/hđ-bnv", "HĐ"),
        ("01/DA-UBND", "DA"),  # Dự án, not Đề án
        ("01/ĐA-UBND", "ĐA"),
        ("01/ctr-ubnd", "CTr"),
        ("01/TTR-UBND", "TTr"),
        ("01/trs-vpcp", "TrS"),
        ("01/2020/PL-UBTVQH14", "PL"),
    ],
)
def test_ascii_and_case_variants_of_type_codes(spelling, type_code):
    assert parse_symbol(spelling).type_code == type_code


@pytest.mark.parametrize(
    ("spelling", "issuer"),
    [
        ("83/2008/QĐ-ttg", "TTg"),
        ("83/2008/QĐ-TTG", "TTg"),
        ("91/2006/nđ-cp", "CP"),
        ("12/2020/NQ-HDND", "HĐND"),
        ("12/QĐ-ubnd", "UBND"),
        ("12/2020/TT-bgddt", "BGDĐT"),
        ("12/QĐ-SoXD", "SoXD"),  # unknown issuer: kept as written
    ],
)
def test_known_issuers_get_their_usual_spelling(spelling, issuer):
    assert parse_symbol(spelling).issuer_code == issuer


def test_a_known_type_first_means_type_then_issuer():
    assert parse_symbol("15/QĐ-BNV").type_code == "QĐ"
    assert parse_symbol("15/QĐ-BNV").issuer_code == "BNV"


def test_an_unknown_first_part_means_a_cong_van_with_issuer_and_unit():
    symbol = parse_symbol("1925/vpcp-WebCP")

    assert (symbol.type_code, symbol.issuer_code, symbol.unit) == ("", "VPCP", "WebCP")
    assert symbol.canonical == "1925/VPCP-WebCP"


def test_units_keep_their_spelling_and_may_have_several_parts():
    symbol = parse_symbol("120/SGDĐT-VP-TH")

    assert (symbol.issuer_code, symbol.unit) == ("SGDĐT", "VP-TH")


def test_joint_documents_list_every_issuer():
    symbol = parse_symbol("01/2014/ttlt-btp-bnv-btc")

    assert symbol.issuer_code == "BTP-BNV-BTC"
    assert symbol.unit == ""
    assert symbol.canonical == "01/2014/TTLT-BTP-BNV-BTC"


def test_national_assembly_terms_are_read_apart():
    law = parse_symbol("91/2015/qh13")
    standing_committee = parse_symbol("1234/nq-ubtvqh15")

    assert (law.issuer_code, law.term, law.canonical) == ("QH", 13, "91/2015/QH13")
    assert (standing_committee.issuer_code, standing_committee.term) == ("UBTVQH", 15)
    assert standing_committee.canonical == "1234/NQ-UBTVQH15"


def test_years_up_to_next_year_are_accepted():
    assert parse_symbol(f"01/{max_year()}/NĐ-CP").year == max_year()
    assert parse_symbol("01/1945/NĐ-CP").year == 1945


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "explains"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not a document number and symbol"),
        ("83", "not a document number and symbol"),
        ("83/QĐ-TTg ngày 15/01/2008", "not a document number and symbol"),
        ("/QĐ-TTg", "no number"),
        ("0/QĐ-TTg", "cannot be 0"),
        ("000/2008/QĐ-TTg", "cannot be 0"),
        ("abc/QĐ-TTg", "digits"),
        ("8a/QĐ-TTg", "digits"),
        ("123456789012/QĐ-TTg", "longer than 11 digits"),
        ("83/1944/QĐ-TTg", "must be between 1945 and"),
        ("83/08/QĐ-TTg", "four digits"),
        ("83/2008", "no symbol"),
        ("83/2008/", "no symbol"),
        ("83/", "no symbol"),
        ("15/QĐ", "no issuing body"),
        ("15/QĐ-", "letters and digits"),
        ("15/QĐ_BNV", "letters and digits"),
        ("15/QĐ--BNV", "letters and digits"),
        ("1/2/3/4", "too many"),
        ("15/QĐ-" + "A" * 30, "longer than 30 characters"),
        ("1/" + "x" * 200, "too long"),
    ],
)
def test_malformed_input_raises_a_clear_error(text, explains):
    with translation.override("en"), pytest.raises(SymbolError) as caught:
        parse_symbol(text)

    message = str(caught.value)
    assert explains in message
    if text.strip() and len(text) < 100:
        assert text.strip() in message


def test_a_year_after_next_year_is_refused():
    with translation.override("en"), pytest.raises(SymbolError, match="must be between"):
        parse_symbol(f"01/{max_year() + 1}/NĐ-CP")


def test_errors_show_a_valid_form_and_are_value_errors():
    with translation.override("en"), pytest.raises(ValueError, match="83/2008/QĐ-TTg"):
        parse_symbol("abc")


def test_a_thirty_character_symbol_is_still_accepted():
    notation = "QĐ-" + "A" * 27

    assert parse_symbol(f"15/{notation}").notation == notation


# --- folding and lookup keys -------------------------------------------------------------


def test_key_is_the_folded_canonical_form():
    assert parse_symbol("83/2008/QĐ-TTg").key == "83/2008/qd-ttg"
    assert parse_symbol("1925/VPCP-WebCP").key == "1925/vpcp-webcp"
    assert parse_symbol("91/2015/QH13").key == "91/2015/qh13"


@pytest.mark.parametrize(
    "spelling",
    [
        "83/2008/QĐ-TTg",
        "83 / 2008 / QD - TTg",
        "Số: 83/2008/qđ\u2013ttg",
        unicodedata.normalize("NFD", "83/2008/QĐ-TTg"),
    ],
)
def test_normalize_spelling_folds_variants_together(spelling):
    assert normalize_spelling(spelling) == "83/2008/qd-ttg"


@pytest.mark.parametrize(
    "spelling",
    [
        "5/2019/TT-BTC",
        "05/2019/tt-btc",
        "Số 5 / 2019 / TT - BTC",
        "1925/VPCP-WebCP",
        "91/2015/QH13",
    ],
)
def test_normalize_spelling_equals_the_key_of_what_parses(spelling):
    assert normalize_spelling(spelling) == parse_symbol(spelling).key


def test_keys_of_hd_and_hdd_meet_but_canonical_forms_differ():
    guide, contract = parse_symbol("05/HD-BNV"), parse_symbol("05/HĐ-BNV")

    assert guide.key == contract.key
    assert guide.canonical != contract.canonical


# --- type names --------------------------------------------------------------------------


def test_type_names_cover_decree_30_and_legal_normative_types():
    assert set(DECREE_30_CODES + NORMATIVE_CODES) <= set(TYPE_NAMES)
    assert TYPE_NAMES["NĐ"] == "Nghị định"
    assert TYPE_NAMES["ĐA"] == "Đề án"
    assert TYPE_NAMES["DA"] == "Dự án"
    assert TYPE_NAMES["HD"] == "Hướng dẫn"
    assert TYPE_NAMES["HĐ"] == "Hợp đồng"


def test_every_type_code_parses_to_itself():
    for code in TYPE_NAMES:
        assert parse_symbol(f"01/{code}-UBND").type_code == code


def test_every_known_issuer_keeps_its_spelling():
    for code in ISSUER_CODES:
        assert parse_symbol(f"01/QĐ-{code}").issuer_code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Nghị định", "NĐ"),
        ("nghị định", "NĐ"),
        ("NGHI DINH", "NĐ"),
        ("Thông tư liên tịch", "TTLT"),
        ("Quy định", "QyĐ"),
        ("Đề án", "ĐA"),
        ("Dự án", "DA"),
        ("Bản thoả thuận", "BTT"),  # either placement of the tone mark
        (unicodedata.normalize("NFD", "Quyết định"), "QĐ"),
        ("  Quyết   định ", "QĐ"),
        ("Công văn", None),
        ("Luật", None),
        ("", None),
    ],
)
def test_type_code_for_name(name, code):
    assert type_code_for_name(name) == code


# --- search terms ------------------------------------------------------------------------


def test_search_terms_of_a_legal_normative_document():
    assert parse_symbol("83/2008/QĐ-TTg").search_terms() == [
        "83/2008/qd-ttg",
        "83/2008",
        "qd-ttg",
        "qd-ttg/83",
        "83/qd-ttg",
    ]


def test_search_terms_use_the_number_without_leading_zeros():
    assert parse_symbol("05/2019/TT-BTC").search_terms()[:2] == ["5/2019/tt-btc", "5/2019"]


def test_search_terms_of_a_law():
    assert parse_symbol("91/2015/QH13").search_terms() == [
        "91/2015/qh13",
        "91/2015",
        "qh13",
        "qh13/91",
        "91/qh13",
    ]


def test_search_terms_of_a_cong_van_also_name_it_without_the_unit():
    assert parse_symbol("1925/VPCP-WebCP").search_terms() == [
        "1925/vpcp-webcp",
        "vpcp-webcp",
        "vpcp-webcp/1925",
        "vpcp/1925",
        "1925/vpcp",
    ]


def test_search_terms_have_no_duplicates():
    for text in ["83/2008/QĐ-TTg", "15/QĐ-BNV-VP", "1925/VPCP-WebCP", "91/2015/QH13"]:
        terms = parse_symbol(text).search_terms()
        assert len(terms) == len(set(terms))


@pytest.mark.parametrize(
    ("document", "query", "most_specific"),
    [
        ("83/2008/QĐ-TTg", "83/2008/QĐ-TTg", "83/2008/qd-ttg"),
        ("83/2008/QĐ-TTg", "83/2008/QD-TTg", "83/2008/qd-ttg"),
        ("83/2008/QĐ-TTg", "83 / 2008 / QD - TTg", "83/2008/qd-ttg"),
        ("83/2008/QĐ-TTg", "quyết định số 83/2008/qđ-ttg về", "83/2008/qd-ttg"),
        ("83/2008/QĐ-TTg", "83/2008", "83/2008"),
        ("83/2008/QĐ-TTg", "QĐ-TTg 83", "qd-ttg/83"),
        ("83/2008/QĐ-TTg", "qd-ttg 83", "qd-ttg/83"),
        ("83/2008/QĐ-TTg", "QĐ - TTg số 83", "qd-ttg/83"),
        ("83/2008/QĐ-TTg", "QĐ-TTg 83/2008", "83/2008/qd-ttg"),
        ("83/2008/QĐ-TTg", "83/QĐ-TTg", "83/qd-ttg"),
        ("05/2019/TT-BTC", "5/2019/TT-BTC", "5/2019/tt-btc"),
        ("05/2019/TT-BTC", "05/2019/TT-BTC", "5/2019/tt-btc"),
        ("05/2019/TT-BTC", "thông tư 05/2019", "5/2019"),
        ("13/2023/NĐ-CP", "nghị định 13/2023", "13/2023"),
        ("13/2023/NĐ-CP", "Nghị định 13/2023/NĐ-CP", "13/2023/nd-cp"),
        ("91/2015/QH13", "91/2015/QH13", "91/2015/qh13"),
        ("91/2015/QH13", "91/2015", "91/2015"),
        ("91/2015/QH13", "QH13 91", "qh13/91"),
        ("1234/NQ-UBTVQH15", "1234/NQ-UBTVQH15", "1234/nq-ubtvqh15"),
        ("1925/VPCP-WebCP", "1925/VPCP-WebCP", "1925/vpcp-webcp"),
        ("1925/VPCP-WebCP", "công văn 1925 / VPCP - WebCP", "1925/vpcp-webcp"),
        ("1925/VPCP-WebCP", "công văn 1925/VPCP", "1925/vpcp"),
        ("15/QĐ-BNV-VP", "15/QĐ-BNV", "15/qd-bnv"),
        ("01/2014/TTLT-BTP-BNV", "1/2014/TTLT-BTP-BNV", "1/2014/ttlt-btp-bnv"),
    ],
)
def test_queries_name_a_term_of_the_document(document, query, most_specific):
    terms = query_identifier_terms(query)

    assert terms == [most_specific]
    assert most_specific in parse_symbol(document).search_terms()


def test_a_query_without_digits_names_nothing():
    assert query_identifier_terms("nghị định bảo vệ môi trường") == []
    assert query_identifier_terms("QĐ-TTg") == []
    assert query_identifier_terms("") == []


def test_dates_and_bare_numbers_name_nothing():
    assert query_identifier_terms("văn bản ngày 15/03/2023") == []
    assert query_identifier_terms("công văn 1925") == []
    assert query_identifier_terms("năm 2023") == []


def test_a_query_may_name_several_documents():
    terms = query_identifier_terms(
        "sửa đổi Nghị định 91/2006/NĐ-CP và 83/2008/QĐ-TTg, 91/2006/NĐ-CP"
    )

    assert terms == ["91/2006/nd-cp", "83/2008/qd-ttg"]


def test_a_sentence_dash_is_not_glued_onto_a_symbol():
    assert query_identifier_terms("83/QĐ-TTg - về việc ban hành") == ["83/qd-ttg"]
    assert query_identifier_terms("Luật 91/2015/QH13 - Luật Bảo vệ") == ["91/2015/qh13"]


def test_a_number_zero_names_nothing():
    assert query_identifier_terms("0/2008") == []
