"""Two app processes on one PostgreSQL database, as behind a reverse proxy.

A file uploaded in a browser through replica A shows on replica B within B's cache freshness
interval (CACHE_TTL_SECONDS, here 2 s): B caches the database's data version for that long and
keys every cached figure by it, so the test fails if B never re-reads the version. A login
cookie made on A is accepted by B (the login is a session in the shared database).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from bench.app import first_start
from bench.timing import upload_file
from tests.helpers.browser import (
    SCREENSHOTS,
    RunningApp,
    choose,
    log_in,
    require_browser,
    wait_for_session_cookie,
)
from tests.helpers.builders import XLSX
from tests.helpers.databases import create_database

pytestmark = pytest.mark.e2e

TTL = 2  # CACHE_TTL_SECONDS of both replicas
ROWS = 37  # publications uploaded for 2026-01 (the demo's newest year is 2018)
METRIC = "主动公开信息（条）"


def _env(url: str) -> dict[str, str]:
    # SESSION_SECRET empty: the replicas must share the key the database keeps, not one of their own.
    return {"CACHE_TTL_SECONDS": str(TTL), "SESSION_SECRET": "", "SEED_DEMO": "yes", "DATABASE_URL": url}


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, RunningApp]]:
    """Replicas A and B on different ports with the same DATABASE_URL (a fresh PostgreSQL database
    holding the demo, seeded once before either starts so they do not race to seed it)."""
    require_browser()
    url, drop = create_database("postgresql", tmp_path_factory.mktemp("replicas"))
    apps: list[RunningApp] = []
    try:
        first_start({**os.environ, **_env(url)})
        apps.append(RunningApp(url, _env(url)))
        apps.append(RunningApp(url, _env(url)))
        a, b = apps
        assert a.port != b.port
        for app in apps:
            app.wait_ready()
        yield a, b
    finally:
        for app in apps:
            app.stop()
        drop()


def _metric(page, label: str) -> str:  # type: ignore[no-untyped-def]
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _overview_title(page, url: str) -> str:  # type: ignore[no-untyped-def]
    """Open the overview of Qingyang asking for 2026 (a year the picker offers only once it has data)."""
    page.goto(f"{url}/?unit=qingyang&year=2026", wait_until="domcontentloaded")
    heading = page.get_by_role("heading").filter(has_text="政务公开总览").first
    heading.wait_for(timeout=60_000)
    assert page.get_by_label("密码").count() == 0, "the login should survive the reload"
    return heading.inner_text().strip()


def _upload_through(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """demo_staff uploads ROWS publications for 2026-01 on replica A's 月度上传 page."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("用户名").wait_for(timeout=60_000)
    log_in(page, "demo_staff")
    page.get_by_text("2018 年政务公开总览").wait_for(timeout=60_000)
    wait_for_session_cookie(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("月度上传").click()
    page.get_by_text("月度报表上传").wait_for(timeout=30_000)
    choose(page, "报表类型", "主动公开信息目录")
    page.get_by_text("请选择要上传的主动公开信息目录文件").wait_for(timeout=30_000)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files({"name": "2026-01.xlsx", "mimeType": XLSX, "buffer": upload_file(ROWS)})
    page.get_by_text(f"检查通过：共 {ROWS} 行数据").wait_for(timeout=90_000)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text(f"新增 {ROWS} 行").first.wait_for(timeout=60_000)


def test_an_upload_through_one_replica_shows_on_the_other(replicas, browser) -> None:  # type: ignore[no-untyped-def]
    a, b = replicas
    size = {"viewport": {"width": 1920, "height": 1080}, "locale": "zh-CN"}
    leader_ctx, staff_ctx = browser.new_context(**size), browser.new_context(**size)
    try:
        # A leader reads replica B before the upload (B caches the data version and the figures).
        leader = leader_ctx.new_page()
        leader.goto(f"{b.url}/?unit=qingyang", wait_until="domcontentloaded")
        leader.get_by_label("用户名").wait_for(timeout=60_000)
        log_in(leader, "demo_leader")
        leader.get_by_text("青阳街道 2018 年政务公开总览").wait_for(timeout=60_000)
        wait_for_session_cookie(leader)
        assert _metric(leader, METRIC) == "158"
        assert _overview_title(leader, b.url) == "青阳街道 2018 年政务公开总览"

        # The staff member logs in on A; the same browser opens B and is already logged in there.
        staff = staff_ctx.new_page()
        _upload_through(staff, a.url)
        uploaded = time.monotonic()
        on_b = staff_ctx.new_page()
        on_b.goto(f"{b.url}/?unit=qingyang&year=2018", wait_until="domcontentloaded")
        heading = on_b.get_by_text("青阳街道 2018 年政务公开总览")
        heading.or_(on_b.get_by_label("用户名")).first.wait_for(timeout=60_000)
        assert on_b.get_by_label("密码").count() == 0, "replica B should accept replica A's login cookie"
        assert heading.is_visible()
        assert on_b.get_by_text("演示工作人员").count() > 0

        # Replica B shows the new year and its figure within its freshness interval.
        # Reloads asked for up to TTL + 10 s after the commit count (however long the page then
        # takes to draw on a busy machine); the first one asked for later ends the wait.
        deadline = uploaded + TTL + 10
        while True:
            asked = time.monotonic()
            title = _overview_title(leader, b.url)
            if "2026" in title or asked > deadline:
                break
            leader.wait_for_timeout(500)
        seen = asked - uploaded
        assert title == "青阳街道 2026 年政务公开总览", f"replica B still shows {title!r} {seen:.1f} s after"
        assert _metric(leader, METRIC) == str(ROWS)
        leader.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
        leader.wait_for_timeout(500)
        SCREENSHOTS.mkdir(exist_ok=True)
        leader.screenshot(path=str(SCREENSHOTS / "replica-b-after-upload-1920x1080.png"))
        print(f"replica B showed the upload on a reload {seen:.1f} s after A committed it (TTL {TTL} s)")
    finally:
        leader_ctx.close()
        staff_ctx.close()
