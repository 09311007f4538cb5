"""The periodic scheduler's bookkeeping: which slot of which job was enqueued, and who ticked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One time slot of one periodic job, claimed by the scheduler that enqueued it.

    The unique (job, slot) pair is what keeps two schedulers running at once from enqueueing
    the same slot twice: the second insert fails and that scheduler skips the slot.
    """

    job = models.CharField(_("job"), max_length=200)
    slot = models.DateTimeField(_("time slot"))
    scheduler = models.CharField(_("scheduler"), max_length=200)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="ops_periodicrun_once_per_slot")
        ]
        indexes = [models.Index(fields=["slot"], name="ops_periodicrun_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot.isoformat()}"


class SchedulerHeartbeat(models.Model):
    """When a scheduler process (one row per host, or per ``--name``) last finished a tick."""

    name = models.CharField(_("scheduler"), max_length=200, unique=True)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_tick_at = models.DateTimeField(_("last tick at"))

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")
        ordering = ["-last_tick_at", "name"]

    def __str__(self) -> str:
        return self.name
