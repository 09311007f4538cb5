"""The synthetic legal documents: canonical shape, Decree 30 numbers, relations, lengths, vocabulary.

No database: the generator is a pure module. Most tests share one run of 20,000 records.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from vgp.core.text import fold
from vgp.legal import content_generator as gen

COUNT = 20_000
KEYS = {
    "external_id",
    "number",
    "type",
    "category",
    "issuer",
    "title",
    "title_en",
    "summary",
    "signer",
    "signer_position",
    "issued_date",
    "effective_date",
    "expiry_date",
    "fields",
    "text",
    "relations",
}
# Số, ký hiệu as Decree 30/2020/NĐ-CP writes them (STANDARDS.md §2): a number of at least two
# digits (leading zero below 10), no spaces; legal normative documents carry the year; laws
# number/year/QH<term>; a công văn has no type code, only the issuer and its unit.
ORG = r"[A-ZĐ][A-Za-zĐ]*"
LEGAL = re.compile(rf"^\d{{2,}}/(19|20)\d\d/(QĐ|TT|NĐ|NQ)-{ORG}$")
JOINT = re.compile(rf"^\d{{2,}}/(19|20)\d\d/TTLT-{ORG}-{ORG}$")
LAW = re.compile(r"^\d{2,}/(19|20)\d\d/QH(8|9|1[0-5])$")
DIRECTIVE = re.compile(rf"^\d{{2,}}/(QĐ|CT|NQ|KH|TB|HD|BC)-{ORG}$")
LETTER = re.compile(rf"^\d{{2,}}/{ORG}-[A-Z0-9Đ][A-Za-z0-9Đ]*$")
PATTERNS = {
    "Nghị định": LEGAL,
    "Thông tư": LEGAL,
    "Thông tư liên tịch": JOINT,
    "Luật": LAW,
    "Công văn": LETTER,
    "Chỉ thị": DIRECTIVE,
    "Kế hoạch": DIRECTIVE,
    "Thông báo": DIRECTIVE,
    "Hướng dẫn": DIRECTIVE,
    "Báo cáo": DIRECTIVE,
}
# Years of each term of the National Assembly (a term starts in the middle of its first year).
QH_YEARS = {8: (1990, 1992), 9: (1992, 1997), 10: (1997, 2002), 11: (2002, 2007)}
QH_YEARS |= {12: (2007, 2011), 13: (2011, 2016), 14: (2016, 2021), 15: (2021, 2026)}
SYLLABLE = re.compile(r"[^\W\d_]+")


@pytest.fixture(scope="module")
def records():
    return list(gen.generate_records(COUNT))


@pytest.fixture(scope="module")
def lowered(records):
    return [r["text"].lower() for r in records]


@pytest.fixture(scope="module")
def syllable_counts(records, lowered):
    """One pass over the texts: syllables per document by category, and every syllable's count."""
    lengths: dict[str, list[int]] = {"legal": [], "directive": []}
    counts: Counter[str] = Counter()
    for record, text in zip(records, lowered, strict=True):
        found = SYLLABLE.findall(text)
        lengths[record["category"]].append(len(found))
        counts.update(found)
    return lengths, counts


def syllables(text: str) -> list[str]:
    return SYLLABLE.findall(text.lower())


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    first = list(gen.generate_records(300, seed=11))
    again = list(gen.generate_records(300, seed=11))
    other = list(gen.generate_records(300, seed=12))

    assert first == again
    assert [r["text"] for r in first] != [r["text"] for r in other]


def test_a_later_batch_continues_the_numbering_of_the_earlier_ones():
    # given a database filled with 400 records, then 100 more (start=400)
    whole = list(gen.generate_records(500, seed=3))
    later = list(gen.generate_records(100, seed=3, start=400))

    # then record i is the same document whatever the batching (relations aside: they point
    # inside their own run) and no number repeats one of the first batch
    header = ("external_id", "number", "type", "issuer", "issued_date", "signer")
    assert [[r[k] for k in header] for r in later] == [[r[k] for k in header] for r in whole[400:]]
    assert later[0]["external_id"] == "synthetic:000400"
    assert not {r["number"] for r in later} & {r["number"] for r in whole[:400]}


def test_every_record_has_exactly_the_canonical_keys_and_plain_json_values(records):
    for record in records[:2000]:
        assert set(record) == KEYS
        assert record["category"] in ("legal", "directive")
        assert record["title"] and len(record["title"]) <= 500
        assert record["summary"] and record["signer"] and record["signer_position"]
        assert isinstance(record["fields"], list) and isinstance(record["relations"], list)
    json.dumps(records[:2000], ensure_ascii=False)


def test_numbers_and_external_ids_are_unique_across_the_run(records):
    assert len({r["number"] for r in records}) == COUNT
    assert len({r["external_id"] for r in records}) == COUNT
    assert records[123]["external_id"] == "synthetic:000123"


def test_numbers_follow_decree_30(records):
    for record in records:
        number, kind = record["number"], record["type"]
        if kind in ("Quyết định", "Nghị quyết"):
            pattern = LEGAL if record["category"] == "legal" else DIRECTIVE
        else:
            pattern = PATTERNS[kind]
        assert pattern.match(number), (kind, number)
        assert " " not in number
        first = number.split("/")[0]
        assert len(first) >= 2 and (int(first) >= 10 or first.startswith("0"))


def test_the_year_in_the_symbol_is_the_year_of_issue_and_laws_carry_their_term(records):
    for record in records:
        parts = record["number"].split("/")
        year = int(record["issued_date"][:4])
        has_year = len(parts) == 3
        assert has_year == (record["category"] == "legal"), record["number"]
        if has_year:
            assert int(parts[1]) == year
        if record["type"] == "Luật":
            first, last = QH_YEARS[int(parts[2][2:])]
            assert first <= year <= last, record["number"]


def test_the_type_mix_is_roughly_that_of_a_national_database(records):
    counts = Counter(r["type"] for r in records)
    share = {name: counts[name] / COUNT for name in counts}

    assert share["Quyết định"] == pytest.approx(0.35, abs=0.02)
    assert share["Thông tư"] == pytest.approx(0.18, abs=0.015)
    assert share["Công văn"] == pytest.approx(0.15, abs=0.015)
    assert share["Nghị định"] == pytest.approx(0.10, abs=0.01)
    assert share["Luật"] == pytest.approx(0.02, abs=0.005)
    small = sum(share[t] for t in ("Kế hoạch", "Thông báo", "Hướng dẫn", "Báo cáo"))
    assert small == pytest.approx(0.08, abs=0.01)
    decisions = [r for r in records if r["type"] == "Quyết định"]
    assert 0.15 < sum(r["category"] == "legal" for r in decisions) / len(decisions) < 0.35


def test_relations_point_at_earlier_records_issued_before(records):
    index = {r["number"]: i for i, r in enumerate(records)}
    with_relations = [r for r in records if r["relations"]]

    assert 0.25 < len(with_relations) / COUNT < 0.35
    for i, record in enumerate(records):
        assert len(record["relations"]) <= 3
        for relation in record["relations"]:
            assert relation["kind"] in ("amends", "replaces", "repeals", "guides", "based_on")
            target = records[index[relation["target"]]]
            assert index[relation["target"]] < i
            assert target["issued_date"] <= record["issued_date"]
            if relation["kind"] == "based_on":
                assert target["type"] == "Luật"
            if relation["kind"] == "guides":
                assert target["type"] in ("Luật", "Nghị định", "Thông tư")
            if relation["kind"] in ("amends", "replaces", "repeals"):
                assert (target["type"], target["issuer"]) == (record["type"], record["issuer"])


def test_dates_are_ordered_and_spread_over_1990_to_2026(records):
    years: Counter[int] = Counter()
    for record in records:
        issued = date.fromisoformat(record["issued_date"])
        years[issued.year] += 1
        assert date(1990, 1, 1) <= issued <= date(2026, 12, 31)
        if record["effective_date"]:
            assert record["effective_date"] >= record["issued_date"]
        if record["category"] == "legal":
            assert record["effective_date"]
        if record["expiry_date"]:
            assert record["expiry_date"] > (record["effective_date"] or record["issued_date"])
    assert min(years) == 1990 and max(years) == 2026
    assert years[2020] > years[1995]  # recent years hold more documents
    assert 0.03 < sum(bool(r["expiry_date"]) for r in records) / COUNT < 0.07


def test_legal_documents_take_effect_later_and_directives_the_same_day(records):
    legal = [r for r in records if r["category"] == "legal" and r["type"] != "Luật"]
    later = [r for r in legal if r["effective_date"] > r["issued_date"]]
    assert len(later) / len(legal) > 0.85
    for record in records:
        if record["type"] in ("Chỉ thị", "Kế hoạch") or (
            record["type"] == "Quyết định" and record["category"] == "directive"
        ):
            assert record["effective_date"] == record["issued_date"]


def test_legal_texts_have_preamble_chapters_and_final_articles(records):
    for record in [r for r in records if r["category"] == "legal"][:1500]:
        lines = record["text"].splitlines()
        preamble = [line for line in lines if line.startswith("Căn cứ ")]
        articles = [line for line in lines if re.match(r"^Điều \d+\. ", line)]
        headings = [line.split(". ", 1)[1] for line in articles]
        chapters = [line for line in lines if re.match(r"^Chương [IVXL]+$", line)]

        assert 1 <= len(preamble) <= 4 and lines[0].startswith("Căn cứ ")
        assert chapters[0] == "Chương I" and len(chapters) >= 2
        assert headings[0] == "Phạm vi điều chỉnh"
        assert [int(a.split()[1].rstrip(".")) for a in articles] == list(
            range(1, len(articles) + 1)
        )
        if record["type"] == "Luật":
            assert 20 <= len(articles) <= 125 and headings[-1] == "Hiệu lực thi hành"
        else:
            assert 4 <= len(articles) <= 45
            assert headings[-2:] == ["Hiệu lực thi hành", "Trách nhiệm thi hành"]
        effective = date.fromisoformat(record["effective_date"])
        if effective > date.fromisoformat(record["issued_date"]):
            assert f"năm {effective.year}" in record["text"].split("Hiệu lực thi hành")[-1]


def test_directive_texts_are_short_and_have_no_chapters(records):
    for record in [r for r in records if r["category"] == "directive"][:2000]:
        assert "\nChương " not in record["text"]
        if record["type"] == "Quyết định":
            assert "Điều 1. " in record["text"] and "Điều 3. " in record["text"]
        if record["type"] == "Công văn":
            assert re.search(r"^1\. ", record["text"], re.M)


def test_average_lengths_per_category_are_within_the_targets(syllable_counts):
    by_category = syllable_counts[0]
    legal = sum(by_category["legal"]) / len(by_category["legal"])
    directive = sum(by_category["directive"]) / len(by_category["directive"])

    assert 600 <= legal <= 1500
    assert 150 <= directive <= 400


def test_the_vocabulary_is_rich_and_skewed(lowered, syllable_counts):
    counts = syllable_counts[1]

    assert len(counts) >= 1500
    top = {word for word, _ in counts.most_common(40)}
    assert {"quy", "định", "cơ", "quan"} <= top
    # the frame is everywhere, a rare domain phrase in a handful of documents
    assert sum("quy định" in t for t in lowered) / COUNT > 0.75
    assert sum("tài sản kết cấu hạ tầng thủy lợi" in t for t in lowered) / COUNT < 0.01


def test_fields_signers_and_english_titles(records):
    for record in records:
        assert 1 <= len(record["fields"]) <= 3
        assert set(record["fields"]) <= set(gen.FIELDS)
        issuer, position = record["issuer"], record["signer_position"]
        if issuer in ("CP", "TTg"):
            assert position in ("Thủ tướng", "Phó Thủ tướng")
        elif issuer == "QH":
            assert position == "Chủ tịch Quốc hội"
        elif issuer in ("UBND", "HĐND"):
            assert position in ("Chủ tịch", "Phó Chủ tịch")
        else:
            ministry = gen.MINISTRIES[issuer]
            assert position in (ministry.chief, ministry.deputy)
        assert len(record["signer"].split()) >= 3
    assert 35 <= len(gen.FIELDS) <= 45
    assert 0.07 < sum(bool(r["title_en"]) for r in records) / COUNT < 0.13


def test_the_signature_block_matches_the_signer(records):
    for record in records[:3000]:
        lines = record["text"].rstrip().splitlines()
        assert lines[-1] == record["signer"]
        block = "\n".join(lines[-6:])
        if record["signer_position"].startswith(("Phó", "Thứ")):
            assert "KT. " in block


def test_query_mix_covers_every_class_and_its_numbers_exist(records, lowered):
    mix = gen.query_mix(documents=COUNT)
    classes = Counter(spec["class"] for _, spec in mix)
    numbers = {r["number"] for r in records}

    assert 180 <= len(mix) <= 220
    assert set(classes) == {
        "rare_phrase",
        "common_phrase",
        "words",
        "folded",
        "number",
        "filtered",
        "question",
    }
    assert min(classes.values()) >= 20
    assert gen.query_mix(documents=COUNT) == mix  # deterministic
    for text, spec in mix:
        if spec["class"] in ("rare_phrase", "common_phrase"):
            assert text.startswith('"') and text.endswith('"')
            assert 1 <= len(text.strip('"').split()) <= 4
        if spec["class"] == "folded":
            assert text == fold(text) and text.isascii()
        if spec["class"] in ("words", "folded", "filtered"):
            assert 3 <= len(text.split()) <= 6
        if spec["class"] == "number":
            assert spec["expect"] in numbers
        if spec["class"] == "question":
            assert 15 <= len(syllables(text)) <= 30
        if spec["class"] == "filtered":
            filters = set(spec) - {"class"}
            assert filters and filters <= {"type", "issuer", "year", "status", "field", "category"}
            assert spec.get("field", gen.FIELDS[0]) in gen.FIELDS
            assert spec.get("status", "in_force") in ("in_force", "expired")

    common = [t.strip('"') for t, s in mix if s["class"] == "common_phrase"]
    rare = [t.strip('"') for t, s in mix if s["class"] == "rare_phrase"]
    for phrase in common:
        assert sum(phrase in t for t in lowered) / COUNT > 0.03, phrase
    rare_hits = [sum(phrase.lower() in t for t in lowered) for phrase in rare]
    assert max(rare_hits) / COUNT < 0.02
    assert sum(hits > 0 for hits in rare_hits) >= len(rare) // 2
