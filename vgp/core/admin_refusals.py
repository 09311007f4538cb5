"""The admin's answer to a refused step or page: 403, the reason, and the way back.

Wagtail's admin turns a ``PermissionDenied`` into a redirect to the dashboard, hiding from the
official what was refused, and why. The domains' admin views catch the action's refusal and
answer with this page instead.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def reason_of(refusal: PermissionDenied | Any) -> str:
    """What was refused, in the words of the action's ``PermissionDenied`` (or of the text
    given), else the generic sentence."""
    if isinstance(refusal, PermissionDenied):
        text = " ".join(str(arg) for arg in refusal.args)
    else:
        text = str(refusal or "")
    return text or _("You do not have permission to do this.")


def refused_page(
    request: HttpRequest,
    refusal: PermissionDenied | Any,
    *,
    back_url: str,
    back_label: str,
    subtitle: str = "",
) -> TemplateResponse:
    """403 with the reason (a ``PermissionDenied`` or a text) and a button back to
    ``back_url`` saying ``back_label``; ``subtitle`` names what was refused (a code)."""
    return TemplateResponse(
        request,
        "core/admin/refused.html",
        {
            "page_title": _("Not allowed"),
            "subtitle": subtitle,
            "reason": reason_of(refusal),
            "back_url": back_url,
            "back_label": back_label,
        },
        status=403,
    )
