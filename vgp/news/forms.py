"""The public search form: words, a section and a date range, all optional."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import SectionPage
from .queries import sections_of

MAX_QUERY_LENGTH = 200


class DateInput(forms.DateInput):
    """``<input type=date>``: the browser's own date picker, sending ``yyyy-mm-dd``."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words to search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("With or without diacritics: “chinh phu” finds “Chính phủ”."),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    section = SectionChoiceField(
        label=_("Section"),
        queryset=SectionPage.objects.none(),
        required=False,
        empty_label=_("All sections"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Choose a section from the list.")},
    )
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date, for example 02/09/2026.")},
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date, for example 02/09/2026.")},
    )

    def __init__(self, *args: Any, locale: Locale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections_of(locale)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def has_criteria(self) -> bool:
        """Whether the reader asked for anything (an empty form lists nothing)."""
        return any(self.data.get(name) for name in self.fields)

    def describe_errors(self) -> None:
        """Tie each field's error message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described_by = [f"{field_id}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"{field_id}_helptext")
                widget = self.fields[name].widget
                if isinstance(widget, DateInput):
                    # A date picker cannot show what was typed wrong; a text box can.
                    widget.input_type = "text"
                attrs = widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(described_by)
