"""Vietnamese legal texts as a tree of Phần, Chương, Mục, Tiểu mục, Điều, Khoản and Điểm.

Pure functions over text: no models, no database. Recognised lines (after NFC normalisation,
whatever the case and leading spaces):

* ``Phần thứ nhất`` / ``PHẦN THỨ HAI`` / ``Phần I`` → part;
* ``Chương I`` / ``CHƯƠNG 3`` → chapter; ``Mục 1`` → section; ``Tiểu mục 1`` → subsection.
  A heading may follow on the same line (after ``.``, ``:`` or ``-``, or in upper case) or on
  the next line; further upper-case lines continue an upper-case heading;
* ``Điều 12a. Heading`` (or ``Điều 12:``, ``ĐIỀU 12.``) → article. When what follows the number
  ends with ``.`` or ``;`` it is a sentence, not a heading (``Điều 2. Quyết định này có hiệu lực
  kể từ ngày ký.`` in a decision), and becomes the article's text. A number followed by words
  without punctuation (``Điều 169 của Luật này.``, a wrapped cross-reference) is text;
* ``1. text`` → clause, only inside an article, only at the start of a line, and only when its
  number follows the previous clause's (at most 3 ahead, ``2a`` allowed after ``2``) so that a
  wrapped line starting with a year ("2015. ...") stays text;
* ``a) text`` / ``đ) text`` / ``a1) text`` → point, only inside an article.

Every other line (bullets ``-``/``+``, paragraphs, signatures) is text of the node open at that
point; blank lines are dropped, other line breaks kept. A node's ``text`` never holds its own
marker or heading (``label`` keeps the marker as written, for rendering); ``full_text()``
renders the descendants with theirs. Lines that start inside a quotation
(“…” or "…") opened on an earlier line are never structure: amending documents quote the
articles and clauses they insert. A quotation that is never closed is ignored. Quoted text
without quotation marks cannot be told apart; a repeated article number then gets a unique
anchor (``dieu-5-2``).

Numbers: parts written with an ordinal word are numbered in Arabic digits (``Phần thứ nhất`` →
``"1"``); Roman and Arabic numbers are kept as written (``Phần I`` → ``"I"``, ``Chương II`` →
``"II"``); article, clause and point numbers are lower case (``12a``, ``đ``).

Anchors are ASCII and stable: ``phan-1``, ``chuong-ii``, ``chuong-ii-muc-1``,
``chuong-ii-muc-1-tieu-muc-2``, ``dieu-32``, ``dieu-32-khoan-1``, ``dieu-32-khoan-1-diem-a``,
``dieu-32-diem-a`` (a point directly under an article) and ``mo-dau`` for the preamble. The
letter đ becomes ``dd`` (``diem-dd``) to stay distinct from d. Articles are numbered
continuously through a law, so their anchors ignore the chapter; a chapter number met again
in another part is prefixed with the part (``phan-2-chuong-i``); any remaining clash gets
``-2``, ``-3``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from vgp.core.text import fold

PREAMBLE = "preamble"
PART = "part"
CHAPTER = "chapter"
SECTION = "section"
SUBSECTION = "subsection"
ARTICLE = "article"
CLAUSE = "clause"
POINT = "point"
TOC_KINDS = frozenset({PART, CHAPTER, SECTION, SUBSECTION, ARTICLE})
_CONTAINERS = (PART, CHAPTER, SECTION, SUBSECTION)


@dataclass
class Node:
    """One division of a legal text; ``text`` is its own text, children hold the rest."""

    kind: str
    number: str
    heading: str
    text: str
    anchor: str
    children: list[Node] = field(default_factory=list)
    # The marker as written ("Chương II", "ĐIỀU 5.", "1.", "a)"), for rendering the text back.
    label: str = ""

    def iter(self) -> Iterator[Node]:
        """This node and all its descendants, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.iter()

    def full_text(self) -> str:
        """The node's own text and all its descendants', in order, as readable plain text.

        Descendants are rendered with their markers and headings ("1. …", "a) …", "Điều 5.
        Heading"); the node's own marker and heading are left out (they are ``number`` and
        ``heading``), so ``parse_article_body(a.number, a.heading, a.full_text())`` gives back
        the same article.
        """
        own = [self.text] if self.text else []
        return "\n".join([*own, *(line for child in self.children for line in child._rendered())])

    def _rendered(self) -> Iterator[str]:
        if self.kind in (CLAUSE, POINT):
            first = f"{self.label} {self.text}".strip()
            if first:
                yield first
        else:
            if self.kind == ARTICLE:
                head = [f"{self.label} {self.heading}".strip()]
            else:
                head = [self.label, self.heading]
            yield from (line for line in head if line)
            if self.text:
                yield self.text
        for child in self.children:
            yield from child._rendered()

    def _add_text(self, line: str) -> None:
        self.text = f"{self.text}\n{line}" if self.text else line


_ORDINALS = {
    "nhất": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "lăm": 5,
}
_ORDINAL_WORDS = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUMERAL = r"(?-i:[IVXLCDM]+)|\d{1,3}"
# A container marker must end at the end of the line, at punctuation or at a space.
_AFTER = r"(?=$|[\s.:\-\u2013\u2014])\s*(?P<rest>.*)$"
_CONTAINER_LINES = (
    (
        PART,
        re.compile(
            rf"^(?P<label>phần\s+(?P<number>thứ\s+(?:mười\s+(?:{_ORDINAL_WORDS})|{_ORDINAL_WORDS})"
            rf"|{_NUMERAL})){_AFTER}",
            re.IGNORECASE,
        ),
    ),
    (CHAPTER, re.compile(rf"^(?P<label>chương\s+(?P<number>{_NUMERAL})){_AFTER}", re.IGNORECASE)),
    (
        SUBSECTION,
        re.compile(rf"^(?P<label>tiểu\s+mục\s+(?P<number>{_NUMERAL})){_AFTER}", re.IGNORECASE),
    ),
    (SECTION, re.compile(rf"^(?P<label>mục\s+(?P<number>{_NUMERAL})){_AFTER}", re.IGNORECASE)),
)
_ARTICLE_LINE = re.compile(
    r"^(?P<label>điều\s+(?P<number>\d{1,4}[a-zđ]?)\s*(?P<mark>[.:\-\u2013\u2014]?))"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_CLAUSE_LINE = re.compile(
    r"^(?P<label>(?P<number>\d{1,3})(?P<suffix>[a-zđ]?)\.)(?:\s+(?P<rest>.*))?$"
)
_POINT_LINE = re.compile(r"^(?P<label>(?P<number>[a-zđ]\d{0,2})\))(?:\s*(?P<rest>.*))?$")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_NON_ANCHOR = re.compile(r"[^a-z0-9]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[ \t\xa0\u2007\u202f]+")
_OPENERS = "“"
_CLOSERS = "”"
_QUOTE_MARKS = re.compile(f'[{_OPENERS}{_CLOSERS}"]')
# Clause numbers may skip (a repealed clause left out) but not by more than this.
_MAX_CLAUSE_GAP = 3


def _anchor_part(value: str) -> str:
    """ASCII, URL-safe form of a number: đ → dd so that "đ" and "d" stay distinct."""
    return _NON_ANCHOR.sub("-", fold(value.replace("đ", "dd").replace("Đ", "dd"))).strip("-")


def _clean_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)
    return [_SPACES.sub(" ", line).strip() for line in text.splitlines()]


def _quoted_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it starts inside a quotation opened earlier and closed later."""
    flags = [False] * len(lines)
    depth = 0
    straight_open = False
    opened_at: int | None = None
    for index, line in enumerate(lines):
        inside = depth > 0 or straight_open
        flags[index] = inside
        for char in _QUOTE_MARKS.findall(line):  # only the marks: most lines have none
            if char in _OPENERS:
                depth += 1
            elif char in _CLOSERS:
                depth = max(0, depth - 1)
            elif char == '"':
                straight_open = not straight_open
        still_inside = depth > 0 or straight_open
        if still_inside and not inside:
            opened_at = index
        elif inside and not still_inside:
            opened_at = None
    if opened_at is not None:
        # Never closed: a stray quotation mark, not a quotation.
        for index in range(opened_at + 1, len(lines)):
            flags[index] = False
    return flags


def _is_upper(text: str) -> bool:
    return any(char.isalpha() for char in text) and text == text.upper()


def _container_match(line: str) -> tuple[str, str, str, str] | None:
    """(kind, number, label, heading) when ``line`` opens a part, chapter, section or subsection."""
    for kind, pattern in _CONTAINER_LINES:
        match = pattern.match(line)
        if not match:
            continue
        number = match.group("number")
        rest = match.group("rest").strip()
        if rest[:1] in ".:-\u2013\u2014":
            rest = rest[1:].strip()
        elif rest and not _is_upper(rest):
            # "Chương 3 của Luật này" is a wrapped reference, not a heading.
            return None
        if number.isalpha() and number.isupper() and not _ROMAN.match(number):
            return None
        if kind == PART and number.lower().startswith("thứ"):
            words = number.lower().split()[1:]
            number = str(
                sum(_ORDINALS[word] for word in words if word != "mười") + 10 * ("mười" in words)
            )
        return kind, number, " ".join(match.group("label").split()), rest
    return None


class _Builder:
    """Reads lines one by one and grows the tree, keeping the open node of each level."""

    def __init__(self) -> None:
        self.roots: list[Node] = []
        self.used: set[str] = set()
        self.open: dict[str, Node | None] = dict.fromkeys(
            (PART, CHAPTER, SECTION, SUBSECTION, ARTICLE, CLAUSE, POINT)
        )
        self.current: Node | None = None
        self.awaiting_heading: Node | None = None
        self.last_clause = 0

    def unique(self, anchor: str) -> str:
        candidate, count = anchor, 1
        while candidate in self.used:
            count += 1
            candidate = f"{anchor}-{count}"
        self.used.add(candidate)
        return candidate

    def attach(self, node: Node, parent_kinds: tuple[str, ...]) -> None:
        parent = next((self.open[kind] for kind in parent_kinds if self.open[kind]), None)
        (parent.children if parent else self.roots).append(node)
        self.current = node

    def close_from(self, kind: str) -> None:
        levels = list(self.open)
        for level in levels[levels.index(kind) :]:
            self.open[level] = None

    def text(self, line: str) -> None:
        if self.current is None:
            self.current = Node(PREAMBLE, "", "", "", self.unique("mo-dau"))
            self.roots.append(self.current)
        self.current._add_text(line)

    def container(self, kind: str, number: str, label: str, heading: str) -> None:
        part, chapter, section = self.open[PART], self.open[CHAPTER], self.open[SECTION]
        slug = _anchor_part(number)
        if kind == PART:
            anchor = f"phan-{slug}"
        elif kind == CHAPTER:
            anchor = f"chuong-{slug}"
            if anchor in self.used and part:
                anchor = f"{part.anchor}-{anchor}"
        elif kind == SECTION:
            prefix = chapter or part
            anchor = f"{prefix.anchor}-muc-{slug}" if prefix else f"muc-{slug}"
        else:
            prefix = section or chapter or part
            anchor = f"{prefix.anchor}-tieu-muc-{slug}" if prefix else f"tieu-muc-{slug}"
        node = Node(kind, number, heading, "", self.unique(anchor), label=label)
        parents = _CONTAINERS[: _CONTAINERS.index(kind)][::-1]
        self.close_from(kind)
        self.attach(node, parents)
        self.open[kind] = node
        self.awaiting_heading = node

    def article(self, number: str, label: str, rest: str, *, sentence_check: bool = True) -> None:
        heading, text = rest, ""
        if sentence_check and rest.endswith((".", ";")):
            heading, text = "", rest
        node = Node(ARTICLE, number, heading, text, self.unique(f"dieu-{_anchor_part(number)}"))
        node.label = label
        self.close_from(ARTICLE)
        self.attach(node, (SUBSECTION, SECTION, CHAPTER, PART))
        self.open[ARTICLE] = node
        self.last_clause = 0

    def clause(self, number: str, label: str, rest: str) -> None:
        article = self.open[ARTICLE]
        assert article is not None
        node = Node(
            CLAUSE, number, "", rest, self.unique(f"{article.anchor}-khoan-{_anchor_part(number)}")
        )
        node.label = label
        self.close_from(CLAUSE)
        article.children.append(node)
        self.open[CLAUSE] = self.current = node

    def point(self, number: str, label: str, rest: str) -> None:
        parent = self.open[CLAUSE] or self.open[ARTICLE]
        assert parent is not None
        node = Node(
            POINT, number, "", rest, self.unique(f"{parent.anchor}-diem-{_anchor_part(number)}")
        )
        node.label = label
        parent.children.append(node)
        self.open[POINT] = self.current = node

    def accepts_clause(self, number: int, suffix: str) -> bool:
        if suffix and number == self.last_clause:
            return True
        return self.last_clause < number <= self.last_clause + _MAX_CLAUSE_GAP

    def feed(self, line: str, quoted: bool, *, divisions: bool = True) -> bool:
        """Take one line; False when ``divisions`` is off and the line opens a division."""
        if not line:
            return True
        if quoted:
            self.awaiting_heading = None
            self.text(line)
            return True
        container = _container_match(line)
        if container:
            if not divisions:
                return False
            self.container(*container)
            return True
        article = _ARTICLE_LINE.match(line)
        # "Điều 169 của Luật này." is a wrapped reference: an article marker ends the line or
        # is followed by punctuation (and "Điều 10.000" is not a marker).
        if article and article.group("rest"):
            mark, rest = article.group("mark"), article.group("rest")
            if not mark or (mark == "." and rest[0].isdigit()):
                article = None
        if article and divisions:
            self.awaiting_heading = None
            self.article(
                article.group("number").lower(),
                " ".join(article.group("label").split()),
                (article.group("rest") or "").strip(),
            )
            return True
        if self.open[ARTICLE] is not None:
            clause = _CLAUSE_LINE.match(line)
            if clause and self.accepts_clause(int(clause.group("number")), clause.group("suffix")):
                self.last_clause = int(clause.group("number"))
                number = clause.group("number") + clause.group("suffix")
                self.clause(number, clause.group("label"), (clause.group("rest") or "").strip())
                return True
            point = _POINT_LINE.match(line)
            if point:
                self.point(
                    point.group("number"), point.group("label"), (point.group("rest") or "").strip()
                )
                return True
        heading_of = self.awaiting_heading
        if heading_of is not None and (not heading_of.heading or _is_upper(heading_of.heading)):
            if not heading_of.heading:
                heading_of.heading = line
                return True
            if _is_upper(line) and not heading_of.text:
                heading_of.heading = f"{heading_of.heading} {line}"
                return True
        self.awaiting_heading = None
        self.text(line)
        return True


def parse_text(text: str) -> list[Node]:
    """The top-level nodes of a legal text; a preamble node first if text precedes the
    first division."""
    lines = _clean_lines(text)
    builder = _Builder()
    for line, quoted in zip(lines, _quoted_lines(lines), strict=True):
        builder.feed(line, quoted)
    return builder.roots


def parse_article_body(number: str, heading: str, body: str) -> Node:
    """One article given apart from its law (number, heading, body), clauses and points parsed.

    Only the first line of ``heading`` is the heading; further lines start the body. Another
    article glued into the body by the corpus ("Điều 64. …" and its clauses) stays text of the
    last clause: a single node cannot return it, and nothing of the text is lost.

    Lines starting with "Điều N" in the body are text (a wrapped reference such as "Điều 169
    của Luật này."). The body stops at a line opening a part, chapter, section or subsection:
    corpora split per article leave the next division's heading at the end of the last article
    before it.
    """
    number = " ".join(unicodedata.normalize("NFC", number or "").split()).lower()
    builder = _Builder()
    # A heading is one line; anything after its first line (corpora that split title from
    # text at the wrong place) is the start of the body.
    heading_lines = [line for line in _clean_lines(heading) if line]
    article_heading = heading_lines[0] if heading_lines else ""
    builder.article(number, f"Điều {number}.", article_heading, sentence_check=False)
    lines = heading_lines[1:] + _clean_lines(body)
    for line, quoted in zip(lines, _quoted_lines(lines), strict=True):
        if not builder.feed(line, quoted, divisions=False):
            break
    return builder.roots[0]


def table_of_contents(nodes: Iterable[Node]) -> list[Node]:
    """The parts, chapters, sections, subsections and articles of ``nodes``, in order."""
    return [node for root in nodes for node in root.iter() if node.kind in TOC_KINDS]
