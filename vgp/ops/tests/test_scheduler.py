"""The periodic scheduler enqueues each job once per slot, survives a broken job, and is watched.

Personas: Chị Trang, portal editor, who schedules pages; Chị Hà, IT administrator (conftest),
who keeps the scheduler running; Anh Minh, clerk (conftest), who publishes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.models import Page

from vgp.accounts.roles import Role
from vgp.ops import scheduler
from vgp.ops.models import PeriodicRun, SchedulerHeartbeat
from vgp.ops.scheduler import Outcome, PeriodicJob
from vgp.testing.factories import UserFactory

# 10:00 in Hanoi is 03:00 UTC.
TEN_AM = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
STARTED = TEN_AM - dt.timedelta(hours=1)

calls: list[str] = []


@task()
def note_a_call() -> None:
    calls.append("note_a_call")


@task()
def cannot_be_enqueued() -> None:
    calls.append("cannot_be_enqueued")


EVERY_MINUTE = PeriodicJob("tests.note_a_call", note_a_call, dt.timedelta(minutes=1))
BROKEN = PeriodicJob("tests.cannot_be_enqueued", cannot_be_enqueued, dt.timedelta(minutes=1))


@pytest.fixture(autouse=True)
def relaxed_2fa(settings):
    settings.VGP_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def no_calls_yet():
    calls.clear()


@pytest.fixture
def queue_refuses_broken_job(monkeypatch):
    """The queue (Redis, say) refuses one job; the others go through."""
    enqueue = ImmediateBackend.enqueue

    def refusing(self: ImmediateBackend, task: Any, args: Any, kwargs: Any) -> Any:
        if task.func is cannot_be_enqueued.func:
            raise ConnectionError("the queue refused the job")
        return enqueue(self, task, args, kwargs)

    monkeypatch.setattr(ImmediateBackend, "enqueue", refusing)


@pytest.fixture
def editor(government_office):
    """Chị Trang: portal editor of the Government Office; schedules and publishes pages."""
    return UserFactory(username="trang", agency=government_office, roles=[Role.PORTAL_EDITOR])


def tick_at(moment: dt.datetime, *jobs: PeriodicJob, name: str = "web-1") -> list[Any]:
    with time_machine.travel(moment, tick=False):
        return scheduler.tick(name, started_at=STARTED, jobs=jobs)


def test_two_ticks_in_the_same_minute_enqueue_once(db):
    first = tick_at(TEN_AM + dt.timedelta(seconds=5), EVERY_MINUTE)
    second = tick_at(TEN_AM + dt.timedelta(seconds=50), EVERY_MINUTE, name="web-2")
    assert [run.outcome for run in first + second] == [Outcome.ENQUEUED, Outcome.ALREADY_CLAIMED]
    assert calls == ["note_a_call"]

    # The next minute is a new slot.
    tick_at(TEN_AM + dt.timedelta(minutes=1, seconds=5), EVERY_MINUTE)
    assert calls == ["note_a_call", "note_a_call"]
    assert list(PeriodicRun.objects.values_list("slot", flat=True)) == [
        TEN_AM + dt.timedelta(minutes=1),
        TEN_AM,
    ]


def test_a_slot_claimed_by_another_scheduler_is_not_enqueued_again(db):
    # Given another host's scheduler claimed 10:00 a moment ago
    PeriodicRun.objects.create(job=EVERY_MINUTE.name, slot=TEN_AM, scheduler="web-2")
    # When this one ticks in the same minute
    runs = tick_at(TEN_AM + dt.timedelta(seconds=20), EVERY_MINUTE)
    # Then it leaves the slot alone
    assert runs[0].outcome == Outcome.ALREADY_CLAIMED
    assert calls == []


def test_slots_are_aligned_to_the_clock():
    hourly = PeriodicJob("tests.hourly", note_a_call, dt.timedelta(hours=1))
    assert hourly.slot_at(TEN_AM + dt.timedelta(minutes=37, seconds=3)) == TEN_AM
    assert EVERY_MINUTE.slot_at(TEN_AM + dt.timedelta(seconds=59.9)) == TEN_AM


def test_a_job_that_cannot_be_enqueued_stops_no_other(db, queue_refuses_broken_job, caplog):
    runs = tick_at(TEN_AM, BROKEN, EVERY_MINUTE)

    assert [run.outcome for run in runs] == [Outcome.FAILED, Outcome.ENQUEUED]
    assert calls == ["note_a_call"]
    failed = PeriodicRun.objects.get(job=BROKEN.name)
    assert failed.error == "ConnectionError: the queue refused the job"
    logged = next(r for r in caplog.records if "could not enqueue" in r.getMessage())
    assert "tests.cannot_be_enqueued" in logged.getMessage() and logged.exc_info is not None
    # The tick still finished: the heartbeat says the scheduler is alive.
    assert SchedulerHeartbeat.objects.get(name="web-1").last_tick_at == TEN_AM


def test_run_scheduler_once_enqueues_the_registered_jobs_and_beats(db):
    with time_machine.travel(TEN_AM, tick=False):
        call_command("run_scheduler", "--once", "--name", "web-1")

    heartbeat = SchedulerHeartbeat.objects.get()
    assert (heartbeat.name, heartbeat.last_tick_at) == ("web-1", TEN_AM)
    run = PeriodicRun.objects.get(job="portal.publish_scheduled_pages")
    assert run.slot == TEN_AM and run.task_id and not run.error


def test_run_scheduler_once_fails_loudly_for_cron_when_a_job_fails(db, monkeypatch):
    def refusing(self: ImmediateBackend, task: Any, args: Any, kwargs: Any) -> Any:
        raise ConnectionError("the queue refused the job")

    monkeypatch.setattr(ImmediateBackend, "enqueue", refusing)
    with pytest.raises(CommandError):
        call_command("run_scheduler", "--once")
    # It still beat: the scheduler runs, enqueueing is what fails (and is recorded).
    assert SchedulerHeartbeat.objects.exists()
    runs = PeriodicRun.objects.all()
    assert runs and all(run.error for run in runs)


def test_old_claims_are_pruned(db):
    PeriodicRun.objects.create(job=EVERY_MINUTE.name, slot=TEN_AM - dt.timedelta(days=8))
    tick_at(TEN_AM)
    assert not PeriodicRun.objects.exists()


def test_scheduled_publishing_is_registered_every_minute():
    job = next(j for j in scheduler.registered_jobs() if j.name == "portal.publish_scheduled_pages")
    assert job.every == dt.timedelta(minutes=1)
    assert job.task.module_path == "vgp.portal.tasks.publish_scheduled_pages"


def test_two_different_jobs_under_one_name_are_refused(monkeypatch):
    monkeypatch.setattr(scheduler, "_jobs", dict(scheduler._jobs))  # leave no test job behind
    scheduler.register_periodic(note_a_call, every=dt.timedelta(minutes=1), name="tests.twice")
    scheduler.register_periodic(note_a_call, every=dt.timedelta(minutes=1), name="tests.twice")
    with pytest.raises(ImproperlyConfigured):
        scheduler.register_periodic(note_a_call, every=dt.timedelta(hours=1), name="tests.twice")


# --- Watching: the dashboard and /healthz -------------------------------------------------


def scheduled_page(title: str, go_live_at: dt.datetime) -> Page:
    """A draft page approved to go live at ``go_live_at`` (as the editor's Publish does)."""
    root = Page.get_first_root_node()
    assert root is not None
    page = root.add_child(
        instance=Page(title=title, slug=title.lower().replace(" ", "-"), live=False)
    )
    page.go_live_at = go_live_at
    page.save_revision().publish()
    return page


def test_the_dashboard_shows_an_editor_a_page_that_missed_its_time(client, editor):
    # Given a page scheduled for 10:00 and a scheduler that stopped at 09:50
    with time_machine.travel(TEN_AM - dt.timedelta(hours=1), tick=False):
        page = scheduled_page("Lich tiep cong dan", TEN_AM)
    SchedulerHeartbeat.objects.create(
        name="web-1", pid=1, started_at=STARTED, last_tick_at=TEN_AM - dt.timedelta(minutes=10)
    )
    # When the editor opens the admin at 10:12
    client.force_login(editor)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=12), tick=False):
        html = client.get("/quan-tri/").content.decode()
    # Then the panel names the page, links to its editor and says the scheduler has stopped
    assert "Lịch xuất bản bị trễ" in html
    assert "Lich tiep cong dan" in html
    assert f"/quan-tri/pages/{page.pk}/edit/" in html
    assert "hẹn lúc 10:00 01/06/2026, đã trễ 12 phút" in html  # Hanoi time
    assert "Bộ lập lịch đã ngừng chạy từ 22 phút trước" in html


def test_the_dashboard_shows_a_live_page_past_its_expiry(client, editor):
    root = Page.get_first_root_node()
    assert root is not None
    with time_machine.travel(TEN_AM - dt.timedelta(hours=1), tick=False):
        page = root.add_child(instance=Page(title="Thong bao cu", slug="thong-bao-cu"))
        page.expire_at = TEN_AM
        page.save_revision().publish()
    client.force_login(editor)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=6), tick=False):
        html = client.get("/quan-tri/").content.decode()
    assert "Vẫn đang hiển thị dù đã quá thời điểm hết hạn" in html
    assert f"/quan-tri/pages/{page.pk}/edit/" in html
    # No scheduler ever ran, and something is late: say so.
    assert "Bộ lập lịch chưa từng chạy" in html


def test_nothing_late_shows_no_panel(client, editor):
    client.force_login(editor)
    assert "late-publishing" not in client.get("/quan-tri/").content.decode()


def test_a_clerk_is_not_shown_the_panel(client, clerk):
    with time_machine.travel(TEN_AM - dt.timedelta(hours=1), tick=False):
        scheduled_page("Lich tiep cong dan", TEN_AM)
    client.force_login(clerk)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=12), tick=False):
        assert "late-publishing" not in client.get("/quan-tri/").content.decode()


def test_it_admin_is_shown_the_way_to_the_failed_runs(client, it_admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(TEN_AM - dt.timedelta(hours=1), tick=False):
        scheduled_page("Lich tiep cong dan", TEN_AM)
    # The scheduler is alive: the page is late because publishing it fails.
    SchedulerHeartbeat.objects.create(
        name="web-1", pid=1, started_at=STARTED, last_tick_at=TEN_AM + dt.timedelta(minutes=11)
    )
    client.force_login(it_admin)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=12), tick=False):
        html = client.get("/quan-tri/").content.decode()
    assert "Bộ lập lịch vẫn chạy" in html
    assert "/quan-tri/tac-vu-nen/?status=FAILED" in html


def test_healthz_reports_a_silent_scheduler(client, db):
    SchedulerHeartbeat.objects.create(
        name="web-1", pid=1, started_at=STARTED, last_tick_at=TEN_AM - dt.timedelta(minutes=6)
    )
    with time_machine.travel(TEN_AM, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["scheduler"]
    assert response.json()["checks"]["scheduler"]["last_tick_seconds_ago"] == 360


def test_healthz_is_content_with_a_recent_tick(client, db):
    SchedulerHeartbeat.objects.create(
        name="web-1", pid=1, started_at=STARTED, last_tick_at=TEN_AM - dt.timedelta(seconds=20)
    )
    with time_machine.travel(TEN_AM, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["scheduler"]["status"] == "ok"


def test_healthz_reports_a_scheduler_never_started_once_work_is_late(client, db):
    # A fresh installation without a scheduler is fine...
    assert client.get("/healthz").json()["checks"]["scheduler"]["status"] == "ok"
    # ...until a scheduled page is late.
    with time_machine.travel(TEN_AM - dt.timedelta(hours=1), tick=False):
        scheduled_page("Lich tiep cong dan", TEN_AM)
    with time_machine.travel(TEN_AM + dt.timedelta(minutes=6), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"]["late_items"] == 1


def test_run_scheduler_logs_what_it_enqueued(db, caplog):
    caplog.set_level(logging.INFO, logger="vgp.ops.scheduler")
    with time_machine.travel(TEN_AM, tick=False):
        call_command("run_scheduler", "--once")
    assert "Enqueued portal.publish_scheduled_pages for 2026-06-01T03:00:00+00:00" in caplog.text
