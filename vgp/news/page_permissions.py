"""What an editor may do to a news item in Wagtail's admin: Wagtail's rules, less unpublishing.

A published news item never silently disappears (GOV.UK style): it is *withdrawn* with a public
reason and stays at its address (``editorial.withdraw``). Wagtail asks ``can_unpublish()``
before every unpublish it offers or performs for a user — the page menu, the explorer's
buttons, the unpublish view, bulk unpublishing, and the descendants of an unpublished section
— so answering no here closes all of them at once. Deleting a live item would be the same
silent 404, so a live item cannot be deleted in the admin either (a draft still can).
Code that unpublishes without a user (e.g. scheduled expiry) is not affected.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester


class NewsItemPermissionTester(PagePermissionTester):
    def can_unpublish(self) -> bool:
        return False

    def can_withdraw(self) -> bool:
        """Live, not locked against this user, and the user may publish here."""
        return bool(super().can_unpublish())

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        if self.page.live:
            return False
        return bool(super().can_delete(ignore_bulk=ignore_bulk))

    def can_move(self) -> bool:
        # Moving keeps the item public (Wagtail redirects the old address), so it follows
        # Wagtail's own rule rather than the stricter deletion rule above.
        return bool(super().can_delete(ignore_bulk=True))
