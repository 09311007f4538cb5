"""``manage.py generate_legal N``: import N synthetic legal documents (load tests, benchmarks)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from vgp.legal.content_generator import generate_records
from vgp.legal.importing import Importer, Record
from vgp.legal.models import LegalDocument


class Command(BaseCommand):
    help = (
        "Generate N realistic synthetic documents (numbers, structure, relations) and import "
        "them through the importer, published and indexed. Running it again adds N more."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--no-index", action="store_true")

    def handle(self, *args: Any, count: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("N must be at least 1.")
        start = LegalDocument.objects.filter(external_id__startswith="synthetic:").count()
        importer = Importer(batch_size=options["batch_size"], index=not options["no_index"])
        records = (
            Record(file="generated", label=item["external_id"], data=item)
            for item in generate_records(count, seed=options["seed"], start=start)
        )
        began = time.perf_counter()
        with tqdm(total=count, unit="doc", disable=options["verbosity"] == 0) as bar:
            report = importer.run_with_progress(records, bar.update)
        seconds = time.perf_counter() - began
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, {report.rejected} set "
                f"aside, {report.articles} articles in {seconds:.1f} s "
                f"({count / seconds:.0f} documents/s)."
            )
        )
        for problem in report.problems[:10]:
            self.stdout.write(f"  {problem.record}: {problem.reason}")
