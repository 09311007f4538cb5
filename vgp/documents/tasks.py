"""Background work of the official documents (idempotent; safe to run twice)."""

from __future__ import annotations

from django_tasks import task

# --- Search index ---------------------------------------------------------------------------


@task()
def index_documents(document_ids: list[int]) -> int:
    """Refresh the search entries of these documents (enqueued after a change commits)."""
    from . import search_index

    return search_index.index_documents(document_ids)


@task()
def catch_up_documents_index() -> int:
    """Re-index whatever changed since the last pass (every minute; the safety net)."""
    from . import search_index

    return search_index.catch_up()


# --- Notifications and reminders ------------------------------------------------------------


@task()
def notify_document_event(event_id: int) -> list[int]:
    """E-mail the new holders of an urgent document about one step (``notifications``).

    Enqueued after the action commits; sends at most once per event (a marker in the event's
    data), so running it again sends nothing. Raises when the e-mail cannot be sent: the run is
    listed as failed under Settings → Background tasks, and retrying it there sends it."""
    from . import notifications

    return notifications.notify(event_id)


class DocumentRemindersFailed(Exception):
    """Some document reminders or escalations could not be sent (each one is logged)."""


@task()
def send_document_reminders() -> dict[str, list[str]]:
    """Remind the holders of tasks and reviews due soon or waiting, escalate overdue ones
    (``reminders``).

    Enqueued every hour by the ops scheduler; each task, document or review is reminded or
    escalated at most once a day, so running it again sends nothing new. Fails at the end when
    any alert failed, so that the run is listed as failed under Settings → Background tasks
    (the next run retries them)."""
    from . import reminders

    report = reminders.run()
    if report.failed:
        raise DocumentRemindersFailed(
            f"{len(report.failed)} failed (see the log for each traceback): "
            + ", ".join(report.failed)
        )
    return report.as_dict()


# --- Register exports -----------------------------------------------------------------------


@task()
def build_register_export(export_id: int) -> str:
    """Make the XLSX or PDF file of a register an official asked for (``exports``).

    Enqueued after the request commits. Safe to run twice: an export already made, or being
    made by another worker, is left alone. A failure that may pass (database, storage) is
    tried again a minute later where the backend can defer, up to three attempts; the last
    failure is shown to the official on the registers page and raised, so the run is listed
    as failed under Settings → Background tasks, where retrying it makes the file again."""
    from . import exports

    return exports.build_export(export_id)


@task()
def purge_register_exports() -> int:
    """Remove register exports older than ``DOCUMENTS_EXPORT_KEEP_DAYS`` days, with their
    files, and mark as failed those whose worker died (``exports.purge``). Also run after
    every export and by ``manage.py purge_register_exports``."""
    from . import exports

    return exports.purge()


# --- Files' text ----------------------------------------------------------------------------


@task()
def extract_attachment_texts(attachment_ids: list[int]) -> dict[str, int]:
    """Read the text of newly attached files for search, then re-index their documents
    (``search_index.extract_texts``).

    Enqueued after the upload commits (and by the catch-up job for a file whose text is
    late). Safe to run twice: a file whose text was read is skipped. A file that cannot be
    read is marked failed on the document's page and logged."""
    from . import search_index

    return search_index.extract_texts(attachment_ids)
