"""Fixtures of the e-newspaper's tests: an empty cache and a small newspaper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from vgp.news.models import ArticlePage, SectionPage
from vgp.news.testing import make_article, make_image, make_section
from vgp.portal.demo import HomePages, ensure_home_pages

VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no page or fragment of an earlier test answers."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_pages(db) -> HomePages:
    return ensure_home_pages()


@dataclass
class Newspaper:
    home: object
    politics: SectionPage
    economy: SectionPage
    egov: ArticlePage
    budget: ArticlePage


@pytest.fixture
def newspaper(home_pages) -> Newspaper:
    """Two sections of the Vietnamese edition; "Chính phủ điện tử" is the newest article."""
    home = home_pages.vietnamese
    politics = make_section(home, "Thời sự", slug="thoi-su")
    economy = make_section(home, "Kinh tế", slug="kinh-te")
    budget = make_article(
        economy,
        "Quốc hội thông qua dự toán ngân sách năm 2027",
        lead="Dự toán thu ngân sách nhà nước tăng 8%.",
        body_paragraphs=["Sáng nay, Quốc hội biểu quyết thông qua dự toán."],
        tags=["Ngân sách"],
        date=dt.datetime(2026, 11, 10, 9, 0, tzinfo=VIET_NAM),
    )
    egov = make_article(
        politics,
        "Chính phủ điện tử phục vụ người dân",
        lead="Thủ tướng yêu cầu đẩy mạnh dịch vụ công trực tuyến.",
        body_paragraphs=["Các bộ, ngành cần hoàn thành kết nối dữ liệu.", "Đoạn thứ hai."],
        tags=["Chuyển đổi số", "Dịch vụ công"],
        date=dt.datetime(2026, 11, 20, 14, 5, tzinfo=VIET_NAM),
        image=make_image("Hội nghị trực tuyến", width=800, height=450),
        byline="Minh Anh",
    )
    return Newspaper(home, politics, economy, egov, budget)


# --- The news desk: review workflow, withdrawal, English edition (editorial.py) -------------


@dataclass
class Newsroom:
    paper: Newspaper
    reporter: object  # Chị Châu, reporter: writes drafts and submits them, never publishes
    section_editor: object  # Chị Trang, section editor: reviews, corrects, requests changes
    editor_in_chief: object  # Anh Long, editor-in-chief: approves, publishes, withdraws


@pytest.fixture
def newsroom(newspaper, government_office) -> Newsroom:
    """The newspaper with its three editorial roles, synced as after ``migrate``."""
    from vgp.accounts.role_sync import sync_roles
    from vgp.accounts.roles import Role
    from vgp.testing.factories import UserFactory

    # The home pages exist now: the roles' page rights and the review workflow attach to them.
    sync_roles()

    def official(username: str, role: str, first_name: str, last_name: str) -> object:
        return UserFactory(
            username=username,
            first_name=first_name,
            last_name=last_name,
            agency=government_office,
            roles=[role],
        )

    return Newsroom(
        newspaper,
        reporter=official("chau", Role.PORTAL_REPORTER, "Châu", "Lý Minh"),
        section_editor=official("trang", Role.PORTAL_EDITOR, "Trang", "Đỗ Thu"),
        editor_in_chief=official("long", Role.EDITOR_IN_CHIEF, "Long", "Vũ Đức"),
    )
