"""Vietnamese document numbers and symbols (số, ký hiệu): parsing, canonical form, search terms.

Forms (Decree 30/2020/NĐ-CP, and the Law on legal normative documents for the year):

=============================  ==========================================================
``15/QĐ-BNV``                  number / TYPE-ISSUER
``15/QĐ-BNV-VP``               number / TYPE-ISSUER-UNIT
``1925/VPCP-WebCP``            Công văn: number / ISSUER-UNIT (Công văn has no type code)
``83/2008/QĐ-TTg``             legal normative document: number / year / TYPE-ISSUER
``01/2014/TTLT-BTP-BNV``       joint document: every part after the type is an issuer
``91/2015/QH13``               law or resolution of the National Assembly: ``QH<term>``
``1234/NQ-UBTVQH15``           the Standing Committee carries the term too (``UBTVQH<term>``)
=============================  ==========================================================

Numbers below 10 take a leading zero (``05``); the canonical form has no spaces.

**Type or issuer?** In ``NUMBER/A-B`` the first part ``A`` is a type when it is a known type
code (:data:`TYPE_NAMES`), otherwise the document is a Công văn and ``A`` is the issuer. A
Công văn whose issuer happens to spell a type code (``123/CT-TTHT`` from a Cục Thuế) is read as
a Chỉ thị: the symbol alone cannot tell them apart.

**ASCII "D" for "Đ".** Type codes are matched case-insensitively, first exactly (Đ and D
distinct), then with Đ folded to D. So an exact code always wins: ``HD`` is Hướng dẫn and ``DA``
is Dự án even though ``HĐ`` (Hợp đồng) and ``ĐA`` (Đề án) fold to the same letters; ``QD``
becomes ``QĐ`` and ``ND`` becomes ``NĐ`` because no code is spelt ``QD`` or ``ND``. Known issuer
codes get their usual spelling (``ttg`` → ``TTg``, ``HDND`` → ``HĐND``); unknown issuers and
units are kept as written.

**Search terms** are folded (lower case, no diacritics, đ → d) and use the number without its
leading zeros, so ``5/2019/TT-BTC`` and ``05/2019/TT-BTC`` meet. A document offers, for
``83/2008/QĐ-TTg``: ``83/2008/qd-ttg`` (full), ``83/2008`` (number and year), ``qd-ttg`` (symbol),
``qd-ttg/83`` (symbol then number, as in "QĐ-TTg 83") and ``83/qd-ttg`` (number and symbol
without the year); a symbol with a unit also offers the two number forms without the unit.
:func:`query_identifier_terms` maps each identifier a free query names to the single most
specific term of that vocabulary; a bare number names nothing (too ambiguous).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from vgp.core.text import fold

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Appendix VI of Decree 30: CodeNumber (the number) and CodeNotation (the symbol) lengths.
MAX_NUMBER_LENGTH = 11
MAX_NOTATION_LENGTH = 30
FIRST_YEAR = 1945
# Longer than any sensible spelling of a number and symbol: refuse before any regex work.
_MAX_INPUT_LENGTH = 120

TYPE_NAMES: dict[str, str] = {
    # Legal normative documents.
    "L": "Lệnh",
    "PL": "Pháp lệnh",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    # Administrative documents, Decree 30/2020/NĐ-CP Appendix III.
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
    # Copies.
    "SY": "Bản sao y",
    "TrS": "Bản trích sao",
    "SL": "Bản sao lục",
}

# Types issued jointly: every part after the type code names an issuer, none is a unit.
JOINT_TYPES = frozenset({"TTLT", "NQLT"})

# Issuer codes in their usual spelling; codes change when agencies merge, both kept.
ISSUER_CODES: tuple[str, ...] = (
    "QH",
    "UBTVQH",
    "CTN",
    "VPCTN",
    "CP",
    "TTg",
    "VPCP",
    "TANDTC",
    "VKSNDTC",
    "HĐTP",
    "KTNN",
    "NHNN",
    "TTCP",
    "BNV",
    "BTC",
    "BTP",
    "BCA",
    "BQP",
    "BNG",
    "BYT",
    "BXD",
    "BCT",
    "BGDĐT",
    "BKHĐT",
    "BKHCN",
    "BTTTT",
    "BNNPTNT",
    "BTNMT",
    "BNNMT",
    "BGTVT",
    "BLĐTBXH",
    "BVHTTDL",
    "BDTTG",
    "UBDT",
    "UBND",
    "HĐND",
)

# Only these two issuers carry the National Assembly term: QH13, UBTVQH15.
_TERM_ISSUER = re.compile(r"^(QH|UBTVQH)(\d{1,2})$", re.IGNORECASE)
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-")
)
_SLASHES = str.maketrans(dict.fromkeys("\u2044\u2215\uff0f", "/"))
_PREFIX = re.compile(r"^s[ốo]\s*[:.]?\s*(?=\d)", re.IGNORECASE)
_AROUND_SEPARATORS = re.compile(r"\s*([/-])\s*")
_CODE_PART = re.compile(r"^[^\W_]+$")
_LEADING_NUMBER = re.compile(r"^(\d+)(?=/)")

_TYPE_BY_UPPER = {code.upper(): code for code in TYPE_NAMES}
# Consulted only when no code matches exactly, so for "HD"/"HĐ" and "DA"/"ĐA" (which fold alike)
# the exact ASCII code has already won; only unambiguous folds ("qd" → "QĐ") are reached here.
_TYPE_BY_FOLDED = {
    fold(code): code
    for code in TYPE_NAMES
    if fold(code) != code.lower() and fold(code).upper() not in _TYPE_BY_UPPER
}
_TYPE_BY_NAME = {fold(name): code for code, name in TYPE_NAMES.items()}
_ISSUER_BY_FOLDED = {fold(code): code for code in ISSUER_CODES}


class SymbolError(ValueError):
    """A number and symbol that cannot be read; the message says why and shows a valid form."""


@dataclass(frozen=True)
class DocumentSymbol:
    """A parsed number and symbol; build one with :func:`parse_symbol`."""

    number: str
    year: int | None
    type_code: str
    issuer_code: str
    unit: str
    term: int | None

    @property
    def notation(self) -> str:
        """The symbol after the number and year: ``QĐ-TTg``, ``VPCP-WebCP``, ``QH13``."""
        issuer = self.issuer_code + (str(self.term) if self.term is not None else "")
        return "-".join(part for part in (self.type_code, issuer, self.unit) if part)

    @property
    def canonical(self) -> str:
        """The official spelling: ``83/2008/QĐ-TTg``, ``1925/VPCP-WebCP``, ``91/2015/QH13``."""
        if self.year is None:
            return f"{self.number}/{self.notation}"
        return f"{self.number}/{self.year}/{self.notation}"

    @property
    def key(self) -> str:
        """Folded canonical form for lookups: ``83/2008/qd-ttg``.

        Đ folds to D, so the key of a Hợp đồng (``HĐ``) equals that of a Hướng dẫn (``HD``) with
        the same number and issuer; compare :attr:`canonical` where that matters (duplicates).
        """
        return fold(self.canonical)

    @property
    def type_name(self) -> str:
        """The Vietnamese name of the type (``Quyết định``); empty for Công văn and laws."""
        return TYPE_NAMES.get(self.type_code, "")

    def search_terms(self) -> list[str]:
        """The identifier terms to index for this document (see the module docstring)."""
        number = str(int(self.number))
        symbol = fold(self.notation)
        if self.year is None:
            terms = [f"{number}/{symbol}"]
        else:
            terms = [f"{number}/{self.year}/{symbol}", f"{number}/{self.year}"]
        terms += [symbol, f"{symbol}/{number}", f"{number}/{symbol}"]
        if self.unit:
            without_unit = fold(self.notation.removesuffix(f"-{self.unit}"))
            terms += [f"{without_unit}/{number}", f"{number}/{without_unit}"]
        return list(dict.fromkeys(terms))

    def __str__(self) -> str:
        return self.canonical


def _tidy(text: str) -> str:
    """NFC, one kind of dash and slash, no "Số" prefix, no spaces around separators."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES).translate(_SLASHES)
    text = " ".join(text.split())
    text = _PREFIX.sub("", text)
    return _AROUND_SEPARATORS.sub(r"\1", text)


def _pad_number(digits: str) -> str:
    """The number as written in a symbol: at least two digits, no other leading zeros."""
    return f"{int(digits):02d}"


def normalize_spelling(text: str) -> str:
    """Fold a spelling of a number and symbol so that its variants compare equal.

    ``"Số 5 / 2019 / tt - BTC"`` (or with an en dash) and ``"05/2019/TT-BTC"`` both give
    ``"05/2019/tt-btc"``: NFC, dashes and slashes unified, "Số" prefix and spaces around
    separators dropped, the number padded as in the canonical form, then folded. For anything
    :func:`parse_symbol` accepts, the result equals the parsed symbol's
    :attr:`DocumentSymbol.key`.
    """
    tidy = _LEADING_NUMBER.sub(lambda m: _pad_number(m.group(1)), _tidy(text))
    return fold(tidy)


def max_year() -> int:
    """The latest year a symbol may carry: next year in Vietnam (documents dated ahead)."""
    return dt.datetime.now(tz=VN_TZ).year + 1


def _type_code(part: str) -> str | None:
    exact = _TYPE_BY_UPPER.get(part.upper())
    if exact is not None:
        return exact
    return _TYPE_BY_FOLDED.get(fold(part))


def _issuer(part: str) -> tuple[str, int | None]:
    match = _TERM_ISSUER.match(part)
    if match:
        return match.group(1).upper(), int(match.group(2))
    return _ISSUER_BY_FOLDED.get(fold(part), part), None


def parse_symbol(text: str) -> DocumentSymbol:
    """Read a number and symbol written the canonical way or a common variant.

    Accepts ``QD`` for ``QĐ``, any case, spaces around ``/`` and ``-``, en dashes, decomposed
    (NFD) text, a "Số"/"số:" prefix and numbers without their leading zero. Raises
    :class:`SymbolError` with a translatable explanation otherwise.
    """
    original = (text or "").strip()
    if not original:
        raise SymbolError(
            _("The document number and symbol is empty. Write it like 83/2008/QĐ-TTg.")
        )
    if len(original) > _MAX_INPUT_LENGTH:
        raise SymbolError(
            _("“%(text)s” is too long to be a document number and symbol.") % {"text": original}
        )
    tidy = _tidy(original)
    parts = tidy.split("/")
    if len(parts) < 2 or " " in tidy:
        raise SymbolError(
            _(
                "“%(text)s” is not a document number and symbol. Expected forms are like "
                "83/2008/QĐ-TTg, 15/QĐ-BNV or 1925/VPCP-WebCP."
            )
            % {"text": original}
        )
    if len(parts) > 3:
        raise SymbolError(
            _(
                "“%(text)s” has too many “/”. A number and symbol has at most a number, a year "
                "and a symbol, like 83/2008/QĐ-TTg."
            )
            % {"text": original}
        )
    digits = parts[0]
    if not digits:
        raise SymbolError(
            _("“%(text)s” has no number before the “/”. Write it like 15/QĐ-BNV.")
            % {"text": original}
        )
    if not (digits.isascii() and digits.isdigit()):
        raise SymbolError(
            _("The number in “%(text)s” must be written in digits, like 15/QĐ-BNV.")
            % {"text": original}
        )
    if int(digits) == 0:
        raise SymbolError(
            _("The number in “%(text)s” cannot be 0: numbering starts at 01.") % {"text": original}
        )
    if len(digits.lstrip("0")) > MAX_NUMBER_LENGTH:
        raise SymbolError(
            _("The number in “%(text)s” is longer than %(max)d digits.")
            % {"text": original, "max": MAX_NUMBER_LENGTH}
        )
    year: int | None = None
    if len(parts) == 3:
        year_text = parts[1]
        if not (len(year_text) == 4 and year_text.isascii() and year_text.isdigit()):
            raise SymbolError(
                _("The year in “%(text)s” must have four digits, like 83/2008/QĐ-TTg.")
                % {"text": original}
            )
        year = int(year_text)
        if not FIRST_YEAR <= year <= max_year():
            raise SymbolError(
                _("The year %(year)d in “%(text)s” must be between %(first)d and %(last)d.")
                % {"year": year, "text": original, "first": FIRST_YEAR, "last": max_year()}
            )
    notation = parts[-1]
    if not notation or notation.isdigit():
        raise SymbolError(
            _("“%(text)s” has no symbol after the number. Write it like 83/2008/QĐ-TTg.")
            % {"text": original}
        )
    if len("/".join(parts[1:])) > MAX_NOTATION_LENGTH:
        raise SymbolError(
            _("The symbol in “%(text)s” is longer than %(max)d characters.")
            % {"text": original, "max": MAX_NOTATION_LENGTH}
        )
    codes = notation.split("-")
    if not all(_CODE_PART.match(code) for code in codes):
        raise SymbolError(
            _(
                "The symbol in “%(text)s” must be letters and digits joined by “-”, "
                "like QĐ-TTg or VPCP-WebCP."
            )
            % {"text": original}
        )
    type_code = _type_code(codes[0]) or ""
    rest = codes[1:] if type_code else codes
    if not rest:
        raise SymbolError(
            _("“%(text)s” names no issuing body after the type. Write it like 15/QĐ-BNV.")
            % {"text": original}
        )
    if type_code in JOINT_TYPES:
        issuer, term, unit = "-".join(_issuer(code)[0] for code in rest), None, ""
    else:
        issuer, term = _issuer(rest[0])
        unit = "-".join(rest[1:])
    return DocumentSymbol(
        number=_pad_number(digits),
        year=year,
        type_code=type_code,
        issuer_code=issuer,
        unit=unit,
        term=term,
    )


def type_code_for_name(name: str) -> str | None:
    """The type code of a type name, matched folded: "Nghị định" or "nghi dinh" → "NĐ"."""
    return _TYPE_BY_NAME.get(fold(name or ""))


# Query side: the same vocabulary as DocumentSymbol.search_terms, read out of free text.
_SYMBOL = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_YEAR = r"(?:19|20)\d\d"
_QUERY_IDENTIFIER = re.compile(
    rf"(?<![\w/])(?P<n1>\d{{1,{MAX_NUMBER_LENGTH}}})/(?P<y1>{_YEAR})/(?P<s1>{_SYMBOL})"
    rf"|(?<![\w/])(?P<n2>\d{{1,{MAX_NUMBER_LENGTH}}})/(?P<s2>{_SYMBOL})"
    rf"|(?<![\w/])(?P<n3>\d{{1,{MAX_NUMBER_LENGTH}}})/(?P<y3>{_YEAR})(?![\w/])"
    rf"|(?<![\w/-])(?P<s4>[a-z][a-z0-9]*(?:-[a-z0-9]+)+|(?:ubtv)?qh\d{{1,2}})"
    rf"\s+(?:so\s+)?(?P<n4>\d{{1,{MAX_NUMBER_LENGTH}}})(?:/(?P<y4>{_YEAR}))?(?![\w/])"
)
_SPACED_HYPHEN = re.compile(r"([a-z0-9]+)(\s*)-(\s*)")
_FOLDED_TYPES = frozenset(fold(code) for code in TYPE_NAMES)


def _join_spaced_hyphens(text: str) -> str:
    """Close up "qd - ttg" without gluing a sentence dash onto a symbol ("qd-ttg - ve viec").

    A spaced hyphen is closed when the word before it is a type code, or an issuer code right
    after a "/" (``1925/vpcp - webcp``).
    """

    def close(match: re.Match[str]) -> str:
        word, before, after = match.groups()
        if not (before or after):
            return match.group(0)
        after_slash = match.start(1) > 0 and text[match.start(1) - 1] == "/"
        if word in _FOLDED_TYPES or (after_slash and word in _ISSUER_BY_FOLDED):
            return f"{word}-"
        return match.group(0)

    return _SPACED_HYPHEN.sub(close, text)


def query_identifier_terms(query: str) -> list[str]:
    """The identifier terms a free search query names, most specific form for each mention.

    ``"quyết định 83/2008/QĐ-TTg"`` → ``["83/2008/qd-ttg"]``; ``"nghị định 13/2023"`` →
    ``["13/2023"]``; ``"QĐ-TTg 83"`` → ``["qd-ttg/83"]``; a query without digits → ``[]``.
    Dates (``15/03/2023``) and bare numbers name nothing.
    """
    if not any(ch.isdigit() for ch in query or ""):
        return []
    text = unicodedata.normalize("NFC", query).translate(_DASHES).translate(_SLASHES)
    text = re.sub(r"\s*/\s*", "/", fold(text))
    text = _join_spaced_hyphens(text)
    terms = []
    for match in _QUERY_IDENTIFIER.finditer(text):
        groups = match.groupdict()
        if groups["n1"]:
            terms.append(f"{int(groups['n1'])}/{groups['y1']}/{groups['s1']}")
        elif groups["n2"]:
            terms.append(f"{int(groups['n2'])}/{groups['s2']}")
        elif groups["n3"]:
            terms.append(f"{int(groups['n3'])}/{groups['y3']}")
        elif groups["y4"]:
            terms.append(f"{int(groups['n4'])}/{groups['y4']}/{groups['s4']}")
        else:
            terms.append(f"{groups['s4']}/{int(groups['n4'])}")
    return list(dict.fromkeys(term for term in terms if not term.startswith("0/")))
