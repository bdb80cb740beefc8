"""The simulated leaders of `bench.load`: each opens the pages in turn as new page loads, over the
app's websocket protocol (`ws`) or in Debian's chromium (`browser`), and times each until its
figures are drawn (`drive`). The pages and what each must show are `PAGES`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import wsclient

if TYPE_CHECKING:
    from bench.load import Server

CHROMIUM = "/usr/bin/chromium"
COOKIE = "gk_session"  # dashboard.session.COOKIE (bench does not import Streamlit code)
UNIT, YEAR = "qingyang", 2018


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    heading: str
    metric: tuple[str, str] | None = None  # (label, expected value) checked on every load


PAGES = (
    PageSpec("overview", "/", f"青阳街道 {YEAR} 年政务公开总览", ("主动公开信息（条）", "158")),
    PageSpec("publications", "/publications", f"青阳街道 {YEAR} 年主动公开"),
    PageSpec("requests", "/requests", f"青阳街道 {YEAR} 年依申请公开"),
    PageSpec("projects", "/projects", f"青阳街道 {YEAR} 年重点项目完成情况"),
)


@dataclass
class Load:
    page: str
    replica: int
    started: float  # wall clock (time.time), to compare with the uploads' intervals
    ms: float
    error: str | None


def log(line: str = "") -> None:
    print(line, flush=True)


def _check(headings: list[str], metrics: dict[str, str], spec: PageSpec) -> str | None:
    """What is wrong with a drawn page (its headings and metrics), or None."""
    if not any(spec.heading in h for h in headings):
        return f"no heading {spec.heading!r}"
    if spec.metric is not None:
        label, expected = spec.metric
        if metrics.get(label) != expected:
            return f"{label} = {metrics.get(label)}, expected {expected}"
    return None


async def launch_chromium(pw):  # type: ignore[no-untyped-def]
    """Debian's chromium, headless, through Playwright's async API `pw` (never a downloaded one)."""
    return await pw.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )  # fmt: skip


async def _open_in_browser(page, base: str, spec: PageSpec) -> str | None:  # type: ignore[no-untyped-def]
    """Open one page in a new Streamlit session; None when its figures are drawn, else what is wrong."""
    await page.goto(f"{base}{spec.path}?unit={UNIT}&year={YEAR}", wait_until="commit", timeout=30_000)
    heading = page.get_by_role("heading", name=spec.heading).first
    login = page.get_by_label("用户名")
    await heading.or_(login).first.wait_for(timeout=30_000)
    if await login.count():
        return "the login form instead of the page (cookie refused)"
    await page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
    if await page.locator('[data-testid="stException"]').count():
        return "an exception on the page"
    if await page.get_by_text("暂时无法读取数据库").count():
        return "the database error message"
    metrics = {}
    if spec.metric is not None:
        metric = page.locator('[data-testid="stMetric"]').filter(has_text=spec.metric[0])
        metrics[spec.metric[0]] = (await metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()
    return _check([spec.heading], metrics, spec)


async def _open_over_websocket(base: str, token: str, spec: PageSpec) -> str | None:
    """The same page as the browser's websocket asks for it: a new session, one script run, every
    element the server sends until the run finishes (no HTML, scripts or rendering)."""
    try:
        messages = await wsclient.load(base, spec.path, f"unit={UNIT}&year={YEAR}", {COOKIE: token})
    except wsclient.RunFailed as exc:
        return str(exc)
    headings: list[str] = []
    metrics: dict[str, str] = {}
    for element in wsclient.elements(messages):
        match element.WhichOneof("type"):
            case "heading":
                headings.append(element.heading.body)
            case "metric":
                metrics[element.metric.label] = element.metric.body
            case "exception":
                return "an exception on the page"
            case "alert" if "暂时无法读取数据库" in element.alert.body:
                return "the database error message"
            case "text_input" if element.text_input.label == "用户名":
                return "the login form instead of the page (cookie refused)"
    return _check(headings, metrics, spec)


async def _leader(  # type: ignore[no-untyped-def]
    browser,
    n: int,
    base: str,
    replica: int,
    token: str,
    end: float,
    out: list[Load],
    limit: int | None = None,
) -> None:
    """Open the pages in turn until `end` (or `limit` pages); browser None: over the websocket."""
    page = context = None
    if browser is not None:
        context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        await context.add_cookies([{"name": COOKIE, "value": token, "url": base}])
        page = await context.new_page()
    k = n  # leaders start on different pages
    try:
        while time.monotonic() < end and (limit is None or k - n < limit):
            spec = PAGES[k % len(PAGES)]
            k += 1
            began, t0 = time.time(), time.perf_counter()
            try:
                if page is not None:
                    error = await _open_in_browser(page, base, spec)
                else:
                    error = await _open_over_websocket(base, token, spec)
            except Exception as exc:  # noqa: BLE001 - a timeout or a crash is an error, not the end
                error = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"
            out.append(Load(spec.name, replica, began, (time.perf_counter() - t0) * 1000, error))
    finally:
        if context is not None:
            await context.close()


async def drive(
    servers: list[Server], token: str, args: argparse.Namespace, on_start: Callable[[], None]
) -> tuple[list[Load], float]:
    """Open every page once on every replica (warm-up, not counted), then run the leaders."""
    async with contextlib.AsyncExitStack() as stack:
        browser = None
        if args.client == "browser":
            from playwright.async_api import async_playwright

            pw = await stack.enter_async_context(async_playwright())
            browser = await launch_chromium(pw)
            stack.push_async_callback(browser.close)
        started = time.monotonic()
        warm: list[Load] = []
        for i, server in enumerate(servers):
            await _leader(browser, 0, server.url, i, token, time.monotonic() + 600, warm, limit=len(PAGES))
        if failed := [w for w in warm if w.error]:
            raise RuntimeError(f"warm-up failed: {failed[0].page}: {failed[0].error}")
        warm_s = time.monotonic() - started
        out: list[Load] = []
        on_start()
        end = time.monotonic() + args.seconds
        await asyncio.gather(
            *(_leader(browser, n, servers[n % len(servers)].url, n % len(servers), token, end, out)
              for n in range(args.leaders))
        )  # fmt: skip
    return out, warm_s
