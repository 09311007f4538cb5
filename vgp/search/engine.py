"""The full-text index: an embedded tantivy index per kind of record (ADR 0010).

The database stays the source of truth; an index is a derived copy kept on the local disk
under ``SEARCH_INDEX_DIR`` and rebuilt from the database at will. Domains describe what they
index with an :class:`IndexSpec`, hand over :class:`Entry` objects, and ask :class:`Query`
questions; they get back record ids, scores, a total and facet counts, then load the rows
themselves (so a stale or missing index entry can never show something the database no longer
holds or no longer publishes).

Ranking is BM25 over syllables and syllable pairs, both folded (no diacritics) and exact; a
query typed with diacritics also scores its exact forms, so exact matches rank above folded
ones. Identifier terms (document numbers) carry a large boost so that a number typed in any
spelling finds its document first. Ranking and results are the same whatever the database.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from .analysis import analyze, fold, has_marks, normalize, pairs, shifted

logger = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: a new folder is built and the old one ignored.
# (Integer fields are i64: tantivy-py's delete-by-term does not match u64 terms.)
SCHEMA_VERSION = 2

# Weights (tuned on the ALQAC relevance set, see bench/legal_relevance.py and ADR 0010).
EXACT_WEIGHT = 1.0  # an exact (with diacritics) syllable or pair, on top of its folded match
TITLE_WEIGHT = 0.5  # a syllable in the title, on top of its match in the whole text
IDENTIFIER_WEIGHT = 200.0  # a document number named in the query
# Queries of up to this many distinct syllables need every one of them (a search box);
# longer ones (a citizen's question) need a share of them and are ranked by BM25.
ALL_TERMS_UP_TO = 4
LONG_QUERY_SHARE = 0.3

# Cuts "a b c d" into "a b", "c d"; given the text and the text without its first syllable,
# a field holds every adjacent pair.
PAIRS_TOKENIZER = "vgp_pairs"

_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]*)[\"“”«»]?")


@dataclass(frozen=True)
class IndexSpec:
    """What an index holds: its name and its keyword fields (filters and facets, as ints)."""

    name: str
    keywords: tuple[str, ...] = ()


@dataclass
class Entry:
    """One record to index."""

    id: int
    title: str
    body: str = ""
    identifiers: Sequence[str] = ()
    date: date | None = None
    keywords: dict[str, int | Sequence[int]] = field(default_factory=dict)


@dataclass
class ParsedQuery:
    """A query string split into free syllables and quoted phrases (exact forms)."""

    words: list[str]
    phrases: list[list[str]]

    @property
    def highlight_terms(self) -> set[str]:
        """Folded syllables to mark in snippets."""
        found = {fold(word) for word in self.words}
        for phrase in self.phrases:
            found.update(fold(word) for word in phrase)
        return found


def parse_query(text: str) -> ParsedQuery:
    phrases = []
    for match in _QUOTED.finditer(text or ""):
        tokens = normalize(match.group(1)).split()
        tokens = [t for token in tokens for t in re.findall(r"[^\W_]+", token)]
        if tokens:
            phrases.append(tokens)
    rest = _QUOTED.sub(" ", text or "")
    return ParsedQuery(words=re.findall(r"[^\W_]+", normalize(rest)), phrases=phrases)


@dataclass
class Query:
    text: str = ""
    identifiers: Sequence[str] = ()
    filters: Mapping[str, Sequence[int]] = field(default_factory=dict)
    sort: str = "relevance"  # "relevance" | "newest" | "oldest"
    offset: int = 0
    limit: int = 20
    facets: Sequence[str] = ()


@dataclass
class Hit:
    id: int
    score: float


@dataclass
class Result:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[int, int]]
    parsed: ParsedQuery


class BulkWriter:
    """Writes through one open tantivy writer; each :meth:`write` is one commit."""

    def __init__(self, index: SearchIndex, writer: Any) -> None:
        self.index = index
        self.writer = writer

    def write(
        self,
        entries: Iterable[Entry] = (),
        delete: Iterable[int] = (),
        delete_where: Iterable[tuple[str, int]] = (),
        *,
        replace: bool = True,
    ) -> int:
        """Delete, then add ``entries``, each replacing an entry with its id unless
        ``replace`` is false (the caller deleted them already: deletes cost at commit)."""
        written = 0
        for record_id in delete:
            self.writer.delete_documents_by_term("id", int(record_id))
        for name, value in delete_where:
            self.writer.delete_documents_by_term(name, int(value))
        for entry in entries:
            if replace:
                self.writer.delete_documents_by_term("id", entry.id)
            self.writer.add_document(self.index._document(entry))
            written += 1
        self.writer.commit()
        return written


def _date_value(value: date | None) -> int:
    return value.toordinal() if value else 0


class SearchIndex:
    """One tantivy index on disk. Searching is thread-safe; writing is one writer at a time."""

    def __init__(self, spec: IndexSpec, path: Path) -> None:
        self.spec = spec
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        for name in ("folded", "exact", "title"):
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        for name in ("folded_pairs", "exact_pairs"):
            builder.add_text_field(name, tokenizer_name=PAIRS_TOKENIZER, index_option="freq")
        builder.add_text_field("ident", tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("date", indexed=True, fast=True)
        for name in spec.keywords:
            builder.add_integer_field(name, indexed=True, fast=True)
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self.index.register_tokenizer(
            PAIRS_TOKENIZER,
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S+ \S+")).build(),
        )
        self._write_lock = threading.Lock()

    # --- writing -------------------------------------------------------------------------

    def _writer(self, *, threads: int = 1, heap: int = 64_000_000, timeout: float = 60.0) -> Any:
        """The index writer; another process holding it makes us wait (it commits quickly)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.index.writer(heap_size=heap, num_threads=threads)
            except ValueError as exc:  # LockBusy: another writer is committing
                if time.monotonic() > deadline:
                    raise TimeoutError(f"search index {self.path} is locked: {exc}") from exc
                time.sleep(0.05)

    def _document(self, entry: Entry) -> Any:
        whole = analyze(f"{entry.title}\n{entry.body}")
        title = analyze(entry.title)
        doc = tantivy.Document()
        doc.add_integer("id", entry.id)
        doc.add_text("folded", whole.folded)
        doc.add_text("exact", whole.exact)
        doc.add_text("title", title.folded)
        for name, tokens in (("folded_pairs", whole.folded), ("exact_pairs", whole.exact)):
            doc.add_text(name, tokens)
            doc.add_text(name, shifted(tokens))
        for term in entry.identifiers:
            doc.add_text("ident", term)
        doc.add_integer("date", _date_value(entry.date))
        for name in self.spec.keywords:
            value = entry.keywords.get(name)
            if value is None:
                continue
            for item in [value] if isinstance(value, int) else value:
                doc.add_integer(name, int(item))
        return doc

    def write(
        self,
        entries: Iterable[Entry] = (),
        delete: Iterable[int] = (),
        delete_where: Iterable[tuple[str, int]] = (),
    ) -> int:
        """Add or replace ``entries``, remove the ids in ``delete`` and every entry whose
        keyword field has the value in ``delete_where``; one commit."""
        with self.bulk(threads=1) as bulk:
            return bulk.write(entries, delete, delete_where)

    @contextmanager
    def bulk(self, *, threads: int = 2, heap: int = 256_000_000) -> Iterator[BulkWriter]:
        """One writer for many commits (imports): ``write`` commits each call, merges run in
        the background and are waited for at the end. Holds the index's write lock."""
        with self._write_lock:
            writer = self._writer(threads=threads, heap=heap)
            bulk = BulkWriter(self, writer)
            try:
                yield bulk
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
        self.index.reload()

    def clear(self) -> None:
        with self.bulk(threads=1) as bulk:
            bulk.writer.delete_all_documents()
            bulk.writer.commit()

    # --- reading -------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.index.searcher().num_docs)

    def ids(self) -> set[int]:
        """Every id in the index (for consistency checks; reads all stored ids)."""
        searcher = self.index.searcher()
        found = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs))
        return {int(searcher.doc(address)["id"][0]) for _score, address in found.hits}

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())

    def _term(self, field_name: str, value: str, boost: float = 1.0) -> Any:
        term = tantivy.Query.term_query(self.schema, field_name, value, index_option="freq")
        return term if boost == 1.0 else tantivy.Query.boost_query(term, boost)

    def _syllable(self, word: str) -> Any:
        folded = fold(word)
        clauses = [
            (tantivy.Occur.Should, self._term("folded", folded)),
            (tantivy.Occur.Should, self._term("title", folded, TITLE_WEIGHT)),
        ]
        if has_marks(word):
            clauses.append((tantivy.Occur.Should, self._term("exact", word, EXACT_WEIGHT)))
        return tantivy.Query.boolean_query(clauses)

    def _phrase(self, tokens: list[str]) -> tuple[Any, Any | None]:
        """The query a phrase must match (folded) and the bonus for its exact spelling."""
        folded = [fold(token) for token in tokens]
        marked = any(has_marks(token) for token in tokens)
        if len(tokens) == 1:
            must = self._term("folded", folded[0])
            bonus = self._term("exact", tokens[0], EXACT_WEIGHT) if marked else None
        elif len(tokens) == 2:
            # A two-syllable phrase is one pair term: no positions to read (ADR 0010).
            must = self._term("folded_pairs", " ".join(folded))
            bonus = self._term("exact_pairs", " ".join(tokens), EXACT_WEIGHT) if marked else None
        else:
            must = tantivy.Query.phrase_query(self.schema, "folded", list[Any](folded))
            bonus = (
                tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(self.schema, "exact", list[Any](tokens)),
                    EXACT_WEIGHT,
                )
                if marked
                else None
            )
        return must, bonus

    def build_query(self, query: Query, parsed: ParsedQuery) -> Any:
        clauses: list[tuple[Any, Any]] = []
        words = list(dict.fromkeys(parsed.words))
        scoring = False
        if words:
            needed = (
                len(words)
                if len(words) <= ALL_TERMS_UP_TO
                else max(1, math.ceil(len(words) * LONG_QUERY_SHARE))
            )
            syllable_clauses = [(tantivy.Occur.Should, self._syllable(w)) for w in words]
            word_query = tantivy.Query.boolean_query(syllable_clauses, needed)
            if query.identifiers:
                # "QĐ-TTg 83" may be written in a way the text does not hold: the number alone
                # is then enough.
                ident = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, self._ident(query.identifiers))]
                )
                word_query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, word_query), (tantivy.Occur.Should, ident)]
                )
            clauses.append((tantivy.Occur.Must, word_query))
            for pair in dict.fromkeys(pairs(parsed.words)):
                first, second = pair.split(" ", 1)
                clauses.append((tantivy.Occur.Should, self._term("folded_pairs", fold(pair))))
                if has_marks(first) or has_marks(second):
                    clauses.append(
                        (tantivy.Occur.Should, self._term("exact_pairs", pair, EXACT_WEIGHT))
                    )
            scoring = True
        for phrase in parsed.phrases:
            must, bonus = self._phrase(phrase)
            clauses.append((tantivy.Occur.Must, must))
            if bonus is not None:
                clauses.append((tantivy.Occur.Should, bonus))
            scoring = True
        if query.identifiers:
            clauses.append((tantivy.Occur.Should, self._ident(query.identifiers)))
            if not scoring:
                clauses.append((tantivy.Occur.Must, self._ident(query.identifiers)))
            scoring = True
        for name, values in query.filters.items():
            if name not in self.spec.keywords or not values:
                continue
            match = tantivy.Query.term_set_query(self.schema, name, [int(v) for v in values])
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(match, 0.0)))
        if not scoring:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _ident(self, identifiers: Sequence[str]) -> Any:
        return tantivy.Query.boost_query(
            tantivy.Query.term_set_query(self.schema, "ident", list(identifiers)),
            IDENTIFIER_WEIGHT,
        )

    def search(self, query: Query) -> Result:
        parsed = parse_query(query.text)
        tantivy_query = self.build_query(query, parsed)
        searcher = self.index.searcher()
        limit = max(1, query.limit)
        has_text = bool(parsed.words or parsed.phrases or query.identifiers)
        if query.sort in ("newest", "oldest") or not has_text:
            order = tantivy.Order.Asc if query.sort == "oldest" else tantivy.Order.Desc
            found = searcher.search(
                tantivy_query,
                limit=limit,
                offset=query.offset,
                order_by_field="date",
                order=order,
                count=True,
            )
        else:
            found = searcher.search(tantivy_query, limit=limit, offset=query.offset, count=True)
        addresses = [address for _score, address in found.hits]
        ids = searcher.fast_field_values("id", addresses) if addresses else []
        hits = [
            Hit(id=int(record_id or 0), score=float(score))
            for (score, _address), record_id in zip(found.hits, ids, strict=True)
        ]
        # The stubs of tantivy-py omit ``count`` (set because count=True).
        total = int(getattr(found, "count", 0) or 0)
        facets: dict[str, dict[int, int]] = {}
        wanted = [name for name in query.facets if name in self.spec.keywords]
        if wanted and total:
            spec = {name: {"terms": {"field": name, "size": 500}} for name in wanted}
            aggregated = searcher.aggregate(tantivy_query, spec)
            for name in wanted:
                buckets = aggregated.get(name, {}).get("buckets", [])
                facets[name] = {int(b["key"]): int(b["doc_count"]) for b in buckets}
        return Result(hits=hits, total=total, facets=facets, parsed=parsed)


_lock = threading.Lock()
_open: dict[tuple[str, str], SearchIndex] = {}


def index_root() -> Path:
    return Path(getattr(settings, "SEARCH_INDEX_DIR", settings.BASE_DIR / "var" / "search"))


def get_index(spec: IndexSpec) -> SearchIndex:
    """The process's handle on ``spec``'s index under ``SEARCH_INDEX_DIR`` (opened once)."""
    path = index_root() / f"{spec.name}-v{SCHEMA_VERSION}"
    key = (str(path), spec.name)
    with _lock:
        index = _open.get(key)
        if index is None:
            index = _open[key] = SearchIndex(spec, path)
        return index


def forget_open_indexes() -> None:
    """Drop the process's handles (tests point ``SEARCH_INDEX_DIR`` somewhere new)."""
    with _lock:
        _open.clear()
