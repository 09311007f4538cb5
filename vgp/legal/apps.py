from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "vgp.legal"
    label = "legal"
    verbose_name = _("Legal documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vgp.accounts.role_sync import register_follow_up

        from . import editorial, signal_handlers

        # The checking workflow follows every role sync (see editorial.py); the permission to
        # take a document off line exists before that sync runs (it waits for the last app).
        register_follow_up("legal.workflow", editorial.ensure_legal_workflow)
        post_migrate.connect(
            editorial.create_unpublish_permission,
            sender=self,
            dispatch_uid="vgp_legal_unpublish_permission",
        )
        # What follows a publication made with Wagtail's own buttons (signal_handlers.py).
        signal_handlers.connect()
