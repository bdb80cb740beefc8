"""Logins in chromium: the session cookie is HttpOnly and SameSite=Strict, a copy of it made before
logging out is refused right after, and reloading 总览 while the database is unreachable shows the
Chinese message (never Streamlit's English error page) and recovers by itself."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.browser import (
    ENGLISH_ERRORS,
    SCREENSHOTS,
    RunningApp,
    log_in,
    require_browser,
    wait_for_session_cookie,
)
from tests.helpers.databases import create_database

pytestmark = pytest.mark.e2e

OVERVIEW = "青阳街道 2018 年政务公开总览"
OUTAGE = "暂时无法读取数据库"
# What Streamlit's own error page says (with client.showErrorDetails = "none" too).
STREAMLIT_ERRORS = (*ENGLISH_ERRORS, "Ask Google", "Ask ChatGPT", "OperationalError", "psycopg")


def _session_cookie(page) -> dict:  # type: ignore[no-untyped-def]
    return next(c for c in page.context.cookies() if c["name"] == "gk_session" and c["value"])


def _logged_in(browser, url: str, username: str = "demo_leader"):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, username)
    page.get_by_text(OVERVIEW).wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    return context, page


def _replay(browser, url: str, cookie: dict) -> str:  # type: ignore[no-untyped-def]
    """Open the app in a fresh browser that carries only a copy of the cookie: 'in' or 'login'."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": url}])
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_text(OVERVIEW).or_(page.get_by_label("用户名")).first.wait_for(timeout=60_000)
        return "in" if page.get_by_text(OVERVIEW).count() else "login"
    finally:
        context.close()


def test_the_session_cookie_is_http_only(app_server, browser):
    context, page = _logged_in(browser, app_server.url)
    try:
        cookie = _session_cookie(page)
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")
        assert "gk_session" not in page.evaluate("document.cookie"), "scripts cannot read it"
        lifetime = cookie["expires"] - time.time()
        assert 11.9 * 3600 < lifetime <= 12 * 3600, "it lasts SESSION_HOURS"
    finally:
        context.close()


def test_a_cookie_copied_before_logout_is_refused_after_it(app_server, browser):
    context, page = _logged_in(browser, app_server.url)
    try:
        copied = _session_cookie(page)
        assert _replay(browser, app_server.url, copied) == "in", "the copy works while the login lasts"
        page.goto(f"{app_server.url}/account", wait_until="domcontentloaded")
        page.get_by_role("button", name="退出登录").click()
        page.get_by_label("用户名").wait_for(timeout=60_000)
        logged_out = time.monotonic()
        outcome = _replay(browser, app_server.url, copied)
        print(
            f"\na copy of the cookie replayed {time.monotonic() - logged_out:.1f} s after logout: {outcome}"
        )
        assert outcome == "login"
    finally:
        context.close()


def test_reloading_the_overview_during_a_database_outage(tmp_path, browser):
    """PostgreSQL refuses the app's connections: a reload of 总览 shows the Chinese message and no
    English error, and the page comes back by itself once the database accepts connections again."""
    require_browser()
    url, drop = create_database("postgresql", tmp_path)
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def allow(yes: bool) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(yes).lower()}'))
            if not yes:
                conn.execute(
                    text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
                )

    app = RunningApp(url, {"CACHE_TTL_SECONDS": "1"})
    try:
        app.wait_ready()
        context, page = _logged_in(browser, app.url)
        loads: list[float] = []
        page.on("load", lambda: loads.append(time.monotonic()))
        try:
            allow(False)
            page.reload(wait_until="domcontentloaded")
            page.get_by_text(OUTAGE).first.wait_for(timeout=60_000)
            page.wait_for_timeout(3_000)
            body = page.inner_text("body")
            assert not any(e in body for e in STREAMLIT_ERRORS), body
            assert page.locator('[data-testid="stException"]').count() == 0
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "overview-database-unreachable.png"))
            reloads = len(loads)
            allow(True)
            back = time.monotonic()
            page.get_by_text(OVERVIEW).wait_for(timeout=30_000)
            print(
                f"\n总览 came back {time.monotonic() - back:.1f} s after the database did, without a reload"
            )
            assert len(loads) == reloads, "it recovered without reloading the page"
            page.locator('[data-testid="stMetric"]').first.wait_for(
                timeout=30_000
            )  # the figures follow the title
            assert page.get_by_text(OUTAGE).count() == 0
        finally:
            context.close()
    finally:
        app.stop()
        allow(True)
        admin.dispose()
        drop()
