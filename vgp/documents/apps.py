from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "vgp.documents"
    label = "documents"
    verbose_name = _("Official documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from vgp.accounts.permissions import register_scope

        from .models import Document

        register_scope(Document, "agency")
