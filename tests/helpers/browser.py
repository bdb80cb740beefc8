"""The browser tests' app and chromium: the app started by the README's run command, Debian's
chromium (never a downloaded one), logging in, and the checks several browser tests share."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.app import AppProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What Streamlit's own error and connection pages say: never on one of ours.
ENGLISH_ERRORS = ("Connection error", "Traceback", "Is Streamlit still running", "encountered an error")


def require_browser() -> None:
    """Skip without /usr/bin/chromium (fail instead under REQUIRE_BROWSER=1, as .ci/run sets)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but REQUIRE_BROWSER=1 (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed: browser tests skipped")


def fixed_port() -> int | None:
    """E2E_APP_PORT when set (a machine where only some ports are free), else None: any free one."""
    raw = os.environ.get("E2E_APP_PORT", "")
    return int(raw) if raw.isdigit() else None


class RunningApp(AppProcess):
    """The app started by `make run` on its own port against `database_url` (the demo seeded at
    first start), in its own process group."""

    def __init__(
        self, database_url: str, extra_env: dict[str, str] | None = None, port: int | None = None
    ) -> None:
        port = port or free_port()
        env = {**os.environ, "DATABASE_URL": database_url, "SEED_DEMO": "yes", **(extra_env or {})}
        command = [shutil.which("make") or "make", "--no-print-directory", "run", f"PORT={port}"]
        super().__init__(command, env, port, ROOT / f".e2e-app-{port}.log", keep_log=False)
        self.database_url = database_url


@contextmanager
def app_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, name: str, port: int | None = None
) -> Iterator[RunningApp]:
    """An app of a test module's own on a fresh demo SQLite file (for modules that write, lock an
    account or need to be a new process's first request); stopped afterwards."""
    require_browser()
    app = RunningApp(f"sqlite:///{tmp_path_factory.mktemp(name) / 'demo.sqlite3'}", port=port)
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


def metric_value(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The value shown by the st.metric whose label holds `label`."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def log_in(page, username: str = "demo_leader", password: str = "demo12345") -> None:  # type: ignore[no-untyped-def]
    """Fill the login form."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def wait_for_session_cookie(page, timeout_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the login's cookie script has run, so the next navigation keeps the login.

    The cookie is written by a script the page draws after the dashboard; a test that navigates
    the instant the title appears can otherwise arrive logged out."""
    waited = 0
    while not any(c["name"] == "gk_session" and c["value"] for c in page.context.cookies()):
        assert waited < timeout_ms, "the login never wrote its session cookie"
        page.wait_for_timeout(100)
        waited += 100


def settle(page, quiet_ms: int = 1000, timeout_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has shown no running-script indicator for `quiet_ms`."""
    quiet = waited = 0
    while quiet < quiet_ms:
        assert waited < timeout_ms, "the page never finished running"
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        quiet = 0 if running else quiet + 100
        page.wait_for_timeout(100)
        waited += 100


def choose(page, label: str, option: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an option of the select box with this label."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator("input").click()
    page.get_by_role("option", name=option).click()


# Every element with text must sit inside the viewport and inside its slide; a title from the data
# that does not fit its box must end in an ellipsis, and nothing else may be cut. The ticker scrolls
# on purpose.
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
    // Only titles that come from the data (list items, bar names) may end in an ellipsis;
    // figures, labels and headings must show whole.
    const cut = el.scrollWidth > el.clientWidth + 1;
    if (cut && getComputedStyle(el).textOverflow !== 'ellipsis') bad.push('text overflows: ' + where);
    else if (cut && !el.closest('.items .x, .bar .n')) bad.push('text cut short: ' + where);
  }
  return bad;
}"""


# Streamlit's own English (its uploader, input hints, skip link, dialogs and status): never on a
# page in the Chinese interface.
STREAMLIT_ENGLISH = (
    "Upload",
    "Drag and drop",
    "per file",
    "Press Enter",
    "Press Ctrl",
    "submit form",
    "Skip to main content",
    "Page not found",
    "does not seem to exist",
    "Running...",
    "Ask Google",
    "Choose an option",
    *ENGLISH_ERRORS,
)

# The text a person sees: text nodes that are drawn (not in a hidden, zero-size or zero-font-size
# element, nor an icon's ligature name), the placeholders of empty boxes that are drawn, and the text
# that style sheets put on the page (content:).
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    if (el.closest('[data-testid="stIconMaterial"], style, script, noscript, template')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || parseFloat(cs.fontSize) === 0 || !el.getClientRects().length) continue;
    out.push(n.textContent.trim());
  }
  for (const el of document.body.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!el.value && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden') out.push(el.placeholder);
  }
  for (const el of document.body.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      if (cs.content.startsWith('"') && cs.display !== 'none' && parseFloat(cs.fontSize) > 0) out.push(cs.content);
    }
  }
  return out.join('\\n');
}"""


def english_in_sight(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Which of Streamlit's English texts the page shows right now."""
    text = page.evaluate(VISIBLE_TEXT)
    return [english for english in STREAMLIT_ENGLISH if english in text]
