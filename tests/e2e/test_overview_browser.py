"""A new user runs the README's run command, logs in with a demo account and sees the 2018
figures in a real browser; the login survives a page reload."""

from __future__ import annotations

import pytest

from tests.helpers.browser import SCREENSHOTS, log_in

pytestmark = pytest.mark.e2e


def test_overview_shows_158_in_chromium(app_server, page):
    page.goto(app_server.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "login-1920x1080.png"))
    log_in(page)
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="主动公开信息（条）")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "158"
    assert page.get_by_text("历年累计 954 条").is_visible()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "overview-1920x1080.png"))
    assert "year=2018" in page.url and "unit=qingyang" in page.url

    page.reload(wait_until="domcontentloaded")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    assert page.get_by_label("密码").count() == 0, "the login should survive a reload"


def test_wrong_password_is_refused(app_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(app_server.url)
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_staff", "not-the-password")
        page.get_by_text("用户名或密码不正确").wait_for(timeout=30_000)
        assert page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()
