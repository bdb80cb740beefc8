"""Links that survive a login, and no English, in chromium.

A page's address with its query string, opened logged out (a link shared by WeChat after the
12-hour login has expired, or the first request after a restart), shows the login form at that
address, and the login opens that page with that query. Every page, walked as demo_admin in the
Chinese interface with its text boxes focused, shows none of
Streamlit's own English; nor does a mistyped address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.navigation import ACCOUNT_PAGE, PAGES
from tests.helpers.browser import (
    SCREENSHOTS,
    RunningApp,
    app_of_its_own,
    english_in_sight,
    fixed_port,
    log_in,
    settle,
    wait_for_session_cookie,
)

# Its tests share the module's own app: one worker runs them all (make test: --dist loadgroup).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("links_app")]

# A view that differs from every default (October, not the newest month) and the text proving it.
DEEP_LINK = "projects?unit=qingyang&year=2018&month=10"
PROOF = "1-10 月累计 231,200 / 年度计划 281,026 万元"


@pytest.fixture(scope="module")
def links_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """Its own app, so that the shared link is the very first request the new process answers."""
    with app_of_its_own(tmp_path_factory, "e2e-links", fixed_port()) as app:
        yield app


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_shared_link_opened_logged_out_logs_in_in_place_and_keeps_the_view(links_app, page):
    url = f"{links_app.url}/{DEEP_LINK}"
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    settle(page)
    assert page.locator('[role="dialog"]').count() == 0, "no Page not found dialog"
    assert english_in_sight(page) == []
    assert urlsplit(page.url).path == "/projects" and _query(page.url) == _query(url)
    assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"]').count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "links-login-in-place-1920x1080.png"))

    log_in(page, "demo_leader")
    page.get_by_text(PROOF).first.wait_for(timeout=60_000)
    settle(page)
    assert urlsplit(page.url).path == "/projects" and _query(page.url) == _query(url)
    assert page.get_by_text("青阳街道 2018 年重点项目完成情况（1-10 月）").count() == 1
    assert page.locator('[data-testid="stPageLink"]').count() > 0, "the menu is back"
    assert page.locator('[role="dialog"]').count() == 0


def test_every_page_of_the_login_expired_link_set_shows_the_login_form(links_app, browser):
    """Each page's address (with a query) keeps both when opened logged out."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        for spec in (*PAGES, None):
            path = Path(spec.path if spec else ACCOUNT_PAGE).stem
            address = "" if spec is not None and spec.default else path
            page.goto(f"{links_app.url}/{address}?unit=qingyang&year=2018", wait_until="domcontentloaded")
            page.get_by_label("用户名").wait_for(timeout=60_000)
            settle(page)
            assert page.locator('[role="dialog"]').count() == 0, path
            assert urlsplit(page.url).path == f"/{address}", path
            assert _query(page.url) == {"unit": ["qingyang"], "year": ["2018"]}, path
    finally:
        context.close()


def _focus_each_text_box(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Focus the first text box and the first text area (typing a letter shows the hint)."""
    seen: list[str] = []
    for testid, tag in (("stTextInput", "input"), ("stTextArea", "textarea")):
        box = page.locator(f'[data-testid="{testid}"] {tag}:not([disabled])').first
        if box.count() == 0 or not box.is_visible():
            continue
        # Every text box keeps an (empty, hidden) hint element; the one to read is the one shown.
        # A click while the page still reruns may only focus the box, so type again if no hint shows.
        hint = page.locator('[data-testid="InputInstructions"]:visible').first
        for attempt in range(3):
            box.click()
            box.press("End")
            box.type("x")
            try:
                hint.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                box.press("Backspace")
                assert attempt < 2, "typing in the box never showed its hint"
        seen += english_in_sight(page)
        box.press("Backspace")
    return seen


def test_no_english_on_any_page(links_app, page):
    page.goto(links_app.url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    # The login form's own hint ("Press Enter to submit form").
    assert _focus_each_text_box(page) == []
    log_in(page, "demo_admin")
    page.get_by_text("2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    uploaders = 0
    for spec in (*PAGES, None):
        path = Path(spec.path if spec else ACCOUNT_PAGE).stem
        page.goto(
            f"{links_app.url}/{'' if spec is not None and spec.default else path}",
            wait_until="domcontentloaded",
        )
        page.locator("h1").first.wait_for(timeout=60_000)
        settle(page)
        assert english_in_sight(page) == [], path
        dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
        if dropzone.count():
            uploaders += 1
            assert "选择文件" in page.evaluate(
                "() => getComputedStyle(document.querySelector("
                "'[data-testid=\"stFileUploaderDropzone\"] button p'), '::after').content"
            ), path
            if path == "upload":
                page.screenshot(path=str(SCREENSHOTS / "links-upload-1920x1080.png"))
        assert _focus_each_text_box(page) == [], path
    assert uploaders >= 2, "the upload and holiday pages show an uploader"

    # A mistyped address: Streamlit's dialog, in Chinese.
    page.goto(f"{links_app.url}/no-such-page", wait_until="domcontentloaded")
    page.locator('[role="dialog"]').wait_for(timeout=60_000)
    settle(page)
    assert english_in_sight(page) == []
    assert "页面暂时无法打开" in page.evaluate(
        "() => getComputedStyle(document.querySelector('[role=\"dialog\"] > h2'), '::after').content"
    )


def _project_id(database_url: str, name: str) -> int:
    from sqlalchemy import create_engine, select

    from data_access.store import db
    from data_access.store.models import Project

    engine = create_engine(database_url)
    try:
        with db.read_session(engine) as s:
            return int(s.scalars(select(Project.id).where(Project.name == name)).one())
    finally:
        engine.dispose()


def test_a_deep_link_with_filters_and_an_item_survives_the_login(links_app, browser):
    """Logged out, a shared address naming a project and the register's filters and page shows the
    login; the login opens that view, the project chosen and highlighted."""
    chosen = _project_id(links_app.database_url, "池店溪流域综合治理")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        url = f"{links_app.url}/projects?unit=qingyang&year=2018&month=10&project={chosen}"
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_leader")
        callout = page.locator(".st-key-proj-chosen")
        callout.wait_for(timeout=60_000)
        settle(page)
        assert _query(page.url) == _query(url)
        assert "已选项目：池店溪流域综合治理 · 完成进度" in callout.inner_text()
        assert page.get_by_text(PROOF).count() == 1  # October, not the newest month
        picked = page.locator('[data-testid="stSelectbox"]').filter(has_text="选择项目")
        assert picked.locator("input").input_value() == "池店溪流域综合治理"
        page.screenshot(path=str(SCREENSHOTS / "links-chosen-project-1920x1080.png"))

        # The register's category and page, in another address of the same session.
        wait_for_session_cookie(page)
        url = f"{links_app.url}/publications?unit=qingyang&year=2018&category=机构职能类&page=2"
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_text("第 2 / 2 页，共 35 条").wait_for(timeout=60_000)
        assert _query(page.url) == _query(url)
    finally:
        context.close()

    # The same register address opened logged out in a new browser: the login keeps it.
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_leader")
        page.get_by_text("第 2 / 2 页，共 35 条").wait_for(timeout=60_000)
        assert _query(page.url) == _query(url)
    finally:
        context.close()


def test_an_attention_item_opens_the_item_itself(links_app, browser):
    chosen = _project_id(links_app.database_url, "池店溪流域综合治理")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{links_app.url}/?unit=qingyang&year=2018", wait_until="domcontentloaded")
        page.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(page, "demo_leader")
        link = page.locator('.st-key-attention [data-testid="stPageLink"]').filter(
            has_text="池店溪流域综合治理"
        )
        link.wait_for(timeout=60_000)
        wait_for_session_cookie(page)
        link.click()
        page.locator(".st-key-proj-chosen").wait_for(timeout=60_000)
        settle(page)
        assert urlsplit(page.url).path == "/projects"
        assert _query(page.url)["project"] == [str(chosen)]
        assert "池店溪流域综合治理" in page.locator(".st-key-proj-chosen").inner_text()
    finally:
        context.close()
