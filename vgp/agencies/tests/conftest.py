"""Fixtures of the agency registry's tests (the personas come from the root conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from vgp.agencies.models import AgencyKind
from vgp.testing.factories import AgencyFactory


@pytest.fixture
def tax_department(ministry_of_finance):
    """A unit of the Ministry of Finance."""
    return AgencyFactory(
        code="000.00.18.G12",
        name_vi="Tổng cục Thuế",
        name_en="General Department of Taxation",
        abbreviation="TCT",
        kind=AgencyKind.UNIT,
        parent=ministry_of_finance,
    )


@pytest.fixture
def planning_ministry(db):
    """The former Ministry of Planning and Investment, merged into Finance in 2025."""
    return AgencyFactory(
        code="000.00.00.G05",
        name_vi="Bộ Kế hoạch và Đầu tư",
        name_en="Ministry of Planning and Investment",
        abbreviation="BKHĐT",
        kind=AgencyKind.MINISTRY,
    )


@pytest.fixture
def statistics_office(planning_ministry):
    """A unit of the Ministry of Planning and Investment."""
    return AgencyFactory(
        code="000.00.11.G05",
        name_vi="Tổng cục Thống kê",
        name_en="General Statistics Office",
        abbreviation="TCTK",
        kind=AgencyKind.UNIT,
        parent=planning_ministry,
    )


@pytest.fixture
def merger_day():
    return dt.date(2025, 2, 28)
