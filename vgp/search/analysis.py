"""Vietnamese text cut into the terms the search index holds.

Vietnamese writes one syllable per space-separated word, and most words are two syllables
("bảo vệ", "môi trường"), so the index holds syllables *and* adjacent syllable pairs: a pair
is the cheap stand-in for a phrase (BM25 over syllables and pairs is the relevance anchor of
ADR 0010), and a two-syllable phrase query becomes one term lookup. A pair term is the two
syllables with one space between them.

Each form exists twice: *exact* (lower case, diacritics kept) and *folded* (diacritics
removed, đ → d), so a query typed without diacritics matches and one typed with them ranks
exact matches first. Folding is a ``str.translate`` table over precomposed letters — about
30 times faster than decomposing every character — after NFC normalisation, so text in NFD
form folds the same.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "d"}
    # Latin letters with marks: Latin-1 Supplement to Latin Extended Additional (Vietnamese
    # uses U+00C0 to U+01B0 and U+1EA0 to U+1EF9).
    for code in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base.lower()
    return table


_FOLD = _fold_table()
_COMBINING = re.compile(r"[\u0300-\u036f]")
# Any character that is neither ASCII nor a letter the table folds to ASCII.
_NOT_FOLDABLE = re.compile(
    "[^\\x00-\\x7f" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]"
)
# A syllable: letters and digits; punctuation, "_" and spaces separate.
_SYLLABLE = re.compile(r"[^\W_]+")


def normalize(text: str) -> str:
    """NFC, lower case: the *exact* form."""
    return unicodedata.normalize("NFC", text or "").lower()


def fold(text: str) -> str:
    """The folded form of ``text``: lower case, no diacritics, đ → d."""
    return _fold_normalized(normalize(text))


def _fold_normalized(text: str) -> str:
    if _NOT_FOLDABLE.search(text) is None:
        # Only ASCII and Latin letters with marks: decompose and drop the marks, in C (three
        # times faster than the table on long texts; same result).
        decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
        return decomposed.encode("ascii", "ignore").decode("ascii")
    # Marks NFC could not compose onto a letter (rare, e.g. on a digit) are dropped.
    return _COMBINING.sub("", text.translate(_FOLD))


def syllables(text: str) -> list[str]:
    """The exact syllables of ``text``."""
    return _SYLLABLE.findall(normalize(text))


def folded_syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(fold(text))


def pairs(tokens: list[str]) -> list[str]:
    """Adjacent syllable pairs, as the index holds them ("bảo vệ môi" → "bảo vệ", "vệ môi")."""
    return [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def has_marks(token: str) -> bool:
    """Whether folding changes ``token`` (it carries diacritics or đ)."""
    return fold(token) != token


@dataclass(frozen=True)
class Analyzed:
    """A text as the index receives it: its syllables, exact and folded, space-separated.

    The index's own tokenizers (Rust) cut these strings into syllables and syllable pairs
    (see ``engine.PAIRS_TOKENIZER``), so Python touches each text only with whole-string
    operations: this is what makes bulk imports fast.
    """

    exact: str
    folded: str


def analyze(text: str) -> Analyzed:
    exact = " ".join(_SYLLABLE.findall(normalize(text)))
    return Analyzed(exact=exact, folded=_fold_normalized(exact))


def shifted(tokens: str) -> str:
    """``tokens`` without its first syllable: its pairs are the ones ``tokens`` lacks."""
    return tokens.partition(" ")[2]
