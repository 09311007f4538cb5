from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from vgp.accounts.actions import issue_api_key
from vgp.agencies.models import Agency


class Command(BaseCommand):
    help = "Issue an API key to an agency's system and print it once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("agency_code", help="The agency's electronic code, e.g. 000.00.00.G12")
        parser.add_argument("--name", default="", help="Which system will use the key.")

    def handle(self, *args: Any, agency_code: str, name: str, **options: Any) -> None:
        agency = Agency.objects.filter(code=agency_code.strip()).first()
        if agency is None:
            raise CommandError(f"No agency has the code {agency_code!r}.")
        try:
            key, raw = issue_api_key(None, agency=agency, name=name or f"{agency.code} system")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"API key for {agency} ({key.name}):")
        self.stdout.write(raw)
        self.stderr.write("Store it now: it is shown only once and cannot be recovered.")
