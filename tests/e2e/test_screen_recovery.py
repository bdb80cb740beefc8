"""The lobby screen heals itself: after a server restart it resumes the loop by itself, and while
the database is unreachable it keeps the last data with a time stamp instead of an error."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import create_database
from tests.e2e.conftest import SCREENSHOTS, RunningApp, _require_browser

pytestmark = pytest.mark.e2e

ENGLISH_ERRORS = ("Connection error", "Traceback", "Is Streamlit still running")


def _open_screen(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{url}/?mode=screen")
    page.locator("[data-slide]").first.wait_for(timeout=60_000)
    return context, page, dialogs


def test_screen_resumes_after_a_server_restart(tmp_path, browser):
    _require_browser()
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    app = RunningApp(url)
    app.wait_ready()
    context, page, dialogs = _open_screen(browser, app.url)
    try:
        app.kill()
        time.sleep(3)
        assert page.evaluate("() => document.querySelector('.beat').dataset.beat")
        restarted = RunningApp(url, port=app.port)
        try:
            restarted.wait_ready()
            back = time.monotonic()
            # Resumed: a slide shows and the loop's heartbeat moves again (the fragment runs).
            beat = "() => Number(document.querySelector('.beat')?.dataset.beat || 0)"
            stalled = page.evaluate(beat)
            page.wait_for_function(
                f"() => ({beat})() > {stalled} + 1 && document.querySelector('[data-slide]')", timeout=30_000
            )
            seconds = time.monotonic() - back
            print(f"screen resumed {seconds:.1f} s after the server answered again")
            assert seconds <= 10
            body = page.inner_text("body")
            assert not any(e in body for e in ENGLISH_ERRORS)
            assert not dialogs
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "screen-after-restart.png"))
        finally:
            restarted.stop()
    finally:
        context.close()
        app.stop()


def test_screen_keeps_the_last_data_while_the_database_is_unreachable(tmp_path, browser):
    """PostgreSQL refuses the app's connections for 30 s; the screen keeps its data and says when it is from."""
    _require_browser()
    url, drop = create_database("postgresql", tmp_path)
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    app = RunningApp(url, {"CACHE_TTL_SECONDS": "1"})
    try:
        app.wait_ready()
        context, page, dialogs = _open_screen(browser, app.url)
        try:
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                conn.execute(
                    text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
                )
            page.get_by_text("数据更新于").wait_for(timeout=20_000)
            end = time.monotonic() + 30
            while time.monotonic() < end:
                assert page.locator("[data-slide]").count() == 1, "the slide stays on screen"
                body = page.inner_text("body")
                assert "政务热线 0595-85601021" in body
                assert len(page.locator("[data-slide]").inner_text()) > 20, "the slide keeps its data"
                assert not any(e in body for e in ENGLISH_ERRORS)
                page.wait_for_timeout(2_000)
            page.screenshot(path=str(SCREENSHOTS / "screen-database-unreachable.png"))
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            page.get_by_text("数据更新于").wait_for(state="detached", timeout=30_000)
            assert not dialogs
        finally:
            context.close()
    finally:
        app.stop()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        drop()
