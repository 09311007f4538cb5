"""Pages go live and expire on time, from the scheduler's tick, and a failure is never silent.

Persona: Chị Trang, portal editor, schedules a notice for 10:00 and sets an old one to expire.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django_tasks import TaskResultStatus
from wagtail.models import Page, Revision

from vgp.audit import trail
from vgp.audit.models import AuditRecord
from vgp.portal import scheduled_publishing
from vgp.portal.tasks import publish_scheduled_pages

# 10:00 in Hanoi is 03:00 UTC.
TEN_AM = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
NINE_AM = TEN_AM - dt.timedelta(hours=1)


@pytest.fixture
def parent(home_pages) -> Page:
    return home_pages.vietnamese


def scheduled(parent: Page, title: str, go_live_at: dt.datetime) -> Page:
    """A new page the editor approved to go live at ``go_live_at`` (Publish with a date)."""
    with time_machine.travel(NINE_AM, tick=False):
        page = parent.add_child(instance=Page(title=title, slug=_slug(title), live=False))
        page.go_live_at = go_live_at
        page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    return page


def expiring(parent: Page, title: str, expire_at: dt.datetime) -> Page:
    """A live page the editor set to expire at ``expire_at``."""
    with time_machine.travel(NINE_AM, tick=False):
        page = parent.add_child(instance=Page(title=title, slug=_slug(title)))
        page.expire_at = expire_at
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.live
    return page


def _slug(title: str) -> str:
    return title.lower().replace(" ", "-")


def tick_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("run_scheduler", "--once", "--name", "web-1")


def test_a_scheduled_page_goes_live_at_the_first_tick_after_its_time(parent):
    page = scheduled(parent, "Lich tiep cong dan", TEN_AM + dt.timedelta(seconds=30))

    tick_at(TEN_AM + dt.timedelta(seconds=5))  # 10:00:05, the 10:00 slot: not yet
    page.refresh_from_db()
    assert not page.live

    tick_at(TEN_AM + dt.timedelta(seconds=50))  # same slot: the job is not enqueued again
    page.refresh_from_db()
    assert not page.live

    tick_at(TEN_AM + dt.timedelta(minutes=1, seconds=5))  # 10:01 slot: due
    page.refresh_from_db()
    assert page.live and page.first_published_at == TEN_AM + dt.timedelta(minutes=1, seconds=5)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    # Wagtail's log entry is mirrored into the audit chain, without a person behind it.
    record = AuditRecord.objects.get(action="wagtail.publish.scheduled", object_id=str(page.pk))
    assert record.actor_username == "" and record.via == "command"


def test_an_expired_page_is_unpublished(parent):
    page = expiring(parent, "Thong bao cu", TEN_AM)

    tick_at(TEN_AM - dt.timedelta(minutes=1))
    page.refresh_from_db()
    assert page.live

    tick_at(TEN_AM + dt.timedelta(seconds=15))
    page.refresh_from_db()
    assert not page.live and page.expired
    assert AuditRecord.objects.filter(
        action="wagtail.unpublish.scheduled", object_id=str(page.pk)
    ).exists()


def test_a_page_that_fails_is_reported_and_the_others_are_published(parent, monkeypatch, caplog):
    first = scheduled(parent, "Thong bao mot", TEN_AM)
    broken = scheduled(parent, "Thong bao hai", TEN_AM)
    third = scheduled(parent, "Thong bao ba", TEN_AM)
    old = expiring(parent, "Thong bao cu", TEN_AM)

    # The audit copy of the second page's publication fails (say, the chain head is locked).
    record = trail.record

    def failing_for_broken(**kwargs: Any) -> Any:
        if kwargs.get("object_id") == str(broken.pk):
            raise RuntimeError("audit chain unavailable")
        return record(**kwargs)

    monkeypatch.setattr(trail, "record", failing_for_broken)

    with time_machine.travel(TEN_AM + dt.timedelta(minutes=1), tick=False):
        result = publish_scheduled_pages.enqueue()

    # The run is marked failed, naming the page, with the traceback in the log...
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path.endswith("ScheduledPublishingFailed")
    assert "Thong bao hai" in result.errors[0].traceback
    failure = next(r for r in caplog.records if r.getMessage().startswith("Scheduled publishing"))
    assert "Thong bao hai" in failure.getMessage() and failure.exc_info is not None
    # ...the others went live and the expired one went down...
    for page in (first, third, old, broken):
        page.refresh_from_db()
    assert first.live and third.live and not old.live
    # ...and the failed one was rolled back whole: not live, unaudited, still scheduled.
    assert not broken.live
    assert not AuditRecord.objects.filter(
        action="wagtail.publish.scheduled", object_id=str(broken.pk)
    ).exists()
    assert Revision.objects.filter(object_id=str(broken.pk), approved_go_live_at=TEN_AM).exists()

    # Once the cause is gone, the next run publishes it.
    monkeypatch.setattr(trail, "record", record)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=2), tick=False):
        assert publish_scheduled_pages.enqueue().status == TaskResultStatus.SUCCESSFUL
    broken.refresh_from_db()
    assert broken.live


def test_running_twice_publishes_once(parent):
    page = scheduled(parent, "Lich tiep cong dan", TEN_AM)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=1), tick=False):
        first = scheduled_publishing.publish_scheduled()
        second = scheduled_publishing.publish_scheduled()
    assert len(first.published) == 1 and second.published == []
    assert (
        AuditRecord.objects.filter(
            action="wagtail.publish.scheduled", object_id=str(page.pk)
        ).count()
        == 1
    )


# The worker closes its database connection between batches, as a long-running process must:
# on PostgreSQL that ends a test wrapped in one transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_failed_run_is_listed_under_background_tasks(parent, settings, monkeypatch):
    # Given the database queue of a real installation and a page whose publication fails
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    broken = scheduled(parent, "Thong bao hai", TEN_AM)

    def failing(self: Revision, **kwargs: Any) -> Any:
        raise RuntimeError(f"cannot publish {self.object_str}")

    monkeypatch.setattr(Revision, "publish", failing)
    # When the scheduler enqueues the job and the worker runs it
    tick_at(TEN_AM + dt.timedelta(minutes=1))
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    # Then the run is a failed task, with the page named in its traceback
    from django_tasks_db.models import DBTaskResult

    run = DBTaskResult.objects.get(task_path="vgp.portal.tasks.publish_scheduled_pages")
    assert run.status == "FAILED"
    assert "Thong bao hai" in run.traceback
    broken.refresh_from_db()
    assert not broken.live
