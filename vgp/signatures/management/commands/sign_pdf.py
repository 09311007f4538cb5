"""Sign a PDF with an official's certificate (operations and tests; ADR 0016).

manage.py sign_pdf INPUT OUTPUT --user USERNAME [--level B-B|B-T|B-LT] [--visible]
manage.py sign_pdf INPUT OUTPUT --seal AGENCY_CODE [--level ...]   (the organisation's seal)

The signature is made with the official's newest active certificate, audited like any other
(the actor is that official: the operator acts for them). Exit status 0 signed, 1 refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vgp.accounts.models import User
from vgp.agencies.models import Agency
from vgp.signatures import actions, signing


class Command(BaseCommand):
    help = "Sign a PDF (PAdES) with an official's certificate or an organisation's seal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input")
        parser.add_argument("output")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="the official's username")
        who.add_argument("--seal", help="the code of the agency whose seal signs")
        parser.add_argument(
            "--level", choices=[level.value for level in signing.Level], default="B-T"
        )
        parser.add_argument(
            "--visible", action="store_true", help="draw the signature on the last page"
        )
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(f"{source}: {error.strerror}") from error
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
            certificate = actions.current_certificate(actor)
            if certificate is None:
                raise CommandError(f"{actor.get_username()} has no active certificate.")
            name = actor.get_full_name() or actor.get_username()
            lines: tuple[str, ...] = (
                (actor.position, "", "", name) if actor.position else ("", "", name)
            )
        else:
            agency = Agency.objects.filter(code=options["seal"]).first()
            if agency is None:
                raise CommandError(f"No agency with the code {options['seal']!r}.")
            certificate = actions.current_seal(agency)
            if certificate is None:
                raise CommandError(f"{agency.code} has no active seal certificate.")
            actor = None
            lines = (agency.name_vi,)
        appearance = None
        if options["visible"]:
            appearance = signing.Appearance(
                box=(0.55, 0.08, 0.92, 0.24), lines=lines, image=bytes(certificate.image)
            )
        try:
            signed = signing.sign_pdf(
                actor,
                data,
                certificate=certificate,
                level=options["level"],
                appearance=appearance,
                reason=options["reason"],
                purpose=f"manage.py sign_pdf {source.name}",
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        Path(options["output"]).write_bytes(signed)
        self.stdout.write(
            f"Signed ({options['level']}) with {certificate.subject}: {options['output']}"
        )
