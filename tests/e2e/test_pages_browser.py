"""Every leaders' page in a real browser at 1920×1080, logged in as demo_leader (and the unit
comparison as demo_city), with screenshots in screenshots/: each page's first screenful, and
its end (page-…-end-…png) for the pages longer than one screen."""

from __future__ import annotations

import pytest

from tests.helpers.browser import SCREENSHOTS, log_in, settle, wait_for_session_cookie

pytestmark = pytest.mark.e2e

# url path, query, text that proves the page drew its figures, whether it has a chart
PAGES = (
    ("", "unit=qingyang&year=2018", "需要关注（11 项）", True),
    ("publications", "unit=qingyang&year=2018", "第 1 / 8 页，共 158 条", True),
    ("projects", "unit=qingyang&year=2018&month=10", "1-10 月累计 231,200 / 年度计划 281,026 万元", True),
    ("requests", "unit=qingyang&year=2018", "按期答复 1 / 1 件", True),
    ("duties", "unit=qingyang&year=2018", "按时 22 / 应送 24 次（每月、每馆各一次）", True),
    ("annual_report", "unit=qingyang&year=2018", "附表：政府信息公开情况统计表", False),
    ("units", "unit=qingyang&year=2018", "青阳街道 2018 年所属单位对比", True),
)


def _visit(page, base: str, path: str, query: str, proof: str, chart: bool, shot: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{path}?{query}", wait_until="domcontentloaded")
    page.get_by_text(proof).first.wait_for(timeout=60_000)
    if chart:
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    settle(page)  # the script run has finished: every chart and table is drawn
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(SCREENSHOTS / shot))
    main = page.locator('[data-testid="stMain"]')
    if main.evaluate("m => m.scrollHeight > m.clientHeight + 200"):
        main.evaluate("m => m.scrollTo(0, m.scrollHeight)")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SCREENSHOTS / shot.replace("-1920x1080", "-end-1920x1080")))
        main.evaluate("m => m.scrollTo(0, 0)")


def test_every_leader_page(app_server, page):
    page.goto(app_server.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_leader")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    for path, query, proof, chart in PAGES:
        _visit(page, app_server.url, path, query, proof, chart, f"page-{path or 'overview'}-1920x1080.png")
    # A leader's register never offers the withheld items' filter.
    _visit(
        page,
        app_server.url,
        "publications",
        "unit=qingyang&year=2018",
        "主动公开信息目录",
        True,
        "page-publications-1920x1080.png",
    )
    assert page.get_by_text("仅显示“主动公开”的信息").count() == 1
    # A year without a projects table says so instead of drawing an empty table.
    _visit(page, app_server.url, "projects", "unit=qingyang&year=2017", "2017 年尚未上传重点项目表", False,
           "page-projects-2017-empty-1920x1080.png")  # fmt: skip


def test_the_menu_carries_the_filters(app_server, page):
    """Streamlit's menu drops the query string; the unit and year chosen come along to the next page."""
    page.goto(app_server.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_leader")
    page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    page.goto(f"{app_server.url}/?unit=qingyang&year=2017", wait_until="domcontentloaded")
    page.get_by_text("青阳街道 2017 年政务公开总览").wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("主动公开", exact=True).click()
    page.get_by_text("青阳街道 2017 年主动公开").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    assert "year=2017" in page.url and "unit=qingyang" in page.url


def test_unit_comparison_for_the_city_leader(app_server, page):
    page.goto(app_server.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_city")
    page.get_by_text("政务公开总览").first.wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    _visit(
        page,
        app_server.url,
        "units",
        "unit=jinjiang&year=2018",
        "晋江市 2018 年所属单位对比",
        True,
        "page-units-city-1920x1080.png",
    )
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
