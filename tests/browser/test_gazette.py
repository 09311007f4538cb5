"""The Official Gazette in a real browser: accessible, readable on a phone, usable without JS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from vgp.accounts.roles import Role
from vgp.agencies.models import AgencyKind
from vgp.gazette.testing import make_issue, sample_documents
from vgp.legal.testing import use_index_dir
from vgp.testing.factories import AgencyFactory, UserFactory

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


@dataclass
class GazetteSite:
    base_url: str
    issue: str
    text: str


@pytest.fixture
def gazette_site(site, tmp_path) -> GazetteSite:
    """Two published issues: last year's with a decree, this year's with three documents."""
    base_url, _pages = site
    with use_index_dir(tmp_path / "search"):
        office = AgencyFactory(
            code="000.00.00.G22",
            name_vi="Văn phòng Chính phủ",
            abbreviation="VPCP",
            kind=AgencyKind.MINISTRY_LEVEL,
        )
        thu = UserFactory(username="thu", agency=office, roles=[Role.GAZETTE_EDITOR])
        bao = UserFactory(username="bao", agency=office, roles=[Role.GAZETTE_EDITOR])
        documents = sample_documents(office)
        today = timezone.localdate()
        make_issue(
            [documents.decision],
            submitter=thu,
            publisher=bao,
            issue_date=dt.date(today.year - 1, 12, 28),
        )
        issue = make_issue(
            [documents.decree, documents.decision, documents.letter],
            submitter=thu,
            publisher=bao,
            issue_date=today,
            number=12,
        )
        yield GazetteSite(base_url, issue.get_absolute_url(), issue.get_text_url())


def open_at(open_page, url: str, width: int, javascript: bool = True):
    page = open_page(width=width, height=900, javascript=javascript)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def check_page(open_page, screenshots_dir: Path, url: str, name: str) -> None:
    for width in WIDTHS:
        page = open_at(open_page, url, width)
        page.screenshot(path=str(screenshots_dir / f"gazette-{name}-{width}.png"), full_page=True)
        assert page.locator("main h1").count() == 1
        assert_accessible(page)
        if width == 375:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{url} scrolls sideways on a phone ({scroll_width}px)"


def test_gazette_home(gazette_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, gazette_site.base_url + "/cong-bao/", "home")


def test_issue_page(gazette_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, gazette_site.base_url + gazette_site.issue, "issue")


def test_issue_text(gazette_site, open_page, screenshots_dir):
    check_page(open_page, screenshots_dir, gazette_site.base_url + gazette_site.text, "text")


def test_search_results(gazette_site, open_page, screenshots_dir):
    url = gazette_site.base_url + "/cong-bao/tim-kiem/?q=bao+ve+moi+truong"
    check_page(open_page, screenshots_dir, url, "search")


def test_search_works_without_javascript(gazette_site, open_page, screenshots_dir):
    page = open_at(open_page, gazette_site.base_url + "/cong-bao/", 1280, javascript=False)
    page.fill("#gazette-search-q", "nuoc mat")
    page.click(".gazette-search-box button")
    page.wait_for_load_state("networkidle")

    assert "/cong-bao/tim-kiem/" in page.url
    results = page.locator(".gazette-result")
    assert results.count() == 1
    assert results.first.locator("mark").count() >= 2

    # From the result to the document's place in the issue's text.
    results.first.locator("h3 a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/van-ban/#van-ban-1")
