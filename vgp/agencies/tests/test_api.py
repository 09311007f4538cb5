"""The public registry API: /api/v1/agencies."""

from __future__ import annotations

import datetime as dt

import pytest

from vgp.agencies import actions
from vgp.agencies.models import AgencyKind
from vgp.testing.factories import AgencyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies"


@pytest.fixture
def registry(government_office, ministry_of_finance, tax_department, planning_ministry):
    """A small registry: ministries, a unit, a province and a merged ministry."""
    AgencyFactory(
        code="000.00.00.H26",
        name_vi="Ủy ban nhân dân thành phố Hà Nội",
        name_en="Hanoi People's Committee",
        abbreviation="UBND",
        kind=AgencyKind.PROVINCE,
        email="ubnd@hanoi.gov.vn",
    )
    actions.merge_agencies(
        None, planning_ministry, ministry_of_finance, on=dt.date(2025, 2, 28), reason="NQ 176"
    )


def test_the_list_is_public_with_a_stable_shape(client, registry):
    # Given no sign-in, when the registry is listed, then the active agencies come by code.
    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [item["code"] for item in body["items"]] == [
        "000.00.00.G12",
        "000.00.00.G22",
        "000.00.00.H26",
        "000.00.18.G12",
    ]
    tax = body["items"][3]
    assert tax == {
        "code": "000.00.18.G12",
        "code_form": "qcvn102",
        "name_vi": "Tổng cục Thuế",
        "name_en": "General Department of Taxation",
        "abbreviation": "TCT",
        "group": "G",
        "kind": "unit",
        "parent_code": "000.00.00.G12",
        "status": "active",
        "valid_from": None,
        "valid_to": None,
        "successor_code": None,
        "contacts": {"address": "", "phone": "", "fax": "", "email": "", "website": ""},
    }


def test_status_all_includes_merged_agencies_with_their_successor(client, registry):
    items = client.get(URL, {"status": "all"}).json()["items"]
    merged = next(item for item in items if item["code"] == "000.00.00.G05")
    assert merged["status"] == "merged"
    assert merged["successor_code"] == "000.00.00.G12"
    assert merged["valid_to"] == "2025-02-28"
    assert client.get(URL, {"status": "merged"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"code": "000.00.00.G22"}, ["000.00.00.G22"]),
        ({"group": "H"}, ["000.00.00.H26"]),
        ({"group": "g"}, ["000.00.00.G12", "000.00.00.G22", "000.00.18.G12"]),
        ({"kind": "unit"}, ["000.00.18.G12"]),
        ({"q": "ha noi"}, ["000.00.00.H26"]),
        ({"q": "HÀ NỘI"}, ["000.00.00.H26"]),
        ({"q": "tong cuc thue"}, ["000.00.18.G12"]),
        ({"q": "van phong chinh phu"}, ["000.00.00.G22"]),
        ({"q": "vpcp"}, ["000.00.00.G22"]),
        ({"q": "bo ke hoach", "status": "all"}, ["000.00.00.G05"]),
        ({"q": "bo ke hoach"}, []),
    ],
)
def test_filters(client, registry, params, codes):
    items = client.get(URL, params).json()["items"]
    assert [item["code"] for item in items] == codes


def test_bad_filter_values_are_rejected(client, registry):
    assert client.get(URL, {"status": "closed"}).status_code == 422
    assert client.get(URL, {"kind": "ministery"}).status_code == 422
    assert client.get(URL, {"group": "GG"}).status_code == 422


def test_pagination_with_count(client, registry):
    first = client.get(URL, {"limit": 2, "offset": 0}).json()
    second = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 4
    assert [i["code"] for i in first["items"]] == ["000.00.00.G12", "000.00.00.G22"]
    assert [i["code"] for i in second["items"]] == ["000.00.00.H26", "000.00.18.G12"]


def test_the_list_costs_a_fixed_number_of_queries(client, registry, django_assert_max_num_queries):
    # Given more units with parents, the list still needs only the count and the page.
    for n in range(20, 40):
        AgencyFactory(code=f"000.00.{n}.G12", kind="unit", parent_id=registry_parent_id())
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"status": "all", "limit": 100})
    assert response.json()["count"] == 25


def registry_parent_id() -> int:
    from vgp.agencies.models import Agency

    return Agency.objects.get(code="000.00.00.G12").pk


def test_one_agency_by_code(client, registry):
    response = client.get(f"{URL}/000.00.00.G05")
    assert response.status_code == 200
    assert response.json()["successor_code"] == "000.00.00.G12"


def test_an_unknown_code_is_a_404_with_a_message(client, registry):
    response = client.get(f"{URL}/000.00.00.G99", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "No agency has the code 000.00.00.G99."}
    vietnamese = client.get(f"{URL}/000.00.00.G99", HTTP_ACCEPT_LANGUAGE="vi")
    assert "000.00.00.G99" in vietnamese.json()["detail"]
    assert vietnamese.json()["detail"] != response.json()["detail"]
