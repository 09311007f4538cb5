"""Publication deadlines of documents received for the gazette (Decree 34/2016).

The Government Office publishes a document in the gazette within 15 days of receiving it:
calendar days, counted from the day after receipt. The number of days is data
(``GAZETTE_PUBLISH_WITHIN_DAYS``); the deadline is fixed on the submission when it is received.

A submission is resolved when its document appears in a published issue: that is read from the
issues (:func:`with_publication`), never stored a second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import GazetteEntry, GazetteSubmission, IssueStatus

DEFAULT_PUBLISH_WITHIN_DAYS = 15
# A pending submission whose deadline is this close shows on the editors' dashboard.
DUE_SOON_DAYS = 3
# How many submissions of each kind the dashboard panel lists (the rest behind a link).
PANEL_LIMIT = 10

OVERDUE = "overdue"
DUE_SOON = "due_soon"
PENDING = "pending"
PUBLISHED = "published"
PUBLISHED_LATE = "published_late"
STATE_LABELS = {
    OVERDUE: _("Overdue"),
    DUE_SOON: _("Due soon"),
    PENDING: _("Waiting"),
    PUBLISHED: _("Published on time"),
    PUBLISHED_LATE: _("Published late"),
}


def publish_within_days() -> int:
    value = getattr(settings, "GAZETTE_PUBLISH_WITHIN_DAYS", DEFAULT_PUBLISH_WITHIN_DAYS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ImproperlyConfigured(
            f"GAZETTE_PUBLISH_WITHIN_DAYS must be a whole number of days, at least 1: {value!r}"
        )
    return value


def due_date(received_on: dt.date) -> dt.date:
    """The last day on which a document received on ``received_on`` may be published."""
    return received_on + dt.timedelta(days=publish_within_days())


def with_publication(submissions: QuerySet[GazetteSubmission]) -> QuerySet[Any]:
    """Annotate ``published_on`` (the date of the first published issue holding the document)
    and ``published_issue_id``; both are None while the submission is pending."""
    first = GazetteEntry.objects.filter(
        document_id=OuterRef("document_id"), issue__status=IssueStatus.PUBLISHED
    ).order_by("issue__issue_date", "issue__year", "issue__number")
    return submissions.annotate(
        published_on=Subquery(first.values("issue__issue_date")[:1]),
        published_issue_id=Subquery(first.values("issue_id")[:1]),
    )


def pending(submissions: QuerySet[GazetteSubmission] | None = None) -> QuerySet[Any]:
    """Submissions whose document is in no published issue yet, earliest deadline first."""
    base = submissions if submissions is not None else GazetteSubmission.objects.all()
    return (
        with_publication(base)
        .filter(published_on__isnull=True)
        .select_related("document", "document__doc_type", "sending_agency")
        .order_by("due_on", "pk")
    )


def state_of(submission: GazetteSubmission, today: dt.date | None = None) -> str:
    """One of the states above; ``submission`` must come from :func:`with_publication`."""
    today = today or timezone.localdate()
    published_on = getattr(submission, "published_on", None)
    if published_on is not None:
        return PUBLISHED_LATE if published_on > submission.due_on else PUBLISHED
    if submission.due_on < today:
        return OVERDUE
    if submission.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return PENDING


@dataclass(frozen=True)
class DeadlineReport:
    overdue: list[GazetteSubmission]
    overdue_total: int
    due_soon: list[GazetteSubmission]
    due_soon_total: int
    today: dt.date

    @property
    def anything_due(self) -> bool:
        return bool(self.overdue_total or self.due_soon_total)


def report(today: dt.date | None = None) -> DeadlineReport:
    """What the editors must publish now: overdue and due-soon pending submissions."""
    today = today or timezone.localdate()
    waiting = pending()
    overdue = waiting.filter(due_on__lt=today)
    due_soon = waiting.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(DUE_SOON_DAYS))
    return DeadlineReport(
        overdue=list(overdue[:PANEL_LIMIT]),
        overdue_total=overdue.count(),
        due_soon=list(due_soon[:PANEL_LIMIT]),
        due_soon_total=due_soon.count(),
        today=today,
    )
