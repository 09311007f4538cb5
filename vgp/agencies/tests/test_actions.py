"""The agency actions: the only door through which the registry changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from vgp.agencies import actions
from vgp.agencies.models import Agency, AgencyKind, AgencyStatus
from vgp.audit.models import AuditRecord
from vgp.testing.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def audit_of(agency: Agency, action: str) -> AuditRecord:
    return AuditRecord.objects.get(
        object_type="agencies.agency", object_id=str(agency.pk), action=action
    )


# --- create ---------------------------------------------------------------------------------


def test_it_admin_registers_an_agency_and_the_audit_keeps_its_values(it_admin, government_office):
    # Given the IT administrator, when she registers a unit of the Government Office,
    agency = actions.create_agency(
        it_admin,
        code="G22.01",
        name_vi="Vụ Tổng hợp",
        abbreviation="TH",
        kind=AgencyKind.UNIT,
        parent=government_office,
    )

    # then it is stored with its derived group and search text,
    agency.refresh_from_db()
    assert agency.group == "G"
    assert agency.search_text == "g22.01 vu tong hop th"
    # and the audit record holds the after values, attributed to her.
    record = audit_of(agency, "agencies.create")
    assert record.actor_username == "ha"
    assert record.changes["code"] == [None, "G22.01"]
    assert record.changes["parent"] == [None, government_office.pk]


def test_an_invalid_code_is_refused_with_the_validators_message(it_admin):
    with pytest.raises(ValidationError) as caught:
        actions.create_agency(it_admin, code="000.00.00.L22", name_vi="X", kind=AgencyKind.OTHER)
    assert "L is not a level-1 group" in caught.value.message_dict["code"][0]
    assert not Agency.objects.filter(code="000.00.00.L22").exists()
    assert not AuditRecord.objects.filter(action="agencies.create").exists()


def test_a_duplicate_code_is_refused(it_admin, government_office):
    with pytest.raises(ValidationError) as caught:
        actions.create_agency(it_admin, code="000.00.00.G22", name_vi="Bản sao", kind="other")
    assert "code" in caught.value.message_dict


def test_the_system_may_act_without_a_user(db):
    # Given no actor (a command), when an agency is created, then the audit says so.
    agency = actions.create_agency(None, code="G00", name_vi="Chính phủ", kind="government")
    record = audit_of(agency, "agencies.create")
    assert record.actor_id is None
    assert record.via == "command"


@pytest.mark.parametrize("persona", ["clerk", "other_leader", "auditor", "citizen"])
def test_officials_without_the_permission_cannot_create(request, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        actions.create_agency(user, code="G99", name_vi="Cơ quan thử", kind="other")
    assert not Agency.objects.filter(code="G99").exists()


def test_unknown_fields_are_a_programming_error(it_admin):
    with pytest.raises(TypeError):
        actions.create_agency(it_admin, code="G99", name_vi="X", kind="other", colour="red")


# --- update ---------------------------------------------------------------------------------


def test_update_records_before_and_after(it_admin, ministry_of_finance):
    # Given the Ministry of Finance, when its English name and website change,
    updated = actions.update_agency(
        it_admin,
        ministry_of_finance,
        name_en="Ministry of Finance of Viet Nam",
        website="https://mof.gov.vn",
    )

    # then the row changes and the audit keeps both values of each changed field only.
    assert updated.name_en == "Ministry of Finance of Viet Nam"
    record = audit_of(ministry_of_finance, "agencies.update")
    assert record.changes == {
        "name_en": ["Ministry of Finance", "Ministry of Finance of Viet Nam"],
        "website": ["", "https://mof.gov.vn"],
    }


def test_an_update_that_changes_nothing_is_neither_saved_nor_audited(it_admin, ministry_of_finance):
    stamp = Agency.objects.get(pk=ministry_of_finance.pk).updated_at
    actions.update_agency(it_admin, ministry_of_finance, name_vi="Bộ Tài chính", abbreviation="BTC")
    assert Agency.objects.get(pk=ministry_of_finance.pk).updated_at == stamp
    assert not AuditRecord.objects.filter(action="agencies.update").exists()


def test_renaming_refreshes_the_search_text(it_admin, planning_ministry):
    actions.update_agency(it_admin, planning_ministry, name_vi="Bộ Kế hoạch, Đầu tư và Thống kê")
    planning_ministry.refresh_from_db()
    assert "thong ke" in planning_ministry.search_text


@pytest.mark.parametrize("persona", ["clerk", "other_leader"])
def test_a_clerk_and_a_leader_of_another_agency_cannot_update(request, persona, government_office):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        actions.update_agency(user, government_office, name_en="Changed")
    government_office.refresh_from_db()
    assert government_office.name_en == "Government Office"


def test_choosing_a_unit_as_parent_is_refused_as_a_cycle(
    it_admin, ministry_of_finance, tax_department
):
    with pytest.raises(ValidationError) as caught:
        actions.update_agency(it_admin, ministry_of_finance, parent=tax_department)
    assert "cycle" in caught.value.message_dict["parent"][0]


def test_an_agency_cannot_be_its_own_parent(it_admin, ministry_of_finance):
    with pytest.raises(ValidationError) as caught:
        actions.update_agency(it_admin, ministry_of_finance, parent=ministry_of_finance)
    assert "own parent" in caught.value.message_dict["parent"][0]


def test_validity_cannot_end_before_it_starts(it_admin, ministry_of_finance):
    with pytest.raises(ValidationError) as caught:
        actions.update_agency(
            it_admin,
            ministry_of_finance,
            valid_from=dt.date(2020, 1, 1),
            valid_to=dt.date(2019, 1, 1),
        )
    assert "before its start" in caught.value.message_dict["valid_to"][0]


def test_setting_status_through_update_needs_the_matching_permission(
    government_office, ministry_of_finance, planning_ministry
):
    # Given an official who may change agencies but not merge them,
    editor = UserFactory(username="bien_tap", agency=government_office)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_agency", "view_agency"])
    )
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache
    # when he marks an agency merged through a plain update, then he is refused.
    with pytest.raises(PermissionDenied):
        actions.update_agency(
            editor, planning_ministry, status=AgencyStatus.MERGED, successor=ministry_of_finance
        )
    # but a plain change is his to make.
    actions.update_agency(editor, planning_ministry, name_en="MPI")


# --- retire ---------------------------------------------------------------------------------


def test_retire_keeps_the_row_and_audits_the_reason(it_admin, tax_department):
    day = dt.date(2025, 2, 28)

    retired = actions.retire_agency(
        it_admin, tax_department, on=day, reason="Nghị định 29/2025/NĐ-CP"
    )

    assert retired.status == AgencyStatus.RETIRED
    assert retired.valid_to == day
    assert Agency.objects.filter(pk=tax_department.pk).exists()
    record = audit_of(tax_department, "agencies.retire")
    assert record.changes["status"] == ["active", "retired"]
    assert record.changes["valid_to"] == [None, "2025-02-28"]
    assert record.changes["reason"] == [None, "Nghị định 29/2025/NĐ-CP"]
    assert not retired.is_active_on(dt.date(2025, 3, 1))


def test_retire_is_refused_while_units_are_active(it_admin, ministry_of_finance, tax_department):
    with pytest.raises(ValidationError) as caught:
        actions.retire_agency(it_admin, ministry_of_finance, on=dt.date(2025, 1, 1), reason="Thử")
    assert "still has active units (000.00.18.G12)" in caught.value.messages[0]
    ministry_of_finance.refresh_from_db()
    assert ministry_of_finance.status == AgencyStatus.ACTIVE


def test_retire_is_allowed_once_the_units_are_retired(
    it_admin, ministry_of_finance, tax_department
):
    actions.retire_agency(it_admin, tax_department, on=dt.date(2025, 1, 1), reason="Giải thể")
    actions.retire_agency(it_admin, ministry_of_finance, on=dt.date(2025, 1, 1), reason="Giải thể")
    assert Agency.objects.get(pk=ministry_of_finance.pk).status == AgencyStatus.RETIRED


def test_retire_needs_a_reason_and_an_active_agency(it_admin, tax_department):
    with pytest.raises(ValidationError) as caught:
        actions.retire_agency(it_admin, tax_department, on=dt.date(2025, 1, 1), reason="  ")
    assert "reason" in caught.value.message_dict
    actions.retire_agency(it_admin, tax_department, on=dt.date(2025, 1, 1), reason="Giải thể")
    with pytest.raises(ValidationError) as caught:
        actions.retire_agency(it_admin, tax_department, on=dt.date(2025, 1, 2), reason="Lần hai")
    assert "already retired" in caught.value.messages[0]


def test_retire_cannot_date_before_the_agency_began(it_admin, ministry_of_finance):
    unit = AgencyFactory(
        code="G12.77", kind="unit", parent=ministry_of_finance, valid_from=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as caught:
        actions.retire_agency(it_admin, unit, on=dt.date(2023, 12, 31), reason="Sai ngày")
    assert "only became valid on 01/01/2024" in caught.value.messages[0]


@pytest.mark.parametrize("persona", ["clerk", "other_leader"])
def test_a_clerk_and_a_leader_of_another_agency_cannot_retire(request, persona, tax_department):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        actions.retire_agency(user, tax_department, on=dt.date(2025, 1, 1), reason="Thử")
    assert Agency.objects.get(pk=tax_department.pk).status == AgencyStatus.ACTIVE


# --- merge ----------------------------------------------------------------------------------


def test_merge_marks_the_source_and_moves_its_active_units(
    it_admin, planning_ministry, ministry_of_finance, statistics_office, merger_day
):
    # Given the planning ministry with an active unit and a retired one,
    old_unit = AgencyFactory(code="000.00.12.G05", kind="unit", parent=planning_ministry)
    actions.retire_agency(it_admin, old_unit, on=dt.date(2020, 1, 1), reason="Giải thể")

    # when it is merged into the Ministry of Finance,
    merged = actions.merge_agencies(
        it_admin,
        planning_ministry,
        ministry_of_finance,
        on=merger_day,
        reason="Nghị quyết 176/2025/QH15",
    )

    # then it is kept as merged with its successor and last day,
    assert merged.status == AgencyStatus.MERGED
    assert merged.successor == ministry_of_finance
    assert merged.valid_to == merger_day
    # its active unit now sits under the successor, the retired one stays where it was,
    statistics_office.refresh_from_db()
    old_unit.refresh_from_db()
    assert statistics_office.parent == ministry_of_finance
    assert old_unit.parent == planning_ministry
    # and the audit trail has the merger (before/after, reason) and the move of the unit.
    record = audit_of(planning_ministry, "agencies.merge")
    assert record.changes["status"] == ["active", "merged"]
    assert record.changes["successor"] == [None, ministry_of_finance.pk]
    assert record.changes["units_moved"] == [None, ["000.00.11.G05"]]
    move = audit_of(statistics_office, "agencies.move_unit")
    assert move.changes["parent"] == [planning_ministry.pk, ministry_of_finance.pk]


def test_merging_into_itself_is_refused(it_admin, ministry_of_finance, merger_day):
    with pytest.raises(ValidationError) as caught:
        actions.merge_agencies(
            it_admin, ministry_of_finance, ministry_of_finance, on=merger_day, reason="x"
        )
    assert "into itself" in caught.value.messages[0]


@pytest.mark.parametrize("final_status", ["retired", "merged"])
def test_merging_into_an_agency_that_is_no_longer_active_is_refused(
    it_admin, planning_ministry, ministry_of_finance, government_office, merger_day, final_status
):
    if final_status == "retired":
        actions.retire_agency(it_admin, ministry_of_finance, on=dt.date(2024, 12, 31), reason="Thử")
    else:
        actions.merge_agencies(
            it_admin, ministry_of_finance, government_office, on=dt.date(2024, 12, 31), reason="Thử"
        )

    with pytest.raises(ValidationError) as caught:
        actions.merge_agencies(
            it_admin, planning_ministry, ministry_of_finance, on=merger_day, reason="x"
        )

    assert f"Cannot merge into 000.00.00.G12: it is {final_status}" in caught.value.messages[0]
    assert Agency.objects.get(pk=planning_ministry.pk).status == AgencyStatus.ACTIVE


def test_merging_into_one_of_its_own_units_is_refused_as_a_cycle(
    it_admin, ministry_of_finance, tax_department, merger_day
):
    with pytest.raises(ValidationError) as caught:
        actions.merge_agencies(
            it_admin, ministry_of_finance, tax_department, on=merger_day, reason="x"
        )
    assert "cycle" in caught.value.messages[0]
    tax_department.refresh_from_db()
    assert tax_department.parent == ministry_of_finance


def test_an_already_merged_agency_cannot_be_merged_again(
    it_admin, planning_ministry, ministry_of_finance, government_office, merger_day
):
    actions.merge_agencies(
        it_admin, planning_ministry, ministry_of_finance, on=merger_day, reason="x"
    )
    with pytest.raises(ValidationError) as caught:
        actions.merge_agencies(
            it_admin, planning_ministry, government_office, on=merger_day, reason="y"
        )
    assert "already merged" in caught.value.messages[0]


@pytest.mark.parametrize("persona", ["clerk", "other_leader"])
def test_a_clerk_and_a_leader_of_another_agency_cannot_merge(
    request, persona, planning_ministry, ministry_of_finance, merger_day
):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        actions.merge_agencies(
            user, planning_ministry, ministry_of_finance, on=merger_day, reason="x"
        )
    assert not AuditRecord.objects.filter(action="agencies.merge").exists()


def test_audit_summaries_are_written_in_the_installation_language(it_admin, tax_department):
    # Given a request in English, the stored summary is still in Vietnamese (data, not UI).
    actions.retire_agency(it_admin, tax_department, on=dt.date(2025, 1, 1), reason="Giải thể")
    assert audit_of(tax_department, "agencies.retire").summary.startswith("Cơ quan 000.00.18.G12")
