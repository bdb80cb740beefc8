"""The administration pages in chromium as demo_admin, with hostile names stored: no script runs
(no dialog ever opens), a new account logs in with the password shown once and must change it,
and downloading the audit log is itself logged. Screenshots of each page at 1920×1080."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db
from data_access.store.models import OrgUnit
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.browser import SCREENSHOTS, RunningApp, fixed_port, log_in, settle, wait_for_session_cookie
from tests.helpers.hostile_text import XSS

# Its tests share the module's own app: one worker runs them all (make test: --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("xss_app")]

PAGES = [
    ("admin_users", "用户管理"),
    ("admin_units", "单位管理"),
    ("admin_catalogue", "目录与年度目标"),
    ("admin_holidays", "节假日安排"),
    ("admin_audit", "操作日志"),
]


def _prepare(path: Path) -> str:
    """A seeded SQLite file with every XSS string as a user's name, a unit's name and an audit detail."""
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.write_session(engine) as s:
        qingyang2018.load(s)
        parent = s.scalar(select(OrgUnit.id).where(OrgUnit.code == "qingyang"))
        for i, text in enumerate(XSS):
            s.add(
                OrgUnit(
                    code=f"xss-{i:02d}", name=text, level="community", parent_id=parent, sort_order=50 + i
                )
            )
            s.flush()
            auth.create_user(
                s, f"xss{i:02d}", role="leader", unit_code="qingyang", display_name=text, actor=OPERATOR
            )
            audit.record(s, "settings_change", username="xss", detail=text)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def xss_app(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, str]]:
    """Its own app (the shared one stays clean for other screenshots) on the prepared database."""
    url = _prepare(tmp_path_factory.mktemp("e2e-admin") / "xss.sqlite3")
    app = RunningApp(url, port=fixed_port())
    try:
        app.wait_ready()
        yield app, url
    finally:
        app.stop()


def _admin_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", accept_downloads=True
    )
    return context, context.new_page()


def _open(page, base: str, path: str, title: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    settle(page)


def test_admin_pages_run_no_script_and_look_right(xss_app, browser):
    app, _url = xss_app
    context, page = _admin_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(app.url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_admin")
        page.get_by_text("政务公开总览").first.wait_for(timeout=60_000)
        wait_for_session_cookie(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        for path, title in PAGES:
            _open(page, app.url, path, title)
            assert page.get_by_text("无权访问").count() == 0
            page.screenshot(path=str(SCREENSHOTS / f"{path.replace('_', '-')}-1920x1080.png"))
        page.goto(f"{app.url}/admin_holidays?year=2027", wait_until="domcontentloaded")
        page.get_by_text("2027 年的法定节假日安排尚未录入，已按周末及固定日期节日推算").wait_for(
            timeout=60_000
        )
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(SCREENSHOTS / "admin-holidays-missing-year-1920x1080.png"))
        _open(page, app.url, "admin_catalogue", "目录与年度目标")
        page.get_by_role("tab", name="年度目标").click()
        page.get_by_role("button", name="保存年度目标").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        # Type the year's total into the editor's first row and save it.
        grid = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + 35 + 17)
        page.wait_for_timeout(300)
        page.keyboard.type("160", delay=50)
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)
        page.get_by_role("button", name="保存年度目标").click()
        page.get_by_text("已保存 1 项目标。").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(SCREENSHOTS / "admin-targets-1920x1080.png"))
        # The hostile unit names also sit in the pickers' option labels: open one and look.
        _open(page, app.url, "admin_units", "单位管理")
        page.get_by_role("tab", name="名称和单位资料").click()
        page.get_by_role("tabpanel", name="名称和单位资料").locator(
            '[data-testid="stSelectbox"]'
        ).first.click()
        page.keyboard.type("onerror")  # the list is long (and drawn lazily): filter it to the hostile names
        option = page.get_by_role("option", name=re.compile(re.escape("<img src=x onerror=alert(1)>")))
        option.first.wait_for(timeout=10_000)
        page.wait_for_timeout(1000)
        assert page.locator("img[src='x']").count() == 0
        assert not dialogs, f"a stored string ran as script: {dialogs}"
    finally:
        context.close()


def test_new_user_logs_in_with_the_shown_password_and_must_change_it(xss_app, browser):
    app, url = xss_app
    context, page = _admin_page(browser)
    try:
        page.goto(app.url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_admin")
        page.get_by_text("政务公开总览").first.wait_for(timeout=60_000)
        wait_for_session_cookie(page)
        _open(page, app.url, "admin_users", "用户管理")
        form = page.locator('[data-testid="stForm"]').first
        form.get_by_role("textbox", name="用户名", exact=True).fill("li.si")
        form.get_by_role("textbox", name="姓名", exact=True).fill("李四")
        form.get_by_role("button", name="新建用户").click()
        page.get_by_text("已新建用户 li.si。").wait_for(timeout=30_000)
        password = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
        page.screenshot(path=str(SCREENSHOTS / "admin-users-created-1920x1080.png"))
        assert len(password) == 12

        # The download of the log is itself logged.
        _open(page, app.url, "admin_audit", "操作日志")
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="下载 Excel（.xlsx）").click()
        assert download.value.suggested_filename.endswith(".xlsx")
    finally:
        context.close()
    engine = db.make_engine(url)
    with db.read_session(engine) as s:
        exports = audit.list_entries(s, 5, action="export_personal")
    engine.dispose()
    assert exports and exports[0].username == "demo_admin"

    fresh = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = fresh.new_page()
    try:
        page.goto(app.url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "li.si", password)
        page.get_by_text("首次登录或密码被重置后，须先修改密码才能使用系统。").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stMetric"]').count() == 0
        page.screenshot(path=str(SCREENSHOTS / "admin-new-user-must-change-1920x1080.png"))
    finally:
        fresh.close()
