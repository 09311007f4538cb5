from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "vgp.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")
    default_auto_field = "django.db.models.BigAutoField"
