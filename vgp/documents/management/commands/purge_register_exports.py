"""manage.py purge_register_exports: remove register exports older than
``DOCUMENTS_EXPORT_KEEP_DAYS`` days with their files (``vgp.documents.exports.purge``).

Every finished export runs the same purge, so this is for a quiet installation (nobody
exported for a week) or after lowering the setting; cron it daily if you like."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vgp.documents import exports


class Command(BaseCommand):
    help = "Remove register exports older than DOCUMENTS_EXPORT_KEEP_DAYS days, with their files."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = exports.purge()
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} register export(s)."))
