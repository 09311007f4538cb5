from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "vgp.news"
    label = "news"
    verbose_name = _("E-newspaper")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import copy_for_translation_done

        from vgp.accounts.role_sync import register_follow_up, register_page_roots

        from . import editorial, editorial_hooks  # noqa: F401  (hooks register on import)

        # The news desk's roles hold their page rights on both home pages, and the review
        # workflow follows every role sync (see editorial.py).
        register_page_roots("news", editorial.editorial_roots)
        register_follow_up("news.workflow", editorial.ensure_news_workflow)
        copy_for_translation_done.connect(
            editorial.on_copy_for_translation, dispatch_uid="vgp_news_translation_in_line"
        )
