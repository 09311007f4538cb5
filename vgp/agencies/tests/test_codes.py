"""Agency codes in both live forms (STANDARDS.md §1): what is accepted, and why others are not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vgp.agencies.codes import DOTTED_FORM, LEGACY_FORM, parse_agency_code


@pytest.fixture(autouse=True)
def english_messages():
    # The assertions read the English msgids; the Vietnamese ones have their own test below.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "levels", "group"),
    [
        ("000.00.00.G22", ("G22",), "G"),  # the Government Office
        ("000.00.00.G12", ("G12",), "G"),  # Ministry of Finance
        ("000.00.18.G12", ("G12", "18"), "G"),  # a department under G12
        ("000.00.00.H41", ("H41",), "H"),  # Nghệ An People's Committee
        ("000.05.18.G12", ("G12", "18", "05"), "G"),  # level 3
        ("123.45.67.K63", ("K63", "67", "45", "123"), "K"),  # all four levels
        ("000.00.01.A01", ("A01", "01"), "A"),
        ("  000.00.00.F01  ", ("F01",), "F"),  # surrounding spaces are trimmed
    ],
)
def test_valid_13_character_codes(raw, levels, group):
    # Given a code in the QCVN 102:2016 form, when parsed, then its levels read right to left.
    code = parse_agency_code(raw)
    assert code.form == LEGACY_FORM
    assert code.levels == levels
    assert code.group == group


@pytest.mark.parametrize(
    ("raw", "levels"),
    [
        ("G22", ("G22",)),
        ("G09.20", ("G09", "20")),
        ("H55.242", ("H55", "242")),
        ("H29.1A.B2", ("H29", "1A", "B2")),
        ("B01", ("B01",)),
        ("G22.01", ("G22", "01")),
        ("K01." + ".".join(["99"] * 10), ("K01", *["99"] * 10)),  # 33 characters
        ("J10.ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", ("J10", "ABCDEFGHIJKLMNOPQRSTUVWXYZ12345")),  # 35
    ],
)
def test_valid_dotted_codes(raw, levels):
    # Given a code in the Decision 20/2020 form, when parsed, then its levels read left to right.
    code = parse_agency_code(raw)
    assert code.form == DOTTED_FORM
    assert code.levels == levels
    assert code.depth == len(levels)


@pytest.mark.parametrize(
    ("raw", "error_code", "fragment"),
    [
        ("", "empty", "is empty"),
        ("   ", "empty", "is empty"),
        ("000.00.00.g22", "case", "capital letters"),
        ("g22", "case", "capital letters"),
        ("000. 00.00.G22", "spaces", "must not contain spaces"),
        ("G22 .01", "spaces", "must not contain spaces"),
        ("000.00.00.L22", "unknown_group", "L is not a level-1 group (A to K)"),
        ("000.00.00.Z01", "unknown_group", "Z is not a level-1 group"),
        ("000.05.00.G22", "skipped_level", "skips a level"),
        ("001.00.00.G22", "skipped_level", "skips a level"),
        ("001.00.18.G22", "skipped_level", "skips a level"),
        (
            "000.00.00.G2",
            "legacy_malformed",
            "level-1 group G2 is not a letter followed by two digits",
        ),
        ("000.00.00.GG2", "legacy_malformed", "level-1 group GG2"),
        ("00.00.00.G22", "legacy_malformed", "level-4 group 00 must be exactly 3 digits"),
        ("000.0A.00.G22", "legacy_malformed", "level-3 group 0A must be exactly 2 digits"),
        ("000.00.000.G22", "legacy_malformed", "level-2 group 000 must be exactly 2 digits"),
        ("000.00.G22", "legacy_malformed", "has 3 groups instead of 4"),
        ("000.00.00.00.G22", "legacy_malformed", "has 5 groups instead of 4"),
        ("000.00.00.G22.", "legacy_malformed", "has 5 groups instead of 4"),
        (
            "000.00.00.G\u0662\u0662",
            "legacy_malformed",
            "level-1 group G\u0662\u0662",
        ),  # Arabic-Indic
        ("L22", "unknown_group", "L is not a level-1 group"),
        ("G2", "level1", "must start with a level-1 group"),
        ("GOV.01", "level1", "must start with a level-1 group"),
        ("G22..01", "empty_group", "empty group"),
        ("G22.", "empty_group", "empty group"),
        (".G22", "empty_group", "empty group"),
        ("G22.0-1", "bad_group", "group 0-1 may hold only digits and capital letters"),
        ("G22.Đ1", "bad_group", "group Đ1 may hold only digits and capital letters"),
        ("G22.\uff11", "bad_group", "group \uff11 may hold only"),  # full-width digit
        ("G01." + ".".join(["99"] * 11), "too_long", "longer than 35 characters"),
    ],
)
def test_invalid_codes_say_what_is_wrong(raw, error_code, fragment):
    # Given a malformed code, when parsed, then the error names the specific problem.
    with pytest.raises(ValidationError) as caught:
        parse_agency_code(raw)
    assert caught.value.code == error_code
    assert fragment in " ".join(caught.value.messages)


def test_messages_are_in_vietnamese_by_default():
    # Given the installation language, when a code is refused, then the reason is Vietnamese.
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            parse_agency_code("000.00.00.L22")
        assert caught.value.messages == [
            "Mã định danh 000.00.00.L22: L không phải là nhóm cấp 1 (từ A đến K)."
        ]
