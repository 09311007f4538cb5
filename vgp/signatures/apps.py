from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "vgp.signatures"
    label = "signatures"
    verbose_name = _("Electronic signatures")

    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vgp.accounts.permissions import register_scope

        from . import pkcs11, trust_roots  # noqa: F401  (register their system checks)
        from .models import SigningCertificate

        register_scope(SigningCertificate, "agency")
