"""Highlighted snippets: the passage of a text where a query's words are densest.

Matching is on folded syllables, so "moi truong" marks "môi trường" in the original text;
the text shown keeps its diacritics. The HTML form escapes the text and wraps each match in
``<mark>``; the plain form is for the API and feeds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import fold

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Snippet:
    text: str  # plain text of the passage, "…" where cut
    spans: tuple[tuple[int, int], ...]  # character ranges of matches within ``text``

    @property
    def html(self) -> SafeString:
        parts: list[str] = []
        cursor = 0
        for start, end in self.spans:
            parts.append(escape(self.text[cursor:start]))
            parts.append(f"<mark>{escape(self.text[start:end])}</mark>")
            cursor = end
        parts.append(escape(self.text[cursor:]))
        return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def make_snippet(text: str, terms: Iterable[str], *, words: int = 36) -> Snippet:
    """The ``words``-word passage of ``text`` holding the most distinct query ``terms``."""
    wanted = {term if term.isascii() and term.islower() else fold(term) for term in terms if term}
    text = " ".join((text or "").split())
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return Snippet(text=text[:300], spans=())
    # Folding the whole text at once keeps one folded syllable per syllable (folding maps
    # letters to letters); a text where it does not is folded syllable by syllable.
    folded = _WORD.findall(fold(text))
    if len(folded) != len(tokens):
        folded = [fold(token.group()) for token in tokens]
    matched = [term in wanted for term in folded]
    best_start, best_score = 0, -1
    if wanted and any(matched):
        # Slide a window over the text, keeping counts of the distinct terms inside it.
        inside: Counter[str] = Counter()
        hits = 0
        for end in range(len(tokens)):
            if matched[end]:
                inside[folded[end]] += 1
                hits += 1
            start = end - words + 1
            if start > 0 and matched[start - 1]:
                inside[folded[start - 1]] -= 1
                hits -= 1
                if not inside[folded[start - 1]]:
                    del inside[folded[start - 1]]
            score = len(inside) * 100 + hits
            if score > best_score:
                best_start, best_score = max(0, start), score
        # Start a little before the first match so it is read in context.
        first = next(i for i in range(best_start, len(tokens)) if matched[i])
        best_start = max(0, first - 4)
    window = tokens[best_start : best_start + words]
    # Whole text at either end when the window reaches it (keeps leading/trailing punctuation).
    begin = 0 if best_start == 0 else window[0].start()
    end = len(text) if best_start + len(window) >= len(tokens) else window[-1].end()
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    passage = prefix + text[begin:end] + suffix
    shift = len(prefix) - begin
    spans = tuple(
        (token.start() + shift, token.end() + shift)
        for token, is_match in zip(
            tokens[best_start : best_start + words],
            matched[best_start : best_start + words],
            strict=False,
        )
        if is_match
    )
    return Snippet(text=passage, spans=spans)
