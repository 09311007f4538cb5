"""``manage.py purge_page_cache``: forget every cached public page at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vgp.portal import page_cache


class Command(BaseCommand):
    help = "Forget every page kept by the anonymous page cache (all hosts, paths, languages)."

    def handle(self, *args: Any, **options: Any) -> None:
        page_cache.purge()
        self.stdout.write(self.style.SUCCESS("Page cache purged."))
