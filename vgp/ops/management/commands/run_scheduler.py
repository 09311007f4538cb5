"""``manage.py run_scheduler``: enqueue the periodic jobs when they are due.

Runs beside the worker (``scripts/run.sh``, a systemd unit in production). Several may run at
once, on several hosts: each slot of each job is still enqueued once (see ``vgp.ops.scheduler``).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from vgp.ops import scheduler
from vgp.ops.scheduler import Outcome

log = logging.getLogger("vgp.ops.scheduler")


class Command(BaseCommand):
    help = "Enqueue each periodic background job once per time slot; loops until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=int, default=15, help="Seconds between two ticks (default 15)."
        )
        parser.add_argument(
            "--once", action="store_true", help="Run a single tick and exit (tests, cron)."
        )
        parser.add_argument(
            "--name",
            default=socket.gethostname(),
            help="This scheduler's name in the heartbeat table (default: the host name).",
        )

    def handle(self, *args: Any, interval: int, once: bool, name: str, **options: Any) -> None:
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        started_at = timezone.now()
        if once:
            if not self.tick(name, started_at, long_running=False):
                raise CommandError("The tick failed; see the log.")
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: Any) -> None:
            log.info("Scheduler %s: stopping after this tick (signal %s).", name, signum)
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        jobs = ", ".join(job.name for job in scheduler.registered_jobs()) or "none"
        log.info("Scheduler %s started, a tick every %ss; jobs: %s", name, interval, jobs)
        while not stop.is_set():
            self.tick(name, started_at, long_running=True)
            stop.wait(interval)
        log.info("Scheduler %s stopped.", name)

    def tick(self, name: str, started_at: dt.datetime, *, long_running: bool) -> bool:
        """One tick; an error is logged and the loop goes on (the stale heartbeat alerts)."""
        if long_running:
            # A long-running process must drop connections the database has closed meanwhile.
            # A single tick (--once: cron, tests) keeps its connection: the caller owns it.
            close_old_connections()
        try:
            runs = scheduler.tick(name, started_at=started_at)
        except Exception:
            log.exception("Scheduler %s: the tick failed", name)
            return False
        finally:
            if long_running:
                close_old_connections()
        for run in runs:
            if run.outcome == Outcome.ENQUEUED:
                log.info("Enqueued %s for %s (task %s)", run.job, run.slot.isoformat(), run.task_id)
            elif run.outcome == Outcome.FAILED:
                # The traceback was logged where it happened; this line is the summary.
                log.error(
                    "Could not enqueue %s for %s: %s", run.job, run.slot.isoformat(), run.error
                )
        return all(run.outcome != Outcome.FAILED for run in runs)
