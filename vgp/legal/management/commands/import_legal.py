"""``manage.py import_legal FILE...``: import legal documents from JSON, JSON Lines or CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from vgp.legal.importing import Importer, RecordError, read_file
from vgp.legal.models import ImportRun

KEEP_PROBLEMS = 1000


class Command(BaseCommand):
    help = (
        "Import legal documents. Recognises each file's format (canonical JSON/JSONL/CSV "
        "records, the law census, articles by law). Bad records are set aside in a report; "
        "re-importing updates documents instead of duplicating them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--draft", action="store_true", help="Import as drafts to be checked, not published."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not write the search index (rebuild it afterwards with rebuild_legal_index).",
        )
        parser.add_argument("--report", type=Path, help="Where to write the problems (CSV).")

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        for path in files:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        run = ImportRun.objects.create(files=[str(p) for p in files])
        importer = Importer(
            publish=not options["draft"],
            index=not options["no_index"],
            batch_size=options["batch_size"],
        )
        quiet = options["verbosity"] == 0
        for path in files:
            try:
                kind, records = read_file(path)
            except RecordError as exc:
                importer.report.problems.append(
                    _problem(file=path.name, record="(file)", reason=str(exc))
                )
                continue
            if not quiet:
                self.stdout.write(f"{path.name}: {kind}, {len(records)} records")
            with tqdm(
                total=len(records), unit="record", desc=path.name, disable=quiet, smoothing=0.1
            ) as bar:
                importer.run_with_progress(records, bar.update)
        report = importer.report
        run.created, run.updated, run.rejected = report.created, report.updated, report.rejected
        run.articles = report.articles
        run.problems = [vars(p) for p in report.problems[:KEEP_PROBLEMS]]
        run.finished_at = timezone.now()
        run.save()
        if report.problems:
            target = options["report"] or (
                Path(settings.BASE_DIR)
                / "var"
                / "import-reports"
                / f"legal-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "record", "reason"])
                for problem in report.problems:
                    writer.writerow([problem.file, problem.record, problem.reason])
            self.stdout.write(self.style.WARNING(f"{report.rejected} records set aside: {target}"))
            for problem in report.problems[:20]:
                self.stdout.write(f"  {problem.file} {problem.record}: {problem.reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, "
                f"{report.rejected} set aside, {report.articles} articles."
            )
        )


def _problem(**kwargs: str) -> Any:
    from vgp.legal.importing import Problem

    return Problem(**kwargs)
