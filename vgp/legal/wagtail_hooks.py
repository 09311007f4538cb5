"""Wagtail admin wiring for the legal documents database (see ``admin_views.py``)."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin_views import (
    LegalAdminGroup,
    agency_chooser_viewset,
    document_type_permission_policy,
    import_run_permission_policy,
    legal_document_permission_policy,
    sector_permission_policy,
)
from .models import DocumentType, ImportRun, LegalDocument, Sector

# Wagtail 8 looks permission policies up by model: the admin views, Wagtail's publish and
# unpublish actions and the menu all answer through vgp.accounts.permissions.
register_permission_policy(LegalDocument, legal_document_permission_policy)
register_permission_policy(DocumentType, document_type_permission_policy)
register_permission_policy(Sector, sector_permission_policy)
register_permission_policy(ImportRun, import_run_permission_policy)

register_snippet(LegalAdminGroup)


@hooks.register("register_admin_viewset")
def register_agency_chooser() -> Any:
    return agency_chooser_viewset
