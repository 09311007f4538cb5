"""The news desk: the review workflow, withdrawal, and keeping translations in line.

**Review.** Every page below a home page (both languages) goes through the Wagtail workflow
"Duyệt tin bài": a reporter (or anyone) submits; a section editor approves or requests changes;
the editor-in-chief approves, which publishes. Reviewers comment in the editor; "request
changes" sends the item back to its author by email; while an item waits for a step, only that
step's reviewers may edit it. Who may do what is data in ``vgp/accounts/roles.py``;
:func:`ensure_news_workflow` sets the workflow up and runs with every role sync.

**Withdrawal** (GOV.UK style). A published item is never silently unpublished:
:func:`withdraw` records a public reason and date, and the item stays at its address showing
them (and leaves the listings and feeds). Wagtail's "Unpublish" is closed for news items (see
``page_permissions``). ``withdrawn_at``, ``withdrawal_reason`` and ``translation_synced_at``
describe the page, not one version of it: ``NewsItemPage.with_content_json`` keeps their
current values whenever a revision is loaded, so publishing or reverting to an older revision
does not undo a withdrawal, and :func:`reinstate` is the only way back.

**English edition.** An English item is a Wagtail translation of a Vietnamese one (same
``translation_key``). When it is created it is in line with its original
(:func:`start_translation_in_line`); a translator confirms later catch-ups with
:func:`mark_translation_up_to_date`. ``translations.py`` answers which ones lag behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage

from vgp.accounts.roles import Role
from vgp.accounts.workflows import ensure_workflow
from vgp.audit.trail import record
from vgp.audit.wagtail_bridge import log_history_only
from vgp.portal import page_cache
from vgp.portal.models import HomePage

from . import translations
from .models import NewsItemPage

# Names are data in the installation's language, like the role groups'.
WORKFLOW_NAME = "Duyệt tin bài"
REVIEW_STEPS: list[tuple[str, str]] = [
    ("Biên tập viên chuyên mục duyệt", Role.PORTAL_EDITOR),
    ("Tổng biên tập phê duyệt", Role.EDITOR_IN_CHIEF),
]

# Entries in each page's Wagtail history (the audit chain has its own records).
WITHDRAW_LOG_ACTION = "vgp_news.withdraw"
REINSTATE_LOG_ACTION = "vgp_news.reinstate"
TRANSLATION_UP_TO_DATE_LOG_ACTION = "vgp_news.translation_up_to_date"


# --- Review workflow ------------------------------------------------------------------------


def editorial_roots() -> QuerySet[HomePage]:
    """The page trees of the news desk: each language's home page and everything below."""
    return HomePage.objects.order_by("path")


def news_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()


def ensure_news_workflow() -> list[str]:
    """Create or bring in line the review workflow and its pages; return what changed.

    Idempotent: a second run changes nothing and records nothing. Runs after every role sync
    (``migrate``, ``manage.py sync_roles``, ``load_demo``), so a home page created since is
    covered by the next sync.
    """
    changes: list[str] = []
    with transaction.atomic():
        workflow = ensure_workflow(WORKFLOW_NAME, REVIEW_STEPS, changes)

        for home in editorial_roots():
            link = WorkflowPage.objects.filter(page=home).first()
            if link is None:
                WorkflowPage.objects.create(page=home, workflow=workflow)
            elif link.workflow_id != workflow.pk:
                link.workflow = workflow
                link.save(update_fields=["workflow"])
            else:
                continue
            changes.append(f"workflow {WORKFLOW_NAME} on page {home.pk}")

        if changes:
            record(
                action="news.workflow_synced",
                obj=workflow,
                summary="; ".join(changes),
                changes={
                    "steps": [name for name, _role in REVIEW_STEPS],
                    "pages": sorted(home.pk for home in editorial_roots()),
                },
            )
    return changes


def can_withdraw(user: Any, page: NewsItemPage) -> bool:
    """Whether ``user`` may withdraw ``page`` now (live, not locked, publish permission)."""
    return bool(page.permissions_for_user(user).can_withdraw())


def can_reinstate(user: Any, page: NewsItemPage) -> bool:
    tester = page.permissions_for_user(user)
    return bool(tester.can_publish() and not tester.page_locked())


def withdraw(*, actor: Any, page: NewsItemPage, reason: str) -> NewsItemPage:
    """Withdraw a published item: it stays at its address with ``reason`` and the date.

    ``actor=None`` is the system (commands); a person needs publish rights on the page.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the withdrawal: it is shown to the public.")}
        )
    with transaction.atomic():
        item = _locked(page)
        if item.withdrawn_at is not None:
            raise ValidationError(_("This item has already been withdrawn."))
        if not item.live:
            raise ValidationError(
                _("Only a published item can be withdrawn; a draft can simply be deleted.")
            )
        if actor is not None and not can_withdraw(actor, item):
            raise PermissionDenied(_("You do not have permission to withdraw this item."))
        now = timezone.now()
        NewsItemPage.objects.filter(pk=item.pk).update(
            withdrawn_at=now, withdrawal_reason=reason, changed_at=now
        )
        record(
            action="news.withdraw",
            actor=actor,
            obj=item,
            summary=f"Withdrawn: {item.title}",
            changes={"withdrawn_at": [None, now], "withdrawal_reason": ["", reason]},
        )
        log_history_only(
            instance=item.specific, action=WITHDRAW_LOG_ACTION, user=actor, data={"reason": reason}
        )
        # A field update sends no page_published: the cached copies must go explicitly.
        page_cache.purge()  # now, and again when the transaction commits
    page.withdrawn_at, page.withdrawal_reason = now, reason
    return page


def reinstate(*, actor: Any, page: NewsItemPage) -> NewsItemPage:
    """Undo a withdrawal: the item returns to the listings; the reason is no longer shown."""
    with transaction.atomic():
        item = _locked(page)
        if item.withdrawn_at is None:
            raise ValidationError(_("This item is not withdrawn."))
        if actor is not None and not can_reinstate(actor, item):
            raise PermissionDenied(_("You do not have permission to reinstate this item."))
        NewsItemPage.objects.filter(pk=item.pk).update(
            withdrawn_at=None, withdrawal_reason="", changed_at=timezone.now()
        )
        record(
            action="news.reinstate",
            actor=actor,
            obj=item,
            summary=f"Reinstated: {item.title}",
            changes={
                "withdrawn_at": [item.withdrawn_at, None],
                "withdrawal_reason": [item.withdrawal_reason, ""],
            },
        )
        log_history_only(
            instance=item.specific,
            action=REINSTATE_LOG_ACTION,
            user=actor,
            data={"reason": item.withdrawal_reason},
        )
        page_cache.purge()  # now, and again when the transaction commits
    page.withdrawn_at, page.withdrawal_reason = None, ""
    return page


def _locked(page: NewsItemPage) -> NewsItemPage:
    # The row of the news item is locked, so that two editors withdrawing (or one withdrawing
    # while another reinstates) are serialised; the fields are then written with update(),
    # which leaves the derived columns and the page's other fields alone.
    return NewsItemPage.objects.select_for_update().get(pk=page.pk)


# --- English edition ------------------------------------------------------------------------


def start_translation_in_line(*, translation: Any) -> None:
    """A translation just copied from its original is in line with it as of now.

    Called when Wagtail copies a page for translation ("Translate", ``copy_for_translation``);
    Wagtail's own log entry for the copy is the audit record of the creation.
    """
    if not isinstance(translation, NewsItemPage) or not translations.is_translation(translation):
        return
    now = timezone.now()
    NewsItemPage.objects.filter(pk=translation.pk).update(translation_synced_at=now)
    translation.translation_synced_at = now


def mark_translation_up_to_date(*, actor: Any, page: NewsItemPage) -> NewsItemPage:
    """The translator confirms that ``page`` matches its Vietnamese original as of now."""
    with transaction.atomic():
        item = _locked(page)
        if translations.original_of(item) is None:
            raise ValidationError(_("This item is not a translation of a Vietnamese item."))
        if actor is not None and not item.permissions_for_user(actor).can_edit():
            raise PermissionDenied(_("You do not have permission to edit this translation."))
        now = timezone.now()
        NewsItemPage.objects.filter(pk=item.pk).update(translation_synced_at=now)
        record(
            action="news.translation_up_to_date",
            actor=actor,
            obj=item,
            summary=f"Translation marked up to date: {item.title}",
            changes={"translation_synced_at": [item.translation_synced_at, now]},
        )
        log_history_only(
            instance=item.specific, action=TRANSLATION_UP_TO_DATE_LOG_ACTION, user=actor
        )
    page.translation_synced_at = now
    return page


def on_copy_for_translation(sender: Any, source_obj: Any, target_obj: Any, **kwargs: Any) -> None:
    """Receiver of Wagtail's ``copy_for_translation_done``; no rule of its own."""
    start_translation_in_line(translation=target_obj)
