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
spelling finds its document first. Keywords (up to four syllables) require every syllable;
longer queries are questions, answered in two passes (distinctive terms pick candidates with
block-max WAND, every term reranks the first page). Quoted phrases match by syllable pairs and
are checked for sequence. Ranking and results are the same whatever the database.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from .analysis import analyze, fold, has_marks, normalize, pairs, shifted

logger = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: a new folder is built and the old one ignored.
# (Integer fields are i64: tantivy-py's delete-by-term does not match u64 terms.)
SCHEMA_VERSION = 3

# Weights (tuned on the ALQAC relevance set, see bench/legal.py and ADR 0010).
EXACT_WEIGHT = 1.0  # an exact (with diacritics) syllable or pair, on top of its folded match
TITLE_WEIGHT = 0.5  # a syllable in the title, on top of its match in the whole text
IDENTIFIER_WEIGHT = 200.0  # a document number named in the query
# Queries of up to this many distinct syllables need every one of them (a search box);
# longer ones (a citizen's question) are ranked by BM25 over all their terms, none required.
ALL_TERMS_UP_TO = 4
# A question is answered in two passes (ADR 0010): its distinctive terms (found in at most
# this share of the entries, and at least the MIN_DISTINCTIVE rarest) pick the CANDIDATES
# best entries with dynamic pruning; every term then reranks the first RESCORE_WINDOW of them
# (one page). The common terms ("quy định", "cơ quan") barely move BM25 but would make
# pruning impossible.
COMMON_SHARE = 0.05
MIN_DISTINCTIVE = 6
CANDIDATES = 200
RESCORE_WINDOW = 20
# Entries fetched beyond a page when the phrases on it are checked for sequence, and the
# number of matches up to which the count and the facets are checked too.
PHRASE_CHECK_SLACK = 10
PHRASE_EXACT_COUNT_UP_TO = 5_000

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
    """``total`` counts every match, unless ``total_exact`` is false: a question's total is
    the number of its best candidates (at most :data:`CANDIDATES`), and its facet counts are
    counted among them."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[int, int]]
    parsed: ParsedQuery
    total_exact: bool = True


class BulkWriter:
    """Writes through one open tantivy writer.

    Each :meth:`write` commits, unless ``commit_every`` (seconds) is set: writes then commit
    once that long has passed since the last commit, and :meth:`SearchIndex.bulk` commits
    what is left at the end. Between commits tantivy indexes on its own threads while the
    caller prepares the next batch (an import's database work), instead of waiting."""

    def __init__(self, index: SearchIndex, writer: Any, commit_every: float = 0.0) -> None:
        self.index = index
        self.writer = writer
        self.commit_every = commit_every
        self.pending = False
        self._committed_at = time.monotonic()

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
        self.pending = True
        if time.monotonic() - self._committed_at >= self.commit_every:
            self.commit()
        return written

    def commit(self) -> None:
        if self.pending:
            self.writer.commit()
            self.pending = False
        self._committed_at = time.monotonic()


def _record_ids(searcher: Any, hits: Sequence[tuple[float, Any]]) -> list[int]:
    """The record ids of tantivy's ``(score, address)`` hits, in order."""
    addresses = [address for _score, address in hits]
    return [int(i or 0) for i in searcher.fast_field_values("id", addresses)] if addresses else []


def _date_value(value: date | None) -> int:
    return value.toordinal() if value else 0


class SearchIndex:
    """One tantivy index on disk. Searching is thread-safe; writing is one writer at a time."""

    def __init__(self, spec: IndexSpec, path: Path) -> None:
        self.spec = spec
        self.path = path
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        # Positions only where phrases are checked for sequence (the folded text).
        builder.add_text_field("folded", tokenizer_name="whitespace", index_option="position")
        for name in ("exact", "title"):
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
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
    def bulk(
        self, *, threads: int = 2, heap: int = 256_000_000, commit_every: float = 0.0
    ) -> Iterator[BulkWriter]:
        """One writer for many writes (imports), committed as :class:`BulkWriter` says and
        at the end; merges run in the background and are waited for at the end. Holds the
        index's write lock."""
        with self._write_lock:
            writer = self._writer(threads=threads, heap=heap)
            bulk = BulkWriter(self, writer, commit_every)
            try:
                yield bulk
                bulk.commit()
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

    def _scored_terms(self, words: Sequence[str]) -> list[tuple[str, str, float]]:
        """(field, term, weight) of the free words: each syllable folded, in the title and
        exact (if it carries marks); each adjacent pair folded and exact."""
        terms: list[tuple[str, str, float]] = []
        for word in dict.fromkeys(words):
            folded = fold(word)
            terms.append(("folded", folded, 1.0))
            terms.append(("title", folded, TITLE_WEIGHT))
            if folded != word:
                terms.append(("exact", word, EXACT_WEIGHT))
        for pair in dict.fromkeys(pairs(list(words))):
            folded = fold(pair)
            terms.append(("folded_pairs", folded, 1.0))
            if folded != pair:
                terms.append(("exact_pairs", pair, EXACT_WEIGHT))
        return terms

    def _phrase(self, tokens: list[str]) -> tuple[list[Any], list[Any], Any | None]:
        """What a quoted phrase requires, what its exact spelling adds, and its check.

        One syllable is a term. A longer phrase requires each of its adjacent syllable pairs
        (terms: no positions to read, ADR 0010); for three syllables or more, the entries
        shown are then checked for the syllables in sequence (:meth:`_in_sequence`)."""
        folded = [fold(token) for token in tokens]
        if len(tokens) == 1:
            required = [self._term("folded", folded[0])]
            bonuses = [self._term("exact", tokens[0], EXACT_WEIGHT)] if has_marks(tokens[0]) else []
            return required, bonuses, None
        required = [self._term("folded_pairs", pair) for pair in dict.fromkeys(pairs(folded))]
        bonuses = [
            self._term("exact_pairs", pair, EXACT_WEIGHT)
            for pair in dict.fromkeys(pairs(tokens))
            if has_marks(pair)
        ]
        check = (
            tantivy.Query.phrase_query(self.schema, "folded", list[Any](folded))
            if len(tokens) > 2
            else None
        )
        return required, bonuses, check

    def _phrases(
        self, parsed: ParsedQuery
    ) -> tuple[list[tuple[Any, Any]], list[tuple[Any, Any]], list[Any]]:
        required: list[tuple[Any, Any]] = []
        bonuses: list[tuple[Any, Any]] = []
        checks: list[Any] = []
        for phrase in parsed.phrases:
            must, extra, check = self._phrase(phrase)
            required += [(tantivy.Occur.Must, q) for q in must]
            bonuses += [(tantivy.Occur.Should, q) for q in extra]
            if check is not None:
                checks.append(check)
        return required, bonuses, checks

    def _in_sequence(self, searcher: Any, ids: Sequence[int], checks: list[Any]) -> set[int]:
        """Those of ``ids`` whose entries hold every phrase of ``checks`` in sequence
        (positions are read for these entries only)."""
        if not ids:
            return set()
        found = searcher.search(self._with(self._within(ids), checks), limit=len(ids), count=False)
        return set(_record_ids(searcher, found.hits))

    def _with(self, tantivy_query: Any, required: list[Any]) -> Any:
        """``tantivy_query`` with every query of ``required`` required too."""
        if not required:
            return tantivy_query
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, q) for q in (tantivy_query, *required)]
        )

    def _filters(self, query: Query) -> list[tuple[Any, Any]]:
        clauses = []
        for name, values in query.filters.items():
            if name not in self.spec.keywords or not values:
                continue
            match = tantivy.Query.term_set_query(self.schema, name, [int(v) for v in values])
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(match, 0.0)))
        return clauses

    def build_query(self, query: Query, parsed: ParsedQuery) -> tuple[Any, list[Any]]:
        """The query of a search box, and the sequence checks of its phrases: every free
        syllable and every phrase is required (a document number named in the query may
        stand in for the words); titles, exact spellings and syllable pairs add to the score.
        A flat boolean query of terms: nested per-syllable alternatives cost tantivy several
        times more (ADR 0010)."""
        must: list[tuple[Any, Any]] = []
        should: list[tuple[Any, Any]] = []
        for field_name, term, weight in self._scored_terms(parsed.words):
            occur = tantivy.Occur.Must if field_name == "folded" else tantivy.Occur.Should
            (must if occur == tantivy.Occur.Must else should).append(
                (occur, self._term(field_name, term, weight))
            )
        if query.identifiers:
            ident = self._ident(query.identifiers)
            if must:
                # "QĐ-TTg 83" may be written in a way the text does not hold: the number alone
                # is then enough.
                either = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, tantivy.Query.boolean_query(must)),
                        (tantivy.Occur.Should, ident),
                    ]
                )
                must = [(tantivy.Occur.Must, either)]
            elif not parsed.phrases:
                must.append((tantivy.Occur.Must, ident))
            should.append((tantivy.Occur.Should, ident))
        required, bonuses, checks = self._phrases(parsed)
        must += required
        should += bonuses
        clauses = must + should + self._filters(query)
        if not must:
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses), checks

    def _ident(self, identifiers: Sequence[str]) -> Any:
        return tantivy.Query.boost_query(
            tantivy.Query.term_set_query(self.schema, "ident", list(identifiers)),
            IDENTIFIER_WEIGHT,
        )

    @staticmethod
    def is_question(parsed: ParsedQuery, identifiers: Sequence[str] = ()) -> bool:
        """Whether a query is a question (ranked, no word required) rather than keywords: a
        query naming a document number looks that document up, however long it is."""
        return len(set(parsed.words)) > ALL_TERMS_UP_TO and not identifiers

    def search(self, query: Query) -> Result:
        parsed = parse_query(query.text)
        searcher = self.index.searcher()
        if self.is_question(parsed, query.identifiers):
            return self._search_question(query, parsed, searcher)
        tantivy_query, checks = self.build_query(query, parsed)
        has_text = bool(parsed.words or parsed.phrases or query.identifiers)
        wanted = [name for name in query.facets if name in self.spec.keywords]
        by_date = query.sort in ("newest", "oldest") or not has_text
        # A few more than the page, in case the phrase check sets some aside.
        slack = PHRASE_CHECK_SLACK if checks else 0
        hits, total = self._top(
            searcher, tantivy_query, query, by_date=by_date, count=not wanted, extra=slack
        )
        if checks:
            kept = self._in_sequence(searcher, [hit.id for hit in hits], checks)
            hits = [hit for hit in hits if hit.id in kept]
        hits = hits[: max(1, query.limit)]
        facets: dict[str, dict[int, int]] = {}
        if wanted:
            # One pass counts the matches and their facet values; the pass for the page did
            # not count, so it could skip entries that cannot make the page.
            total, facets = self._aggregate(searcher, tantivy_query, wanted)
        # Few enough matches to count with the phrases checked for sequence; beyond, the
        # count is that of the entries holding every pair (ADR 0010: a hair more, if any).
        sequence = checks if total <= PHRASE_EXACT_COUNT_UP_TO else []
        if sequence and wanted:
            total, facets = self._aggregate(searcher, self._with(tantivy_query, sequence), wanted)
        elif sequence:
            found = searcher.search(self._with(tantivy_query, sequence), limit=1, count=True)
            total = int(getattr(found, "count", 0) or 0)
        # A field being filtered on shows every value it could take under the other filters
        # (the values of one field are alternatives): a pass per such field.
        for name in wanted:
            if query.filters.get(name):
                widened = replace(
                    query, filters={k: v for k, v in query.filters.items() if k != name}
                )
                facets[name] = self._aggregate(
                    searcher, self._with(self.build_query(widened, parsed)[0], sequence), [name]
                )[1][name]
        return Result(hits=hits, total=total, facets=facets, parsed=parsed)

    def _top(
        self,
        searcher: Any,
        tantivy_query: Any,
        query: Query,
        *,
        by_date: bool,
        count: bool,
        extra: int = 0,
    ) -> tuple[list[Hit], int]:
        limit = max(1, query.limit) + extra
        if by_date:
            found = searcher.search(
                tantivy_query,
                limit=limit,
                offset=query.offset,
                order_by_field="date",
                order=tantivy.Order.Asc if query.sort == "oldest" else tantivy.Order.Desc,
                count=count,
            )
        else:
            found = searcher.search(tantivy_query, limit=limit, offset=query.offset, count=count)
        hits = [
            Hit(id=record_id, score=float(score))
            for (score, _address), record_id in zip(
                found.hits, _record_ids(searcher, found.hits), strict=True
            )
        ]
        # The stubs of tantivy-py omit ``count`` (set when count=True).
        return hits, int(getattr(found, "count", 0) or 0)

    def _aggregate(
        self, searcher: Any, tantivy_query: Any, wanted: Sequence[str]
    ) -> tuple[int, dict[str, dict[int, int]]]:
        """The number of matches and, per keyword field in ``wanted``, matches per value."""
        spec: dict[str, Any] = {name: {"terms": {"field": name, "size": 500}} for name in wanted}
        spec["_total"] = {"value_count": {"field": "id"}}
        aggregated = searcher.aggregate(tantivy_query, spec)
        total = int((aggregated.get("_total") or {}).get("value") or 0)
        facets: dict[str, dict[int, int]] = {}
        for name in wanted:
            buckets = aggregated.get(name, {}).get("buckets", []) if total else []
            facets[name] = {int(b["key"]): int(b["doc_count"]) for b in buckets}
        return total, facets

    def _search_question(self, query: Query, parsed: ParsedQuery, searcher: Any) -> Result:
        """Two passes: the distinctive terms pick the candidates, every term ranks them."""
        terms = self._scored_terms(parsed.words)
        frequency = {term: searcher.doc_freq(term[0], term[1]) for term in terms}
        present = [term for term in terms if frequency[term]]
        cut = COMMON_SHARE * max(1, searcher.num_docs)
        distinctive = [term for term in present if frequency[term] <= cut]
        if len(distinctive) < MIN_DISTINCTIVE:
            distinctive = sorted(present, key=lambda term: frequency[term])[:MIN_DISTINCTIVE]
        phrase_parts, bonuses, checks = self._phrases(parsed)
        required = self._filters(query) + phrase_parts
        bonuses += [(tantivy.Occur.Should, part) for _occur, part in phrase_parts]
        union = [(tantivy.Occur.Should, self._term(*term)) for term in distinctive]
        if query.identifiers:
            # A number named in a question makes its document a candidate and ranks it first.
            ident = (tantivy.Occur.Should, self._ident(query.identifiers))
            union.append(ident)
            bonuses.append(ident)
        if not union:
            return Result(hits=[], total=0, facets={}, parsed=parsed, total_exact=True)
        first = tantivy.Query.boolean_query(union)
        if required:
            # A union alone is pruned (block-max WAND); with filters it must be required.
            first = tantivy.Query.boolean_query([(tantivy.Occur.Must, first), *required])
        found = searcher.search(first, limit=CANDIDATES, count=False)
        addresses = [address for _score, address in found.hits]
        dates = searcher.fast_field_values("date", addresses) if addresses else []
        first_pass = [
            (record_id, float(score), int(day or 0))
            for (score, _address), record_id, day in zip(
                found.hits, _record_ids(searcher, found.hits), dates, strict=True
            )
        ]
        if checks:
            kept = self._in_sequence(searcher, [row[0] for row in first_pass], checks)
            first_pass = [row for row in first_pass if row[0] in kept]
        if not first_pass:
            return Result(hits=[], total=0, facets={}, parsed=parsed, total_exact=True)
        candidates = [record_id for record_id, _score, _day in first_pass]
        scores = {record_id: score for record_id, score, _day in first_pass}
        # Every term ranks the best RESCORE_WINDOW candidates, which then come first; the
        # others keep their order (as Elasticsearch's rescore window). Each rescored entry
        # costs a scan of the common terms' postings near it, so the window is one page.
        window = candidates[:RESCORE_WINDOW]
        if window:
            rescored = searcher.search(
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, self._within(window)),
                        *[(tantivy.Occur.Should, self._term(*term)) for term in present],
                        *bonuses,
                    ]
                ),
                limit=len(window),
                count=False,
            )
            rescored_ids = _record_ids(searcher, rescored.hits)
            for (score, _address), record_id in zip(rescored.hits, rescored_ids, strict=True):
                scores[record_id] = float(score)
        ranked = sorted(window, key=lambda record_id: -scores[record_id])
        ranked += candidates[RESCORE_WINDOW:]
        if query.sort in ("newest", "oldest"):
            days = {record_id: day for record_id, _score, day in first_pass}
            ranked.sort(key=lambda record_id: days[record_id], reverse=query.sort == "newest")
        page = ranked[query.offset : query.offset + max(1, query.limit)]
        wanted = [name for name in query.facets if name in self.spec.keywords]
        facets = self._aggregate(searcher, self._within(candidates), wanted)[1] if wanted else {}
        return Result(
            hits=[Hit(id=record_id, score=scores[record_id]) for record_id in page],
            total=len(candidates),
            facets=facets,
            parsed=parsed,
            total_exact=len(found.hits) < CANDIDATES,
        )

    def _within(self, ids: Sequence[int]) -> Any:
        """Entries with these ids (no score of their own)."""
        return tantivy.Query.const_score_query(
            tantivy.Query.term_set_query(self.schema, "id", list(ids)), 0.0
        )


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
