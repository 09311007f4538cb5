from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vgp.accounts.role_sync import sync_roles


class Command(BaseCommand):
    help = "Create the role groups and set their permissions from vgp/accounts/roles.py."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = sync_roles()
        self.stdout.write(
            f"Roles updated: {', '.join(changed)}" if changed else "Roles up to date."
        )
