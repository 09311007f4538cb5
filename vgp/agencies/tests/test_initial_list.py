"""The shipped list of Government bodies and provinces (data/agencies.json)."""

from __future__ import annotations

import json

import pytest

from vgp.agencies.codes import parse_agency_code
from vgp.agencies.importing import INITIAL_LIST, load_initial_agencies
from vgp.agencies.models import Agency, AgencyKind, AgencyStatus

pytestmark = pytest.mark.django_db

MINISTRIES_2025 = {
    "000.00.00.G01": "BCA",
    "000.00.00.G02": "BCT",
    "000.00.00.G03": "BGDĐT",
    "000.00.00.G06": "BKHCN",
    "000.00.00.G08": "BNG",
    "000.00.00.G09": "BNV",
    "000.00.00.G10": "BNNMT",
    "000.00.00.G11": "BQP",
    "000.00.00.G12": "BTC",
    "000.00.00.G15": "BTP",
    "000.00.00.G16": "BVHTTDL",
    "000.00.00.G17": "BXD",
    "000.00.00.G18": "BYT",
    "000.00.00.G21": "BDTTG",
}
MINISTRY_LEVEL = {"000.00.00.G19": "NHNN", "000.00.00.G20": "TTCP", "000.00.00.G22": "VPCP"}
MERGED_MINISTRIES = {
    "000.00.00.G04": "000.00.00.G17",
    "000.00.00.G05": "000.00.00.G12",
    "000.00.00.G07": "000.00.00.G09",
    "000.00.00.G13": "000.00.00.G10",
    "000.00.00.G14": "000.00.00.G06",
}
# The 34 provincial-level units from 1 July 2025 and a sample of the merged ones.
PROVINCES_FROM_2025 = {
    "H26": "Hà Nội",
    "H29": "Hồ Chí Minh",
    "H17": "Đà Nẵng",
    "H41": "Nghệ An",
    "H57": "Huế",
    "H14": "Cao Bằng",
    "H27": "Hà Tĩnh",
    "H49": "Quảng Ninh",
    "H56": "Thanh Hóa",
    "H21": "Gia Lai",
}
MERGED_PROVINCES = {"H30": "H13", "H54": "H31", "H06": "H29", "H47": "H17"}


@pytest.fixture
def loaded(db):
    report = load_initial_agencies()
    return report


def test_the_shipped_list_loads_with_zero_errors(loaded):
    assert loaded.errors == []
    assert loaded.unreadable == []
    assert len(loaded.created) == Agency.objects.count() > 100


def test_loading_it_twice_changes_nothing(loaded):
    again = load_initial_agencies()
    assert again.created == [] and again.updated == [] and again.errors == []
    assert len(again.unchanged) == len(loaded.created)


def test_the_government_and_the_prime_minister_are_there(loaded):
    assert Agency.objects.get(code="G00").name_vi == "Chính phủ"
    prime_minister = Agency.objects.get(abbreviation="TTg")
    assert prime_minister.name_vi == "Thủ tướng Chính phủ"
    assert prime_minister.parent.code == "G00"


def test_every_ministry_and_ministry_level_agency_with_its_symbol(loaded):
    for code, abbreviation in MINISTRIES_2025.items():
        agency = Agency.objects.get(code=code)
        assert (agency.abbreviation, agency.kind, agency.status) == (
            abbreviation,
            AgencyKind.MINISTRY,
            AgencyStatus.ACTIVE,
        ), code
    for code, abbreviation in MINISTRY_LEVEL.items():
        agency = Agency.objects.get(code=code)
        assert (agency.abbreviation, agency.kind) == (abbreviation, AgencyKind.MINISTRY_LEVEL)
    assert Agency.objects.filter(kind=AgencyKind.MINISTRY, status="active").count() == 14
    assert Agency.objects.filter(kind=AgencyKind.GOVERNMENT_AGENCY, status="active").count() == 5


def test_ministries_merged_in_2025_keep_their_history(loaded):
    for code, successor in MERGED_MINISTRIES.items():
        agency = Agency.objects.get(code=code)
        assert agency.status == AgencyStatus.MERGED
        assert agency.successor.code == successor
        assert agency.valid_to.isoformat() == "2025-02-28"


def test_the_government_office_and_its_units(loaded):
    office = Agency.objects.get(code="000.00.00.G22")
    units = office.children.all()
    assert units.count() >= 10
    assert all(unit.code.startswith("G22.") for unit in units)
    assert all("Locally assigned code" in unit.note for unit in units)


def test_all_63_former_provinces_and_the_34_current_ones(loaded):
    provinces = Agency.objects.filter(kind=AgencyKind.PROVINCE)
    assert sorted(p.code[-3:] for p in provinces) == [f"H{n:02d}" for n in range(1, 64)]
    assert provinces.filter(status=AgencyStatus.ACTIVE).count() == 34
    assert provinces.filter(status=AgencyStatus.MERGED).count() == 29
    assert set(provinces.values_list("abbreviation", flat=True)) == {"UBND"}
    for level1, name in PROVINCES_FROM_2025.items():
        agency = Agency.objects.get(code=f"000.00.00.{level1}")
        assert name in agency.name_vi and agency.status == AgencyStatus.ACTIVE, level1
    for level1, successor in MERGED_PROVINCES.items():
        agency = Agency.objects.get(code=f"000.00.00.{level1}")
        assert agency.successor.code == f"000.00.00.{successor}"
        assert agency.valid_to.isoformat() == "2025-06-30"


def test_unconfirmed_facts_are_marked_and_sources_recorded():
    data = json.loads(INITIAL_LIST.read_text(encoding="utf-8"))
    assert data["sources"] and "UNCONFIRMED" in data["note"]
    notes = {row["code"]: row["note"] for row in data["agencies"]}
    assert "UNCONFIRMED" in notes["000.00.00.H01"]
    assert "Code confirmed" in notes["000.00.00.H26"]
    for row in data["agencies"]:
        parse_agency_code(row["code"])  # every shipped code is well formed
