"""The XSS list in chromium: every page that shows stored text, and every lobby-screen slide, on a
database where each string sits in every kind of stored field (tests/pages/test_xss_pages.py).
No dialog may ever open, and no element the strings describe (an <img src=x>, a javascript: link,
an inline event handler, an iframe) may appear in the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from data_access.store import db
from tests.helpers.browser import (
    SCREENSHOTS,
    RunningApp,
    fixed_port,
    log_in,
    require_browser,
    settle,
    wait_for_session_cookie,
)
from tests.helpers.hostile_text import ALL_STORED, hostile_database

# Its tests share the module's own app: one worker runs them all (make test: --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("hostile_app")]

# url path, query, text proving the page drew its data (each shows stored strings; see test_xss_pages)
PAGES = (
    ("", "unit=qingyang&year=2018", "青阳街道 2018 年政务公开总览"),
    ("publications", "unit=qingyang&year=2018", "主动公开信息目录"),
    ("projects", "unit=qingyang&year=2018&month=10", "1-10 月累计"),
    ("requests", "unit=qingyang&year=2018", "青阳街道 2018 年依申请公开"),
    ("duties", "unit=qingyang&year=2018", "公开栏"),
    ("annual_report", "unit=qingyang&year=2018", "附表：政府信息公开情况统计表"),
    ("units", "unit=qingyang&year=2018", "青阳街道 2018 年所属单位对比"),
    ("upload", "unit=qingyang", "月度报表上传"),
    ("records", "unit=qingyang", "登记新申请"),
    ("screen_settings", "unit=qingyang", "大厅 LED 大屏播放设置"),
    ("admin_users", "", "用户管理"),
    ("admin_units", "", "单位管理"),
    ("admin_catalogue", "", "目录与年度目标"),
    ("admin_holidays", "year=2031", "节假日安排"),
    ("admin_audit", "", "操作日志"),
    ("account", "", "我的账户"),
)
SLIDES = ("headline", "categories", "newest", "projects", "requests", "duties")

# Anything a stored string could have turned into, were it parsed as HTML or Markdown.
_INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.getAttributeNames()) {
      const v = (el.getAttribute(a) || '').toLowerCase().trim();
      if (a.startsWith('on')) found.push(`${el.tagName} ${a}`);
      if ((a === 'href' || a === 'src' || a === 'xlink:href') && (v.startsWith('javascript:') || v.startsWith('data:text/html')))
        found.push(`${el.tagName} ${a}=${v}`);
    }
  }
  for (const el of document.querySelectorAll('img[src="x"], img[src*="evil"], iframe, marquee, input[autofocus], svg[onload]'))
    found.push(el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('script'))
    if (/alert\\(/.test(el.textContent)) found.push('script: ' + el.textContent.slice(0, 60));
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-xss') / 'xss.sqlite3'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    hostile_database(engine)
    engine.dispose()
    app = RunningApp(url, port=fixed_port())
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


def test_no_stored_string_runs_on_any_page(hostile_app, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    visited = []
    try:
        page.goto(hostile_app.url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_admin")
        page.get_by_text("政务公开总览").first.wait_for(timeout=60_000)
        wait_for_session_cookie(page)
        for path, query, proof in PAGES:
            page.goto(f"{hostile_app.url}/{path}?{query}", wait_until="domcontentloaded")
            page.get_by_text(proof).first.wait_for(timeout=60_000)
            settle(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            assert page.get_by_text("无权访问").count() == 0, path
            assert page.evaluate(_INJECTED) == [], path
            visited.append(path or "overview")
        # The hostile unit names are also option labels: open the unit picker and look.
        page.goto(f"{hostile_app.url}/?unit=qingyang&year=2018", wait_until="domcontentloaded")
        page.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
        settle(page)
        picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="单位")
        picker.click()
        if not page.get_by_role("option").count():  # the first click may only focus it while the page settles
            picker.locator("input").press("ArrowDown")
        page.get_by_role("option").filter(has_text="（单位）").first.wait_for(timeout=10_000)
        page.wait_for_timeout(1000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "xss-unit-picker-1920x1080.png"))
        assert page.evaluate(_INJECTED) == []
        page.keyboard.press("Escape")
    finally:
        context.close()
    assert len(visited) == len(PAGES)
    assert dialogs == [], dialogs


def test_no_stored_string_runs_on_the_screen(hostile_app, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    try:
        for slide in SLIDES:
            page.goto(f"{hostile_app.url}/?mode=screen&slide={slide}", wait_until="domcontentloaded")
            page.locator(f'[data-slide="{slide}"]').first.wait_for(timeout=60_000)
            page.wait_for_timeout(2500)  # a few ticks of the loop
            assert page.evaluate(_INJECTED) == [], slide
        ticker = page.locator(".tick").first.inner_text()
        assert sum(text in ticker for text in ALL_STORED) >= 8, "the ticker shows the stored titles as text"
        page.screenshot(path=str(SCREENSHOTS / "xss-screen-1920x1080.png"))
    finally:
        context.close()
    assert dialogs == [], dialogs


def test_a_unit_named_in_markdown_loads_nothing(hostile_app, browser):
    """The city is renamed to Markdown with an image; its leader opens each dashboard."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "evil" in r.url else None)
    try:
        page.goto(hostile_app.url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_city")
        page.get_by_text("政务公开总览").first.wait_for(timeout=60_000)
        wait_for_session_cookie(page)
        for path, query, _proof in PAGES[:7]:
            page.goto(
                f"{hostile_app.url}/{path}?{query.replace('qingyang', 'jinjiang')}",
                wait_until="domcontentloaded",
            )
            page.locator("h1").first.wait_for(timeout=60_000)
            settle(page)
            assert page.evaluate(_INJECTED) == [], path
            assert page.locator('img[src*="evil"], a[href="#"]:not([aria-label])').count() == 0, path
    finally:
        context.close()
    assert fetched == []
