"""Failed sign-ins are throttled per username and IP address (django-axes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from vgp.settings import base as production_like_settings
from vgp.testing.factories import PASSWORD

LOGIN = "/quan-tri/login/"


@pytest.fixture(autouse=True)
def relaxed_2fa(settings):
    settings.VGP_REQUIRE_2FA = False
    settings.AXES_FAILURE_LIMIT = 3


def attempt(client, username: str, password: str, ip: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_after_the_limit_even_the_right_password_is_refused(client, clerk):
    # Given three failed attempts for minh from one address (the third one locks)
    for _ in range(2):
        assert attempt(client, "minh", "wrong", "10.0.0.5").status_code == 200
    assert attempt(client, "minh", "wrong", "10.0.0.5").status_code == 429
    # When minh then types the right password from the same address
    response = attempt(client, "minh", PASSWORD, "10.0.0.5")
    # Then sign-in is paused with a clear page and status 429
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_lockout_is_per_user_and_address(client, clerk, it_admin):
    for _ in range(3):
        attempt(client, "minh", "wrong", "10.0.0.5")
    # The same user from another address, and another user from the same address, still sign in.
    assert attempt(client, "minh", PASSWORD, "10.0.0.6").status_code == 302
    client.logout()
    assert attempt(client, "ha", PASSWORD, "10.0.0.5").status_code == 302


def test_passwords_are_hashed_with_argon2_outside_tests():
    # The test settings use a fast hasher; the real settings must put Argon2 first.
    assert production_like_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("mật khẩu rất dài", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("mật khẩu rất dài", encoded)
    assert not hasher.verify("mat khau rat dai", encoded)


def test_it_admin_unlocks_a_paused_account(client, clerk, it_admin):
    from axes.models import AccessAttempt

    from vgp.audit.models import AuditRecord

    for _ in range(3):
        attempt(client, "minh", "wrong", "10.0.0.5")
    assert AccessAttempt.objects.filter(username="minh").exists()
    admin = client.__class__()
    admin.force_login(it_admin)
    edit = admin.get(f"/quan-tri/users/edit/{clerk.pk}/").content.decode()
    assert f"/quan-tri/users/{clerk.pk}/unlock/" in edit
    assert admin.post(f"/quan-tri/users/{clerk.pk}/unlock/").status_code == 302
    assert not AccessAttempt.objects.filter(username="minh").exists()
    assert attempt(client, "minh", PASSWORD, "10.0.0.5").status_code == 302
    assert AuditRecord.objects.filter(action="accounts.unlock_sign_in").exists()


def test_users_can_be_filtered_by_agency(client, it_admin, other_leader):
    client.force_login(it_admin)
    response = client.get(f"/quan-tri/users/?agency={other_leader.agency_id}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "hung" in body
    assert ">ha<" not in body and "/edit/" + str(it_admin.pk) + "/" not in body
