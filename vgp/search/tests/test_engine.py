"""The full-text engine: Vietnamese folding, ranking, phrases, identifiers, filters, facets."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from vgp.search.analysis import analyze, fold
from vgp.search.engine import Entry, IndexSpec, Query, SearchIndex, parse_query
from vgp.search.snippets import make_snippet

SPEC = IndexSpec("test", ("type", "year"))


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(SPEC, tmp_path / "test")
    index.write(
        [
            Entry(
                1,
                "Nghị định quy định chi tiết Luật Bảo vệ môi trường",
                "Điều 1. Bảo vệ môi trường sống của cộng đồng dân cư.",
                identifiers=["08/2022/nd-cp"],
                date=dt.date(2022, 1, 10),
                keywords={"type": 10, "year": 2022},
            ),
            Entry(
                2,
                "Thong tu huong dan moi truong",  # typed without diacritics at the source
                "Moi truong lao dong va ve sinh.",
                date=dt.date(2019, 5, 2),
                keywords={"type": 30, "year": 2019},
            ),
            Entry(
                3,
                "Quyết định về đất đai",
                "Đất đai thuộc sở hữu toàn dân. Môi chất và trường học không liên quan.",
                identifiers=["83/2008/qd-ttg"],
                date=dt.date(2008, 6, 20),
                keywords={"type": 20, "year": 2008},
            ),
        ]
    )
    return index


def ids(index, **kwargs):
    return [hit.id for hit in index.search(Query(**kwargs)).hits]


def test_folding_covers_d_with_stroke_and_letters_with_two_marks():
    assert fold("Đất đai, Ứng Hưởng, Nghị định") == "dat dai, ung huong, nghi dinh"
    assert fold(unicodedata.normalize("NFD", "bảo vệ môi trường")) == "bao ve moi truong"
    assert analyze("Bảo vệ, môi-trường").folded == "bao ve moi truong"
    assert analyze("Bảo vệ, môi-trường").exact == "bảo vệ môi trường"


def test_a_query_without_diacritics_finds_text_with_them(index):
    assert ids(index, text="nghi dinh bao ve moi truong")[0] == 1
    assert ids(index, text="dat dai") == [3]


def test_text_in_nfd_form_is_found(index):
    assert ids(index, text=unicodedata.normalize("NFD", "Đất đai")) == [3]


def test_exact_diacritics_rank_above_folded_matches(index):
    # 3 holds both words apart ("Môi chất và trường học"): found, but last.
    assert ids(index, text="môi trường") == [1, 2, 3]


def test_a_short_query_needs_every_word(index):
    assert ids(index, text="đất môi") == [3]
    assert ids(index, text="đất biển") == []


def test_quoted_phrase_must_occur_in_order(index):
    assert ids(index, text='"môi trường"') == [1, 2]
    assert ids(index, text='"bảo vệ môi trường"') == [1]
    assert ids(index, text='"trường đất"') == []
    assert ids(index, text='"môi chất"') == [3]


def test_identifiers_win(index):
    found = index.search(Query(text="83/2008", identifiers=["83/2008"]))
    assert [h.id for h in found.hits] == []  # the identifier term must exist in the index
    assert ids(index, text="QĐ-TTg 83", identifiers=["83/2008/qd-ttg"])[0] == 3


def test_filters_facets_sort_and_pages(index):
    result = index.search(Query(text="", facets=("type", "year")))
    assert result.total == 3
    assert [h.id for h in result.hits] == [1, 2, 3]  # no text: newest first
    assert result.facets["year"] == {2022: 1, 2019: 1, 2008: 1}
    assert ids(index, text="", filters={"type": [30]}) == [2]
    assert ids(index, text="môi trường", sort="oldest") == [3, 2, 1]
    assert ids(index, text="", limit=1, offset=1) == [2]


def test_replacing_and_deleting_entries(index):
    index.write([Entry(2, "Biển đảo", "Chủ quyền biển đảo", keywords={"type": 30})])
    assert ids(index, text="bien dao") == [2]
    assert 2 not in ids(index, text="lao dong")
    index.write(delete=[2])
    assert ids(index, text="bien dao") == []


def test_parse_query_splits_phrases():
    parsed = parse_query('luật "bảo vệ môi trường" 2020')
    assert parsed.words == ["luật", "2020"]
    assert parsed.phrases == [["bảo", "vệ", "môi", "trường"]]


def test_snippet_marks_folded_matches_and_escapes():
    snippet = make_snippet("<b>Bảo vệ</b> môi trường là trách nhiệm chung", ["moi", "truong"])
    assert "<mark>môi</mark> <mark>trường</mark>" in snippet.html
    assert "&lt;b&gt;" in snippet.html


# --- questions (two passes) and phrases checked for sequence (ADR 0010) -----------------------


@pytest.fixture
def corpus(tmp_path):
    """40 entries, a quarter with the common syllable "chung", two with the rare "hiếm"."""
    index = SearchIndex(SPEC, tmp_path / "corpus")
    entries = [
        Entry(
            100 + n,
            f"Văn bản {n}",
            f"{'chung' if n < 10 else 'khác'} điều khoản số {n}",
            keywords={"type": n % 2},
        )
        for n in range(40)
    ]
    # The long one holds the common word the question also asks for; the short one does not,
    # so on the rare word alone (first pass) the short one ranks first.
    entries.append(Entry(1, "Mục một", "chung chung chung chung hiếm", keywords={"type": 1}))
    entries.append(Entry(2, "Mục hai", "hiếm", keywords={"type": 0}))
    entries.append(Entry(3, "Mục ba", "có liên quan đến việc này", keywords={"type": 1}))
    entries.append(Entry(4, "Mục bốn", "có liên hệ, và liên quan", keywords={"type": 1}))
    index.write(entries)
    return index


def test_a_long_query_is_a_question_no_word_required(corpus):
    result = corpus.search(Query(text="hiếm chung xin hỏi giúp tôi"))
    assert SearchIndex.is_question(result.parsed)
    assert {1, 2} <= {hit.id for hit in result.hits}
    assert result.total_exact


def test_every_term_reranks_the_best_candidates(corpus, monkeypatch):
    from vgp.search import engine

    monkeypatch.setattr(engine, "MIN_DISTINCTIVE", 1)
    # "chung" is in a quarter of the entries: not distinctive, so the first pass reads "hiếm" only,
    # where the short entry 2 wins; the rescoring adds "chung" and puts entry 1 first.
    result = corpus.search(Query(text="hiếm chung xin hỏi giúp tôi"))
    assert [hit.id for hit in result.hits][:2] == [1, 2]
    monkeypatch.setattr(engine, "RESCORE_WINDOW", 0)
    unranked = corpus.search(Query(text="hiếm chung xin hỏi giúp tôi"))
    assert [hit.id for hit in unranked.hits][:2] == [2, 1]


def test_a_question_keeps_its_best_candidates_and_counts_facets_among_them(corpus, monkeypatch):
    from vgp.search import engine

    monkeypatch.setattr(engine, "CANDIDATES", 5)
    result = corpus.search(
        Query(text="khác điều khoản số văn bản", facets=("type",), limit=2, offset=2)
    )
    assert (result.total, result.total_exact, len(result.hits)) == (5, False, 2)
    assert sum(result.facets["type"].values()) == 5
    later = corpus.search(Query(text="khác điều khoản số văn bản", limit=2, offset=4))
    assert len(later.hits) == 1


def test_a_question_with_filters_and_by_date(corpus):
    found = corpus.search(
        Query(text="hiếm chung xin hỏi giúp tôi", filters={"type": [0]}, sort="newest")
    )
    assert 2 in {hit.id for hit in found.hits}
    assert 1 not in {hit.id for hit in found.hits}


def test_a_phrase_is_checked_for_sequence(corpus):
    # Entry 4 holds "có liên" and "liên quan" but never "có liên quan".
    result = corpus.search(Query(text='"có liên quan"', facets=("type",)))
    assert [hit.id for hit in result.hits] == [3]
    assert result.total == 1
    assert result.facets["type"] == {1: 1}
    assert ids(corpus, text='"co lien quan" viec') == [3]
    # Two syllables are one pair term: both entries hold "liên quan".
    assert sorted(ids(corpus, text='"liên quan"')) == [3, 4]


def test_a_bulk_writer_commits_on_its_interval_and_at_the_end(tmp_path):
    index = SearchIndex(SPEC, tmp_path / "bulk")
    with index.bulk(threads=1, commit_every=3600) as bulk:
        bulk.write([Entry(1, "Một", "văn bản thứ nhất")])
        bulk.write([Entry(2, "Hai", "văn bản thứ hai")])
        index.index.reload()
        assert index.count() == 0  # tantivy indexes on; nothing is committed yet
    assert index.count() == 2
    with index.bulk(threads=1) as bulk:  # by default each write commits
        bulk.write([Entry(3, "Ba", "văn bản thứ ba")])
        index.index.reload()
        assert index.count() == 3


def test_a_filtered_field_still_counts_its_other_values(index):
    result = index.search(Query(text="", filters={"type": [10]}, facets=("type", "year")))
    assert result.total == 1
    # The other types stay offered (choosing one adds to the filter), with what they'd add;
    # the other fields count within the filter.
    assert result.facets["type"] == {10: 1, 20: 1, 30: 1}
    assert result.facets["year"] == {2022: 1}
    both = index.search(Query(text="", filters={"type": [10], "year": [2019]}, facets=("type",)))
    assert (both.total, both.facets["type"]) == (0, {30: 1})


def test_a_long_query_naming_a_number_looks_it_up(index):
    text = "Nghị định 08/2022/NĐ-CP quy định chi tiết luật bảo vệ môi trường"
    result = index.search(Query(text=text, identifiers=["08/2022/nd-cp"]))
    assert [hit.id for hit in result.hits][:1] == [1]
    assert result.total_exact
    assert not SearchIndex.is_question(result.parsed, ["08/2022/nd-cp"])
