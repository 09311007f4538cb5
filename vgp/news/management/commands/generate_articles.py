"""``manage.py generate_articles N``: insert N live articles for load tests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from vgp.news.demo import generate_articles
from vgp.portal.demo import ensure_home_pages


class Command(BaseCommand):
    help = "Insert N generated live articles (no revisions) spread over the news sections."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, count: int, batch_size: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("N must be at least 1.")
        ensure_home_pages()
        with tqdm(total=count, unit="article", disable=options["verbosity"] == 0) as bar:
            created = generate_articles(count, batch_size=batch_size, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Created {created} articles."))
