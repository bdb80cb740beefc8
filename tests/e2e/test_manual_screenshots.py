"""The user manual's screenshots (docs/用户手册.md → docs/images/), taken in a real browser at
1280×800 as each demo role on the 2018 demo, so they show the app as it is today: every image the
manual references is written by this run, and every image written is one the manual shows."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.helpers.browser import log_in, settle, wait_for_session_cookie

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "用户手册.md"
IMAGES = ROOT / "docs" / "images"
Y2018 = "unit=qingyang&year=2018"

# A page whose table is drawn after the script's run has ended: wait for it.
TABLE = "table"
# account → [(image, url path, query, text that proves the page drew, the label of a 「?」 to open,
# or TABLE)]
SHOTS: dict[str | None, list[tuple[str, str, str, str, str | None]]] = {
    None: [("login", "", "", "用户名", None)],
    "demo_leader": [
        ("overview", "", Y2018, "需要关注（11 项）", None),
        ("overview-help", "", Y2018, "需要关注（11 项）", "按时公开率"),
        ("publications", "publications", Y2018, "第 1 / 8 页，共 158 条", None),
        ("publications-help", "publications", Y2018, "第 1 / 8 页，共 158 条", "目录事项按期公开率"),
        ("projects", "projects", Y2018 + "&month=10", "1-10 月累计 231,200 / 年度计划 281,026 万元", None),
        ("requests", "requests", Y2018, "按期答复 1 / 1 件", None),
        ("requests-help", "requests", Y2018, "按期答复 1 / 1 件", "按期答复率"),
        ("duties", "duties", Y2018, "按时 22 / 应送 24 次（每月、每馆各一次）", None),
        ("annual-report", "annual_report", Y2018, "附表：政府信息公开情况统计表", None),
        ("help", "help", "", "领导：查看看板和年度报告", None),
        ("account", "account", "", "我的账户", None),
    ],
    "demo_city": [("units", "units", "unit=jinjiang&year=2018", "晋江市 2018 年所属单位对比", None)],
    "demo_staff": [
        ("upload", "upload", "", "月度报表上传", TABLE),
        ("records", "records", "", "逐条登记", None),
        ("screen-settings", "screen_settings", "", "大厅 LED 大屏播放设置", TABLE),
    ],
    "demo_admin": [
        ("admin-users", "admin_users", "", "用户管理", TABLE),
        ("admin-units", "admin_units", "", "单位管理", None),
        ("admin-balances", "admin_balances", "", "历年累计期初数", None),
        ("admin-catalogue", "admin_catalogue", "", "目录与年度目标", None),
        ("admin-holidays", "admin_holidays", "", "节假日安排", TABLE),
        ("admin-audit", "admin_audit", "", "操作日志", TABLE),
    ],
}
SCREEN_SHOT = "screen"


def referenced_images() -> set[str]:
    """The file names under images/ that the manual shows."""
    text = MANUAL.read_text(encoding="utf-8")
    return set(re.findall(r"!\[[^\]]*\]\(images/([^)\s]+)\)", text))


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    path = IMAGES / f"{name}.png"
    page.screenshot(path=str(path))
    from PIL import Image  # a palette PNG: a tenth of the size, the text as sharp

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _visit(page, base: str, path: str, query: str, proof: str, tip: str | None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{path}" + (f"?{query}" if query else ""), wait_until="domcontentloaded")
    page.get_by_text(proof).first.wait_for(timeout=60_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, path
    if tip == TABLE:
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
        settle(page, quiet_ms=1500)
    elif tip:
        metric = page.locator('[data-testid="stMetric"]').filter(has_text=tip).first
        metric.scroll_into_view_if_needed()
        metric.locator('[data-testid="stTooltipHoverTarget"]').hover()
        page.locator('[data-testid="stTooltipContent"]').first.wait_for(timeout=10_000)
        page.wait_for_timeout(500)


def test_the_manuals_screenshots(app_server, browser):
    IMAGES.mkdir(parents=True, exist_ok=True)
    started = time.time()
    for account, shots in SHOTS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = context.new_page()
        try:
            if account is not None:
                page.goto(app_server.url, wait_until="domcontentloaded")
                page.get_by_label("用户名").wait_for(timeout=60_000)
                log_in(page, account)
                page.get_by_text("需要关注").first.wait_for(timeout=60_000)
                wait_for_session_cookie(page)
            for name, path, query, proof, tip in shots:
                _visit(page, app_server.url, path, query, proof, tip)
                _shoot(page, name)
            if account is None:  # the lobby screen needs no login
                page.goto(f"{app_server.url}/?mode=screen", wait_until="domcontentloaded")
                page.locator(".scr").first.wait_for(timeout=60_000)
                page.wait_for_timeout(2000)
                _shoot(page, SCREEN_SHOT)
        finally:
            context.close()
    written = {name for shots in SHOTS.values() for name, *_ in shots} | {SCREEN_SHOT}
    referenced = referenced_images()
    missing = sorted(
        f for f in referenced if not (IMAGES / f).is_file() or (IMAGES / f).stat().st_mtime < started
    )
    assert not missing, f"the manual shows images this run did not write: {missing}"
    unused = sorted(f"{name}.png" for name in written - {Path(f).stem for f in referenced})
    assert not unused, f"screenshots the manual never shows: {unused}"
    assert max((IMAGES / f).stat().st_size for f in referenced) < 400_000, "keep the screenshots small"
