"""Demo issues of the Official Gazette (``load_demo``; idempotent).

Two gazette editors share the desk because publication takes four eyes: ``congbao`` assembles
and submits each issue, ``congbao2`` checks and publishes it. The issues go through the real
actions, so the demo has real PDFs, page numbers and audit records.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from vgp.legal.models import LegalDocument

from . import actions
from .models import GazetteIssue
from .numbering import next_free_number

DEMO_ISSUES = 3
DOCUMENTS_PER_ISSUE = 4


def load_demo_gazette(submitter_name: str = "congbao", publisher_name: str = "congbao2") -> str:
    """Publish a few issues of the most recent published documents, one issue per day."""
    if GazetteIssue.objects.exists():
        return "already loaded"
    users = get_user_model().objects
    submitter = users.filter(username=submitter_name).first()
    publisher = users.filter(username=publisher_name).first()
    if submitter is None or publisher is None:
        return "no gazette editors"
    documents = list(
        LegalDocument.objects.published()
        .exclude(body="")
        .order_by("-issued_date", "-pk")[: DEMO_ISSUES * DOCUMENTS_PER_ISSUE]
    )
    today = timezone.localdate()
    published = 0
    for index in range(DEMO_ISSUES):
        batch = documents[index * DOCUMENTS_PER_ISSUE : (index + 1) * DOCUMENTS_PER_ISSUE]
        if not batch:
            break
        issue_date = today - dt.timedelta(days=DEMO_ISSUES - 1 - index)
        issue = actions.create_issue(
            submitter,
            year=issue_date.year,
            number=next_free_number(issue_date.year),
            issue_date=issue_date,
            documents=batch,
        )
        actions.submit_for_review(submitter, issue)
        actions.publish_issue(publisher, issue)
        published += 1
    return f"{published} issues published"
