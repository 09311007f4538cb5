"""Copy Wagtail's own admin log into the audit chain.

Wagtail's admin (pages, snippets, users, groups, sites, images, documents) records what its
views do as ``ModelLogEntry`` / ``PageLogEntry`` rows through ``wagtail.log_actions.log``. Those
views are the actions here: they are Wagtail's code, not ours, so we cannot call
``trail.record`` from inside them. A ``post_save`` receiver on the log models is the one place
that sees every such entry, in the same transaction that wrote it, and it holds no business
logic: it only copies the entry (user, action, object, label, data) into the chain. If the copy
fails, the exception propagates and Wagtail's change is rolled back with it.

Our own actions call ``trail.record``. A view that also wants the change in Wagtail's history
page (shown next to the object in the admin) writes it with :func:`log_history_only`, which
Wagtail records but this bridge does not copy, so nothing is in the chain twice.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import translation

from . import trail

_DISPATCH_UID = "vgp_audit_mirror_wagtail_log"
_already_audited: ContextVar[bool] = ContextVar("vgp_wagtail_log_already_audited", default=False)


def log_history_only(**kwargs: Any) -> Any:
    """Wagtail's ``log()`` for a change that an action has already written to the chain."""
    from wagtail.log_actions import log

    token = _already_audited.set(True)
    try:
        return log(**kwargs)
    finally:
        _already_audited.reset(token)


def connect() -> None:
    """Listen to every concrete Wagtail log model (``ModelLogEntry``, ``PageLogEntry``, ...)."""
    from wagtail.models.audit_log import BaseLogEntry

    for model in apps.get_models():
        if issubclass(model, BaseLogEntry):
            post_save.connect(
                mirror_log_entry, sender=model, dispatch_uid=f"{_DISPATCH_UID}:{model._meta.label}"
            )


def _object_id(entry: Any) -> str:
    value = entry.object_id
    # PageLogEntry.object_id is a method returning the page id; ModelLogEntry's is a field.
    return str(value() if callable(value) else value or "")


def _summary(entry: Any) -> str:
    # The message Wagtail shows in its history views, in the installation's language, because
    # the record keeps text and cannot be re-translated later.
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return str(entry.message)
    except Exception:  # a formatter bug must not block the change
        return entry.action


def mirror_log_entry(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """Append one audit record for a newly created Wagtail log entry."""
    if not created or raw or _already_audited.get():
        return
    content_type = instance.content_type
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    changes: dict[str, Any] = {"data": instance.data or {}}
    if instance.uuid:
        changes["wagtail_uuid"] = str(instance.uuid)
    changes["wagtail_log_entry"] = f"{instance._meta.label_lower}#{instance.pk}"
    # Joins Wagtail's transaction when there is one (the usual case); otherwise the copy gets
    # its own, just after the entry was committed.
    actor = None
    if instance.user_id:
        try:
            actor = instance.user
        except ObjectDoesNotExist:  # the log's user link has no constraint; it may dangle
            actor = None
    with transaction.atomic(savepoint=False):
        trail.record(
            action=instance.action[:80],
            actor=actor,
            object_type=object_type,
            object_id=_object_id(instance),
            object_repr=instance.label,
            summary=_summary(instance),
            changes=changes,
        )
