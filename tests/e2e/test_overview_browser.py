"""A new user runs the README's run command and sees the 2018 figures in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e


def test_overview_shows_158_in_chromium(app_server, page):
    page.goto(app_server.url, wait_until="domcontentloaded")
    title = page.get_by_text("青阳街道 2018 年政务公开总览")
    title.wait_for(timeout=60_000)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="主动公开信息（条）")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text().strip() == "158"
    assert page.get_by_text("历年累计 954 条").is_visible()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-1920x1080.png"))
    assert "year=2018" in page.url and "unit=qingyang" in page.url
