from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vgp.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class OfficialUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the officials' fields (agency, unit, position)."""

    user_viewset = "vgp.accounts.admin_views.OfficialUserViewSet"
