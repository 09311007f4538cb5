from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "vgp.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .role_sync import sync_roles_after_migrate

        # Permissions only exist after every app has migrated, hence post_migrate (as Wagtail
        # does for its own groups); the sync itself is the sync_roles action.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="vgp_sync_roles")

        from wagtail.permissions import register_permission_policy

        from .models import ApiKey, User
        from .permissions import ScopedPermissionPolicy, register_scope

        register_scope(User, "agency")
        register_scope(ApiKey, "agency")
        register_permission_policy(User, ScopedPermissionPolicy(User))
        register_permission_policy(ApiKey, ScopedPermissionPolicy(ApiKey))


class OfficialUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the officials' fields (agency, unit, position)."""

    user_viewset = "vgp.accounts.admin_views.OfficialUserViewSet"
