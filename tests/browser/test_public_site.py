"""The public site in a real browser: language, keyboard, accessibility, small screens, no JS."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

SKIP_LINK_VI = "Bỏ qua, đến nội dung chính"


class PageWatch:
    """What a page did while loading: requests, failed responses, console errors."""

    def __init__(self, page, base_url: str) -> None:
        self.origin = urlsplit(base_url).netloc
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_request(self, request) -> None:
        self.requests.append(request.url)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _on_page_error(self, error) -> None:
        self.errors.append(str(error))

    def outside_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith("data:") and urlsplit(url).netloc != self.origin
        ]


def test_vietnamese_home_page_then_english_by_the_switch(site, open_page):
    base_url, pages = site
    page = open_page()
    watch = PageWatch(page, base_url)
    # Given a citizen who opens the portal
    page.goto(base_url + "/")
    # Then it speaks Vietnamese
    assert page.get_attribute("html", "lang") == "vi"
    assert page.locator("h1").inner_text() == pages.vietnamese.title
    # When they follow the language switch
    page.get_by_role("link", name="English").click()
    page.wait_for_url(base_url + "/en/")
    # Then they read the English edition
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == pages.english.title
    # And it switches back
    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(base_url + "/")
    assert page.get_attribute("html", "lang") == "vi"
    # Everything came from the site itself, without an error
    assert watch.outside_requests() == []
    assert watch.failures == []
    assert watch.errors == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    site, open_page, screenshots_dir
):
    base_url, _ = site
    page = open_page()
    page.goto(base_url + "/")
    # When a keyboard user presses Tab once
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href')})"
    )
    # Then the skip link has focus, and shows itself
    assert focused == {"text": SKIP_LINK_VI, "href": "#main"}
    box = page.get_by_role("link", name=SKIP_LINK_VI).bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    page.screenshot(path=str(screenshots_dir / "focus-skip-link.png"))
    # When they activate it, focus moves to the main content
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab continues from the content, with a visible focus indicator
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    page.screenshot(path=str(screenshots_dir / "focus-in-content.png"))


def test_the_font_and_htmx_are_served_from_the_build(site, open_page):
    base_url, _ = site
    page = open_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "/")
    page.evaluate("() => document.fonts.ready")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.family.replace(/[\"']/g, '') === 'Be Vietnam Pro'"
        " && f.status === 'loaded').map(f => f.weight)"
    )
    # Vietnamese text in regular and bold pulls the Vietnamese subset of both weights
    assert {"400", "700"} <= set(loaded)
    fonts = [url for url in watch.requests if url.endswith(".woff2")]
    assert any("vietnamese-400" in url for url in fonts)
    assert any("vietnamese-700" in url for url in fonts)
    assert page.evaluate("() => window.htmx && window.htmx.version").startswith("2.")


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_home_pages_have_no_wcag_aa_violations(site, open_page, path):
    base_url, _ = site
    page = open_page()
    page.goto(base_url + path)
    assert_accessible(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_menu_opens_on_a_phone(site, open_page, width):
    base_url, _ = site
    page = open_page(width=width)
    page.goto(base_url + "/")
    home_link = page.locator(".primary-nav__list a", has_text="Trang chủ")
    if width == 375:
        # On a phone the menu starts closed behind its toggle
        assert not home_link.is_visible()
        page.get_by_text("Danh mục", exact=True).click()
    # On a wide screen it is an open bar
    assert home_link.is_visible()
    assert home_link.get_attribute("aria-current") == "page"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("language", "path"), [("vi", "/"), ("en", "/en/")])
def test_screenshots_without_horizontal_overflow(
    site, open_page, screenshots_dir, width, language, path
):
    base_url, _ = site
    page = open_page(width=width)
    page.goto(base_url + path)
    page.evaluate("() => document.fonts.ready")
    page.screenshot(path=str(screenshots_dir / f"home-{language}-{width}.png"), full_page=True)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"the page is {overflow}px wider than a {width}px screen"
    if width == 375:
        page.locator(".primary-nav__toggle").click()
        page.screenshot(
            path=str(screenshots_dir / f"home-{language}-{width}-menu-open.png"), full_page=True
        )


@pytest.mark.parametrize("width", [375, 1280])
def test_the_site_works_without_javascript(site, open_page, screenshots_dir, width):
    base_url, pages = site
    page = open_page(width=width, javascript=False)
    page.goto(base_url + "/")
    # The content and the menu are there
    assert page.locator("h1").inner_text() == pages.vietnamese.title
    assert page.get_by_role("navigation", name="Danh mục chính").is_visible()
    if width == 375:
        page.get_by_text("Danh mục", exact=True).click()  # <details> needs no script
    assert page.locator(".primary-nav__list a", has_text="Trang chủ").is_visible()
    page.screenshot(path=str(screenshots_dir / f"home-vi-{width}-no-js.png"), full_page=True)
    # And the language switch is a plain link
    page.get_by_role("link", name="English").click()
    page.wait_for_url(base_url + "/en/")
    assert page.get_attribute("html", "lang") == "en"
