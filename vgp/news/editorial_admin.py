"""The news desk's screens in the back office: withdraw, reinstate, translations to update.

Thin doors: each screen checks who may use it, calls one action of ``editorial`` and says what
happened. Wagtail's own screens (editor, workflow, history, comparison) do the rest.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import DateColumn, LiveStatusTagColumn, LocaleColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import Button
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import editorial, translations
from .models import NewsItemPage

# --- Withdraw and reinstate -----------------------------------------------------------------


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the withdrawal"),
        # Required by the action, which gives the message; the form only carries the text.
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Shown to the public at the top of the item, with the date. Say why it was "
            "withdrawn and, if there is one, where the current information is."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm: the item stays at its address with this notice and leaves the "
            "lists, the home page and the feeds."
        ),
    )


class ReinstateForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm: the withdrawal notice is removed and the item returns to the lists."
        ),
    )


class NewsItemActionView(WagtailAdminTemplateMixin, FormView):
    """One news item, one form, one action of ``editorial``."""

    template_name = "news/editorial/item_action.html"
    submit_button_label: Any = ""
    intro: Any = ""
    page: NewsItemPage

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.page = get_object_or_404(NewsItemPage, pk=kwargs["page_id"]).specific

    def refusal(self) -> str:
        """Why the action cannot be done now (empty: it can), checked before the permission."""
        return ""

    def allowed(self) -> bool:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.get_edit_url())
        if not self.allowed():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])

    def get_page_subtitle(self) -> str:
        return str(self.page.get_admin_display_title())

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": self.get_edit_url(), "label": self.page.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            action_url=self.request.path,
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_label,
            intro=self.intro,
        )
        return context

    def run_action(self, form: forms.Form) -> str:
        raise NotImplementedError

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.run_action(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_edit_url())


class WithdrawView(NewsItemActionView):
    form_class = WithdrawalForm
    page_title = gettext_lazy("Withdraw")
    header_icon = "warning"
    submit_button_label = gettext_lazy("Withdraw")
    intro = gettext_lazy(
        "A withdrawn item is not unpublished: it stays at its address, under a notice with the "
        "date and your reason, so that links and citations keep working. It leaves the "
        "section lists, the home page and the feeds. An editor-in-chief can reinstate it."
    )

    def refusal(self) -> str:
        if self.page.withdrawn_at is not None:
            return _("This item has already been withdrawn.")
        if not self.page.live:
            return _("Only a published item can be withdrawn; a draft can simply be deleted.")
        return ""

    def allowed(self) -> bool:
        return editorial.can_withdraw(self.request.user, self.page)

    def run_action(self, form: forms.Form) -> str:
        editorial.withdraw(
            actor=self.request.user, page=self.page, reason=form.cleaned_data["reason"]
        )
        return _("'%(title)s' withdrawn. The page now shows the reason.") % {
            "title": self.page.get_admin_display_title()
        }


class ReinstateView(NewsItemActionView):
    form_class = ReinstateForm
    page_title = gettext_lazy("Reinstate")
    header_icon = "undo"
    submit_button_label = gettext_lazy("Reinstate")
    intro = gettext_lazy(
        "The withdrawal notice is removed and the item returns to the section lists, the home "
        "page and the feeds."
    )

    def refusal(self) -> str:
        if self.page.withdrawn_at is None:
            return _("This item is not withdrawn.")
        return ""

    def allowed(self) -> bool:
        return editorial.can_reinstate(self.request.user, self.page)

    def run_action(self, form: forms.Form) -> str:
        editorial.reinstate(actor=self.request.user, page=self.page)
        return _("'%(title)s' reinstated.") % {"title": self.page.get_admin_display_title()}


def _news_item(page: Any) -> NewsItemPage | None:
    """``page`` as a news item if it is one (specific instances from Wagtail's views)."""
    return page if isinstance(page, NewsItemPage) else None


class WithdrawActionMenuItem(ActionMenuItem):
    """In the editor's publishing menu, where "Unpublish" would be."""

    label = gettext_lazy("Withdraw…")
    name = "action-withdraw"
    icon_name = "warning"
    order = 50

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = _news_item(context.get("page"))
        return (
            context["view"] == "edit"
            and page is not None
            and page.withdrawn_at is None
            and not context["locked_for_user"]
            and bool(self.get_user_page_permissions_tester(context).can_withdraw())
        )

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("news_editorial:withdraw", args=[parent_context["page"].pk])


class ReinstateActionMenuItem(ActionMenuItem):
    label = gettext_lazy("Reinstate…")
    name = "action-reinstate"
    icon_name = "undo"
    order = 50

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = _news_item(context.get("page"))
        return (
            context["view"] == "edit"
            and page is not None
            and page.withdrawn_at is not None
            and not context["locked_for_user"]
            and editorial.can_reinstate(context["request"].user, page)
        )

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("news_editorial:reinstate", args=[parent_context["page"].pk])


class WithdrawPageButton(PageMenuItem):
    """In the explorer's "more" menu and the page header, where "Unpublish" would be."""

    label = gettext_lazy("Withdraw…")
    icon_name = "warning"
    url_name = "news_editorial:withdraw"

    def is_shown(self, user: Any) -> bool:
        return self.page.withdrawn_at is None and editorial.can_withdraw(user, self.page)


class ReinstatePageButton(PageMenuItem):
    label = gettext_lazy("Reinstate…")
    icon_name = "undo"
    url_name = "news_editorial:reinstate"

    def is_shown(self, user: Any) -> bool:
        return self.page.withdrawn_at is not None and editorial.can_reinstate(user, self.page)


def item_buttons(page: Any, next_url: str | None = None, priority: int = 40) -> list[Button]:
    item = _news_item(page)
    if item is None:
        return []
    return [
        WithdrawPageButton(page=item, next_url=next_url, priority=priority),
        ReinstatePageButton(page=item, next_url=next_url, priority=priority),
    ]


# --- Translations to update -----------------------------------------------------------------


class OutOfDateTranslationsView(ReportView):
    """English items whose Vietnamese original was published after they were last in line."""

    page_title = gettext_lazy("Translations to update")
    header_icon = "globe"
    index_url_name = "news_editorial:translations_to_update"
    index_results_url_name = "news_editorial:translations_to_update_results"
    # Anyone who works on pages (reporters, editors); each sees the trees they work in.
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    no_results_message = gettext_lazy("Every translation is in line with its Vietnamese original.")
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Translation"),
            url_name="wagtailadmin_pages:edit",
        ),
        LocaleColumn(label=gettext_lazy("Language")),
        TitleColumn(
            "original_title",
            label=gettext_lazy("Vietnamese original"),
            url_name="wagtailadmin_pages:edit",
            # The original's id comes with each row (see translations.out_of_date_translations).
            id_accessor="original_id",
        ),
        DateColumn("original_published_at", label=gettext_lazy("Original published")),
        DateColumn("translation_synced_at", label=gettext_lazy("Translation in line as of")),
        LiveStatusTagColumn(),
    ]
    list_export = [
        "title",
        "locale",
        "original_title",
        "original_published_at",
        "translation_synced_at",
        "status_string",
    ]
    export_headings = {
        "title": gettext_lazy("Translation"),
        "locale": gettext_lazy("Language"),
        "original_title": gettext_lazy("Vietnamese original"),
        "original_published_at": gettext_lazy("Original published"),
        "translation_synced_at": gettext_lazy("Translation in line as of"),
        "status_string": gettext_lazy("Status"),
    }

    def get_filename(self) -> str:
        return "ban-dich-can-cap-nhat"

    def get_queryset(self) -> Any:
        workable = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["add", "change", "publish"]
        )
        items = NewsItemPage.objects.filter(pk__in=workable.values("pk"))
        return translations.out_of_date_translations(items)
