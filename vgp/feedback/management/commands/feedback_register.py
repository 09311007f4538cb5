"""Register received submissions now, and show what waits (ADR 0013).

manage.py feedback_register                  register what waits, then report
manage.py feedback_register --status         only report
manage.py feedback_register --retry-failed   give the rows given up on new attempts first
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vgp.feedback import actions
from vgp.feedback.models import Intake


class Command(BaseCommand):
    help = "Register citizen submissions received through the API and report the backlog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", action="store_true", help="only report the backlog")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help=f"retry rows that failed {actions.INTAKE_MAX_ATTEMPTS} times",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            count = actions.retry_failed_intakes()
            self.stdout.write(f"{count} failed submission(s) will be tried again.")
        if not options["status"]:
            report = actions.register_intakes(max_seconds=3600)
            self.stdout.write(f"Registered {len(report.registered)} submission(s).")
            if report.failed:
                self.stderr.write("Not registered: " + ", ".join(report.failed))
        backlog = actions.intake_backlog()
        self.stdout.write(
            f"Waiting: {backlog['pending']}; given up after "
            f"{actions.INTAKE_MAX_ATTEMPTS} attempts: {backlog['failed']}; oldest waiting: "
            f"{backlog['oldest_seconds'] if backlog['oldest_seconds'] is not None else '-'} s."
        )
        failed = Intake.objects.filter(
            item__isnull=True, attempts__gte=actions.INTAKE_MAX_ATTEMPTS
        ).order_by("id")[:20]
        for intake in failed:
            self.stdout.write(f"  {intake.code} ({intake.received_at:%d/%m/%Y %H:%M}): ")
            self.stdout.write(
                f"    {intake.last_error.splitlines()[0] if intake.last_error else ''}"
            )
