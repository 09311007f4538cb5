"""Fixtures shared by the whole suite: the personas every app's tests speak about."""

from __future__ import annotations

import pytest

from vgp.accounts.roles import Role
from vgp.agencies.models import AgencyKind
from vgp.testing.factories import PASSWORD, AgencyFactory, UserFactory

__all__ = ["PASSWORD"]


@pytest.fixture
def government_office(db):
    """The Government Office (VPCP), home agency of this installation."""
    return AgencyFactory(
        code="000.00.00.G22",
        name_vi="Văn phòng Chính phủ",
        name_en="Government Office",
        abbreviation="VPCP",
        kind=AgencyKind.MINISTRY_LEVEL,
    )


@pytest.fixture
def ministry_of_finance(db):
    return AgencyFactory(
        code="000.00.00.G12",
        name_vi="Bộ Tài chính",
        name_en="Ministry of Finance",
        abbreviation="BTC",
        kind=AgencyKind.MINISTRY,
    )


@pytest.fixture
def citizen(db):
    """Chị Lan: a citizen with an account and no agency."""
    return UserFactory(username="lan", first_name="Lan", last_name="Trần Thị")


@pytest.fixture
def clerk(government_office):
    """Anh Minh: clerk (văn thư) of the Government Office."""
    return UserFactory(
        username="minh", agency=government_office, position="Văn thư", roles=[Role.CLERK]
    )


@pytest.fixture
def other_leader(ministry_of_finance):
    """Ông Hùng: a leader of the Ministry of Finance — another agency than the clerk's."""
    return UserFactory(
        username="hung", agency=ministry_of_finance, position="Thứ trưởng", roles=[Role.LEADER]
    )


@pytest.fixture
def it_admin(government_office):
    """Chị Hà: IT administrator of the Government Office's IT Centre, acts nationwide."""
    return UserFactory(
        username="ha", agency=government_office, position="Quản trị hệ thống", roles=[Role.IT_ADMIN]
    )


@pytest.fixture
def auditor(government_office):
    """Ông Sơn: auditor; reads the audit trail, changes nothing."""
    return UserFactory(username="son", agency=government_office, roles=[Role.AUDITOR])
