from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations screens for the IT centre: background tasks now, endpoints later (F13)."""

    name = "vgp.ops"
    label = "ops"
    verbose_name = _("Operations")
