"""Each leader's page beside its floor, over the websocket.

    python -m bench.floor [--quick] [--loads N] [--reruns N] [--baseline-ref REF]
                          [--clients 4] [--seconds 20] [--skip-throughput]

A page load is what a browser tab asks for: a new Streamlit session, one script run, every element
until the run finishes (bench.wsclient). The floor of a page is a bare Streamlit app drawing the
same elements from constants (bench.floor_gen: generated from one recorded load of the page, as
the leader of the unit, so it keeps the page's shape; same Streamlit, same config, the same page
set through st.navigation). Both apps run as their own process; the page and its floor are loaded
alternately, N times each, and the median, p95 and ratio printed. A rerun (the year picker changed
through a rerun_script with its widget state) is timed the same way on the same session.

On the 2018 demo (a fresh SQLite database, as bench.load makes it) it also counts the page loads
per second one app process serves to concurrent new sessions, for this code and, with
--baseline-ref, for another commit of the repository (exported into a temporary folder and started
from there with the same Python), and prints the ratio. `python -m bench` runs the same on its
city-scale databases (`measure`), as the city's leader.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import floor_gen, wsclient
from bench.app import ROOT, AppProcess, first_start, free_port, streamlit_command
from bench.load import fresh_database, leader_token, percentile
from bench.load_leaders import CHROMIUM, COOKIE, log

NEW_SESSION_RATIO = 1.3  # demo: a page's new session ≤ 1.3× its floor's
SCALE_RATIO = 2.0  # at 5M rows, city level: ≤ 2× the floor and ≤ 300 ms
SCALE_MS = 300.0
RERUN_RATIO = 1.2  # a widget change ≤ 1.2× the floor's rerun
THROUGHPUT_RATIO = 3.0  # page loads per second of one process ≥ 3× the baseline's
YEAR_KEY = "pick-year"  # the sidebar year picker: the widget a rerun changes


@dataclass
class Page:
    title: str
    path: str  # the address: / for the default page


def leader_pages() -> list[Page]:
    """The leader's dashboards, in menu order (dashboard.navigation)."""
    from dashboard.i18n import t
    from dashboard.navigation import PAGES

    return [
        Page(t(p.title_key), "/" if p.default else "/" + Path(p.path).stem)
        for p in PAGES
        if p.allows("leader") and p.section_key == "nav.section.dashboards"
    ]


@dataclass
class Row:
    page: Page
    real: list[float]
    floor: list[float]
    rerun: list[float] = field(default_factory=list)
    floor_rerun: list[float] = field(default_factory=list)
    shape_ok: bool = True
    chart_points: list[int] = field(default_factory=list)
    clicks: list[float] = field(default_factory=list)  # click-to-figures in chromium
    floor_clicks: list[float] = field(default_factory=list)

    @staticmethod
    def ratio(a: list[float], b: list[float]) -> float:
        return statistics.median(a) / statistics.median(b) if a and b else float("nan")


# ------------------------------------------------------------------------------- the apps
class App(AppProcess):
    """An app process on a free loopback port: the product (cwd the repository) or a floor app."""

    def __init__(
        self, env: dict[str, str], logs: Path, name: str, cwd: Path = ROOT, script: str = "serve.py"
    ):
        port = free_port()
        super().__init__(streamlit_command(port, script), env, port, logs / f"{name}-{port}.log", cwd=cwd)


@contextlib.contextmanager
def running(*apps: App) -> Iterator[None]:
    try:
        for app in apps:
            app.wait_ready()
        yield
    finally:
        for app in apps:
            app.stop()


def _floor_env() -> dict[str, str]:
    """The floor app reads no database and no settings of the product."""
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEFAULT_UNIT", "PYTHONPATH")}


# ------------------------------------------------------------------------------- measuring
def chart_points(messages: list[Any]) -> list[int]:
    """Rows of the data handed to each Vega-Lite chart of the recorded run."""
    import pyarrow as pa

    out = []
    for element in wsclient.elements(messages):
        if element.WhichOneof("type") == "vega_lite_chart":
            raws = [d.data.data for d in element.vega_lite_chart.datasets] + [
                element.vega_lite_chart.data.data
            ]
            out.append(sum(pa.ipc.open_stream(raw).read_all().num_rows for raw in raws if raw))
    return out


def _check_drawn(messages: list[Any], page: Page) -> None:
    """A recorded page is the page itself: no error, no login form in its place."""
    for element in wsclient.elements(messages):
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise RuntimeError(f"{page.path}: an exception on the page: {element.exception.message[:300]}")
        if kind == "text_input" and element.text_input.label == "用户名":
            raise RuntimeError(f"{page.path}: the login form instead of the page (cookie refused)")
        if kind == "alert" and "暂时无法读取数据库" in element.alert.body:
            raise RuntimeError(f"{page.path}: the database error message")


async def _timed_load(base: str, path: str, query: str, cookies: dict[str, str]) -> float:
    started = time.perf_counter()
    await wsclient.load(base, path, query, cookies)
    return (time.perf_counter() - started) * 1000


async def alternate(
    real: str, floor: str, page: Page, query: str, cookies: dict[str, str], n: int
) -> tuple[list[float], list[float]]:
    """n new-session loads of the page and of its floor, alternating (which goes first too)."""
    a: list[float] = []
    b: list[float] = []
    for i in range(n):
        if i % 2:
            b.append(await _timed_load(floor, page.path, query, {}))
            a.append(await _timed_load(real, page.path, query, cookies))
        else:
            a.append(await _timed_load(real, page.path, query, cookies))
            b.append(await _timed_load(floor, page.path, query, {}))
    return a, b


def _widget(messages: list[Any], key: str) -> Any:
    """The selectbox whose user key is `key` in the recorded run."""
    for element in wsclient.elements(messages):
        if element.WhichOneof("type") == "selectbox" and element.selectbox.id.endswith("-" + key):
            return element.selectbox
    raise LookupError(f"no selectbox {key!r} on the page")


async def reruns(base: str, page: Page, query: str, cookies: dict[str, str], n: int) -> list[float]:
    """Open the page, then change its year picker n times (two values in turn, each once before
    the clock: their figures cached as a leader's second look would find them)."""
    async with asyncio.timeout(60 + 10 * n), wsclient.connect(base, cookies) as tab:
        first = await tab.run(wsclient.page_request(base, page.path, query))
        picker = _widget(first, YEAR_KEY)
        values = list(picker.options[:2]) if len(picker.options) > 1 else [picker.options[0]] * 2
        hashes = [m.new_session.page_script_hash for m in first if m.WhichOneof("type") == "new_session"]
        out = []
        for i in range(n + 2):
            request = wsclient.page_request(base, page.path, query)
            request.rerun_script.page_script_hash = hashes[-1]
            state = request.rerun_script.widget_states.widgets.add()
            state.id = picker.id
            state.string_value = values[(i + 1) % 2]
            started = time.perf_counter()
            await tab.run(request)
            if i >= 2:
                out.append((time.perf_counter() - started) * 1000)
        return out


async def throughput(
    base: str, pages: list[Page], query: str, cookies: dict[str, str], clients: int, seconds: float
) -> tuple[float, int]:
    """Page loads per second one app serves to `clients` back-to-back new sessions; and errors."""
    done: list[float] = []
    errors: list[str] = []
    end = time.monotonic() + seconds

    async def client(k: int) -> None:
        while time.monotonic() < end:
            page = pages[k % len(pages)]
            k += 1
            try:
                await wsclient.load(base, page.path, query, cookies)
                done.append(time.monotonic())
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors.append(f"{page.path}: {type(exc).__name__}: {exc}"[:200])

    started = time.monotonic()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return len(done) / (time.monotonic() - started), len(errors)


# ------------------------------------------------------------------------------- in the browser
BROWSER_RATIO = 1.3  # click-to-figures in chromium ≤ 1.3× the floor's
_DRAWN = """([heading, charts, tables, metrics]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const main = document.querySelector('[data-testid="stMain"]') || document;
    if (![...main.querySelectorAll('h1')].some(h => h.textContent.includes(heading))) return false;
    const drawn = main.querySelectorAll('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg');
    return drawn.length >= charts
        && main.querySelectorAll('[data-testid="stDataFrame"] canvas').length >= tables
        && main.querySelectorAll('[data-testid="stMetricValue"]').length >= metrics;
}"""


@dataclass
class Figures:
    """What a page must show before its figures count as drawn."""

    heading: str
    charts: int
    tables: int
    metrics: int

    @staticmethod
    def of(messages: list[Any]) -> Figures:
        kinds = [e.WhichOneof("type") for e in wsclient.elements(messages)]
        headings = [e.heading.body for e in wsclient.elements(messages) if e.WhichOneof("type") == "heading"]
        return Figures(headings[0] if headings else "", kinds.count("vega_lite_chart"), kinds.count("dataframe"),
                       kinds.count("metric"))  # fmt: skip


async def clicks(base: str, cookies: dict[str, str], query: str, start: Page, target: Page, figures: Figures,
                 n: int) -> list[float]:  # fmt: skip
    """Open `start` in chromium, click the sidebar link to `target`, time until its figures are drawn
    (the run finished, its heading, every chart and table drawn, every metric shown); n times."""
    from playwright.async_api import async_playwright

    from bench.load_leaders import launch_chromium

    out = []
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            if cookies:
                await context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
            page = await context.new_page()
            for i in range(n + 1):  # the first click warms the browser's cache: not counted
                await page.goto(f"{base}{start.path}?{query}", wait_until="load", timeout=60_000)
                await page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
                    timeout=60_000
                )
                link = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
                link = link.filter(has_text=target.title).first
                await link.wait_for(timeout=30_000)
                started = time.perf_counter()
                await link.click()
                await page.wait_for_function(
                    _DRAWN, arg=[figures.heading, figures.charts, figures.tables, figures.metrics],
                    polling="raf", timeout=60_000,
                )  # fmt: skip
                if i:
                    out.append((time.perf_counter() - started) * 1000)
            await context.close()
        finally:
            await browser.close()
    return out


def in_browser(base: str, floor_url: str, cookies: dict[str, str], query: str, pages: list[Page],
               recorded: dict[str, list[Any]], n: int) -> list[tuple[Page, list[float], list[float]]]:  # fmt: skip
    """Click-to-figures in chromium for the overview and the heaviest other page (the most charts
    and tables), each beside the same click on its floor; printed, and judged against 1.3×."""
    heavy = max(
        pages[1:], key=lambda p: Figures.of(recorded[p.path]).charts + Figures.of(recorded[p.path]).tables
    )
    out = []
    for target in (pages[0], heavy):
        start = pages[-1] if target is not pages[-1] else pages[0]
        figures = Figures.of(recorded[target.path])
        real: list[float] = []
        flo: list[float] = []
        for _ in range(2):  # the page, its floor, the page, its floor: alternating halves
            real += asyncio.run(clicks(base, cookies, query, start, target, figures, max(1, n // 2)))
            flo += asyncio.run(clicks(floor_url, {}, query, start, target, figures, max(1, n // 2)))
        out.append((target, real, flo))
    log(f"\n{'click-to-figures (chromium)':26} {'page':>15} {'floor':>15} {'ratio':>6}")
    for target, real, flo in out:
        log(f"{target.title + ' ' + target.path:26} {_ms(real)} {_ms(flo)} {Row.ratio(real, flo):5.2f}×")
    log("(ms from the click on the sidebar link until the run has finished and the heading, every chart, "
        "table and metric are drawn; median and p95)")  # fmt: skip
    return out


# ------------------------------------------------------------------------------- the page table
def measure(
    base: str, cookies: dict[str, str], query: str, pages: list[Page], loads: int, rerun_count: int,
    work: Path, label: str, browser_clicks: int = 0,
) -> list[Row]:  # fmt: skip
    """Record each page on the running app at `base`, generate and start its floor app, check the
    floor has the page's shape, time both alternately (new sessions, then reruns) and print; with
    `browser_clicks`, also click-to-figures in chromium for the overview and the heaviest page."""
    recorded = {p.path: asyncio.run(wsclient.load(base, p.path, query, cookies)) for p in pages}
    for p in pages:
        _check_drawn(recorded[p.path], p)
    folder = Path(tempfile.mkdtemp(prefix="floor-app-", dir=work))
    floor_gen.write_app(folder, recorded, ROOT / ".streamlit" / "config.toml")
    floor = App(_floor_env(), work, "floor", cwd=folder, script="floor_app.py")
    rows = []
    with running(floor):
        for p in pages:  # every page once on both (warm-up, and the floor's shape check)
            asyncio.run(wsclient.load(base, p.path, query, cookies))
            mine = asyncio.run(wsclient.load(floor.url, p.path, query, {}))
            ok = floor_gen.shape(floor_gen.tree(mine)) == floor_gen.shape(floor_gen.tree(recorded[p.path]))
            real, flo = asyncio.run(alternate(base, floor.url, p, query, cookies, loads))
            row = Row(p, real, flo, shape_ok=ok, chart_points=chart_points(recorded[p.path]))
            if rerun_count:
                row.rerun = asyncio.run(reruns(base, p, query, cookies, rerun_count))
                row.floor_rerun = asyncio.run(reruns(floor.url, p, query, {}, rerun_count))
            rows.append(row)
        print_rows(rows, label)
        if browser_clicks:
            by_path = {r.page.path: r for r in rows}
            for target, real, flo in in_browser(
                base, floor.url, cookies, query, pages, recorded, browser_clicks
            ):
                by_path[target.path].clicks, by_path[target.path].floor_clicks = real, flo
    return rows


def scale(url: str, city: str, year: int, args: argparse.Namespace, label: str) -> list[Row]:
    """A city-scale database: the city leader's pages and the city's lobby screen, each beside
    its floor (the screen has no year picker: no rerun)."""
    os.environ["DATABASE_URL"] = url
    cookies = {COOKIE: leader_token(url, "bench_city", unit=city)}
    env = {k: v for k, v in os.environ.items() if k != "DEFAULT_UNIT"}
    with tempfile.TemporaryDirectory(prefix="gkb-floor-") as tmp:
        work = Path(tmp)
        app = App(env, work, "app")
        with running(app):
            query = f"unit={city}&year={year}"
            rows = measure(
                app.url, cookies, query, leader_pages(), args.loads, args.reruns, work, f"{label}, city"
            )
            screen = [Page("大屏 ?mode=screen", "/")]
            rows += measure(
                app.url, {}, f"mode=screen&unit={city}", screen, args.loads, 0, work, f"{label}, city"
            )
    return rows


def _ms(values: list[float]) -> str:
    if not values:
        return f"{'—':>7} {'—':>7}"
    return f"{statistics.median(values):7.1f} {percentile(values, 0.95):7.1f}"


def print_rows(rows: list[Row], label: str) -> None:
    log(f"\n{'page (' + label + ', ws)':26} {'new session: page':>15} {'floor':>15} {'ratio':>6} | "
        f"{'rerun: page':>15} {'floor':>15} {'ratio':>6} | same shape")  # fmt: skip
    log(f"{'':26} {'median':>7} {'p95':>7} {'median':>7} {'p95':>7} {'':>6} | {'median':>7} {'p95':>7} "
        f"{'median':>7} {'p95':>7}")  # fmt: skip
    for r in rows:
        rerun = f"{Row.ratio(r.rerun, r.floor_rerun):5.2f}×" if r.rerun else "     —"
        log(f"{r.page.title + ' ' + r.page.path:26} {_ms(r.real)} {_ms(r.floor)} {Row.ratio(r.real, r.floor):5.2f}× | "
            f"{_ms(r.rerun)} {_ms(r.floor_rerun)} {rerun} | {'yes' if r.shape_ok else 'NO'}")  # fmt: skip
    log(f"(ms; {len(rows[0].real) if rows else 0} new sessions of each, alternating with the floor; rerun = the "
        "year picker changed on an open page; floor = the same elements from constants in a bare app)")  # fmt: skip


def verdict(ok: bool | None, text: str) -> str:
    line = f"  [{'met' if ok else ('not measured' if ok is None else 'NOT met')}] {text}"
    log(line)
    return line


def page_verdicts(rows: list[Row], label: str, limit: float, ceiling_ms: float | None = None) -> None:
    for r in rows:
        ratio = Row.ratio(r.real, r.floor)
        median = statistics.median(r.real)
        ok = ratio <= limit and (ceiling_ms is None or median <= ceiling_ms) and r.shape_ok
        ceiling = f" and ≤ {ceiling_ms:.0f} ms" if ceiling_ms is not None else ""
        verdict(ok, f"new session ≤ {limit:g}× its floor{ceiling} ({label}, {r.page.title}): {ratio:.2f}×, "
                f"median {median:.0f} ms" + ("" if r.shape_ok else " — the floor's shape differs"))  # fmt: skip
        if r.rerun:
            ratio = Row.ratio(r.rerun, r.floor_rerun)
            verdict(ratio <= RERUN_RATIO, f"rerun ≤ {RERUN_RATIO:g}× the floor's rerun ({label}, {r.page.title}): "
                    f"{ratio:.2f}×, median {statistics.median(r.rerun):.0f} ms")  # fmt: skip


# ------------------------------------------------------------------------------- the baseline
@contextlib.contextmanager
def checkout(ref: str, into: Path) -> Iterator[Path]:
    """The repository's tree at `ref`, exported (git archive) into a folder."""
    target = into / f"baseline-{ref.replace('/', '_')}"
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    yield target


def demo(args: argparse.Namespace) -> int:
    """The 2018 demo: every leader's page beside its floor, and the page loads a second."""
    from bench.load_leaders import UNIT, YEAR

    query = f"unit={UNIT}&year={YEAR}"
    with tempfile.TemporaryDirectory(prefix="gkb-floor-") as tmp, fresh_database("sqlite", Path(tmp)) as url:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "DEFAULT_UNIT"}
        env.update(DATABASE_URL=url, SEED_DEMO="yes")
        first_start(env)
        os.environ["DATABASE_URL"] = url
        cookies = {COOKIE: leader_token(url)}
        pages = leader_pages()
        app = App(env, work, "app")
        log(f"\n=== pages beside their floor: 2018 demo, leader of {UNIT}, SQLite")
        with running(app):
            clicks = 0 if args.skip_browser or not Path(CHROMIUM).exists() else args.clicks
            rows = measure(app.url, cookies, query, pages, args.loads, args.reruns, work, "demo", clicks)
            now = None
            if not args.skip_throughput:
                now = _throughput(app.url, pages, query, cookies, args, "this code")
        base = None
        if args.baseline_ref and not args.skip_throughput:
            with checkout(args.baseline_ref, work) as tree_dir, fresh_database("sqlite", tree_dir) as old_url:
                # its own demo database, made by its own code (its migrations, its seed)
                benv = {**env, "PYTHONPATH": str(tree_dir), "DATABASE_URL": old_url}
                first_start(benv, cwd=tree_dir)
                cookies_b = {COOKIE: leader_token(old_url)}
                old = App(benv, work, "baseline", cwd=tree_dir)
                with running(old):
                    for p in pages:  # warm-up, not counted
                        asyncio.run(wsclient.load(old.url, p.path, query, cookies_b))
                    base = _throughput(
                        old.url, pages, query, cookies_b, args, f"baseline {args.baseline_ref}"
                    )
        log("\n=== targets (demo)")
        page_verdicts(rows, "demo", NEW_SESSION_RATIO)
        for r in rows:
            if r.clicks:
                ratio = Row.ratio(r.clicks, r.floor_clicks)
                verdict(ratio <= BROWSER_RATIO, f"click-to-figures in chromium ≤ {BROWSER_RATIO:g}× the floor's "
                        f"(demo, {r.page.title}): {ratio:.2f}×, median {statistics.median(r.clicks):.0f} ms")  # fmt: skip
        if not any(r.clicks for r in rows):
            verdict(None, f"click-to-figures in chromium ≤ {BROWSER_RATIO:g}× the floor's (--skip-browser, or "
                    f"no {CHROMIUM})")  # fmt: skip
        if now is not None:
            if base is None:
                verdict(None, f"page loads a second ≥ {THROUGHPUT_RATIO:g}× the baseline's: {now[0]:.2f}/s now "
                        "(no --baseline-ref)")  # fmt: skip
            else:
                ratio = now[0] / base[0] if base[0] else float("inf")
                verdict(ratio >= THROUGHPUT_RATIO and not now[1],
                        f"page loads a second ≥ {THROUGHPUT_RATIO:g}× the baseline's ({args.baseline_ref}): "
                        f"{now[0]:.2f}/s vs {base[0]:.2f}/s = {ratio:.2f}×, errors {now[1]}")  # fmt: skip
    return 0 if all(r.shape_ok for r in rows) else 1


def _throughput(base: str, pages: list[Page], query: str, cookies: dict[str, str], args: argparse.Namespace,
                label: str) -> tuple[float, int]:  # fmt: skip
    rate, errors = asyncio.run(throughput(base, pages, query, cookies, args.clients, args.seconds))
    log(f"page loads per second, one app process, {args.clients} clients × {args.seconds:g} s of new sessions "
        f"over the leader's pages ({label}): {rate:.2f}/s, errors {errors}")  # fmt: skip
    return rate, errors


def machine(module: str, argv: list[str] | None) -> None:
    """The command line, the time and how busy the machine is (other work slows every figure)."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    log(f"python -m {module} {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    log(
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average {load} (other work slows every figure)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--loads", type=int, default=None, help="new sessions per page and floor (default 20; quick 3)"
    )
    parser.add_argument(
        "--reruns", type=int, default=None, help="reruns per page and floor (default 10; quick 1)"
    )
    parser.add_argument("--baseline-ref", help="a git ref whose app's page loads a second are measured too")
    parser.add_argument(
        "--clients", type=int, default=4, help="concurrent new sessions for the loads a second"
    )
    parser.add_argument(
        "--seconds", type=float, default=None, help="how long they load pages (default 20; quick 5)"
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument(
        "--clicks", type=int, default=None, help="clicks per page in chromium (default 10; quick 2)"
    )
    parser.add_argument("--skip-browser", action="store_true", help="no click-to-figures in chromium")


def defaults(args: argparse.Namespace) -> None:
    quick = getattr(args, "quick", False)
    args.loads = args.loads or (3 if quick else 20)
    args.reruns = args.reruns if args.reruns is not None else (1 if quick else 10)
    args.seconds = args.seconds or (5.0 if quick else 20.0)
    args.clicks = args.clicks or (2 if quick else 10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few loads: about a minute")
    add_arguments(parser)
    args = parser.parse_args(argv)
    defaults(args)
    machine("bench.floor", argv)
    return demo(args)


if __name__ == "__main__":
    sys.exit(main())
