from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GazetteConfig(AppConfig):
    name = "vgp.gazette"
    label = "gazette"
    verbose_name = _("Official Gazette")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A document's public page lists the issues it was printed in. The legal app offers
        # the registry, so that it never imports the gazette (the dependency points one way).
        from vgp.legal.presentation import register_document_panel

        from .document_panel import gazette_panel

        register_document_panel(gazette_panel)
