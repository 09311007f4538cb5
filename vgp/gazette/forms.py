"""The public search form of the gazette: words or a document number, and a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class GazetteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words or document number"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "With or without diacritics: “moi truong” finds “môi trường”. "
            "A number such as 08/2022/NĐ-CP finds that document."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    nam = forms.TypedChoiceField(
        label=_("Year of the issue"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["nam"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All years")), *((str(y), str(y)) for y in years)]

    def has_criteria(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def describe_errors(self) -> None:
        """Tie each field's error message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described_by = [f"{field_id}_error"]
                if self.fields[name].help_text:
                    described_by.insert(0, f"{field_id}_helptext")
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(described_by)
