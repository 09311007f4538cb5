"""The agency registry in the back office (/quan-tri/co-quan/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from vgp.agencies.models import Agency, AgencyStatus
from vgp.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password_only(settings):
    # The second factor has its own tests; here the officials sign in with a password.
    settings.VGP_REQUIRE_2FA = False


def agency_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "G22.01",
        "name_vi": "Vụ Tổng hợp",
        "name_en": "General Affairs Department",
        "abbreviation": "TH",
        "kind": "unit",
        "parent": "",
        "address": "",
        "phone": "",
        "fax": "",
        "email": "",
        "website": "",
        "valid_from": "",
        "valid_to": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_it_admin_sees_the_list_with_its_columns(
    client, it_admin, ministry_of_finance, tax_department
):
    client.force_login(it_admin)

    response = client.get(reverse("agencies:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "000.00.18.G12" in html and "Tổng cục Thuế" in html and "TCT" in html


def test_the_list_filters_and_searches_without_diacritics(
    client, it_admin, ministry_of_finance, tax_department, government_office
):
    client.force_login(it_admin)

    searched = client.get(reverse("agencies:index"), {"q": "tong cuc thue"})
    filtered = client.get(reverse("agencies:index"), {"parent": ministry_of_finance.pk})

    assert list(searched.context["object_list"]) == [tax_department]
    assert list(filtered.context["object_list"]) == [tax_department]


def test_the_list_query_count_does_not_grow_with_rows(
    client, it_admin, ministry_of_finance, django_assert_max_num_queries
):
    client.force_login(it_admin)
    client.get(reverse("agencies:index"))  # warm caches (permissions, content types)
    for n in range(10, 40):
        Agency.objects.create(
            code=f"000.00.{n}.G12", name_vi=f"Vụ {n}", kind="unit", parent=ministry_of_finance
        )
    with django_assert_max_num_queries(15):
        response = client.get(reverse("agencies:index"))
    assert response.status_code == 200


def test_create_goes_through_the_action_and_is_audited(client, it_admin, government_office):
    client.force_login(it_admin)

    response = client.post(reverse("agencies:add"), agency_form(parent=government_office.pk))

    assert response.status_code == 302
    agency = Agency.objects.get(code="G22.01")
    assert agency.parent == government_office
    assert AuditRecord.objects.filter(action="agencies.create", object_id=str(agency.pk)).exists()
    assert ModelLogEntry.objects.filter(object_id=str(agency.pk), action="wagtail.create").exists()


def test_an_invalid_code_shows_the_validators_message_on_the_field(client, it_admin):
    client.force_login(it_admin)

    response = client.post(reverse("agencies:add"), agency_form(code="000.00.00.L22"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    # The back office speaks Vietnamese: the validator's own message is on the field.
    assert "L không phải là nhóm cấp 1" in errors["code"][0]
    assert "L không phải là nhóm cấp 1" in response.content.decode()
    assert not Agency.objects.filter(code="000.00.00.L22").exists()


def test_edit_saves_through_the_action_with_before_and_after(client, it_admin, ministry_of_finance):
    client.force_login(it_admin)
    data = agency_form(
        code=ministry_of_finance.code,
        name_vi="Bộ Tài chính",
        name_en="Ministry of Finance of Viet Nam",
        abbreviation="BTC",
        kind="ministry",
    )

    response = client.post(reverse("agencies:edit", args=[ministry_of_finance.pk]), data)

    assert response.status_code == 302
    record = AuditRecord.objects.get(
        action="agencies.update", object_id=str(ministry_of_finance.pk)
    )
    assert record.changes == {"name_en": ["Ministry of Finance", "Ministry of Finance of Viet Nam"]}


def test_a_unit_cannot_become_the_parent_of_its_ministry(
    client, it_admin, ministry_of_finance, tax_department
):
    client.force_login(it_admin)
    data = agency_form(
        code=ministry_of_finance.code,
        name_vi="Bộ Tài chính",
        kind="ministry",
        parent=tax_department.pk,
    )
    response = client.post(reverse("agencies:edit", args=[ministry_of_finance.pk]), data)
    assert response.status_code == 200
    assert "vòng lặp" in response.context["form"].errors["parent"][0]


def test_the_edit_page_offers_merge_and_retire(client, it_admin, ministry_of_finance):
    client.force_login(it_admin)
    html = client.get(reverse("agencies:edit", args=[ministry_of_finance.pk])).content.decode()
    assert reverse("agencies:merge", args=[ministry_of_finance.pk]) in html
    assert reverse("agencies:retire", args=[ministry_of_finance.pk]) in html


def test_merge_from_the_admin(
    client, it_admin, planning_ministry, ministry_of_finance, statistics_office
):
    client.force_login(it_admin)
    url = reverse("agencies:merge", args=[planning_ministry.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "target": ministry_of_finance.pk,
            "on": "2025-02-28",
            "reason": "Nghị quyết 176/2025/QH15",
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    planning_ministry.refresh_from_db()
    statistics_office.refresh_from_db()
    assert planning_ministry.status == AgencyStatus.MERGED
    assert planning_ministry.successor == ministry_of_finance
    assert planning_ministry.valid_to == dt.date(2025, 2, 28)
    assert statistics_office.parent == ministry_of_finance
    assert ModelLogEntry.objects.filter(
        object_id=str(planning_ministry.pk), action="vgp_agencies.merge"
    ).exists()
    # The chain holds the merge once: the history-page entry is not copied a second time.
    merge_records = AuditRecord.objects.filter(
        object_type="agencies.agency", object_id=str(planning_ministry.pk)
    ).exclude(action__startswith="agencies.create")
    assert [r.action for r in merge_records] == ["agencies.merge"]
    # The merged agency still shows, with its history.
    edit = client.get(reverse("agencies:edit", args=[planning_ministry.pk]))
    assert edit.status_code == 200
    assert str(ministry_of_finance) in edit.content.decode()
    history = client.get(reverse("agencies:history", args=[planning_ministry.pk]))
    assert history.status_code == 200


def test_merge_refusals_show_on_the_form(client, it_admin, ministry_of_finance, tax_department):
    client.force_login(it_admin)
    response = client.post(
        reverse("agencies:merge", args=[ministry_of_finance.pk]),
        {"target": tax_department.pk, "on": "2025-02-28", "reason": "Thử", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "vòng lặp" in " ".join(response.context["form"].non_field_errors())
    assert Agency.objects.get(pk=ministry_of_finance.pk).status == AgencyStatus.ACTIVE


def test_merge_needs_the_confirmation(client, it_admin, planning_ministry, ministry_of_finance):
    client.force_login(it_admin)
    response = client.post(
        reverse("agencies:merge", args=[planning_ministry.pk]),
        {"target": ministry_of_finance.pk, "on": "2025-02-28", "reason": "NQ 176"},
    )
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors


def test_retire_from_the_admin(client, it_admin, tax_department):
    client.force_login(it_admin)
    response = client.post(
        reverse("agencies:retire", args=[tax_department.pk]),
        {"on": "2025-02-28", "reason": "Nghị định 29/2025/NĐ-CP", "confirm": "on"},
    )
    assert response.status_code == 302
    tax_department.refresh_from_db()
    assert tax_department.status == AgencyStatus.RETIRED
    assert AuditRecord.objects.filter(
        action="agencies.retire", object_id=str(tax_department.pk)
    ).exists()
    # A retired agency cannot be retired again: the view sends back to its page.
    again = client.get(reverse("agencies:retire", args=[tax_department.pk]))
    assert again.status_code == 302
    # and it is still listed when filtering by status.
    listed = client.get(reverse("agencies:index"), {"status": "retired"})
    assert list(listed.context["object_list"]) == [tax_department]


def test_retire_with_active_units_is_refused_on_the_form(
    client, it_admin, ministry_of_finance, tax_department
):
    client.force_login(it_admin)
    response = client.post(
        reverse("agencies:retire", args=[ministry_of_finance.pk]),
        {"on": "2025-02-28", "reason": "Thử", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "vẫn còn đơn vị trực thuộc đang hoạt động" in response.content.decode()


@pytest.mark.parametrize("view", ["index", "add", "edit", "merge", "retire"])
def test_a_clerk_is_turned_away(client, clerk, ministry_of_finance, view):
    client.force_login(clerk)
    args = [] if view in ("index", "add") else [ministry_of_finance.pk]
    response = client.get(reverse(f"agencies:{view}", args=args))
    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def test_a_clerk_cannot_post_a_merge(client, clerk, planning_ministry, ministry_of_finance):
    client.force_login(clerk)
    response = client.post(
        reverse("agencies:merge", args=[planning_ministry.pk]),
        {"target": ministry_of_finance.pk, "on": "2025-02-28", "reason": "x", "confirm": "on"},
    )
    assert response.status_code in (302, 403)
    assert Agency.objects.get(pk=planning_ministry.pk).status == AgencyStatus.ACTIVE


def test_the_auditor_reads_but_cannot_change(client, auditor, ministry_of_finance):
    client.force_login(auditor)
    assert client.get(reverse("agencies:index")).status_code == 200
    response = client.get(reverse("agencies:retire", args=[ministry_of_finance.pk]))
    assert response.status_code in (302, 403)
