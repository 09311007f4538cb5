"""Check the electronic signatures of a PDF file, as the public page does (ADR 0015).

manage.py verify_pdf FILE                       the report in words
manage.py verify_pdf FILE --at 2021-06-01T12:00+07:00
manage.py verify_pdf FILE --json                the API's JSON
manage.py verify_pdf FILE --language en         words in English (default: the site's, vi)

Exit status: 0 valid, 1 invalid, 2 indeterminate (no signature included), 3 the file could not
be checked (not a PDF, damaged, encrypted, too large, unreadable) or a bad argument.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from vgp.signatures.presentation import as_text
from vgp.signatures.verification import Verdict, VerificationError, verify_pdf

EXIT_CODES = {Verdict.VALID: 0, Verdict.INVALID: 1, Verdict.INDETERMINATE: 2}
EXIT_ERROR = 3


class Command(BaseCommand):
    help = "Check the electronic signatures of a PDF file (exit 0 valid, 1 invalid, 2 indeterminate, 3 error)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the PDF file to check")
        parser.add_argument(
            "--at",
            help="check as at this time, ISO 8601 (e.g. 2021-06-01T12:00+07:00; without an "
            "offset, the site's time zone); default now",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the words (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            status = self.verify(options)
        raise SystemExit(status)

    def verify(self, options: dict[str, Any]) -> int:
        at: dt.datetime | None = None
        if options.get("at"):
            try:
                at = dt.datetime.fromisoformat(options["at"])
            except ValueError:
                self.stderr.write(f"--at {options['at']!r}: not an ISO 8601 date and time.")
                return EXIT_ERROR
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                report = verify_pdf(handle, at=at)
        except OSError as error:
            self.stderr.write(f"{path}: {error.strerror or error}")
            return EXIT_ERROR
        except VerificationError as error:
            if options.get("json"):
                self.stdout.write(json.dumps({"error": error.code, "detail": str(error)}))
            else:
                self.stderr.write(f"{path}: {error}")
            return EXIT_ERROR
        if options.get("json"):
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(report))
        return EXIT_CODES[report.verdict]
