"""Create this installation's certification authority: a root, an issuing CA and the time-stamp
authority's certificate (ADR 0016). Idempotent: does nothing when an active issuing CA exists,
unless --new.

manage.py create_signing_ca --agency VPCP
manage.py create_signing_ca --agency VPCP --algorithm rsa-2048 --new
manage.py create_signing_ca --agency VPCP --seal --personal-for-signers   (also certificates)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vgp.accounts.models import User
from vgp.agencies.models import Agency
from vgp.signatures import actions
from vgp.signatures.models import CertificateKind, KeyAlgorithm


class Command(BaseCommand):
    help = "Create the certification authority (root, issuing CA, TSA) and, if asked, certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="the code of the agency running the CA")
        parser.add_argument("--root-name", default="")
        parser.add_argument("--issuing-name", default="")
        parser.add_argument(
            "--algorithm", choices=KeyAlgorithm.values, default=KeyAlgorithm.EC_P256
        )
        parser.add_argument("--new", action="store_true", help="create a new CA even if one exists")
        parser.add_argument(
            "--seal", action="store_true", help="also issue the agency's seal certificate"
        )
        parser.add_argument(
            "--personal-for-signers",
            action="store_true",
            help="also issue a personal certificate to each active official who may sign documents",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        try:
            with transaction.atomic():
                self._run(agency, options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

    def _run(self, agency: Agency, options: dict[str, Any]) -> None:
        issuing = actions.active_issuing()
        if issuing is None or options["new"]:
            name = agency.abbreviation or agency.code
            root = actions.create_authority(
                None,
                agency=agency,
                root_name=options["root_name"] or f"{name} Root CA",
                issuing_name=options["issuing_name"] or f"{name} Issuing CA",
                algorithm=options["algorithm"],
            )
            self.stdout.write(f"Created the root CA {root.name} ({root.fingerprint[:16]}…).")
        else:
            self.stdout.write(
                f"An issuing CA exists: {issuing.name}; nothing created (--new to replace)."
            )
        if options["seal"] and actions.current_seal(agency) is None:
            seal = actions.issue_certificate(None, kind=CertificateKind.SEAL, agency=agency)
            self.stdout.write(f"Issued the seal certificate {seal.serial} to {agency.code}.")
        if options["personal_for_signers"]:
            signers = User.objects.filter(is_active=True, agency__isnull=False).order_by("id")
            for user in signers:
                if not user.has_perm("documents.sign_document") or actions.current_certificate(
                    user
                ):
                    continue
                certificate = actions.issue_certificate(
                    None, kind=CertificateKind.PERSONAL, holder=user
                )
                self.stdout.write(f"Issued {certificate.serial} to {user.get_username()}.")
