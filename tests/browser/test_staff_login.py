"""An official signs in to the back office with password and authenticator code, in a browser."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vgp.accounts.roles import Role
from vgp.testing.factories import PASSWORD, UserFactory

from .accessibility import assert_accessible, axe_violations, describe

pytestmark = pytest.mark.browser

LOGIN = "/quan-tri/login/"
DASHBOARD = "/quan-tri/"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 10**device.digits:0{device.digits}d}"


@pytest.fixture
def official(site, government_office, settings):
    """Anh Minh, clerk of the Government Office, with a confirmed authenticator app."""
    assert settings.VGP_REQUIRE_2FA
    user = UserFactory(
        username="minh", agency=government_office, position="Văn thư", roles=[Role.CLERK]
    )
    device = TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    return user, device


def sign_in(page, base_url: str, code: str) -> None:
    page.goto(base_url + LOGIN)
    page.fill("#id_username", "minh")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_password_and_current_code_open_the_dashboard(site, official, open_page):
    base_url, _ = site
    _, device = official
    page = open_page()
    sign_in(page, base_url, current_code(device))
    assert page.url == base_url + DASHBOARD
    assert page.locator("#id_otp_token").count() == 0
    assert page.get_by_role("main").is_visible()
    assert_accessible(page)


def test_a_wrong_code_is_refused_with_a_message(site, official, open_page):
    base_url, _ = site
    _, device = official
    page = open_page()
    sign_in(page, base_url, wrong_code(device))
    assert page.url == base_url + LOGIN
    # StaffLoginForm's message, in the admin's default language (Vietnamese) or its msgid
    error = page.locator("li.error").first
    assert error.is_visible()
    assert any(
        words in error.inner_text()
        for words in ("Mã xác thực không đúng", "The authentication code is wrong")
    )
    # And the dashboard stays closed
    page.goto(base_url + DASHBOARD)
    assert page.url.startswith(base_url + LOGIN)


def test_login_page_is_accessible(site, official, open_page):
    base_url, _ = site
    page = open_page()
    page.goto(base_url + LOGIN)
    # Our field first, so that a failure in Wagtail's own markup is told apart from ours
    ours = [v for v in axe_violations(page) if any("otp_token" in n["html"] for n in v["nodes"])]
    assert not ours, describe(ours)
    assert_accessible(page)
    # The same after a failed attempt, with the error messages shown
    _, device = official
    sign_in(page, base_url, wrong_code(device))
    assert_accessible(page)
