"""The legal database desk: the workflow "draft → check → published" and who may do what.

A legal database editor enters a document in the admin (a snippet with drafts, revisions and
locking), saves drafts and submits it to the workflow "Kiểm tra văn bản"; its one step, also
"Kiểm tra văn bản", belongs to the legal database checkers, who approve — which publishes — or
request changes with a comment, which returns the draft to its author. Editors cannot publish:
Wagtail offers "Publish" only to holders of ``legal.publish_legaldocument`` (the checkers).
Checkers, and IT administrators, may take a published document off line
(``legal.unpublish_legaldocument``, see :func:`create_unpublish_permission`).

Who holds which permission is data in ``vgp/accounts/roles.py``; :func:`ensure_legal_workflow`
sets the workflow up and runs after every role sync, like the news desk's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, transaction
from wagtail.models import WorkflowContentType

from vgp.accounts.roles import Role, group_name
from vgp.accounts.workflows import ensure_workflow
from vgp.audit.trail import record

from .models import LegalDocument

# Names are data in the installation's language, like the role groups'.
WORKFLOW_NAME = "Kiểm tra văn bản"
CHECK_STEP_NAME = "Kiểm tra văn bản"
CHECKER_ROLE = Role.LEGAL_CHECKER

# Taking a published document off line without the right to publish (IT administrators).
UNPUBLISH_CODENAME = "unpublish_legaldocument"
UNPUBLISH_PERMISSION = f"legal.{UNPUBLISH_CODENAME}"


def ensure_legal_workflow() -> list[str]:
    """Create or bring in line the checking workflow of legal documents; return what changed.

    Idempotent: a second run changes nothing and records nothing. Runs after every role sync
    (``migrate``, ``manage.py sync_roles``, ``load_demo``).
    """
    changes: list[str] = []
    with transaction.atomic():
        workflow = ensure_workflow(WORKFLOW_NAME, [(CHECK_STEP_NAME, CHECKER_ROLE)], changes)

        content_type = ContentType.objects.get_for_model(LegalDocument, for_concrete_model=False)
        link = WorkflowContentType.objects.filter(content_type=content_type).first()
        if link is None:
            WorkflowContentType.objects.create(content_type=content_type, workflow=workflow)
            changes.append(f"workflow {WORKFLOW_NAME} on legal documents")
        elif link.workflow_id != workflow.pk:
            link.workflow = workflow
            link.save(update_fields=["workflow"])
            changes.append(f"workflow {WORKFLOW_NAME} on legal documents")

        if changes:
            record(
                action="legal.workflow_synced",
                obj=workflow,
                summary="; ".join(changes),
                changes={
                    "steps": [CHECK_STEP_NAME],
                    "reviewers": group_name(CHECKER_ROLE),
                    "content_type": content_type.pk,
                },
            )
    return changes


def create_unpublish_permission(
    app_config: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """Create ``legal.unpublish_legaldocument`` after ``migrate`` (receiver of post_migrate).

    Wagtail creates the ``publish``, ``lock`` and ``unlock`` permissions of snippets the same
    way, without a migration; this one adds "take off line" on its own, which Wagtail folds
    into "publish". It runs before the role sync (which waits for the last app).
    """
    content_type = ContentType.objects.db_manager(using).get_for_model(
        LegalDocument, for_concrete_model=False
    )
    Permission.objects.db_manager(using).get_or_create(
        content_type=content_type,
        codename=UNPUBLISH_CODENAME,
        defaults={"name": "Can unpublish legal document"},
    )
