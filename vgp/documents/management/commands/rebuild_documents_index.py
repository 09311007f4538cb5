"""``manage.py rebuild_documents_index``: rebuild the official documents' search index."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vgp.documents import search_index


class Command(BaseCommand):
    help = "Drop this server's index of official documents and index every document again."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        count = search_index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} official documents in {time.perf_counter() - began:.1f} s."
            )
        )
