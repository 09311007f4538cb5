"""Published gazette entries in the full-text index (``vgp.search.engine``, ADR 0010).

One index entry per document of a published issue: id = ``GazetteEntry`` pk, title = the
document's type, number and title, body = its text as printed (``GazetteEntry.printed``),
the document number as identifier terms, the issue date as date. Keywords: ``year`` (of the
issue) and ``issue`` (the issue's id).

The database is the source of truth: publishing schedules :func:`index_issue` after commit;
:func:`catch_up` (from the scheduler) adds whatever published entry the index on this server
lacks, so a lost task or a new server converges; ``manage.py rebuild_gazette_index`` starts
again from nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from vgp.legal.numbering import query_identifier_terms
from vgp.search.engine import Entry, IndexSpec, Query, get_index
from vgp.search.snippets import Snippet, make_snippet

from .models import GazetteEntry, IssueStatus
from .printing import PrintedDocument

ENTRIES = IndexSpec("gazette-entries", ("year", "issue"))
PER_PAGE = 20
MAX_PAGE = 200


def published_entries() -> QuerySet[GazetteEntry]:
    return GazetteEntry.objects.filter(issue__status=IssueStatus.PUBLISHED).select_related("issue")


def entry_for(entry: GazetteEntry) -> Entry:
    printed = PrintedDocument.from_json(entry.printed)
    return Entry(
        id=entry.pk,
        title=f"{printed.reference} {printed.title}",
        body=printed.full_text(),
        identifiers=printed.identifiers(),
        date=entry.issue.issue_date,
        keywords={"year": entry.issue.year, "issue": entry.issue_id},
    )


def index_entries(entries: Iterable[GazetteEntry]) -> int:
    return get_index(ENTRIES).write([entry_for(entry) for entry in entries])


def index_issue(issue_id: int) -> int:
    """Write the entries of one issue (nothing unless it is published)."""
    return index_entries(published_entries().filter(issue_id=issue_id))


def schedule_issue(issue_id: int) -> None:
    """Index the issue once the current transaction commits."""
    from .tasks import index_gazette_issue

    transaction.on_commit(lambda: index_gazette_issue.enqueue(issue_id))


def catch_up() -> int:
    """Index every published entry this server's index lacks; drop entries no longer published."""
    index = get_index(ENTRIES)
    present = index.ids()
    published = set(published_entries().values_list("pk", flat=True))
    missing = published - present
    stale = present - published
    if not missing and not stale:
        return 0
    entries = published_entries().filter(pk__in=missing) if missing else []
    return index.write([entry_for(entry) for entry in entries], delete=sorted(stale))


def rebuild() -> int:
    get_index(ENTRIES).clear()
    return catch_up()


# --- Searching ------------------------------------------------------------------------------


@dataclass
class Hit:
    entry: GazetteEntry
    printed: PrintedDocument
    snippet: Snippet


@dataclass
class YearCount:
    year: int
    count: int
    selected: bool


@dataclass
class Results:
    query: str
    years: list[int]
    page: int
    hits: list[Hit]
    total: int
    year_counts: list[YearCount] = field(default_factory=list)
    total_exact: bool = True  # false for a question: its best matches only (ADR 0010)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / PER_PAGE)))


def search(text: str, *, years: Iterable[int] = (), page: int = 1) -> Results:
    """Published entries matching ``text`` (with or without diacritics, or a document number),
    newest issue first when no text is given; snippets highlight the words found."""
    page = max(1, min(page, MAX_PAGE))
    wanted_years = sorted(set(years))
    query = Query(
        text=text,
        identifiers=query_identifier_terms(text) if text else (),
        filters={"year": wanted_years} if wanted_years else {},
        sort="relevance" if text.strip() else "newest",
        offset=(page - 1) * PER_PAGE,
        limit=PER_PAGE,
        facets=("year",),
    )
    result = get_index(ENTRIES).search(query)
    ids = [hit.id for hit in result.hits]
    found = {
        entry.pk: entry
        for entry in GazetteEntry.objects.filter(
            pk__in=ids, issue__status=IssueStatus.PUBLISHED
        ).select_related("issue")
    }
    terms = result.parsed.highlight_terms
    hits = []
    for hit in result.hits:
        entry = found.get(hit.id)
        if entry is None:  # the index is ahead of or behind the database: trust the database
            continue
        printed = PrintedDocument.from_json(entry.printed)
        text = f"{printed.title}\n{printed.full_text()}"
        hits.append(Hit(entry=entry, printed=printed, snippet=make_snippet(text, terms)))
    # The year facet counts ignore the year filter (the engine counts a filtered field under
    # the other filters), so that other years stay offered.
    facet = result.facets.get("year", {})
    year_counts = [
        YearCount(year=year, count=count, selected=year in wanted_years)
        for year, count in sorted(facet.items(), reverse=True)
    ]
    return Results(
        query=text,
        years=wanted_years,
        page=page,
        hits=hits,
        total=result.total,
        year_counts=year_counts,
        total_exact=result.total_exact,
    )
