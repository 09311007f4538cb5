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
