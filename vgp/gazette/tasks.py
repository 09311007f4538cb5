"""Background work of the Official Gazette (idempotent; safe to run twice)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_gazette_issue(issue_id: int) -> int:
    """Write a published issue's documents into the gazette search index (after publishing)."""
    from . import search_index

    return search_index.index_issue(issue_id)


@task()
def catch_up_gazette_index() -> int:
    """Add whatever published entry this server's index lacks (the safety net)."""
    from . import search_index

    return search_index.catch_up()
