"""Staff sign in to the back office with a password and a TOTP second factor."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vgp.audit.models import AuditRecord
from vgp.testing.factories import PASSWORD

LOGIN = "/quan-tri/login/"
ADMIN_HOME = "/quan-tri/"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def clerk_device(clerk):
    return TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)


def test_password_and_current_code_open_the_admin(client, clerk, clerk_device):
    # Given a clerk who set up an authenticator app
    # When they sign in with password and the current code
    response = client.post(
        LOGIN, {"username": "minh", "password": PASSWORD, "otp_token": current_code(clerk_device)}
    )
    # Then they reach the dashboard with a verified session
    assert response.status_code == 302
    assert client.get(ADMIN_HOME).status_code == 200


def test_missing_code_is_refused_with_a_message(client, clerk, clerk_device):
    response = client.post(LOGIN, {"username": "minh", "password": PASSWORD})
    assert response.status_code == 200
    assert "6-digit code" in response.content.decode() or "6 chữ số" in response.content.decode()
    assert client.get(ADMIN_HOME).status_code == 302


def test_wrong_code_is_refused(client, clerk, clerk_device):
    wrong = f"{(int(current_code(clerk_device)) + 1) % 1_000_000:06d}"
    response = client.post(LOGIN, {"username": "minh", "password": PASSWORD, "otp_token": wrong})
    assert response.status_code == 200
    assert client.get(ADMIN_HOME).status_code == 302


def test_first_sign_in_must_enrol_an_authenticator(client, clerk, settings):
    # django-otp slows down guessing after a wrong code; this test retries at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    # Given a clerk without a device, who signs in with the password only
    client.post(LOGIN, {"username": "minh", "password": PASSWORD})
    # When they open the admin, they are sent to enrol
    response = client.get(ADMIN_HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts_2fa_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"data:image/svg+xml" in page.content
    # Then a wrong code keeps them out and a right code confirms the device
    device = TOTPDevice.objects.get(user=clerk)
    assert not device.confirmed
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    bad = client.post(reverse("accounts_2fa_setup"), {"otp_token": wrong})
    assert bad.status_code == 200
    ok = client.post(
        reverse("accounts_2fa_setup"), {"otp_token": current_code(device), "next": ADMIN_HOME}
    )
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN_HOME).status_code == 200
    assert AuditRecord.objects.filter(action="accounts.enrol_totp", actor_username="minh").exists()


def test_demo_setting_relaxes_the_second_factor(client, clerk, settings):
    settings.VGP_REQUIRE_2FA = False
    client.post(LOGIN, {"username": "minh", "password": PASSWORD})
    assert client.get(ADMIN_HOME).status_code == 200


def test_the_admin_sends_no_official_s_address_to_gravatar(client, clerk, settings):
    settings.VGP_REQUIRE_2FA = False
    clerk.email = "minh@vpcp.gov.vn"
    clerk.save(update_fields=["email"])
    client.post(LOGIN, {"username": "minh", "password": PASSWORD})
    page = client.get(ADMIN_HOME).content.decode()
    assert "gravatar" not in page
    assert "default-user-avatar" in page  # Wagtail's own picture, served from here


def test_enrolment_page_refuses_open_redirects(client, clerk, clerk_device):
    client.post(
        LOGIN, {"username": "minh", "password": PASSWORD, "otp_token": current_code(clerk_device)}
    )
    response = client.get(reverse("accounts_2fa_setup") + "?next=https://evil.example/")
    assert response["Location"] == ADMIN_HOME


def test_enrolment_page_assets_are_not_redirected(client, clerk):
    # The enrolment page loads the admin's script translations and icon sprite; redirecting
    # them to enrolment would inject the page's own HTML into itself.
    client.post(LOGIN, {"username": "minh", "password": PASSWORD})
    assert client.get("/quan-tri/jsi18n/").status_code == 200
    assert client.get("/quan-tri/sprite/").status_code == 200
    assert client.get(ADMIN_HOME).status_code == 302
