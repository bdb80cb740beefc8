"""Soak benchmark for the lobby screen: N slide rotations in a real browser at 1 s per slide.

    python -m bench.soak_screen [--rotations 1000] [--sample-every 100] [--port PORT]

Starts the app on a fresh seeded SQLite file, opens the screen in Debian's chromium, and
reports the server's resident memory and the page's JS heap at the start and at the end
(target: growth ≤ 10%). The baseline is the first sample of the same run, after warm-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.app import AppProcess, first_start, free_port, streamlit_command

CHROMIUM = "/usr/bin/chromium"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _start_app(db_file: Path, port: int) -> AppProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_file}",
        "SEED_DEMO": "yes",
        "SCREEN_SLIDE_SECONDS": "1",
    }
    first_start(env)
    app = AppProcess(streamlit_command(port), env, port, db_file.with_suffix(".log"))
    try:
        app.wait_ready()
    except (RuntimeError, TimeoutError):
        app.stop()
        raise
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak_screen")
    parser.add_argument("--rotations", type=int, default=1000)
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--port", type=int, default=0, help="port for the app (default: a free one)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as tmp:
        app = _start_app(Path(tmp) / "soak.sqlite3", port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--no-first-run",
                    ],
                )
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")

                def heap_mb() -> float:
                    cdp.send("HeapProfiler.collectGarbage")
                    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                    return metrics["JSHeapUsedSize"] / 2**20

                page.goto(f"http://127.0.0.1:{port}/?mode=screen")
                page.locator("[data-slide]").first.wait_for(timeout=60_000)
                rotations, last = 0, page.locator("[data-slide]").first.get_attribute("data-slide")
                samples: list[tuple[int, float, float]] = []
                started = time.monotonic()
                while rotations < args.rotations:
                    page.wait_for_function(
                        "s => document.querySelector('[data-slide]') && "
                        "document.querySelector('[data-slide]').dataset.slide !== s",
                        arg=last, timeout=30_000,
                    )  # fmt: skip
                    last = page.locator("[data-slide]").first.get_attribute("data-slide")
                    rotations += 1
                    if rotations == 10 or rotations % args.sample_every == 0:  # 10: after warm-up
                        samples.append((rotations, _rss_mb(app.proc.pid), heap_mb()))
                        print(f"  rotation {rotations:5d}: server RSS {samples[-1][1]:7.1f} MB, "
                              f"JS heap {samples[-1][2]:6.1f} MB", flush=True)  # fmt: skip
                elapsed = time.monotonic() - started
                browser.close()
        finally:
            app.stop()
    (_, rss0, heap0), (_, rss1, heap1) = samples[0], samples[-1]
    rss_growth, heap_growth = (rss1 / rss0 - 1) * 100, (heap1 / heap0 - 1) * 100
    print(f"rotations: {rotations} in {elapsed:.0f} s ({elapsed / rotations:.2f} s each)")
    print(f"server RSS: {rss0:.1f} MB -> {rss1:.1f} MB ({rss_growth:+.1f}%), ratio {rss1 / rss0:.3f}")
    print(f"JS heap:    {heap0:.1f} MB -> {heap1:.1f} MB ({heap_growth:+.1f}%), ratio {heap1 / heap0:.3f}")
    ok = rss_growth <= 10 and heap_growth <= 10
    print("target (growth ≤ 10%):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
