from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "vgp.search"
    label = "vgp_search"
    verbose_name = _("Vietnamese search")
