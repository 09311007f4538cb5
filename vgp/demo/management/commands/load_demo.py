"""``manage.py load_demo``: demo data for a fresh installation. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vgp.accounts.role_sync import sync_roles
from vgp.agencies.importing import load_initial_agencies
from vgp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from vgp.documents.demo import load_demo_documents
from vgp.feedback.demo import load_demo_feedback
from vgp.gazette.demo import load_demo_gazette
from vgp.legal.demo import load_demo_legal
from vgp.news.demo import load_demo_news
from vgp.portal.demo import ensure_home_pages
from vgp.signatures.demo import load_demo_signatures


class Command(BaseCommand):
    help = (
        "Load the agency registry, home pages, role groups and review workflow, demo news and "
        "demo accounts (idempotent)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print accounts.")
        parser.add_argument(
            "--print-only", action="store_true", help="Load nothing; print where to sign in."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo creates accounts with a published password: not in production."
            )
        if options["print_only"]:
            self.print_accounts()
            return
        report = load_initial_agencies()
        self.stdout.write(f"Agencies: {report.summary()}")
        ensure_home_pages()
        # After the home pages: the news desk's roles get their page rights on them, and the
        # review workflow is attached to them (vgp/news/editorial.py).
        sync_roles()
        news = load_demo_news()
        self.stdout.write(f"E-newspaper: {news} items created.")
        self.stdout.write(f"Legal documents: {load_demo_legal()}.")
        accounts = ensure_demo_accounts()
        created = sum(1 for _, was_created in accounts if was_created)
        self.stdout.write(
            f"Demo accounts: {created} created, {len(accounts) - created} already there."
        )
        # After the accounts: two gazette editors publish the issues (four eyes).
        self.stdout.write(f"Official Gazette: {load_demo_gazette()}.")
        # After the accounts: reception and the Ministry of Finance's desk take the steps.
        self.stdout.write(f"Citizen feedback: {load_demo_feedback()}.")
        # After the accounts: the Office's clerk, leader and departments take the steps.
        self.stdout.write(f"Official documents: {load_demo_documents()}.")
        self.stdout.write(f"Electronic signatures: {load_demo_signatures()}.")
        if not options["quiet_accounts"]:
            self.print_accounts()

    def print_accounts(self) -> None:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write("")
        self.stdout.write(f"Public site:  {base}/   (English: {base}/en/)")
        self.stdout.write(f"Back office:  {base}/quan-tri/   API docs: {base}/api/v1/docs")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'admin':<14} superuser")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<14} {account.role or '':<16} "
                f"{account.position} — {account.agency_code}"
            )
        if not settings.VGP_REQUIRE_2FA:
            self.stdout.write("Second factor relaxed for the demo (VGP_REQUIRE_2FA=false).")
