"""Vietnamese text folded for accent- and case-insensitive search.

"Hà Nội", "HA NOI" and "ha noi" all fold to "ha noi", so a search typed without diacritics
finds the agency. The folded text is stored (``Agency.search_text``) rather than computed in SQL,
because SQLite has no unaccent and PostgreSQL's needs an extension: a plain ``LIKE`` on a
stored column behaves the same on both.
"""

from __future__ import annotations

import unicodedata

# Đ/đ is a letter of its own, not D with a combining mark, so NFD leaves it alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case ``text``, strip diacritics, map đ to d and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def terms(query: str) -> list[str]:
    """The folded words of a search query (each must occur in the folded text)."""
    return fold(query).split()
