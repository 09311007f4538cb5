"""Chị Lan checks a signed PDF on /xac-thuc/ in a real browser: at a desk (1280 px) and on her
phone (390 px, with and without JavaScript); every page passes axe (WCAG 2.1 AA).

She received pyHanko's test file signed by "Alice" of pyHanko's test CA, whose root this
installation trusts for the test. Asked now, the answer is "cannot be confirmed" (Alice's
certificate expired in 2022, no time-stamp); asked at 01/06/2021 12:00, "valid".
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "data" / "signatures"
SIGNED = SAMPLES / "pades-with-old-style-signing-cert-attr.pdf"
SHOTS = Path(tempfile.gettempdir())
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def verifier(site) -> Iterator[str]:
    if not SAMPLES.is_dir():
        pytest.skip(f"the shared signature samples are absent ({SAMPLES})")
    base_url, _pages = site
    with override_settings(SIGNATURE_TRUST_ROOTS=[str(SAMPLES / "root_root.cert.pem")]):
        yield base_url + "/xac-thuc/"


def check(page: Any, name: str, width: int) -> None:
    """One h1, nothing wider than the window, axe clean; a screenshot to look at."""
    page.screenshot(path=str(SHOTS / f"signatures-{name}.png"), full_page=True)
    assert page.locator("main h1").count() == 1, page.url
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways ({scroll_width}px)"
    assert_accessible(page)


def send(page: Any, at: str = "") -> None:
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "van-ban.pdf", "mimeType": "application/pdf", "buffer": SIGNED.read_bytes()}
        ],
    )
    page.fill("#id_at", at)
    page.get_by_role("button", name=re.compile("^(Kiểm tra chữ ký|Check the signatures)$")).click()
    page.wait_for_load_state()


def test_at_a_desk_the_report_comes_verdict_first(verifier, open_page):
    page = open_page(**DESK)
    page.goto(verifier)
    check(page, "form", DESK["width"])

    # Sent without a file: the problem is listed and linked to the field
    page.get_by_role("button", name=re.compile("^(Kiểm tra chữ ký|Check the signatures)$")).click()
    page.wait_for_load_state()
    assert "Chọn tệp PDF đã ký cần kiểm tra." in page.locator(".error-summary").inner_text()
    check(page, "form-errors", DESK["width"])

    # Asked now: cannot be confirmed, and why
    send(page)
    verdict = page.locator(".sig-verdict")
    assert "Chưa xác nhận được" in verdict.locator("h2").inner_text()
    assert "OUT_OF_BOUNDS_NO_POE" in page.locator(".sig-signature").inner_text()
    check(page, "report-now", DESK["width"])

    # Asked at a time inside Alice's certificate's life: valid
    send(page, at="01/06/2021 12:00")
    assert "Hợp lệ" in page.locator(".sig-verdict h2").inner_text()
    signature = page.locator(".sig-signature").inner_text()
    assert "Alice — Example Inc" in signature
    assert "Root CA (Example Inc)" in signature
    page.screenshot(path=str(SHOTS / "sig_1280.png"), full_page=True)
    check(page, "report-2021", DESK["width"])


def test_on_a_phone(verifier, open_page):
    page = open_page(**PHONE)
    page.goto(verifier)
    check(page, "form-phone", PHONE["width"])
    send(page, at="01/06/2021 12:00")
    assert "Hợp lệ" in page.locator(".sig-verdict h2").inner_text()
    page.screenshot(path=str(SHOTS / "sig_390.png"), full_page=True)
    check(page, "report-phone", PHONE["width"])


def test_without_javascript_the_form_still_works(verifier, open_page):
    # (axe needs JavaScript: this page is the one checked above)
    page = open_page(**PHONE, javascript=False)
    page.goto(verifier)
    send(page)
    assert "Chưa xác nhận được" in page.locator(".sig-verdict h2").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
