"""Purge the page cache when what a public page shows may have changed.

Only cache invalidation lives here: it is plumbing that must follow every way a page changes
(the admin, the API, code), which is what Wagtail's signals are for.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import content_cache, page_cache


def purge_page_cache(**kwargs: Any) -> None:
    page_cache.purge()


def purge_on_page_save(
    sender: type, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    # Code that creates a live page (``add_child``) or saves a live page's fields directly sends
    # no page_published. Wagtail's draft saves name their ``update_fields`` and change nothing
    # visitors see, so they do not purge.
    if not isinstance(instance, Page) or kwargs.get("raw"):
        return
    if created or (instance.live and update_fields is None):
        page_cache.purge()


def purge_on_page_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        page_cache.purge()


def connect() -> None:
    page_published.connect(purge_page_cache, dispatch_uid="vgp_page_cache_published")
    page_unpublished.connect(purge_page_cache, dispatch_uid="vgp_page_cache_unpublished")
    post_page_move.connect(purge_page_cache, dispatch_uid="vgp_page_cache_moved")
    # Page subclasses send post_save under their own class, so listen to every sender.
    post_save.connect(purge_on_page_save, dispatch_uid="vgp_page_cache_page_saved")
    post_save.connect(purge_page_cache, sender=Site, dispatch_uid="vgp_page_cache_site_saved")
    post_delete.connect(purge_page_cache, sender=Site, dispatch_uid="vgp_page_cache_site_deleted")
    post_delete.connect(purge_on_page_delete, dispatch_uid="vgp_page_cache_page_deleted")
    # Who may see a page changes what it shows (and the cached view restrictions).
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            purge_page_cache,
            sender=PageViewRestriction,
            dispatch_uid=f"vgp_page_cache_restriction_{name}",
        )
        signal.connect(
            content_cache.forget_locales, sender=Locale, dispatch_uid=f"vgp_locales_{name}"
        )
