"""The gazette's hooks into Wagtail's admin: its menu, its dashboard panel, and the deadline
shown on a received document's editor."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from vgp.legal.models import LegalDocument

from . import dashboard, deadlines
from .admin_views import (
    GazetteViewSetGroup,
    issue_permission_policy,
    submission_permission_policy,
)
from .models import GazetteIssue, GazetteSubmission

# Every admin view of these models (and their menu items) answers through
# vgp.accounts.permissions, like the actions.
register_permission_policy(GazetteIssue, issue_permission_policy)
register_permission_policy(GazetteSubmission, submission_permission_policy)


@hooks.register("register_admin_viewset")
def register_gazette_viewsets() -> GazetteViewSetGroup:
    return GazetteViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request: Any, panels: list[Any]) -> None:
    panels.extend(dashboard.panels_for(request))


@hooks.register("before_edit_snippet")
def show_gazette_deadline(request: Any, instance: Any) -> None:
    """On a legal document received for the gazette: by when it must be published (told to
    whoever edits the document: it must be live in the legal database before it can go in)."""
    if request.method != "GET" or not isinstance(instance, LegalDocument):
        return None
    from wagtail.admin import messages

    submission = deadlines.pending().filter(document=instance).first()
    if submission is not None:
        due = date_format(submission.due_on, "SHORT_DATE_FORMAT")
        if deadlines.state_of(submission) == deadlines.OVERDUE:
            messages.warning(
                request,
                _("Official Gazette: this document had to be published by %(date)s.")
                % {"date": due},
            )
        else:
            messages.info(
                request,
                _("Official Gazette: this document must be published by %(date)s.") % {"date": due},
            )
    return None
