from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "vgp.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import wagtail_bridge

        # Copies Wagtail's admin log into the chain; see wagtail_bridge's docstring for why a
        # signal is the right tool for this one job.
        wagtail_bridge.connect()
