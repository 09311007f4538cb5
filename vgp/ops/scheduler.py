"""Periodic jobs on top of django-tasks, which has no scheduler of its own.

A job is a django-task taking no arguments, registered with :func:`register_periodic`.
``manage.py run_scheduler`` calls :func:`tick` every few seconds; a tick enqueues each job whose
current time slot nobody has claimed yet. Slots are aligned to the Unix epoch in UTC (a job
every minute runs once per minute on the minute, a job every hour once per hour on the hour).
Claiming a slot inserts a :class:`~vgp.ops.models.PeriodicRun` whose (job, slot) pair is unique,
so a slot is enqueued at most once however many schedulers run. A slot that passes while no
scheduler runs is not made up afterwards: the jobs catch up with whatever is due when they run.

Each tick ends by writing the scheduler's :class:`~vgp.ops.models.SchedulerHeartbeat`; the
dashboard and ``/healthz`` use it to tell that the scheduler has stopped.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks.base import Task

from .models import PeriodicRun, SchedulerHeartbeat

log = logging.getLogger(__name__)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Claimed slots are only needed to deduplicate the current one; a week of them helps debugging.
KEEP_RUNS = dt.timedelta(days=7)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task[[], Any]
    every: dt.timedelta

    def slot_at(self, moment: dt.datetime) -> dt.datetime:
        """The start of the slot that ``moment`` falls in."""
        return EPOCH + ((moment - EPOCH) // self.every) * self.every


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(
    task: Task[[], Any], *, every: dt.timedelta, name: str | None = None
) -> PeriodicJob:
    """Run ``task`` once every ``every`` (whole seconds), under ``name`` (default: its path).

    Registering the same job again is harmless; two different jobs under one name are an error.
    """
    if every < dt.timedelta(seconds=1) or every % dt.timedelta(seconds=1):
        raise ImproperlyConfigured(f"Periodic job {name or task.module_path}: every={every}")
    job = PeriodicJob(name=name or task.module_path, task=task, every=every)
    if _jobs.get(job.name, job) != job:
        raise ImproperlyConfigured(f"Two different periodic jobs are named {job.name!r}.")
    _jobs[job.name] = job
    return job


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


class Outcome(enum.StrEnum):
    ENQUEUED = "enqueued"
    ALREADY_CLAIMED = "already claimed"  # earlier in this slot, by this or another scheduler
    FAILED = "failed"


@dataclass(frozen=True)
class JobRun:
    job: str
    slot: dt.datetime
    outcome: Outcome
    task_id: str = ""
    error: str = ""


def tick(
    scheduler: str,
    *,
    started_at: dt.datetime,
    now: dt.datetime | None = None,
    jobs: Iterable[PeriodicJob] | None = None,
) -> list[JobRun]:
    """Enqueue every due job once for its current slot, then record the heartbeat.

    A job that cannot be enqueued is logged and recorded on its slot; the others still run.
    """
    now = now or timezone.now()
    runs = [
        _run_if_due(job, scheduler, now) for job in (registered_jobs() if jobs is None else jobs)
    ]
    SchedulerHeartbeat.objects.update_or_create(
        name=scheduler,
        defaults={"pid": os.getpid(), "started_at": started_at, "last_tick_at": now},
    )
    PeriodicRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return runs


def _run_if_due(job: PeriodicJob, scheduler: str, now: dt.datetime) -> JobRun:
    slot = job.slot_at(now)
    try:
        # The cheap look first keeps the database's log free of the expected unique violations;
        # the constraint is what settles a race between two schedulers.
        if PeriodicRun.objects.filter(job=job.name, slot=slot).exists():
            return JobRun(job.name, slot, Outcome.ALREADY_CLAIMED)
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, slot=slot, scheduler=scheduler)
        except IntegrityError:
            return JobRun(job.name, slot, Outcome.ALREADY_CLAIMED)
    except Exception as exc:
        log.exception("Scheduler: could not claim %s for %s", job.name, slot.isoformat())
        return JobRun(job.name, slot, Outcome.FAILED, error=_describe(exc))
    # Enqueued after the claim is committed (a side effect after commit): if the scheduler dies
    # in between, this slot is lost and the next one does the work.
    try:
        result = job.task.enqueue()
    except Exception as exc:
        log.exception("Scheduler: could not enqueue %s for %s", job.name, slot.isoformat())
        error = _describe(exc)
        try:
            PeriodicRun.objects.filter(pk=run.pk).update(error=error)
        except Exception:
            log.exception("Scheduler: could not record the failure of %s", job.name)
        return JobRun(job.name, slot, Outcome.FAILED, error=error)
    PeriodicRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    return JobRun(job.name, slot, Outcome.ENQUEUED, task_id=str(result.id))


def last_tick() -> dt.datetime | None:
    """When any scheduler last finished a tick (None if none ever did)."""
    latest: dt.datetime | None = SchedulerHeartbeat.objects.aggregate(latest=Max("last_tick_at"))[
        "latest"
    ]
    return latest


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]
