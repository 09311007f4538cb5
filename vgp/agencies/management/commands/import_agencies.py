"""``manage.py import_agencies FILE [FILE...]``: load agency lists (CSV or JSON) into the registry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vgp.agencies.importing import import_files


class Command(BaseCommand):
    help = (
        "Import agencies from CSV or JSON files. Rows are matched on their code: a re-import "
        "updates changed rows and leaves unchanged ones alone. Bad rows are reported and the "
        "good ones still load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="CSV or JSON files")
        parser.add_argument(
            "--as",
            dest="username",
            help="record the changes in the audit trail as this user (default: the system)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["username"]:
            try:
                actor = get_user_model().objects.get(username=options["username"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(
                    _("No user is called %(name)s.") % {"name": options["username"]}
                ) from exc

        report = import_files(options["files"], actor=actor)

        for problem in report.unreadable:
            self.stderr.write(_("Cannot read %(problem)s") % {"problem": problem})
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())

        if report.unreadable:
            raise CommandError(_("Some files could not be read."))
        if report.all_failed:
            raise CommandError(_("No row could be imported."))
