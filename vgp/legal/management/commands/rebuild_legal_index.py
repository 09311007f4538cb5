"""``manage.py rebuild_legal_index``: rebuild the legal search indexes from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vgp.legal import search_index


class Command(BaseCommand):
    help = "Drop this server's legal search indexes and index every published document again."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        count = search_index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} documents in {time.perf_counter() - began:.1f} s.")
        )
