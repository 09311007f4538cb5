"""Legal texts parsed into Phần, Chương, Mục, Tiểu mục, Điều, Khoản and Điểm.

The texts are small synthetic laws written for these tests; the last test runs over the
ALQAC 2023 articles when the shared data folder holds them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from vgp.legal.structure import Node, parse_article_body, parse_text, table_of_contents

LEGAL_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "legal"

SAMPLE_LAW = """\
QUỐC HỘI
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Lưu trữ thử nghiệm.

Phần thứ nhất
NHỮNG QUY ĐỊNH CHUNG

Chương I
PHẠM VI ĐIỀU CHỈNH VÀ
ĐỐI TƯỢNG ÁP DỤNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về hoạt động lưu trữ thử nghiệm.

Điều 2. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Tài liệu là vật mang tin được hình thành trong quá trình hoạt động.
2. Hồ sơ là tập tài liệu có liên quan với nhau, bao gồm:
a) Hồ sơ giấy;
b) Hồ sơ điện tử;
đ) Hồ sơ khác, gồm:
- bản đồ;
- phim ảnh.
3. Lưu trữ là hoạt động bảo quản tài liệu.

Chương II
QUẢN LÝ TÀI LIỆU

Mục 1
THU THẬP TÀI LIỆU

Tiểu mục 1
THU THẬP TẠI CƠ QUAN

Điều 3. Thời hạn nộp lưu
Trong thời hạn 01 năm kể từ ngày công việc kết thúc, cơ quan phải nộp lưu hồ sơ.

Mục 2
BẢO QUẢN TÀI LIỆU

Điều 4. Bảo quản
1. Tài liệu được bảo quản trong kho.
2. Kho lưu trữ phải bảo đảm các điều kiện sau đây:
a) Nhiệt độ phù hợp;
b) Độ ẩm phù hợp.

Phần thứ hai
ĐIỀU KHOẢN THI HÀNH

Chương I
HIỆU LỰC

Điều 5. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026.
"""


def by_anchor(nodes: list[Node]) -> dict[str, Node]:
    return {node.anchor: node for root in nodes for node in root.iter()}


def kinds(node: Node) -> list[tuple[str, str]]:
    return [(child.kind, child.number) for child in node.children]


@pytest.fixture
def law() -> list[Node]:
    return parse_text(SAMPLE_LAW)


# --- the tree ----------------------------------------------------------------------------


def test_a_law_becomes_preamble_then_parts(law):
    assert [(node.kind, node.number, node.anchor) for node in law] == [
        ("preamble", "", "mo-dau"),
        ("part", "1", "phan-1"),
        ("part", "2", "phan-2"),
    ]
    assert law[0].text == (
        "QUỐC HỘI\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Luật Lưu trữ thử nghiệm."
    )


def test_every_level_nests_under_the_one_above(law):
    nodes = by_anchor(law)

    assert kinds(nodes["phan-1"]) == [("chapter", "I"), ("chapter", "II")]
    assert kinds(nodes["chuong-i"]) == [("article", "1"), ("article", "2")]
    assert kinds(nodes["chuong-ii"]) == [("section", "1"), ("section", "2")]
    assert kinds(nodes["chuong-ii-muc-1"]) == [("subsection", "1")]
    assert kinds(nodes["chuong-ii-muc-1-tieu-muc-1"]) == [("article", "3")]
    assert kinds(nodes["chuong-ii-muc-2"]) == [("article", "4")]
    assert kinds(nodes["dieu-2"]) == [("clause", "1"), ("clause", "2"), ("clause", "3")]
    assert kinds(nodes["dieu-2-khoan-2"]) == [("point", "a"), ("point", "b"), ("point", "đ")]


def test_headings_are_read_from_the_next_lines(law):
    nodes = by_anchor(law)

    assert nodes["phan-1"].heading == "NHỮNG QUY ĐỊNH CHUNG"
    assert nodes["chuong-i"].heading == "PHẠM VI ĐIỀU CHỈNH VÀ ĐỐI TƯỢNG ÁP DỤNG"
    assert nodes["chuong-ii-muc-1"].heading == "THU THẬP TÀI LIỆU"
    assert nodes["chuong-ii-muc-1-tieu-muc-1"].heading == "THU THẬP TẠI CƠ QUAN"
    assert nodes["dieu-1"].heading == "Phạm vi điều chỉnh"
    assert nodes["dieu-1"].text == "Luật này quy định về hoạt động lưu trữ thử nghiệm."


def test_clauses_and_points_hold_their_own_text(law):
    nodes = by_anchor(law)

    assert nodes["dieu-2"].text == "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:"
    assert nodes["dieu-2-khoan-2"].heading == ""
    assert nodes["dieu-2-khoan-2"].text == ("Hồ sơ là tập tài liệu có liên quan với nhau, bao gồm:")
    assert nodes["dieu-2-khoan-2-diem-a"].text == "Hồ sơ giấy;"
    # Bullets belong to the point they follow.
    assert nodes["dieu-2-khoan-2-diem-dd"].text == "Hồ sơ khác, gồm:\n- bản đồ;\n- phim ảnh."
    assert nodes["dieu-2-khoan-3"].text == "Lưu trữ là hoạt động bảo quản tài liệu."


def test_anchors_follow_the_documented_scheme(law):
    anchors = [node.anchor for root in law for node in root.iter()]

    assert anchors == [
        "mo-dau",
        "phan-1",
        "chuong-i",
        "dieu-1",
        "dieu-2",
        "dieu-2-khoan-1",
        "dieu-2-khoan-2",
        "dieu-2-khoan-2-diem-a",
        "dieu-2-khoan-2-diem-b",
        "dieu-2-khoan-2-diem-dd",
        "dieu-2-khoan-3",
        "chuong-ii",
        "chuong-ii-muc-1",
        "chuong-ii-muc-1-tieu-muc-1",
        "dieu-3",
        "chuong-ii-muc-2",
        "dieu-4",
        "dieu-4-khoan-1",
        "dieu-4-khoan-2",
        "dieu-4-khoan-2-diem-a",
        "dieu-4-khoan-2-diem-b",
        "phan-2",
        # Chapter I again, in another part: prefixed with its part.
        "phan-2-chuong-i",
        "dieu-5",
    ]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor) for anchor in anchors)


def test_labels_keep_the_markers_as_written(law):
    nodes = by_anchor(law)

    assert nodes["phan-1"].label == "Phần thứ nhất"
    assert nodes["chuong-i"].label == "Chương I"
    assert nodes["dieu-1"].label == "Điều 1."
    assert nodes["dieu-2-khoan-1"].label == "1."
    assert nodes["dieu-2-khoan-2-diem-dd"].label == "đ)"


def test_table_of_contents_lists_divisions_and_articles(law):
    toc = table_of_contents(law)

    assert [(node.kind, node.anchor) for node in toc] == [
        ("part", "phan-1"),
        ("chapter", "chuong-i"),
        ("article", "dieu-1"),
        ("article", "dieu-2"),
        ("chapter", "chuong-ii"),
        ("section", "chuong-ii-muc-1"),
        ("subsection", "chuong-ii-muc-1-tieu-muc-1"),
        ("article", "dieu-3"),
        ("section", "chuong-ii-muc-2"),
        ("article", "dieu-4"),
        ("part", "phan-2"),
        ("chapter", "phan-2-chuong-i"),
        ("article", "dieu-5"),
    ]


def test_iter_is_depth_first_and_includes_the_node(law):
    article = by_anchor(law)["dieu-4"]

    assert [node.anchor for node in article.iter()] == [
        "dieu-4",
        "dieu-4-khoan-1",
        "dieu-4-khoan-2",
        "dieu-4-khoan-2-diem-a",
        "dieu-4-khoan-2-diem-b",
    ]


def test_full_text_renders_descendants_with_their_markers(law):
    nodes = by_anchor(law)

    assert nodes["dieu-4"].full_text() == (
        "1. Tài liệu được bảo quản trong kho.\n"
        "2. Kho lưu trữ phải bảo đảm các điều kiện sau đây:\n"
        "a) Nhiệt độ phù hợp;\n"
        "b) Độ ẩm phù hợp."
    )
    assert nodes["dieu-4-khoan-2"].full_text() == (
        "Kho lưu trữ phải bảo đảm các điều kiện sau đây:\na) Nhiệt độ phù hợp;\nb) Độ ẩm phù hợp."
    )
    assert nodes["chuong-ii-muc-2"].full_text() == (
        "Điều 4. Bảo quản\n"
        "1. Tài liệu được bảo quản trong kho.\n"
        "2. Kho lưu trữ phải bảo đảm các điều kiện sau đây:\n"
        "a) Nhiệt độ phù hợp;\n"
        "b) Độ ẩm phù hợp."
    )


def test_full_text_of_a_part_includes_nested_headings(law):
    text = law[2].full_text()

    assert text == (
        "Chương I\nHIỆU LỰC\nĐiều 5. Hiệu lực thi hành\n"
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026."
    )


# --- numbers and markers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number", "anchor"),
    [
        ("Phần thứ nhất", "1", "phan-1"),
        ("PHẦN THỨ HAI", "2", "phan-2"),
        ("Phần thứ tư", "4", "phan-4"),
        ("Phần thứ mười", "10", "phan-10"),
        ("Phần thứ mười một", "11", "phan-11"),
        ("PHẦN THỨ MƯỜI LĂM", "15", "phan-15"),
        ("Phần I", "I", "phan-i"),
        ("Phần 3", "3", "phan-3"),
    ],
)
def test_part_numbers(line, number, anchor):
    (part,) = parse_text(f"{line}\nTÊN PHẦN")

    assert (part.kind, part.number, part.anchor, part.heading) == (
        "part",
        number,
        anchor,
        "TÊN PHẦN",
    )


@pytest.mark.parametrize(
    ("line", "number", "heading"),
    [
        ("Chương IV", "IV", ""),
        ("CHƯƠNG XII", "XII", ""),
        ("Chương 3", "3", ""),
        ("Chương I. NHỮNG QUY ĐỊNH CHUNG", "I", "NHỮNG QUY ĐỊNH CHUNG"),
        ("Chương I: Những quy định chung", "I", "Những quy định chung"),
        ("Chương I - Những quy định chung", "I", "Những quy định chung"),
        ("CHƯƠNG I NHỮNG QUY ĐỊNH CHUNG", "I", "NHỮNG QUY ĐỊNH CHUNG"),
    ],
)
def test_chapter_lines(line, number, heading):
    (chapter,) = parse_text(line)

    assert (chapter.kind, chapter.number, chapter.heading) == ("chapter", number, heading)
    assert chapter.anchor == f"chuong-{number.lower()}"


@pytest.mark.parametrize(
    ("line", "number", "heading"),
    [
        ("Điều 1. Phạm vi điều chỉnh", "1", "Phạm vi điều chỉnh"),
        ("Điều 1: Phạm vi điều chỉnh", "1", "Phạm vi điều chỉnh"),
        ("ĐIỀU 1. PHẠM VI ĐIỀU CHỈNH", "1", "PHẠM VI ĐIỀU CHỈNH"),
        ("điều 7 - Đối tượng áp dụng", "7", "Đối tượng áp dụng"),
        ("Điều 12a. Điều được bổ sung", "12a", "Điều được bổ sung"),
        ("Điều 12A. Điều được bổ sung", "12a", "Điều được bổ sung"),
        ("Điều 9.", "9", ""),
        ("Điều 9", "9", ""),
    ],
)
def test_article_lines(line, number, heading):
    (article,) = parse_text(line)

    assert (article.kind, article.number, article.heading) == ("article", number, heading)
    assert article.anchor == f"dieu-{number}"


def test_an_article_line_that_is_a_sentence_has_no_heading():
    (article,) = parse_text("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")

    assert article.heading == ""
    assert article.text == "Quyết định này có hiệu lực kể từ ngày ký."


def test_article_numbers_with_dd_keep_it_distinct_from_d():
    nodes = parse_text("Điều 5d. Điều d\nĐiều 5đ. Điều đ")

    assert [node.anchor for node in nodes] == ["dieu-5d", "dieu-5dd"]


def test_points_directly_under_an_article():
    (article,) = parse_text("Điều 3. Nguyên tắc\na) Công khai;\nb) Minh bạch.")

    assert [node.anchor for node in article.children] == ["dieu-3-diem-a", "dieu-3-diem-b"]


def test_sub_points_and_added_clauses():
    (article,) = parse_text(
        "Điều 3. Nguyên tắc\n1. Khoản một:\na) Điểm a;\na1) Điểm a1;\n2. Khoản hai.\n"
        "2a. Khoản bổ sung.\n3. Khoản ba."
    )

    assert [node.anchor for node in article.iter()] == [
        "dieu-3",
        "dieu-3-khoan-1",
        "dieu-3-khoan-1-diem-a",
        "dieu-3-khoan-1-diem-a1",
        "dieu-3-khoan-2",
        "dieu-3-khoan-2a",
        "dieu-3-khoan-3",
    ]


def test_sections_without_a_chapter():
    nodes = parse_text("Mục 1\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nMục 2\nQUY ĐỊNH RIÊNG")

    assert [node.anchor for node in nodes] == ["muc-1", "muc-2"]
    assert nodes[0].children[0].anchor == "dieu-1"


# --- lines that are not structure --------------------------------------------------------


def test_clauses_fire_only_at_line_start_and_in_sequence():
    (article,) = parse_text(
        "Điều 8. Mức phạt\n"
        "1. Phạt tiền từ 1.000.000 đồng đến 2.000.000 đồng, áp dụng từ ngày 01. 7. 2026 đối với\n"
        "2026. Đây là dòng bị ngắt, không phải khoản.\n"
        "100.000 đồng cho mỗi lần vi phạm.\n"
        "2. Khoản hai."
    )

    assert [(node.kind, node.number) for node in article.children] == [
        ("clause", "1"),
        ("clause", "2"),
    ]
    assert article.children[0].text.endswith("100.000 đồng cho mỗi lần vi phạm.")


@pytest.mark.parametrize(
    "line",
    [
        "Điều kiện đăng ký được quy định như sau:",
        "Điều 169 của Luật này.",
        "Mục đích của giao dịch dân sự là lợi ích hợp pháp.",
        "Mục 3 Chương XI của Luật này.",
        "Chương 3 của Luật này quy định về thủ tục.",
        "MỤC LỤC",
        "Phần vốn góp của thành viên.",
        "Tiểu mục này áp dụng cho mọi trường hợp.",
        "Điều 10.000 đồng là mức thu.",
    ],
)
def test_wrapped_references_and_ordinary_words_are_text(line):
    (article,) = parse_text(f"Điều 1. Phạm vi\n{line}")

    assert article.children == []
    assert article.text == line


def test_clauses_and_points_outside_an_article_are_text():
    (preamble,) = parse_text("Kính gửi các cơ quan:\n1. Báo cáo tình hình.\na) Số liệu.")

    assert preamble.kind == "preamble"
    assert preamble.children == []
    assert preamble.text == "Kính gửi các cơ quan:\n1. Báo cáo tình hình.\na) Số liệu."


def test_quoted_amendments_are_not_structure():
    nodes = parse_text(
        "Điều 1. Sửa đổi, bổ sung một số điều của Luật Thử nghiệm\n"
        "1. Sửa đổi, bổ sung Điều 5 như sau:\n"
        "“Điều 5. Quyền của tổ chức\n"
        "\n"
        "1. Được cung cấp thông tin.\n"
        "a) Thông tin công khai;\n"
        "2. Được khiếu nại.”.\n"
        "2. Bổ sung khoản 3 vào Điều 7 như sau:\n"
        "“3. Khoản mới được bổ sung.”.\n"
        "Điều 2. Hiệu lực thi hành\n"
        "Luật này có hiệu lực từ ngày 01 tháng 01 năm 2027."
    )

    assert [node.anchor for root in nodes for node in root.iter()] == [
        "dieu-1",
        "dieu-1-khoan-1",
        "dieu-1-khoan-2",
        "dieu-2",
    ]
    assert nodes[0].children[0].text == (
        "Sửa đổi, bổ sung Điều 5 như sau:\n“Điều 5. Quyền của tổ chức\n"
        "1. Được cung cấp thông tin.\na) Thông tin công khai;\n2. Được khiếu nại.”."
    )


def test_straight_quotes_also_mark_amendments():
    (article,) = parse_text(
        'Điều 1. Sửa đổi\n1. Sửa như sau:\n"Điều 9. Mới\n1. Trích dẫn."\n2. Hai.'
    )

    assert [node.anchor for node in article.iter()] == [
        "dieu-1",
        "dieu-1-khoan-1",
        "dieu-1-khoan-2",
    ]


def test_an_unclosed_quotation_mark_does_not_hide_the_rest():
    nodes = parse_text("Điều 1. Tên gọi\nGọi là “Quỹ thử nghiệm.\nĐiều 2. Trụ sở\n1. Tại Hà Nội.")

    assert [node.anchor for root in nodes for node in root.iter()] == [
        "dieu-1",
        "dieu-2",
        "dieu-2-khoan-1",
    ]


def test_repeated_article_numbers_get_unique_anchors():
    nodes = parse_text("Điều 3. Một\n1. A.\nĐiều 3. Hai\n1. B.\nĐiều 3. Ba")

    assert [node.anchor for root in nodes for node in root.iter()] == [
        "dieu-3",
        "dieu-3-khoan-1",
        "dieu-3-2",
        "dieu-3-2-khoan-1",
        "dieu-3-3",
    ]


# --- messy input -------------------------------------------------------------------------


def outline(nodes: list[Node]) -> list[tuple[str, str, str, str, str]]:
    return [
        (node.kind, node.number, node.heading, node.text, node.anchor)
        for root in nodes
        for node in root.iter()
    ]


@pytest.mark.parametrize(
    "variant",
    [
        SAMPLE_LAW.replace("\n", "\r\n"),
        SAMPLE_LAW.replace("\n", "\r"),
        SAMPLE_LAW.replace("\n", "\u2028"),
        unicodedata.normalize("NFD", SAMPLE_LAW),
        SAMPLE_LAW.replace("\n", "\n\n\n"),
        "\n".join("   " + line for line in SAMPLE_LAW.splitlines()),
        "\n".join(line.replace(" ", "\xa0") for line in SAMPLE_LAW.splitlines()),
        "\ufeff" + SAMPLE_LAW.replace("\n", " \t\n"),
    ],
)
def test_messy_spellings_give_the_same_tree(variant):
    assert outline(parse_text(variant)) == outline(parse_text(SAMPLE_LAW))


def test_text_is_nfc_normalized():
    (article,) = parse_text(unicodedata.normalize("NFD", "Điều 1. Phạm vi\nQuyết định."))

    assert article.heading == unicodedata.normalize("NFC", "Phạm vi")
    assert unicodedata.is_normalized("NFC", article.text)


def test_empty_text_has_no_nodes():
    assert parse_text("") == []
    assert parse_text("\n \n") == []


def test_text_without_structure_is_one_preamble():
    (preamble,) = parse_text("Kính gửi: Các bộ, ngành.\n\nĐề nghị báo cáo trước ngày 15.")

    assert preamble.kind == "preamble"
    assert preamble.full_text() == "Kính gửi: Các bộ, ngành.\nĐề nghị báo cáo trước ngày 15."


# --- one article at a time ---------------------------------------------------------------


def test_parse_article_body():
    article = parse_article_body(
        "32",
        "Quyền của người lao động",
        "Người lao động có các quyền sau đây:\n\n1. Được trả lương.\n\n2. Được nghỉ:\n\n"
        "a) Nghỉ hằng năm;\n\nđ) Nghỉ lễ.",
    )

    assert (article.kind, article.number, article.heading, article.anchor) == (
        "article",
        "32",
        "Quyền của người lao động",
        "dieu-32",
    )
    assert article.text == "Người lao động có các quyền sau đây:"
    assert [node.anchor for node in article.iter()] == [
        "dieu-32",
        "dieu-32-khoan-1",
        "dieu-32-khoan-2",
        "dieu-32-khoan-2-diem-a",
        "dieu-32-khoan-2-diem-dd",
    ]


def test_an_article_heading_ending_with_a_period_stays_a_heading():
    article = parse_article_body("2", "Hiệu lực thi hành.", "Luật này có hiệu lực.")

    assert article.heading == "Hiệu lực thi hành."
    assert article.text == "Luật này có hiệu lực."


def test_article_body_stops_at_the_next_division_heading():
    article = parse_article_body(
        "157",
        "Thời hiệu",
        "1. Thời hiệu bắt đầu lại.\n\nPhần thứ hai\n\nQUYỀN SỞ HỮU\n\nChương XII",
    )

    assert article.full_text() == "1. Thời hiệu bắt đầu lại."


def test_article_lines_inside_a_body_are_text():
    article = parse_article_body(
        "249", "Phiên tòa", "1. Khai mạc theo quy định tại\nĐiều 169 của Luật này.\nĐiều 170.\n"
    )

    assert [node.anchor for node in article.iter()] == ["dieu-249", "dieu-249-khoan-1"]
    assert article.children[0].text == (
        "Khai mạc theo quy định tại\nĐiều 169 của Luật này.\nĐiều 170."
    )


def test_a_heading_spilling_over_lines_starts_the_body():
    article = parse_article_body(
        "57", "Quyền\n1. Được quảng bá.\n2. Được ưu tiên.", "3. Được treo biển."
    )

    assert article.heading == "Quyền"
    assert [node.number for node in article.children] == ["1", "2", "3"]


def test_article_number_and_anchor_are_normalized():
    assert parse_article_body(" 12A ", "Tên", "").anchor == "dieu-12a"
    assert parse_article_body("12đ", "Tên", "").anchor == "dieu-12dd"


def test_full_text_round_trips_through_parse_article_body(law):
    for article in (node for node in table_of_contents(law) if node.kind == "article"):
        again = parse_article_body(article.number, article.heading, article.full_text())

        assert outline([again]) == outline([article])


# --- the ALQAC 2023 articles -------------------------------------------------------------


def test_alqac_articles_parse_with_unique_anchors_and_clauses():
    source = LEGAL_DATA / "alqac2023_articles.json"
    if not source.exists():
        pytest.skip(f"ALQAC 2023 articles not available at {source}")
    articles = json.loads(source.read_text(encoding="utf-8"))
    numbered, with_clauses = 0, 0

    for key, value in articles.items():
        number = key.rsplit("@", 1)[1]
        title, _, body = value.partition("\n\n")
        article = parse_article_body(number, title, body)

        anchors = [node.anchor for node in article.iter()]
        assert len(anchors) == len(set(anchors)), key
        if re.search(r"(?m)^1\. ", body):
            numbered += 1
            with_clauses += any(node.kind == "clause" for node in article.children)

    assert numbered > 0
    assert with_clauses >= 0.9 * numbered, f"{with_clauses} of {numbered} articles with clauses"
