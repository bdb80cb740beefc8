"""The browser tests' fixtures: the shared app (started by the README's run command on a fresh
SQLite file, seeded at first start; do not write to it) and Debian's chromium through Playwright.
The helpers they use are in tests/helpers/browser.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, RunningApp, require_browser


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The app on a free port against a fresh temporary SQLite database, seeded at first start."""
    require_browser()
    db_file = tmp_path_factory.mktemp("e2e") / "fresh.sqlite3"
    app = RunningApp(f"sqlite:///{db_file}")
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh 1920×1080 page."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
