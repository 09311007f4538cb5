"""A new official enrols an authenticator app at first sign-in, in a browser."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from vgp.accounts.roles import Role
from vgp.testing.factories import PASSWORD, UserFactory

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_first_sign_in_enrols_an_authenticator(site, government_office, open_page, screenshots_dir):
    base_url, _ = site
    UserFactory(username="lan", agency=government_office, roles=[Role.HANDLER])
    page = open_page(width=375, height=900)
    # Given a new official who signs in with the password only
    page.goto(base_url + "/quan-tri/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    # Then the enrolment page shows a QR code and the key, and is accessible
    assert "/quan-tri/xac-thuc-2-buoc/" in page.url
    assert page.locator("main").count() == 1
    assert page.locator("img[alt]").first.is_visible()
    page.screenshot(path=str(screenshots_dir / "second-factor-enrolment-375.png"), full_page=True)
    assert_accessible(page)
    # When they type the code their app computes from the key
    secret = page.locator("main code").inner_text().replace(" ", "").strip()
    totp = TOTP(base64.b32decode(secret), 30, 0, 6, 0)
    page.fill("#id_otp_token", f"{totp.token():06d}")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    # Then they reach the dashboard
    assert page.url.rstrip("/").endswith("/quan-tri")
