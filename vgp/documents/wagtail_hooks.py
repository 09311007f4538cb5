"""Official documents' hooks into Wagtail's admin: the "Official documents" menu and its items
(incoming, outgoing, my work, tracking, registers and reports), the document pages, the
settings (document types, review chains) and the dashboard panel (see ``admin_views.py``)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from vgp.accounts import permissions

from . import admin_views, worklists
from .models import Document, DocumentType, ReviewRule
from .queries import PERM_REPORT, PERM_VIEW

# Every admin view of these models (and their menu items) answers through
# vgp.accounts.permissions and queries.visible_documents, like the actions.
register_permission_policy(Document, admin_views.document_permission_policy)
register_permission_policy(DocumentType, admin_views.document_type_permission_policy)
register_permission_policy(ReviewRule, admin_views.review_rule_permission_policy)

REGISTER_VIEWS = f"{__package__}.register_views"


def register_views() -> ModuleType | None:
    """The registers and reports module (another part of this app), or None while it is not
    there; any other import error is a real error and is raised."""
    try:
        return importlib.import_module(REGISTER_VIEWS)
    except ModuleNotFoundError as error:
        if error.name == REGISTER_VIEWS:
            return None
        raise


class PermissionMenuItem(MenuItem):
    """Shown to holders of ``perm`` only (and, for tracking, to those who follow units)."""

    def __init__(self, *args: Any, perm: str, tracking: bool = False, **kwargs: Any) -> None:
        self.perm = perm
        self.tracking = tracking
        super().__init__(*args, **kwargs)

    def is_shown(self, request: HttpRequest) -> bool:
        user = request.user
        if not permissions.can(user, self.perm):
            return False
        return not self.tracking or worklists.tracked_units(user) != set()


documents_menu = Menu(register_hook_name=admin_views.MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_documents_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(
        gettext_lazy("Official documents"),
        documents_menu,
        name="official-documents",
        icon_name="doc-full-inverse",
        order=260,
    )


@hooks.register("register_admin_viewset")
def register_document_viewsets() -> list[Any]:
    return admin_views.viewsets()


@hooks.register(admin_views.MENU_HOOK)
def register_my_work_item() -> MenuItem:
    return PermissionMenuItem(
        gettext_lazy("My work"),
        reverse(f"{admin_views.DOCUMENTS}:my_work"),
        name="documents-my-work",
        icon_name="tasks",
        order=1,
        perm=PERM_VIEW,
    )


@hooks.register(admin_views.MENU_HOOK)
def register_tracking_item() -> MenuItem:
    return PermissionMenuItem(
        gettext_lazy("Tracking"),
        reverse(f"{admin_views.DOCUMENTS}:tracking"),
        name="documents-tracking",
        icon_name="time",
        order=30,
        perm=PERM_REPORT,
        tracking=True,
    )


# registers and reports: mounted by register_views.register_urls()
@hooks.register("register_admin_urls")
def register_registers_urls() -> list[Any]:
    module = register_views()
    if module is None:
        return []
    return list(module.register_urls())


class HiddenMenuItem(MenuItem):
    """The place of a menu item whose module is not there (never shown)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return False


def _report_item(label: Any, url_name: str, name: str, icon: str, order: int) -> MenuItem:
    if register_views() is None:
        return HiddenMenuItem(label, "#", name=name, order=order)
    return PermissionMenuItem(
        label, reverse(url_name), name=name, icon_name=icon, order=order, perm=PERM_REPORT
    )


@hooks.register(admin_views.MENU_HOOK)
def register_registers_item() -> MenuItem:
    return _report_item(
        gettext_lazy("Registers"), "documents_registers", "documents-registers", "list-ul", 40
    )


@hooks.register(admin_views.MENU_HOOK)
def register_report_item() -> MenuItem:
    return _report_item(
        gettext_lazy("Processing report"), "documents_report", "documents-report", "table", 41
    )


@hooks.register("construct_homepage_panels")
def add_documents_panels(request: HttpRequest, panels: list[Any]) -> None:
    panels.extend(admin_views.dashboard_panels(request))
