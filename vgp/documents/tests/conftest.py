"""Personas of the official documents tests (see ``vgp.documents.testing``).

At the Government Office (``office``): ``clerk`` chị Lan keeps the registers; ``leader`` ông
Hùng directs and signs; at the General Affairs Department (``general``) ``unit_head`` chị Mai
assigns and ``handler`` anh Nam handles and drafts; at the Legal Affairs Department
(``legal_unit``) ``legal_head`` anh Phúc and ``legal_handler`` chị Thu; ``legal_clerk`` chị Hoa
keeps that department's own register. ``outsider`` is a clerk and leader of the Ministry of
Home Affairs, who must never see the Office's documents.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from vgp.accounts.roles import Role
from vgp.documents import testing
from vgp.search.engine import forget_open_indexes


@pytest.fixture(autouse=True)
def search_indexes(tmp_path):
    """Every test gets its own empty index folder: no test writes to (or reads) another's."""
    path = tmp_path / "search"
    path.mkdir()
    forget_open_indexes()
    with override_settings(SEARCH_INDEX_DIR=path):
        yield path
    forget_open_indexes()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(db):
    return testing.government_office()


@pytest.fixture
def general(office):
    return testing.general_affairs(office)


@pytest.fixture
def legal_unit(office):
    return testing.legal_affairs(office)


@pytest.fixture
def home_ministry(db):
    return testing.home_affairs()


@pytest.fixture
def clerk(office):
    return testing.official("lan", office, Role.CLERK, name="Trần Thị Lan")


@pytest.fixture
def leader(office):
    return testing.official("hung", office, Role.LEADER, name="Nguyễn Văn Hùng")


@pytest.fixture
def unit_head(office, general):
    return testing.official("mai", office, Role.UNIT_HEAD, unit=general, name="Lê Thị Mai")


@pytest.fixture
def handler(office, general):
    return testing.official("nam", office, Role.HANDLER, unit=general, name="Phạm Văn Nam")


@pytest.fixture
def legal_head(office, legal_unit):
    return testing.official("phuc", office, Role.UNIT_HEAD, unit=legal_unit, name="Vũ Văn Phúc")


@pytest.fixture
def legal_handler(office, legal_unit):
    return testing.official("thu", office, Role.HANDLER, unit=legal_unit, name="Đặng Thị Thu")


@pytest.fixture
def legal_clerk(office, legal_unit):
    return testing.official("hoa", office, Role.CLERK, unit=legal_unit, name="Bùi Thị Hoa")


@pytest.fixture
def outsider(home_ministry):
    return testing.official("bnv", home_ministry, Role.CLERK, Role.LEADER, name="Hồ Văn Sơn")
