"""Personas of the feedback tests.

- ``receptionist``: chị Hạnh, portal reception at the Government Office (classifies, routes);
- at the Ministry of Finance (``ministry_of_finance``): ``mof_clerk`` anh Tùng accepts or
  returns, ``mof_unit_head`` chị Thảo assigns, ``mof_handler`` anh Minh drafts replies,
  ``mof_leader`` ông Quang approves;
- ``other_clerk``: a clerk of another ministry, who must never see the Ministry's items.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from vgp.accounts.roles import Role
from vgp.testing.factories import AgencyFactory, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def receptionist(government_office):
    return UserFactory(
        username="hanh",
        first_name="Hạnh",
        last_name="Đỗ Thị",
        agency=government_office,
        roles=[Role.FEEDBACK_RECEPTION],
    )


def _mof_user(ministry, username, first, role):
    return UserFactory(username=username, first_name=first, agency=ministry, roles=[role])


@pytest.fixture
def mof_clerk(ministry_of_finance):
    return _mof_user(ministry_of_finance, "tung", "Tùng", Role.CLERK)


@pytest.fixture
def mof_unit_head(ministry_of_finance):
    return _mof_user(ministry_of_finance, "thao", "Thảo", Role.UNIT_HEAD)


@pytest.fixture
def mof_handler(ministry_of_finance):
    return _mof_user(ministry_of_finance, "minh", "Minh", Role.HANDLER)


@pytest.fixture
def mof_leader(ministry_of_finance):
    return _mof_user(ministry_of_finance, "quang", "Quang", Role.LEADER)


@pytest.fixture
def other_ministry(db):
    return AgencyFactory(code="000.00.00.G20", name_vi="Bộ Y tế", abbreviation="BYT")


@pytest.fixture
def other_clerk(other_ministry):
    return UserFactory(username="other", agency=other_ministry, roles=[Role.CLERK, Role.LEADER])
