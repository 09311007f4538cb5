"""Second-factor enrolment and verification for staff."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .actions import confirm_totp_device, start_totp_enrolment


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Authentication code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (first sign-in) or verify it (session without a second factor)."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
    device = None if confirmed else start_totp_enrolment(user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].strip().replace(" ", "")
        if confirmed:
            matched = match_token(user, token)
        elif device is not None and confirm_totp_device(user, device, token):  # type: ignore[arg-type]
            matched = device
        else:
            matched = None
        if matched is not None:
            otp_login(request, matched)
            return redirect(_next_url(request))
        form.add_error(
            "otp_token", _("The authentication code is wrong or has expired. Try the current code.")
        )
    context = {"form": form, "next": _next_url(request), "enrolling": device is not None}
    if device is not None:
        qr = segno.make(device.config_url, error="m")
        context["qr_data_uri"] = qr.svg_data_uri(scale=5, dark="#111", light="#fff")
        secret = base64.b32encode(device.bin_key).decode("ascii")
        # In groups of four, as people copy it by hand; authenticator apps ignore the spaces.
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/second_factor.html", context)
