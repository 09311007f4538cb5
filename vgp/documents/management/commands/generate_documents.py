"""``manage.py generate_documents N``: N synthetic official documents (benchmarks, load tests)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from vgp.accounts.roles import Role, group_name
from vgp.agencies.models import Agency, AgencyKind

from ...generator import generate


class Command(BaseCommand):
    help = (
        "Write N synthetic official documents into an agency's register (incoming and "
        "outgoing, every status, tasks for its units), with bulk inserts. For benchmarks: the "
        "agency needs units, a leader and handlers (load_demo makes them)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--agency", default="000.00.00.G22")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, count: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("N must be at least 1.")
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency {options['agency']} in the registry.")
        units = list(Agency.objects.filter(parent=agency, kind=AgencyKind.UNIT))
        users = get_user_model().objects.filter(agency=agency, is_active=True)
        leader = users.filter(groups__name=group_name(Role.LEADER)).first()
        handlers: dict[int, list[Any]] = {}
        for user in users.filter(groups__name=group_name(Role.HANDLER), unit__in=units):
            handlers.setdefault(int(user.unit_id or 0), []).append(user)
        if not units or leader is None or not handlers:
            raise CommandError(
                "The agency needs units, a leader and handlers in its units: run load_demo."
            )
        began = time.perf_counter()
        with tqdm(total=count, unit="doc", disable=options["verbosity"] == 0) as bar:
            written = generate(
                count,
                agency=agency,
                # Every department holds its share; only some have handlers in the demo.
                units=units,
                leader=leader,
                handlers=handlers,
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=bar.update,
            )
        seconds = time.perf_counter() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} documents in {seconds:.1f} s ({written / seconds:.0f} documents/s)."
            )
        )
