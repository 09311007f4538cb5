from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "vgp.agencies"
    label = "agencies"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from vgp.accounts.permissions import register_public_read

        from .models import Agency

        # The registry is public: every official may look up any agency (the API serves it
        # to anyone); changing it still needs the agency permissions.
        register_public_read(Agency)
