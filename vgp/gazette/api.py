"""JSON API of the Official Gazette (public, no key): published issues and their contents.

- ``GET /api/v1/gazette/issues?year=2026``: published issues, newest first;
- ``GET /api/v1/gazette/issues/{year}/{number}``: one issue with its documents and pages.

An issue is identified by its year and number, which never change once it is published.
No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from . import queries
from .models import GazetteIssue
from .printing import PrintedDocument

router = Router(tags=["official gazette"])

MAX_LIMIT = 200


class IssueOut(Schema):
    """One published issue. The field set is a published contract: add fields, never rename."""

    year: int
    number: int
    issue_date: dt.date
    published_at: dt.datetime | None
    document_count: int
    page_count: int
    url: str = Field(description="The issue's page on the portal")
    pdf_url: str
    pdf_size: int = Field(description="Bytes")
    pdf_sha256: str = Field(description="Fingerprint of the PDF, to check a copy")


class DocumentRef(Schema):
    id: int = Field(description="The document's id in /api/v1/legal-documents")
    number_symbol: str
    type: str
    title: str = Field(description="As printed in the issue")
    issued_date: dt.date | None
    url: str = Field(description="The document's page in the legal documents database")


class EntryOut(Schema):
    position: int = Field(description="Place in the issue, from 1")
    start_page: int
    end_page: int
    document: DocumentRef
    text_url: str = Field(description="The document in the issue's HTML view")


class IssueDetailOut(IssueOut):
    entries: list[EntryOut]


class IssueListOut(Schema):
    items: list[IssueOut]
    count: int


class IssueFilters(Schema):
    year: int | None = Field(None, description="Only issues of this year", ge=1900, le=9999)
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _issue_data(issue: GazetteIssue, request: HttpRequest, document_count: int) -> dict[str, Any]:
    return {
        "year": issue.year,
        "number": issue.number,
        "issue_date": issue.issue_date,
        "published_at": issue.published_at,
        "document_count": document_count,
        "page_count": issue.page_count,
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "pdf_url": request.build_absolute_uri(issue.get_pdf_url()),
        "pdf_size": issue.pdf_size,
        "pdf_sha256": issue.pdf_sha256,
    }


@router.get("/issues", response=IssueListOut, summary="Published gazette issues, newest first")
def list_issues(request: HttpRequest, filters: Query[IssueFilters]) -> dict[str, Any]:
    issues = queries.published_issues()
    if filters.year is not None:
        issues = issues.filter(year=filters.year)
    page = issues[filters.offset : filters.offset + filters.limit]
    return {
        "items": [_issue_data(issue, request, issue.document_count) for issue in page],
        "count": issues.count(),
    }


@router.get(
    "/issues/{year}/{number}",
    response=IssueDetailOut,
    summary="One published gazette issue with its documents and pages",
)
def get_issue(request: HttpRequest, year: int, number: int) -> dict[str, Any]:
    issue = queries.issue_for_page(year, number)
    if issue is None:
        raise HttpError(
            404,
            _("No published gazette issue has the number %(number)s/%(year)s.")
            % {"number": number, "year": year},
        )
    entries = list(issue.entries.all())
    text_url = request.build_absolute_uri(issue.get_text_url())
    data = _issue_data(issue, request, len(entries))
    data["entries"] = []
    for entry in entries:
        # Number, type and title as printed: the gazette's record, whatever changed since.
        printed = PrintedDocument.from_json(entry.printed)
        data["entries"].append(
            {
                "position": entry.position,
                "start_page": entry.start_page or 0,
                "end_page": entry.end_page or 0,
                "document": {
                    "id": entry.document_id,
                    "number_symbol": printed.number_symbol,
                    "type": printed.type_name,
                    "title": printed.title,
                    "issued_date": printed.issued_date,
                    "url": request.build_absolute_uri(entry.document.get_absolute_url()),
                },
                "text_url": f"{text_url}#{entry.anchor}",
            }
        )
    return data
