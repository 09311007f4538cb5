from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "vgp.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from . import checks, signal_handlers  # noqa: F401  (checks register on import)

        signal_handlers.connect()
