"""Folding Vietnamese text so that searches ignore case and diacritics."""

from __future__ import annotations

import pytest

from vgp.agencies.search_text import fold, terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hà Nội", "ha noi"),
        ("ỦY BAN NHÂN DÂN tỉnh Đắk Lắk", "uy ban nhan dan tinh dak lak"),
        ("Bộ  Giáo dục\tvà Đào tạo", "bo giao duc va dao tao"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Hòa Bình", "hoa binh"),
        ("Hoà Bình", "hoa binh"),  # old-style tone placement folds the same way
        ("", ""),
    ],
)
def test_fold_strips_case_diacritics_and_d_bar(text, folded):
    assert fold(text) == folded


def test_terms_split_the_folded_query():
    assert terms("  Ủy ban   HÀ nội ") == ["uy", "ban", "ha", "noi"]
