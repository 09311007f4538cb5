"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Without /usr/bin/chromium the tests here are skipped on a developer's machine, but fail in CI
(``CI`` set), where a missing browser must not pass for a green run. The axe-core script comes
from npm (``npm ci && node scripts/build_assets.mjs`` puts it in build/axe/).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from vgp.portal.demo import HomePages, ensure_home_pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
IN_CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
HERE = Path(__file__).resolve().parent
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Run last (after pytest-django's own ordering): once Playwright has started, its event loop
    # stays running in this thread, and Django code in any later test would see it.
    ours = [item for item in items if item.path.is_relative_to(HERE)]
    items[:] = [item for item in items if not item.path.is_relative_to(HERE)] + ours
    if CHROMIUM.exists() or IN_CI:
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests"
    )
    for item in ours:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing and CI is set: the browser tests must run in CI.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django refuses ORM calls
    # from such a thread unless told that this is deliberate. Set only while the browser lives,
    # so that no other test (nor a subprocess it starts) inherits it.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def site(live_server, transactional_db) -> Iterator[tuple[str, HomePages]]:
    """The live site's base URL, with the two home pages, starting from an empty cache."""
    cache.clear()
    pages = ensure_home_pages()
    yield live_server.url, pages
    cache.clear()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., object]]:
    """Open a new tab in a fresh context: ``open_page(width=375, javascript=False)``."""
    contexts = []

    def open_(width: int = 1280, height: int = 800, javascript: bool = True) -> object:
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
