"""``manage.py rebuild_gazette_index``: rebuild the gazette's search index from the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from vgp.gazette import search_index


class Command(BaseCommand):
    help = "Drop this server's gazette search index and index every published entry again."

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        count = search_index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} documents of published gazette issues "
                f"in {time.perf_counter() - began:.1f} s."
            )
        )
