"""Background work of the legal documents database (idempotent; safe to run twice)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_legal_documents(document_ids: list[int]) -> int:
    """Refresh the search entries of these documents (enqueued after a publish or import)."""
    from . import search_index

    return search_index.index_documents(document_ids)


@task()
def catch_up_legal_index() -> int:
    """Re-index whatever changed since the last pass (every minute; the safety net)."""
    from . import search_index

    return search_index.catch_up()


@task()
def refresh_legal_validity() -> int:
    """Recompute validity statuses that dates have changed (daily, and hourly is harmless)."""
    from . import validity

    return validity.refresh_all()
