"""The audit trail's place in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from vgp.accounts import permissions

from .admin_views import AuditRecordViewSet, ReadOnlyAuditPolicy, local_time
from .models import AuditRecord
from .verification import describe_problem, last_verification

register_permission_policy(AuditRecord, ReadOnlyAuditPolicy(AuditRecord), exact_class=True)

audit_viewset = AuditRecordViewSet()


@hooks.register("register_admin_viewset")
def register_audit_viewset() -> AuditRecordViewSet:
    return audit_viewset


class ChainStatusPanel(Component):
    """The dashboard's line on the hash chain: when it was last verified and whether it held."""

    name = "audit_chain_status"
    template_name = "audit/chain_status_panel.html"
    order = 90

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        last = last_verification()
        return {
            "last": last,
            "when": local_time(last.finished_at) if last else "",
            "problem": describe_problem(last) if last and not last.intact else "",
            "index_url": reverse(audit_viewset.get_url_name("index")),
            "verify_url": reverse(audit_viewset.get_url_name("verify")),
            "request": parent_context.get("request"),
        }


@hooks.register("construct_homepage_panels")
def add_chain_status_panel(request: Any, panels: list[Any]) -> None:
    if permissions.can(request.user, "audit.view_auditrecord"):
        panels.append(ChainStatusPanel())
