"""Vietnamese text folded for accent- and case-insensitive search, and ASCII slugs.

"Hà Nội", "HA NOI" and "ha noi" all fold to "ha noi", so a search typed without diacritics
finds the text. Folded text is stored (e.g. ``Agency.search_text``, ``NewsItemPage.search_text``)
rather than computed in SQL, because SQLite has no unaccent and PostgreSQL's needs an
extension: a plain ``LIKE`` on a stored column behaves the same on both.
"""

from __future__ import annotations

import re
import unicodedata

# Đ/đ is a letter of its own, not D with a combining mark, so NFD leaves it alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ``text``, strip diacritics, map đ to d and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def terms(query: str) -> list[str]:
    """The folded words of a search query (each must occur in the folded text)."""
    return fold(query).split()


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII slug of Vietnamese text: "Chính phủ điện tử" → "chinh-phu-dien-tu"."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug
