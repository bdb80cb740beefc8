"""The lobby screen heals itself: after a server restart it resumes the loop by itself, and while
the database is unreachable it keeps the last data with a time stamp instead of an error."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.browser import (
    ENGLISH_ERRORS,
    LAYOUT_PROBLEMS,
    SCREENSHOTS,
    RunningApp,
    free_port,
    require_browser,
)
from tests.helpers.databases import create_database

pytestmark = pytest.mark.e2e

BEAT = "() => Number(document.querySelector('.beat')?.dataset.beat || 0)"


def _open_screen(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{url}/?mode=screen")
    page.locator("[data-slide]").first.wait_for(timeout=60_000)
    return context, page, dialogs


def test_screen_resumes_after_a_server_restart(tmp_path, browser):
    require_browser()
    url = f"sqlite:///{tmp_path / 'restart.sqlite3'}"
    app = RunningApp(url)
    app.wait_ready()
    context, page, dialogs = _open_screen(browser, app.url)
    loads: list[float] = []
    page.on("load", lambda: loads.append(time.monotonic()))
    try:
        killed = time.monotonic()
        app.kill()
        time.sleep(3)
        stalled = page.evaluate(BEAT)  # the heartbeat stops with the server
        assert stalled
        restarting = time.monotonic()
        restarted = RunningApp(url, port=app.port)
        try:
            restarted.wait_ready()
            back = time.monotonic()
            # Resumed: a slide shows and the loop's heartbeat moves again (the fragment runs).
            # Polled from here: the page's watchdog reloads it meanwhile, which ends any wait inside it.
            resumed = f"() => ({BEAT})() > {stalled} + 1 && !!document.querySelector('[data-slide]')"
            while True:
                try:
                    if page.evaluate(resumed):
                        break
                except PlaywrightError:
                    pass  # the page is reloading
                assert time.monotonic() - back < 30, "the screen did not resume within 30 s"
                time.sleep(0.2)
            seconds = time.monotonic() - back
            # The watchdog reloads the page once the server answers (a clean page, whatever
            # Streamlit's own reconnection left): wait for that reload and its first slide.
            while not loads and time.monotonic() - back < 30:
                page.wait_for_timeout(200)
            assert loads, "the watchdog did not reload the page"
            page.locator("[data-slide]").first.wait_for(timeout=30_000)
            print(
                f"screen resumed {seconds:.1f} s after the server answered again, reloaded by the watchdog "
                f"{loads[0] - back:.1f} s after (server start {back - restarting:.1f} s; "
                f"{time.monotonic() - killed:.1f} s after the kill, 3 s of it with no server)"
            )
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
    require_browser()
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
            cut = time.monotonic()
            page.get_by_text("数据更新于").wait_for(timeout=20_000)
            to_stamp = time.monotonic() - cut
            first_beat, slides = page.evaluate(BEAT), set()
            end = cut + 30
            while time.monotonic() < end:
                assert page.locator("[data-slide]").count() == 1, "the slide stays on screen"
                slides.add(page.locator("[data-slide]").get_attribute("data-slide"))
                body = page.inner_text("body")
                assert "政务热线 0595-85601021" in body and "数据更新于" in body
                assert len(page.locator("[data-slide]").inner_text()) > 20, "the slide keeps its data"
                assert not any(e in body for e in ENGLISH_ERRORS)
                page.wait_for_timeout(2_000)
            assert page.evaluate(LAYOUT_PROBLEMS) == [], "the stamp fits the screen"
            ticks = page.evaluate(BEAT) - first_beat
            page.screenshot(path=str(SCREENSHOTS / "screen-database-unreachable.png"))
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            restored = time.monotonic()
            page.get_by_text("数据更新于").wait_for(state="detached", timeout=30_000)
            print(
                f"database refused for {restored - cut:.0f} s: "
                f"stamp shown {to_stamp:.1f} s after the cut, the loop ticked on ({ticks} s of heartbeats, "
                f"slides {sorted(slides)}), no error text; stamp gone {time.monotonic() - restored:.1f} s "
                "after the database came back"
            )
            assert ticks >= 20, "the loop kept turning while the database was unreachable"
            assert not dialogs
        finally:
            context.close()
    finally:
        app.stop()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
        drop()


class SilentProxy:
    """A TCP relay to the database that can stop answering: a frozen database server, or a network
    that drops everything. Nothing errors; reads just never return until it speaks again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.silent = threading.Event()
        self.sockets: list[socket.socket] = []
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", free_port()))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.silent.is_set():
                    time.sleep(0.1)
                sink.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.silent.clear()
        for s in [self.listener, *self.sockets]:
            s.close()


def test_screen_stamps_its_last_frame_when_the_database_stops_answering(tmp_path, browser):
    """The database neither answers nor refuses (frozen, or the network drops packets): the server's
    read waits, the loop's heartbeat stops, and the page stamps the frame it shows by itself."""
    require_browser()
    url, drop = create_database("postgresql", tmp_path)
    real = make_url(url)
    proxy = SilentProxy(real.host or "127.0.0.1", real.port or 5432)
    app = RunningApp(
        real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
        {"CACHE_TTL_SECONDS": "1"},
    )
    try:
        app.wait_ready()
        context, page, dialogs = _open_screen(browser, app.url)
        try:
            page.wait_for_timeout(2_000)
            proxy.silent.set()
            cut = time.monotonic()
            page.get_by_text("数据更新于").wait_for(timeout=40_000)
            to_stamp = time.monotonic() - cut
            while time.monotonic() < cut + 30:
                assert page.locator("[data-slide]").count() == 1, "the last frame stays on screen"
                body = page.inner_text("body")
                assert "政务热线 0595-85601021" in body and "数据更新于" in body
                assert not any(e in body for e in ENGLISH_ERRORS)
                page.wait_for_timeout(2_000)
            assert page.evaluate(LAYOUT_PROBLEMS) == [], "the stamp fits the screen"
            faded = (
                "() => { for (let e = document.querySelector('[data-slide]'); e; e = e.parentElement)"
                " if (getComputedStyle(e).opacity !== '1') return true; return false; }"
            )
            assert not page.evaluate(faded), "the waiting frame is shown at full brightness"
            page.screenshot(path=str(SCREENSHOTS / "screen-database-silent.png"))
            proxy.silent.clear()
            back = time.monotonic()
            page.get_by_text("数据更新于").wait_for(state="detached", timeout=60_000)
            print(
                f"database silent for {back - cut:.0f} s: the page stamped its last frame {to_stamp:.1f} s "
                f"after the cut, no error text; the loop resumed and the stamp went "
                f"{time.monotonic() - back:.1f} s after the database answered again"
            )
            assert to_stamp <= 25
            assert not dialogs
        finally:
            context.close()
    finally:
        proxy.silent.clear()
        app.stop()
        proxy.close()
        drop()
