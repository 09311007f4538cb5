"""Forms of the staff sign-in and of the officials' user admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.forms.auth import LoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from vgp.agencies.models import Agency

OFFICIAL_FIELDS = ["agency", "unit", "position", "phone"]


class StaffLoginForm(LoginForm):
    """Password plus, for accounts that have set one up, the TOTP code from their app."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=8,
        help_text=_("The 6-digit code shown by your authenticator app, if you have set one up."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    error_messages = {
        **LoginForm.error_messages,
        "otp_required": _("Enter the 6-digit code from your authenticator app."),
        "otp_invalid": _("The authentication code is wrong or has expired. Try the current code."),
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            # No device yet: the second-factor middleware sends the user to enrol.
            return cleaned
        token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
        if not token:
            raise forms.ValidationError(self.error_messages["otp_required"], code="otp_required")
        device = match_token(user, token)
        if device is None:
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        # django_otp's user_logged_in handler stores this device in the session.
        user.otp_device = device
        return cleaned


class _OfficialFieldsMixin(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.active().order_by("code")
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["unit"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agency, unit = cleaned.get("agency"), cleaned.get("unit")
        if unit is not None:
            if agency is None:
                self.add_error("unit", _("Choose the agency before the unit."))
            elif unit != agency and agency not in unit.ancestors():
                self.add_error(
                    "unit",
                    _("%(unit)s is not a unit of %(agency)s.") % {"unit": unit, "agency": agency},
                )
        return cleaned


class OfficialCreationForm(_OfficialFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = [*UserCreationForm.Meta.fields, *OFFICIAL_FIELDS]


class OfficialEditForm(_OfficialFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = [*UserEditForm.Meta.fields, *OFFICIAL_FIELDS]
