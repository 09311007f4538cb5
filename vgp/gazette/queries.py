"""Reads of the gazette for the public pages, the feeds, the API and the legal document page.

Only published issues are ever read here; each function runs a fixed number of queries
whatever the number of issues or documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from vgp.signatures import publishing
from vgp.signatures.models import PublicationKind, PublicationSignature

from .models import GazetteEntry, GazetteIssue, IssueStatus
from .printing import PrintedDocument

LATEST_COUNT = 12


def published_issues() -> QuerySet[GazetteIssue]:
    """Published issues, newest first, each with ``document_count``."""
    return (
        GazetteIssue.objects.published()
        .annotate(document_count=Count("entries"))
        .order_by("-year", "-number")
    )


def latest_issues(count: int = LATEST_COUNT) -> list[GazetteIssue]:
    return list(published_issues().order_by("-issue_date", "-year", "-number")[:count])


@dataclass(frozen=True)
class YearSummary:
    year: int
    issues: int


def years() -> list[YearSummary]:
    """Every year with a published issue, newest first, with its number of issues."""
    rows = (
        GazetteIssue.objects.published()
        .order_by()
        .values("year")
        .annotate(issues=Count("pk"))
        .order_by("-year")
    )
    return [YearSummary(year=row["year"], issues=row["issues"]) for row in rows]


def issues_of_year(year: int) -> QuerySet[GazetteIssue]:
    return published_issues().filter(year=year)


def _entries_queryset() -> QuerySet[GazetteEntry]:
    return GazetteEntry.objects.select_related(
        "document", "document__doc_type", "document__issuer"
    ).order_by("sort_order", "pk")


def issue_for_page(year: int, number: int) -> GazetteIssue | None:
    """A published issue with its entries (and their documents), or None."""
    return (
        GazetteIssue.objects.published()
        .filter(year=year, number=number)
        .prefetch_related(Prefetch("entries", queryset=_entries_queryset()))
        .first()
    )


def signature(issue: GazetteIssue) -> PublicationSignature | None:
    """Whether and by whom the issue's stored PDF was sealed at publication (None for an issue
    published before the portal sealed issues)."""
    return publishing.signature_of(PublicationKind.GAZETTE_ISSUE, issue.pdf_sha256)


@dataclass(frozen=True)
class PrintedEntry:
    """An entry with its text as printed, for the issue's HTML view."""

    entry: GazetteEntry
    printed: PrintedDocument


def printed_entries(issue: GazetteIssue) -> list[PrintedEntry]:
    """``issue``'s entries (prefetched by :func:`issue_for_page`) with their printed text."""
    return [
        PrintedEntry(entry=entry, printed=PrintedDocument.from_json(entry.printed))
        for entry in issue.entries.all()
    ]


def appearances(document_id: int) -> list[GazetteEntry]:
    """Where a document was printed: its entries in published issues, oldest issue first."""
    return list(
        GazetteEntry.objects.filter(document_id=document_id, issue__status=IssueStatus.PUBLISHED)
        .select_related("issue")
        .order_by("issue__issue_date", "issue__year", "issue__number")
    )
