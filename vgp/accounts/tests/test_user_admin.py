"""IT administrators manage officials in the back office."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from vgp.accounts.models import User
from vgp.audit.models import AuditRecord
from vgp.testing.factories import AgencyFactory


@pytest.fixture(autouse=True)
def relaxed_2fa(settings):
    settings.VGP_REQUIRE_2FA = False


def new_user_data(**overrides):
    data = {
        "username": "tuan",
        "email": "tuan@chinhphu.vn",
        "first_name": "Tuấn",
        "last_name": "Lê Minh",
        "password1": "một mật khẩu đủ dài 2026",
        "password2": "một mật khẩu đủ dài 2026",
        "is_active": "on",
        "position": "Chuyên viên",
    }
    data.update(overrides)
    return data


def test_it_admin_creates_an_official_in_a_unit(client, it_admin, government_office):
    unit = AgencyFactory(
        code="G22.50", name_vi="Vụ Tổng hợp", parent=government_office, kind="unit"
    )
    client.force_login(it_admin)
    response = client.post(
        "/quan-tri/users/new/", new_user_data(agency=government_office.pk, unit=unit.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    official = User.objects.get(username="tuan")
    assert official.agency == government_office
    assert official.unit == unit
    assert official.position == "Chuyên viên"


def test_a_unit_of_another_agency_is_a_field_error(
    client, it_admin, government_office, ministry_of_finance
):
    foreign_unit = AgencyFactory(
        code="G12.50", name_vi="Vụ Ngân sách", parent=ministry_of_finance, kind="unit"
    )
    client.force_login(it_admin)
    response = client.post(
        "/quan-tri/users/new/", new_user_data(agency=government_office.pk, unit=foreign_unit.pk)
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="tuan").exists()
    assert "unit" in response.context["form"].errors
    assert "Vụ Ngân sách" in response.content.decode()
    assert "Vụ Ngân sách" in str(response.context["form"].errors["unit"])


def test_it_admin_resets_a_lost_authenticator(client, it_admin, clerk):
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client.force_login(it_admin)
    edit = client.get(f"/quan-tri/users/edit/{clerk.pk}/")
    assert f"/quan-tri/users/{clerk.pk}/reset-2fa/" in edit.content.decode()
    empty = client.post(f"/quan-tri/users/{clerk.pk}/reset-2fa/", {"reason": ""})
    assert empty.status_code == 200
    assert TOTPDevice.objects.filter(user=clerk).exists()
    done = client.post(f"/quan-tri/users/{clerk.pk}/reset-2fa/", {"reason": "Mất điện thoại"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert AuditRecord.objects.filter(
        action="accounts.reset_totp", object_id=str(clerk.pk)
    ).exists()


def test_clerk_cannot_reset_anyone(client, clerk, it_admin):
    client.force_login(clerk)
    response = client.post(f"/quan-tri/users/{it_admin.pk}/reset-2fa/", {"reason": "x"})
    assert response.status_code in {302, 403}
