"""The lobby screen in a real browser: every slide fits every LED size, the loop turns by
itself (the ticker scrolling on across slides), new data shows within the refresh interval, the
page reloads itself at night, and nothing that is not public ever appears on it."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from dashboard.screen.presets import PRESETS
from dashboard.screen.slides import SLIDES
from data_access.read import public
from data_access.store import db
from tests.helpers.browser import LAYOUT_PROBLEMS, SCREENSHOTS, RunningApp, require_browser
from tests.helpers.canaries import (
    CANARY_DOC,
    CANARY_NAME,
    CANARY_REQUEST,
    FRESH,
    add_canaries,
    add_public_item,
)

pytestmark = pytest.mark.e2e

CASES = [(p, s) for p in PRESETS.values() if not p.strip for s in SLIDES] + [(PRESETS["strip"], "headline")]


@pytest.mark.parametrize(("preset", "slide"), CASES, ids=[f"{p.key}-{s}" for p, s in CASES])
def test_slide_fits_the_screen(app_server, browser, preset, slide):
    context = browser.new_context(viewport={"width": preset.width, "height": preset.height})
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/?mode=screen&preset={preset.key}&slide={slide}")
        page.locator(".strip" if preset.strip else f'[data-slide="{slide}"]').first.wait_for(timeout=60_000)
        page.locator(".tick").wait_for(timeout=30_000)
        page.wait_for_timeout(600)
        SCREENSHOTS.mkdir(exist_ok=True)
        name = f"screen-{preset.key}" + ("" if preset.strip else f"-{slide}")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        # Each of the ticker's two copies is wider than the screen: its line is never blank.
        assert page.evaluate(
            "() => document.querySelector('.tick span').getBoundingClientRect().width > innerWidth"
        )
        body = page.inner_text("body")
        assert "0595-85601021" in body, "the hotline is always on screen (the strip: in its ticker)"
        for chrome in ('[data-testid="stSidebar"]', '[data-testid="stToolbar"]', '[data-testid="stHeader"]'):
            assert not page.locator(chrome).is_visible()
    finally:
        context.close()


TTL = 1  # CACHE_TTL_SECONDS of the canary app: the screen's refresh interval


@pytest.fixture(scope="module")
def canary_app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An app whose database holds the demo, a 3-second playlist, the non-public canaries and one
    public item, all dated today: the screen shows this year, where the canaries would be the
    newest items if the read path let them through."""
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-screen') / 'screen.sqlite3'}"
    app = RunningApp(url, {"CACHE_TTL_SECONDS": str(TTL)})
    try:
        app.wait_ready()
        engine = db.make_engine(url)
        with db.write_session(engine) as session:
            add_canaries(session, dt.date.today())
            add_public_item(session, FRESH, dt.date.today())
            public.save_playlist(session, "qingyang", [(key, 3, True) for key in SLIDES])
        engine.dispose()
        yield app
    finally:
        app.stop()


@pytest.mark.xdist_group("canary_app")  # one app for both tests
def test_loop_turns_by_itself_and_never_shows_the_canaries(canary_app, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{canary_app.url}/?mode=screen")
        page.locator("[data-slide]").first.wait_for(timeout=60_000)
        # Mark the ticker: it must be the same element, still scrolling, after every slide has shown.
        page.locator(".tick").wait_for(timeout=30_000)
        page.evaluate("() => { document.querySelector('.tick').dataset.mark = 'kept' }")
        seen: list[str] = []
        deadline = time.monotonic() + 3 * len(SLIDES) + 4  # one full loop and a bit
        while time.monotonic() < deadline:
            seen.append(page.locator("[data-slide]").first.get_attribute("data-slide"))
            html = page.content()
            for canary in (CANARY_DOC, CANARY_REQUEST, CANARY_NAME, "13800000000"):
                assert canary not in html
            page.wait_for_timeout(500)
        assert set(seen) == set(SLIDES), f"the loop showed only {sorted(set(seen))}"
        assert FRESH in page.content(), "today's public item is on the screen (the canaries' year)"
        scrolled = (
            "() => { const t = document.querySelector('.tick'); return [t.dataset.mark, "
            "t.getAnimations()[0].currentTime / 1000] }"
        )
        mark, seconds = page.evaluate(scrolled)
        assert mark == "kept" and seconds > 3 * len(SLIDES), "a new slide restarted the ticker"
    finally:
        context.close()


@pytest.mark.xdist_group("canary_app")
def test_new_data_shows_within_the_refresh_interval(canary_app, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{canary_app.url}/?mode=screen&slide=newest")
        page.locator('[data-slide="newest"]').wait_for(timeout=60_000)
        title = "刚刚上传-大屏刷新-8830"
        engine = db.make_engine(canary_app.database_url)
        with db.write_session(engine) as session:
            add_public_item(session, title, dt.date.today(), index_no="FRESH-2")
        engine.dispose()
        committed = time.monotonic()
        page.locator('[data-slide="newest"]').get_by_text(title).wait_for(timeout=30_000)
        seconds = time.monotonic() - committed
        print(f"a new upload showed on the screen {seconds:.1f} s after its commit (interval {TTL} s)")
        assert seconds <= TTL + 5
    finally:
        context.close()


def test_the_screen_reloads_itself_at_night(app_server, browser):
    """SCREEN_RELOAD_AT (03:30 by default): the browser's clock is set to 03:29:50 and runs on."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.clock.install(time=dt.datetime.combine(dt.date.today(), dt.time(3, 29, 50)))
    page = context.new_page()
    loads: list[float] = []
    page.on("load", lambda: loads.append(time.monotonic()))
    try:
        page.goto(f"{app_server.url}/?mode=screen")
        page.locator("[data-slide]").first.wait_for(timeout=60_000)
        assert page.evaluate("() => new Date().getHours()") == 3
        deadline = time.monotonic() + 40
        while len(loads) < 2 and time.monotonic() < deadline:
            page.wait_for_timeout(500)
        assert len(loads) == 2, "the page did not reload at 03:30"
        page.locator("[data-slide]").first.wait_for(timeout=60_000)
        page.wait_for_timeout(8_000)
        assert len(loads) == 2, "the page reloads once a night, not again after its reload"
        assert page.locator("[data-slide]").count() == 1
    finally:
        context.close()
