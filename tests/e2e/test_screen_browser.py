"""The lobby screen in a real browser: every slide fits every LED size, the loop turns by
itself, and nothing that is not public ever appears on it."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from dashboard.screen.presets import PRESETS
from dashboard.screen.slides import SLIDES
from data_access import db, public
from tests.data_access.test_public import CANARY_DOC, CANARY_NAME, CANARY_REQUEST, add_canaries
from tests.e2e.conftest import SCREENSHOTS, RunningApp, _require_browser

pytestmark = pytest.mark.e2e

# Every element with text must sit inside the viewport and inside its slide; text that does not
# fit its box must end in an ellipsis rather than run over. The ticker scrolls on purpose.
LAYOUT_PROBLEMS = """() => {
  const bad = [], vw = innerWidth, vh = innerHeight;
  const root = document.documentElement;
  if (root.scrollHeight > vh + 1 || root.scrollWidth > vw + 1) bad.push('page scrolls');
  for (const el of document.querySelectorAll('.scr *, .strip *')) {
    if (el.closest('.tick') || el.children.length || !el.textContent.trim()) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const where = (el.className || el.tagName) + ' "' + el.textContent.trim().slice(0, 20) + '"';
    if (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1) bad.push('outside viewport: ' + where);
    const slide = el.closest('.scr-slide');
    if (slide && r.bottom > slide.getBoundingClientRect().bottom + 1) bad.push('below its slide: ' + where);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis')
      bad.push('text overflows: ' + where);
  }
  return bad;
}"""

CASES = [(p, s) for p in PRESETS.values() if not p.strip for s in SLIDES] + [(PRESETS["strip"], "headline")]


@pytest.mark.parametrize(("preset", "slide"), CASES, ids=[f"{p.key}-{s}" for p, s in CASES])
def test_slide_fits_the_screen(app_server, browser, preset, slide):
    context = browser.new_context(viewport={"width": preset.width, "height": preset.height})
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/?mode=screen&preset={preset.key}&slide={slide}")
        page.locator(".strip" if preset.strip else f'[data-slide="{slide}"]').first.wait_for(timeout=60_000)
        page.wait_for_timeout(600)
        SCREENSHOTS.mkdir(exist_ok=True)
        name = f"screen-{preset.key}" + ("" if preset.strip else f"-{slide}")
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        body = page.inner_text("body")
        assert "0595-85601021" in body or preset.strip
        for chrome in ('[data-testid="stSidebar"]', '[data-testid="stToolbar"]', '[data-testid="stHeader"]'):
            assert not page.locator(chrome).is_visible()
    finally:
        context.close()


@pytest.fixture
def canary_app(tmp_path):
    """An app whose database holds the demo, a 3-second playlist and the non-public canaries."""
    _require_browser()
    url = f"sqlite:///{tmp_path / 'screen.sqlite3'}"
    app = RunningApp(url, {"CACHE_TTL_SECONDS": "1"})
    try:
        app.wait_ready()
        engine = db.make_engine(url)
        with db.write_session(engine) as session:
            add_canaries(session, dt.date.today())
            public.save_playlist(session, "qingyang", [(key, 3, True) for key in SLIDES])
        engine.dispose()
        yield app
    finally:
        app.stop()


def test_loop_turns_by_itself_and_never_shows_the_canaries(canary_app, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{canary_app.url}/?mode=screen")
        page.locator("[data-slide]").first.wait_for(timeout=60_000)
        seen: list[str] = []
        deadline = time.monotonic() + 3 * len(SLIDES) + 4  # one full loop and a bit
        while time.monotonic() < deadline:
            seen.append(page.locator("[data-slide]").first.get_attribute("data-slide"))
            html = page.content()
            for canary in (CANARY_DOC, CANARY_REQUEST, CANARY_NAME, "13800000000"):
                assert canary not in html
            page.wait_for_timeout(500)
        assert set(seen) == set(SLIDES), f"the loop showed only {sorted(set(seen))}"
    finally:
        context.close()
