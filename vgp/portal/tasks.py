"""Background work of the portal."""

from __future__ import annotations

from django_tasks import task

from . import scheduled_publishing


class ScheduledPublishingFailed(Exception):
    """Some objects could not be published or unpublished on time (each one is logged)."""


@task()
def publish_scheduled_pages() -> dict[str, list[str]]:
    """Publish the pages whose go-live time has come and unpublish the expired ones.

    Enqueued every minute by the ops scheduler; safe to run twice. Fails at the end when any
    object failed, so that the run is listed as failed under Settings → Background tasks.
    """
    report = scheduled_publishing.publish_scheduled()
    if report.failed:
        raise ScheduledPublishingFailed(
            f"{len(report.failed)} failed (see the log for each traceback): "
            + "; ".join(report.failed)
        )
    return report.as_dict()
