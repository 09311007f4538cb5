"""The legal documents database in a real browser: search, a document, its articles; accessible
on a desktop and a phone, usable without JavaScript, live with it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vgp.legal.models import RelationKind
from vgp.legal.testing import SAMPLE_BODY, attach, make_document, relate, use_index_dir
from vgp.testing.factories import AgencyFactory

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# Screenshots to look at after a run.
SHOTS = Path(tempfile.gettempdir()) / "legal-screenshots"

LONG_BODY = SAMPLE_BODY.replace(
    "Điều 4. Hiệu lực thi hành",
    "\n".join(
        f"Điều {n}. Trách nhiệm của cơ quan số {n - 3}\n"
        f"1. Chủ trì quan trắc môi trường nước tại địa phương số {n - 3}.\n"
        "2. Báo cáo định kỳ:\n"
        "a) Hằng quý về chất lượng nước;\n"
        "b) Hằng năm về nguồn thải."
        for n in range(4, 12)
    )
    + "\nĐiều 12. Hiệu lực thi hành",
)


@dataclass
class Library:
    base_url: str
    decree_url: str
    decision_url: str


@pytest.fixture
def library(site, tmp_path) -> Iterator[Library]:
    """A decree with a long text, a decision it guides and a few more documents."""
    base_url, _pages = site
    with use_index_dir(tmp_path / "search"):
        government = AgencyFactory(
            code="000.00.00.G22",
            name_vi="Chính phủ",
            name_en="Government",
            abbreviation="CP",
        )
        finance = AgencyFactory(
            code="000.00.00.G12", name_vi="Bộ Tài chính", name_en="Ministry of Finance"
        )
        decree = make_document(
            "08/2022/NĐ-CP",
            "Nghị định",
            "Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
            LONG_BODY,
            dt.date(2022, 1, 10),
            issuer=government,
            sectors=["Tài nguyên - Môi trường"],
            title_en="Detailing a number of articles of the Law on Environmental Protection",
            summary="Quy định chi tiết về bảo vệ các thành phần môi trường, quan trắc và báo cáo.",
            signer_name="Lê Văn Thành",
            signer_position="Phó Thủ tướng",
        )
        decision = make_document(
            "83/2008/QĐ-TTg",
            "Quyết định",
            "Về việc phê duyệt Đề án bảo vệ môi trường lưu vực sông",
            "Điều 1. Phê duyệt Đề án\nPhê duyệt Đề án bảo vệ môi trường lưu vực sông.\n"
            "Điều 2. Hiệu lực\nQuyết định này có hiệu lực kể từ ngày ký.",
            dt.date(2008, 6, 20),
            issuer=government,
            sectors=["Tài nguyên - Môi trường"],
        )
        make_document(
            "02/2023/TT-BTC",
            "Thông tư",
            "Hướng dẫn phí bảo vệ môi trường đối với nước thải",
            "Điều 1. Phạm vi\nThông tư này hướng dẫn phí bảo vệ môi trường đối với nước thải.",
            dt.date(2023, 3, 1),
            issuer=finance,
            sectors=["Thuế, phí, lệ phí", "Tài nguyên - Môi trường"],
        )
        make_document(
            "72/2020/QH14",
            "Luật",
            "Luật Bảo vệ môi trường",
            "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về hoạt động bảo vệ môi trường.",
            dt.date(2020, 11, 17),
            issuer_name="Quốc hội",
            sectors=["Tài nguyên - Môi trường"],
        )
        relate(decree, RelationKind.GUIDES, decision)
        relate(decree, RelationKind.BASED_ON, reference="55/2014/QH13")
        attach(decree, "Bản gốc có chữ ký", is_original=True)
        yield Library(base_url, decree.get_absolute_url(), decision.get_absolute_url())


def open_at(open_page, url: str, width: int, javascript: bool = True):
    page = open_page(width=width, height=900, javascript=javascript)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def assert_fits(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width}px ({scroll_width}px)"


def check(open_page, url: str, name: str) -> None:
    """Accessible and screenshotted at a phone's width and a desktop's."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = open_at(open_page, url, width)
        page.screenshot(path=str(SHOTS / f"legal-{name}-{width}.png"), full_page=True)
        assert page.locator("main h1").count() == 1
        assert_accessible(page)
        if width == 375:
            assert_fits(page, width)


def test_search_then_open_a_document_then_jump_to_an_article(library, open_page):
    # Given Chị Lan on the search page of a desktop browser
    page = open_at(open_page, library.base_url + "/van-ban/", 1280)
    # When she searches without diacritics
    page.fill("#id_q", "nghi dinh bao ve moi truong")
    page.locator(".legal-search__query button").click()
    page.wait_for_load_state("networkidle")
    decree = page.locator(".legal-hit__title a", has_text="Nghị định 08/2022/NĐ-CP")
    assert decree.count() == 1
    # And opens the decree
    decree.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(library.decree_url)
    assert page.locator("h1").inner_text().startswith("Quy định chi tiết")
    # And picks article 9 from the contents
    page.locator(".legal-toc a[href='#dieu-9']").click()
    # Then the page is at that article
    assert page.url.endswith(library.decree_url + "#dieu-9")
    article = page.locator("#dieu-9")
    assert article.is_visible()
    top = article.evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 <= top < 100
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "legal-jump-1280.png"))
    # And a clause has its own link
    page.locator("#dieu-9-khoan-2 > p .legal-anchor").click()
    assert page.url.endswith("#dieu-9-khoan-2")


def test_on_a_phone_the_contents_open_and_lead_to_the_article(library, open_page):
    page = open_at(open_page, library.base_url + library.decree_url, 375)
    assert not page.locator(".legal-toc a[href='#dieu-3']").is_visible()
    page.locator(".legal-toc__toggle").click()
    page.locator(".legal-toc a[href='#dieu-3']").click()
    assert page.url.endswith("#dieu-3")
    assert page.locator("#dieu-3").is_visible()
    assert_fits(page, 375)


def test_search_page_is_accessible(library, open_page):
    check(open_page, library.base_url + "/van-ban/?q=bao+ve+moi+truong", "search")
    check(open_page, library.base_url + "/van-ban/?q=n%C6%B0%E1%BB%9Bc&kind=articles", "articles")
    check(open_page, library.base_url + "/van-ban/?q=moi+truong&year=1800", "search-error")
    check(open_page, library.base_url + "/en/van-ban/", "search-en")


def test_document_page_is_accessible(library, open_page):
    check(open_page, library.base_url + library.decree_url, "document")
    check(open_page, library.base_url + library.decree_url + "#dieu-2-khoan-2-diem-a", "point")
    check(open_page, library.base_url + library.decision_url, "decision")
    check(open_page, library.base_url + "/en" + library.decree_url, "document-en")


def test_filters_work_without_javascript_on_a_phone(library, open_page):
    page = open_at(open_page, library.base_url + "/van-ban/", 375, javascript=False)
    assert page.locator(".legal-hit").count() == 4
    # The filters are folded away; they open without JavaScript
    assert not page.locator("#facet-type").is_visible()
    page.locator(".legal-filters__toggle").click()
    page.get_by_label("Thông tư").check()
    page.locator(".legal-facets__apply").click()
    page.wait_for_load_state()
    assert "type=" in page.url
    assert page.locator(".legal-hit__title a").all_inner_texts() == ["Thông tư 02/2023/TT-BTC"]
    assert_fits(page, 375)


def test_with_javascript_results_follow_the_filters_at_once(library, open_page):
    page = open_at(open_page, library.base_url + "/van-ban/?q=moi+truong", 1280)
    assert page.locator(".legal-hit").count() == 4
    loads = []
    page.on("load", lambda _page: loads.append(1))
    # When she ticks a year, the results change in place (no new page), and the address too
    with page.expect_response(lambda r: "year=2023" in r.url):
        page.get_by_label("2023").check()
    page.wait_for_load_state("networkidle")
    assert page.locator(".legal-hit__title a").all_inner_texts() == ["Thông tư 02/2023/TT-BTC"]
    assert "year=2023" in page.url
    assert loads == []
    # The box she ticked keeps the focus, and screen readers hear the new count
    assert page.evaluate("document.activeElement.id") == "filter-year-2023"
    assert "1" in page.locator("#legal-search-status").inner_text()
