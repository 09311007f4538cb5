"""Electronic signatures' hooks into Wagtail's admin: the "Electronic signatures" menu with
"My signing certificate", the certification authorities and the signing certificates (see
``admin_views.py``), and a link from the account page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import CertificateAuthority, SigningCertificate

# Every admin view of these models (and their menu items) answers through
# vgp.accounts.permissions, like the actions; nothing is edited or deleted by hand.
register_permission_policy(CertificateAuthority, admin_views.authority_permission_policy)
register_permission_policy(SigningCertificate, admin_views.certificate_permission_policy)

signatures_menu = Menu(register_hook_name=admin_views.MENU_HOOK, construct_hook_name=None)


@hooks.register("register_admin_menu_item")
def register_signatures_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(
        gettext_lazy("Electronic signatures"),
        signatures_menu,
        name="electronic-signatures",
        icon_name="key",
        order=280,
    )


@hooks.register("register_admin_viewset")
def register_signature_viewsets() -> list[Any]:
    return admin_views.viewsets()


@hooks.register("register_admin_urls")
def register_my_signature_urls() -> list[Any]:
    return admin_views.mine_urls()


@hooks.register(admin_views.MENU_HOOK)
def register_my_signature_item() -> MenuItem:
    return admin_views.mine_menu_item()


@hooks.register("register_account_menu_item")
def register_my_signature_account_item(request: HttpRequest) -> dict[str, Any] | None:
    if getattr(request.user, "agency_id", None) is None:
        return None
    return {
        "url": reverse(f"{admin_views.MINE}:index"),
        "label": gettext_lazy("My signing certificate"),
        "help_text": gettext_lazy(
            "Your certificate for signing documents, your handwritten signature image."
        ),
    }
