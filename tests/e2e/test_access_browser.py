"""Who reaches what, by typing addresses into chromium: nobody logged in gets the login form at
every page's address; the screen URL shows the lobby loop at every page's address; a login
survives a reload, logout ends it for good (cookie gone, reload stays out); a leader typing an
admin page's address gets 无权访问; six wrong passwords lock the account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.navigation import ACCOUNT_PAGE, PAGES, SCREEN_PAGE
from tests.helpers.browser import (
    RunningApp,
    app_of_its_own,
    fixed_port,
    log_in,
    settle,
    wait_for_session_cookie,
)

# Its tests share the module's own app: one worker runs them all (make test: --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("access_app")]

PATHS = [Path(p).stem for p in (*(s.path for s in PAGES), ACCOUNT_PAGE, SCREEN_PAGE)]


@pytest.fixture(scope="module")
def access_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """Its own app: this module locks an account."""
    with app_of_its_own(tmp_path_factory, "e2e-access", fixed_port()) as app:
        yield app


def _no_data(page) -> None:  # type: ignore[no-untyped-def]
    for testid in ("stMetric", "stDataFrame", "stVegaLiteChart", "stDownloadButton", "stFileUploader"):
        assert page.locator(f'[data-testid="{testid}"]').count() == 0, testid


def test_a_fresh_server_opened_at_a_deep_address_shows_no_data_and_no_menu(access_app, page):
    """The first requests a new process answers go through the router too (serve.py turns off
    Streamlit's serving of pages/ by address): the login form, no data; and were a page run on
    its own, its own check answers with the login form, and client.showSidebarNavigation = false
    keeps Streamlit's menu of every file hidden."""
    for path in PATHS:
        page.goto(f"{access_app.url}/{path}", wait_until="domcontentloaded")
        page.locator("h1, [data-slide], [data-testid='stAlert']").first.wait_for(timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stSidebarNav"], [data-testid="stPageLink"]').count() == 0, path
        if path != "screen":  # the lobby loop is public
            _no_data(page)


def test_nobody_logged_in_gets_the_login_form_at_every_address(access_app, page):
    page.goto(access_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)  # the router has run: every address is routed
    for path in PATHS:
        page.goto(f"{access_app.url}/{path}", wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        settle(page)
        _no_data(page)
        assert page.locator("[data-slide]").count() == 0, path
        assert page.locator('[data-testid="stSidebarNav"], [data-testid="stPageLink"]').count() == 0, path


def test_the_screen_url_shows_only_the_loop_at_every_address(access_app, page):
    page.goto(access_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)  # the router has run: every address is routed
    for path in PATHS:
        page.goto(f"{access_app.url}/{path}?mode=screen", wait_until="domcontentloaded")
        page.locator("[data-slide]").first.wait_for(timeout=60_000)
        settle(page)
        _no_data(page)
        assert page.get_by_label("用户名").count() == 0 and page.get_by_text("无权访问").count() == 0, path
        assert page.locator('[data-testid="stPageLink"], [data-testid="stSidebarNav"]').count() == 0, path


def test_login_survives_a_reload_and_logout_ends_it(access_app, page):
    page.goto(access_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_leader")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    page.goto(f"{access_app.url}/admin_users", wait_until="domcontentloaded")
    page.get_by_text("无权访问", exact=True).wait_for(timeout=60_000)
    settle(page)
    _no_data(page)
    page.goto(f"{access_app.url}/account", wait_until="domcontentloaded")
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=60_000)
    settle(page)
    assert not any(c["name"] == "gk_session" and c["value"] for c in page.context.cookies())
    page.reload(wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    settle(page)
    _no_data(page)


def test_six_wrong_passwords_lock_the_account(access_app, page):
    page.goto(access_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    for attempt in range(6):
        log_in(page, "demo_staff", f"wrong-password-{attempt}")
        expected = "用户名或密码不正确" if attempt < 4 else "账户已锁定，请 15 分钟后再试"
        page.get_by_text(expected).wait_for(timeout=30_000)
        settle(page)
    log_in(page, "demo_staff", "demo12345")
    page.get_by_text("账户已锁定").wait_for(timeout=30_000)
    settle(page)
    _no_data(page)
