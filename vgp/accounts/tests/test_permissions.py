"""A user sees and changes only what their role and agency allow — decided in one module."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from vgp.accounts import permissions
from vgp.accounts.models import ApiKey, User
from vgp.accounts.roles import Role
from vgp.testing.factories import UserFactory


def test_role_grants_permissions_and_nothing_more(clerk, it_admin, auditor):
    assert permissions.has_role(clerk, Role.CLERK)
    assert not permissions.can(clerk, "agencies.change_agency")
    assert permissions.can(it_admin, "agencies.change_agency")
    assert permissions.can(auditor, "audit.view_auditrecord")
    assert not permissions.can(auditor, "agencies.change_agency")


def test_anonymous_and_inactive_users_can_do_nothing(db, it_admin):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), "agencies.view_agency")
    it_admin.is_active = False
    assert not permissions.can(it_admin, "agencies.view_agency")


def test_scoped_objects_stay_inside_the_users_agency(
    government_office, ministry_of_finance, other_leader
):
    # Given a unit head of the Government Office allowed to view users
    head = UserFactory(agency=government_office, roles=[Role.UNIT_HEAD])
    head.user_permissions.add(*_perms("accounts.view_user"))
    head = User.objects.get(pk=head.pk)  # fresh permission cache
    colleague = UserFactory(agency=government_office)
    # Then they see their colleague but not the Ministry of Finance's leader
    visible = permissions.scope(head, User.objects.all())
    assert colleague in visible and other_leader not in visible
    assert permissions.can(head, "accounts.view_user", colleague)
    assert not permissions.can(head, "accounts.view_user", other_leader)
    with pytest.raises(PermissionDenied):
        permissions.require(head, "accounts.view_user", other_leader)


def test_units_below_the_agency_are_inside_its_scope(government_office):
    from vgp.testing.factories import AgencyFactory

    unit = AgencyFactory(code="G22.99", name_vi="Vụ Thử", parent=government_office, kind="unit")
    head = UserFactory(agency=government_office, roles=[Role.UNIT_HEAD])
    head.user_permissions.add(*_perms("accounts.view_user"))
    head = User.objects.get(pk=head.pk)
    member = UserFactory(agency=unit)
    assert permissions.can(head, "accounts.view_user", member)


def test_nationwide_roles_see_every_agency(it_admin, other_leader, django_assert_max_num_queries):
    # roles, user permissions, group permissions, then the list itself
    with django_assert_max_num_queries(4):
        visible = list(permissions.scope(it_admin, User.objects.all()))
    assert other_leader in visible
    assert permissions.scope(other_leader, ApiKey.objects.all()).count() == 0


def test_user_admin_list_is_scoped_and_has_bounded_queries(
    client, it_admin, government_office, settings, django_assert_max_num_queries
):
    settings.VGP_REQUIRE_2FA = False
    for _ in range(30):
        UserFactory(agency=government_office, roles=[Role.HANDLER])
    client.force_login(it_admin)
    client.get("/quan-tri/users/")  # warm caches (content types, site)
    with django_assert_max_num_queries(25):
        response = client.get("/quan-tri/users/")
    assert response.status_code == 200


def _perms(*names: str):
    from django.contrib.auth.models import Permission

    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def test_sync_roles_command_is_idempotent(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    assert out.getvalue().strip() == "Roles up to date."
