"""The bridge from Wagtail's publishing to :func:`vgp.legal.actions.after_publication`.

Why a signal: a legal document is published by Wagtail's own code — the "Publish" button, a
checker's approval at the end of the workflow, scheduled publishing, "Unpublish" — all of which
end in Wagtail's ``PublishRevisionAction``/``UnpublishAction``. They are not ours to call
``after_publication`` from, and their only way out is the ``published``/``unpublished``
signals (the same reasoning as ``vgp/audit/wagtail_bridge.py``). These receivers hold no rule:
they name the person acting and hand over to the action, which is atomic and audited. The
importer and the tests call the action directly.
"""

from __future__ import annotations

from typing import Any

from vgp.core import request_context

from . import actions
from .models import LegalDocument

DISPATCH_UIDS = ("vgp_legal_after_publish", "vgp_legal_after_unpublish")


def _actor() -> Any:
    # Wagtail's signals carry no user; the request's is the one who clicked (None for the
    # scheduler and commands, which the audit records as such).
    context = request_context.current()
    user = context.user if context is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def on_published(sender: Any, instance: LegalDocument, **kwargs: Any) -> None:
    """Receiver of ``wagtail.signals.published`` for legal documents."""
    actions.after_publication(instance, actor=_actor())


def on_unpublished(sender: Any, instance: LegalDocument, **kwargs: Any) -> None:
    """Receiver of ``wagtail.signals.unpublished`` for legal documents."""
    actions.after_publication(instance, actor=_actor())


def connect() -> None:
    from wagtail.signals import published, unpublished

    published.connect(on_published, sender=LegalDocument, dispatch_uid=DISPATCH_UIDS[0])
    unpublished.connect(on_unpublished, sender=LegalDocument, dispatch_uid=DISPATCH_UIDS[1])
