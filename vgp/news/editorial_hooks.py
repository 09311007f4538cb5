"""The news desk's hooks into Wagtail's admin (imported by ``apps.NewsConfig.ready``).

- "Withdraw…" and "Reinstate…" where Wagtail offers "Unpublish" (the editor's publishing menu,
  the explorer's "more" menu, the page header); Wagtail's own unpublish is closed for news
  items by ``page_permissions``;
- the report "Translations to update" under Reports;
- the translator's checkbox "This translation matches the Vietnamese version", acted on when
  the editor saves;
- labels for the news desk's entries in each page's history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from . import editorial
from .editorial_admin import (
    OutOfDateTranslationsView,
    ReinstateActionMenuItem,
    ReinstateView,
    WithdrawActionMenuItem,
    WithdrawView,
    item_buttons,
)
from .editorial_panels import TRANSLATION_UP_TO_DATE_FIELD
from .models import NewsItemPage


@hooks.register("register_admin_urls")
def register_editorial_urls() -> list[Any]:
    urls = [
        path("<int:page_id>/thu-hoi/", WithdrawView.as_view(), name="withdraw"),
        path("<int:page_id>/khoi-phuc/", ReinstateView.as_view(), name="reinstate"),
        path(
            "ban-dich-can-cap-nhat/",
            OutOfDateTranslationsView.as_view(),
            name="translations_to_update",
        ),
        path(
            "ban-dich-can-cap-nhat/results/",
            OutOfDateTranslationsView.as_view(results_only=True),
            name="translations_to_update_results",
        ),
    ]
    return [path("tin-bai/", include((urls, "news_editorial"), namespace="news_editorial"))]


@hooks.register("register_page_action_menu_item")
def register_withdraw_menu_item() -> WithdrawActionMenuItem:
    return WithdrawActionMenuItem()


@hooks.register("register_page_action_menu_item")
def register_reinstate_menu_item() -> ReinstateActionMenuItem:
    return ReinstateActionMenuItem()


@hooks.register("register_page_listing_more_buttons")
def withdrawal_listing_buttons(page: Any, user: Any, next_url: str | None = None) -> Any:
    return item_buttons(page, next_url, priority=40)


@hooks.register("register_page_header_buttons")
def withdrawal_header_buttons(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Any:
    return item_buttons(page, next_url, priority=60)


class TranslationsReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(
            OutOfDateTranslationsView.permission_policy.user_has_any_permission(
                request.user, OutOfDateTranslationsView.any_permission_required
            )
        )


@hooks.register("register_reports_menu_item")
def register_translations_report_menu_item() -> MenuItem:
    return TranslationsReportMenuItem(
        _("Translations to update"),
        reverse("news_editorial:translations_to_update"),
        name="translations-to-update",
        icon_name="globe",
        order=750,
    )


@hooks.register("after_edit_page")
def mark_translation_when_confirmed(request: HttpRequest, page: Any) -> None:
    """Act on the translator's checkbox once the edit is saved (not on autosave)."""
    if not request.POST.get(TRANSLATION_UP_TO_DATE_FIELD) or not request.accepts("text/html"):
        return
    item = page.specific if not isinstance(page, NewsItemPage) else page
    if not isinstance(item, NewsItemPage):
        return
    try:
        editorial.mark_translation_up_to_date(actor=request.user, page=item)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return
    messages.success(request, _("Marked as matching the Vietnamese version."))


@hooks.register("register_log_actions")
def register_editorial_log_actions(actions: Any) -> None:
    actions.register_action(editorial.WITHDRAW_LOG_ACTION, _("Withdraw"), _("Withdrawn"))
    actions.register_action(editorial.REINSTATE_LOG_ACTION, _("Reinstate"), _("Reinstated"))
    actions.register_action(
        editorial.TRANSLATION_UP_TO_DATE_LOG_ACTION,
        _("Mark translation up to date"),
        _("Translation marked as matching the Vietnamese version"),
    )
