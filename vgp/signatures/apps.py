from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "vgp.signatures"
    label = "signatures"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from . import trust_roots  # noqa: F401  (registers its system check)
