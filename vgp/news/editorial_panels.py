"""What the page editor shows of a news item's editorial status, and the translator's checkbox.

At the top of a news item's editor, a panel says when the item was withdrawn and why, and, on
a translation, whether the Vietnamese original changed since the translation was last brought
in line with it. On a translation it also offers the checkbox "This translation matches the
Vietnamese version": ticking it and saving runs ``editorial.mark_translation_up_to_date``
(see the ``after_edit_page`` hook in ``wagtail_hooks``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

TRANSLATION_UP_TO_DATE_FIELD = "translation_up_to_date"


class NewsItemPageForm(WagtailAdminPageForm):
    translation_up_to_date = forms.BooleanField(
        label=_("This translation matches the Vietnamese version"),
        required=False,
        help_text=_(
            "Tick this when the translation has been brought in line with the Vietnamese "
            "original, then save or publish. The item leaves the “Translations to update” report."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not _is_existing_translation(self.instance):
            # Also hides its panel (Wagtail skips a FieldPanel whose field is not in the form).
            self.fields.pop(TRANSLATION_UP_TO_DATE_FIELD, None)


def _is_existing_translation(page: Any) -> bool:
    from . import translations

    return bool(page.pk) and translations.original_of(page) is not None


@dataclass(frozen=True)
class EditorialStatus:
    withdrawn_at: dt.datetime | None = None
    withdrawal_reason: str = ""
    reinstate_url: str = ""
    original: Any = None
    original_edit_url: str = ""
    changes_url: str = ""
    synced_at: dt.datetime | None = None
    out_of_date: bool = False

    @property
    def has_news(self) -> bool:
        return self.withdrawn_at is not None or self.original is not None


def editorial_status(page: Any, user: Any) -> EditorialStatus:
    """The editorial facts the editor of ``page`` should see first."""
    from . import editorial, translations

    if not page.pk:
        return EditorialStatus()
    original = translations.original_of(page)
    out_of_date = translations.is_out_of_date(page, original)
    may_reinstate = (
        page.withdrawn_at is not None and user is not None and editorial.can_reinstate(user, page)
    )
    return EditorialStatus(
        withdrawn_at=page.withdrawn_at,
        withdrawal_reason=page.withdrawal_reason,
        reinstate_url=reverse("news_editorial:reinstate", args=[page.pk]) if may_reinstate else "",
        original=original,
        original_edit_url=(
            reverse("wagtailadmin_pages:edit", args=[original.pk]) if original is not None else ""
        ),
        changes_url=translations.original_changes_url(page, original) if out_of_date else "",
        synced_at=page.translation_synced_at,
        out_of_date=out_of_date,
    )


class EditorialStatusPanel(MultiFieldPanel):
    """Withdrawal and translation status, with the translator's checkbox."""

    def __init__(self, children: Any = (), *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("heading", _("Editorial status"))
        super().__init__(children or [FieldPanel(TRANSLATION_UP_TO_DATE_FIELD)], *args, **kwargs)

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "news/editorial/status_panel.html"

        @cached_property
        def status(self) -> EditorialStatus:
            return editorial_status(self.instance, getattr(self.request, "user", None))

        def is_shown(self) -> bool:
            return self.status.has_news or bool(super().is_shown())

        def get_context_data(self, parent_context: Any = None) -> Any:
            context = super().get_context_data(parent_context)
            context["status"] = self.status
            return context
