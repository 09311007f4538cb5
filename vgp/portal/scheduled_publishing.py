"""Scheduled publishing and expiry, as Wagtail's ``publish_scheduled`` command does them.

Wagtail stores an editor's "go live at" on the approved revision (``approved_go_live_at``) and
"expire at" on the live object; something has to act when the time comes. The difference with
Wagtail's command: each object is handled in its own transaction, so one that fails (logged,
left scheduled for the next run) stops none of the others, and the Wagtail log entry mirrored
into the audit chain is committed or rolled back together with the change.

Besides pages this covers every model with drafts (``DraftStateMixin``), as Wagtail does.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

log = logging.getLogger(__name__)


def models_with_drafts() -> list[type[models.Model]]:
    """Page first, then every other model with drafts (snippets), in a stable order."""
    others = [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    return [Page, *sorted(others, key=lambda model: model._meta.label)]


def revisions_due(before: dt.datetime) -> models.QuerySet[Revision]:
    """Approved revisions whose go-live time is before ``before`` (not published yet, then:
    publishing clears ``approved_go_live_at`` on every revision of the object)."""
    return Revision.objects.filter(approved_go_live_at__lt=before).order_by(
        "approved_go_live_at", "pk"
    )


def expired_live(model: type[models.Model], before: dt.datetime) -> models.QuerySet[Any]:
    """Live objects of ``model`` whose expiry time is before ``before``."""
    return model._default_manager.filter(live=True, expire_at__lt=before).order_by(
        "expire_at", "pk"
    )


@dataclass
class Report:
    """What one run did; items are described as ``"app.model #pk “title”"``."""

    unpublished: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "unpublished": self.unpublished,
            "published": self.published,
            "failed": self.failed,
        }


def publish_scheduled(now: dt.datetime | None = None) -> Report:
    """Unpublish what has expired, then publish what is due; safe to run twice at once."""
    now = now or timezone.now()
    report = Report()
    for model in models_with_drafts():
        # A list of ids, read before anything changes, like Wagtail's command.
        for pk in list(expired_live(model, now).values_list("pk", flat=True)):
            _unpublish_expired(model, pk, now, report)
    for revision_id in list(revisions_due(now).values_list("pk", flat=True)):
        _publish_due(revision_id, now, report)
    return report


def _unpublish_expired(
    model: type[models.Model], pk: Any, now: dt.datetime, report: Report
) -> None:
    label = f"{model._meta.label_lower} #{pk}"
    try:
        with transaction.atomic():
            # Locked and checked again: a run started a moment earlier may have done it already.
            obj = expired_live(model, now).select_for_update().filter(pk=pk).first()
            if obj is None:
                return
            label = f"{label} “{obj}”"
            # A page type may answer expiry its own way (a news item is withdrawn with a public
            # reason rather than disappearing); the rest are unpublished like Wagtail does.
            expire = getattr(getattr(obj, "specific", obj), "expire_on_schedule", None)
            if expire is not None:
                expire()
            else:
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    except Exception:
        log.exception("Scheduled expiry failed for %s", label)
        report.failed.append(label)
    else:
        log.info("Unpublished on expiry: %s", label)
        report.unpublished.append(label)


def _publish_due(revision_id: int, now: dt.datetime, report: Report) -> None:
    label = f"revision #{revision_id}"
    try:
        with transaction.atomic():
            revision = revisions_due(now).select_for_update().filter(pk=revision_id).first()
            if revision is None:
                return
            label = f"{revision.base_content_type.app_label}.{revision.base_content_type.model}"
            label = f"{label} #{revision.object_id} “{revision.object_str}”"
            # approved_go_live_at is in the past, so Wagtail makes the object live now.
            revision.publish(log_action="wagtail.publish.scheduled")
    except Exception:
        log.exception("Scheduled publishing failed for %s", label)
        report.failed.append(label)
    else:
        log.info("Published as scheduled: %s", label)
        report.published.append(label)
