"""Background work of citizen feedback (idempotent; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def send_citizen_message(item_id: int, message: str) -> bool:
    """E-mail the citizen about a step of their submission (raises on failure: retried)."""
    from . import notifications
    from .models import FeedbackItem

    item = FeedbackItem.objects.filter(pk=item_id).select_related("agency").first()
    if item is None:
        return False
    return notifications.send(item, message)


class FeedbackRemindersFailed(Exception):
    """Some reminders or escalations could not be sent (each one is logged)."""


@task()
def send_feedback_reminders() -> dict[str, list[str]]:
    """Remind those holding items due soon and escalate overdue ones (``reminders``).

    Enqueued every hour by the ops scheduler; each item is reminded or escalated at most once a
    day, so running it again sends nothing new. Fails at the end when any item failed, so that
    the run is listed as failed under Settings → Background tasks (the next run retries them).
    """
    from . import reminders

    report = reminders.run()
    if report.failed:
        raise FeedbackRemindersFailed(
            f"{len(report.failed)} failed (see the log for each traceback): "
            + ", ".join(report.failed)
        )
    return report.as_dict()


class IntakeRegistrationFailed(Exception):
    """Some received submissions could not be registered (each one is logged)."""


@task()
def register_feedback_intakes() -> dict[str, Any]:
    """Turn received submissions into items (``actions.register_intakes``).

    Enqueued after API submissions (at most once a second per server process) and every minute
    by the ops scheduler, which catches anything an enqueue missed. Fails at the end when a
    submission could not be registered, so that the run is listed as failed under Settings →
    Background tasks; the row keeps its error and is tried again by the next run.
    """
    from . import actions

    report = actions.register_intakes()
    if report.failed:
        raise IntakeRegistrationFailed(
            f"{len(report.failed)} not registered (see the log): " + ", ".join(report.failed)
        )
    return report.as_dict()


def intake_health() -> dict[str, Any]:
    """The ``feedback_intake`` part of ``/healthz``: down when a received submission has waited
    longer than ``FEEDBACK_INTAKE_STALL_SECONDS`` (no worker registers them); rows given up on
    after their attempts are counted (``failed``) and shown on reception's dashboard."""
    from . import actions

    backlog = actions.intake_backlog()
    return {"status": "down" if actions.intake_stalled(backlog) else "ok", **backlog}
