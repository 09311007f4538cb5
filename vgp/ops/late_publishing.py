"""What is late: scheduled publishing past its time, and a scheduler that has gone quiet.

Read by the dashboard panel (``wagtail_hooks``) and by ``/healthz`` (registered in
``apps.OpsConfig.ready``). "Late" means more than ``SCHEDULED_PUBLISHING_ALERT_MINUTES`` past
due, which leaves the scheduler (every minute) and the worker time to do their job.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, Revision

from vgp.portal.scheduled_publishing import expired_live, models_with_drafts, revisions_due

from . import scheduler

LISTED = 10  # items of each kind shown on the dashboard; the panel says how many more there are


def alert_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SCHEDULED_PUBLISHING_ALERT_MINUTES)


@dataclass(frozen=True)
class LateItem:
    title: str
    due_at: dt.datetime
    minutes_late: int
    edit_url: str | None


@dataclass(frozen=True)
class LateReport:
    not_published: list[LateItem]  # go-live time passed, still not live
    not_published_total: int
    still_live: list[LateItem]  # expiry time passed, still live
    still_live_total: int
    last_tick: dt.datetime | None
    minutes_since_tick: int | None
    # The scheduler stopped ticking, or never ticked while something is late.
    scheduler_silent: bool

    @property
    def items_late(self) -> bool:
        return bool(self.not_published_total or self.still_live_total)

    @property
    def anything_wrong(self) -> bool:
        return self.items_late or self.scheduler_silent


def late_report(user: Any = None, now: dt.datetime | None = None) -> LateReport:
    """Everything late, each with a link to its editor (other objects than pages: only if
    ``user`` may edit them)."""
    now = now or timezone.now()
    before = now - alert_after()
    finder = AdminURLFinder(user)

    due = revisions_due(before).select_related("base_content_type")
    not_published = [
        LateItem(
            title=revision.object_str,
            due_at=_due(revision.approved_go_live_at),
            minutes_late=_minutes(now - _due(revision.approved_go_live_at)),
            edit_url=_revision_edit_url(revision, finder),
        )
        for revision in due[:LISTED]
    ]
    still_live: list[LateItem] = []
    still_live_total = 0
    for model in models_with_drafts():
        expired = expired_live(model, before)
        still_live_total += expired.count()
        for obj in expired[: LISTED - len(still_live)]:
            still_live.append(
                LateItem(
                    title=str(obj),
                    due_at=obj.expire_at,
                    minutes_late=_minutes(now - obj.expire_at),
                    edit_url=_edit_url(obj, finder),
                )
            )
    not_published_total = due.count() if len(not_published) == LISTED else len(not_published)
    last = scheduler.last_tick()
    late = bool(not_published_total or still_live_total)
    return LateReport(
        not_published=not_published,
        not_published_total=not_published_total,
        still_live=still_live,
        still_live_total=still_live_total,
        last_tick=last,
        minutes_since_tick=_minutes(now - last) if last else None,
        scheduler_silent=_stale(last, now) or (last is None and late),
    )


def late_count(now: dt.datetime | None = None) -> int:
    """How many objects are late, without loading them."""
    before = (now or timezone.now()) - alert_after()
    return revisions_due(before).count() + sum(
        expired_live(model, before).count() for model in models_with_drafts()
    )


def check_scheduler() -> dict[str, Any]:
    """The ``/healthz`` part for the scheduler, in the style of ``core.health.check_tasks``."""
    started = time.perf_counter()
    now = timezone.now()
    last = scheduler.last_tick()
    result: dict[str, Any] = {
        "status": "ok",
        "jobs": len(scheduler.registered_jobs()),
        "last_tick_seconds_ago": round((now - last).total_seconds()) if last else None,
    }
    if _stale(last, now):
        result["status"] = "down"
        result["error"] = "the scheduler has not ticked for too long: is run_scheduler running?"
    elif last is None:
        # A fresh installation whose scheduler has not started yet is fine until work is late.
        late = late_count(now)
        result["late_items"] = late
        if late:
            result["status"] = "down"
            result["error"] = "scheduled publishing is late and no scheduler has ever run"
    result["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def _stale(last: dt.datetime | None, now: dt.datetime) -> bool:
    return last is not None and now - last > alert_after()


def _due(moment: dt.datetime | None) -> dt.datetime:
    assert moment is not None  # revisions_due() only returns revisions with a go-live time
    return moment


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _revision_edit_url(revision: Revision, finder: AdminURLFinder) -> str | None:
    if revision.base_content_type_id == ContentType.objects.get_for_model(Page).pk:
        # Straight to the editor: Wagtail's edit view applies the page permissions itself.
        return reverse("wagtailadmin_pages:edit", args=[revision.object_id])
    return _edit_url(revision.content_object, finder)


def _edit_url(obj: Any, finder: AdminURLFinder) -> str | None:
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    url: str | None = finder.get_edit_url(obj)
    return url
