"""The verification page's form: the PDF and, optionally, the time of the check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vgp.core.uploads import format_size

from .verification import max_bytes

AT_FORMAT = "%d/%m/%Y %H:%M"
# A check "now" may be asked with the minute shown on the visitor's clock.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF file"),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": _("Choose the signed PDF file to check."),
            "empty": _("The file is empty."),
            "invalid": _("Choose the signed PDF file to check."),
        },
    )
    at = forms.DateTimeField(
        label=_("Time of the check (optional)"),
        required=False,
        input_formats=[AT_FORMAT],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": _(
                "Enter the date and time as day/month/year hours:minutes, e.g. 01/06/2021 12:00."
            ),
        },
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = _(
            "A PDF file of at most %(limit)s. It is checked and not kept."
        ) % {"limit": format_size(max_bytes())}
        self.fields["at"].help_text = _(
            "Day/month/year hours:minutes, Viet Nam time, e.g. 01/06/2021 12:00. Leave it empty "
            "to check at the present time; give a past time to ask whether the signatures were "
            "valid then."
        )

    def full_clean(self) -> None:
        # A file cut off at the limit never reaches the form: say so rather than "choose a file".
        super().full_clean()
        if self.too_large and self.is_bound and "file" in self.errors:
            self.errors["file"] = self.error_class(
                [
                    _("The file is larger than %(limit)s, the most this service checks.")
                    % {"limit": format_size(max_bytes())}
                ]
            )

    def clean_at(self) -> dt.datetime | None:
        at: dt.datetime | None = self.cleaned_data.get("at")
        if at is not None and at > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(
                _("The time of the check cannot be in the future."), code="future"
            )
        return at

    def describe(self) -> None:
        """Tie each input to its hint and its error (``aria-describedby``); the template gives
        those elements the ids used here."""
        for name, field in self.fields.items():
            field_id = self[name].auto_id
            described_by = []
            if field.help_text:
                described_by.append(f"{field_id}_helptext")
            if self.is_bound and name in self.errors:
                described_by.append(f"{field_id}_error")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def error_list(self, extra: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: the page's problems, then each field's."""
        found = list(extra or [])
        if self.is_bound:
            for name in self.fields:
                found.extend((self[name].id_for_label, str(m)) for m in self.errors.get(name, []))
            found.extend(("", str(message)) for message in self.non_field_errors())
        return found
