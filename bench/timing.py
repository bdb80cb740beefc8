"""The measurements: hot calls beside their hand-written SQL, the two pages, a 50,000-row upload."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine, event, insert, select, text

from bench import handwritten, hot
from data_access.store import db
from data_access.store.models import Category, OrgUnit, Publication, UploadBatch

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@dataclass
class Timing:
    """A cold first run and the warm runs after it, in milliseconds."""

    cold: float
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(fn: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Time fn once cold and `runs` times warm; return the timing and the last result."""
    started = time.perf_counter()
    result = fn()
    cold = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        warm.append((time.perf_counter() - started) * 1000)
    return Timing(cold, warm), result


@dataclass
class QueryRow:
    name: str
    app: Timing
    hand: Timing | None
    same: bool | None
    statements: int


def hot_queries(url: str, scope: hot.Scope, runs: int) -> list[QueryRow]:
    """Every hot call on a fresh engine (cold = first use), beside its hand-written SQL."""
    out = []
    for name, call in hot.hot_calls().items():
        engine = db.make_engine(url)
        _result, statements = hot.capture(engine, call, scope)
        engine.dispose()
        engine = db.make_engine(url)

        def app(call=call, engine=engine) -> Any:  # type: ignore[no-untyped-def]
            with db.read_session(engine) as session:
                return call(session, scope)

        app_timing, result = measure(app, runs)
        hand_fn = handwritten.for_call(name)
        hand_timing, same = None, None
        if hand_fn is not None:
            hand_engine = db.make_engine(url)

            def hand(hand_fn=hand_fn, hand_engine=hand_engine) -> Any:  # type: ignore[no-untyped-def]
                with hand_engine.connect() as conn:
                    return hand_fn(conn, scope)

            hand_timing, hand_result = measure(hand, runs)
            same = handwritten.figures(name, result) == hand_result
            hand_engine.dispose()
        engine.dispose()
        out.append(QueryRow(name, app_timing, hand_timing, same, len(statements)))
    return out


@dataclass
class PageRow:
    name: str
    first: float  # the first view in this process: imports the page's modules too
    cold: float  # empty caches, modules imported: every query of the page runs
    rerun: float
    new_session: float
    chart_points: list[int] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)


def _chart_points(at: Any) -> list[int]:
    """Rows of the data handed to each chart on the page (Arrow datasets and inline values)."""
    points = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        rows = 0
        for raw in [d.data.data for d in proto.datasets] + [proto.data.data]:
            if raw:
                rows += pa.ipc.open_stream(raw).read_all().num_rows
        spec = json.loads(proto.spec or "{}")
        rows += sum(len(v) for v in (spec.get("datasets") or {}).values() if isinstance(v, list))
        points.append(rows)
    return points


_WARM: list[bool] = []


@contextlib.contextmanager
def _one_script_cache() -> Iterator[None]:
    """Compile the app's scripts once, as the server does: AppTest makes a new ScriptCache on every
    run, so each run would otherwise parse, rewrite ("magic") and compile streamlit_app.py and the
    page again (≈ 10–20 ms that no server request pays); one cache is shared for the measurement."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved  # type: ignore[misc]


def page(url: str, unit_code: str, page_path: str | None, query: dict[str, str]) -> PageRow:
    with _one_script_cache():
        return _page(url, unit_code, page_path, query)


def _page(url: str, unit_code: str, page_path: str | None, query: dict[str, str]) -> PageRow:
    """An AppTest run as a city leader: cold (empty caches; the app's modules already imported by a
    login-page run), rerun (cached), and a new session (cached)."""
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)

    from dashboard.navigation import PAGES
    from data_access.rules.permissions import Principal

    engine = db.make_engine(url)
    with engine.connect() as conn:
        unit_id = conn.execute(select(OrgUnit.id).where(OrgUnit.code == unit_code)).scalar_one()
    engine.dispose()
    os.environ["DATABASE_URL"] = url
    os.environ["DEFAULT_UNIT"] = unit_code
    who = Principal(1, "bench", "基准测试", "leader", unit_id, unit_code, False)
    slow: list[tuple[float, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        slow.append(((time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())) * 1000,
                     " ".join(statement.split())[:140]))  # fmt: skip

    def session_run() -> tuple[Any, float]:
        at = AppTest.from_file(APP, default_timeout=300)
        at.session_state["principal"] = who
        for key, value in query.items():
            at.query_params[key] = value
        started = time.perf_counter()
        at.run()  # the role's default page (the overview for a leader) or the screen
        if page_path and page_path != PAGES[0].path:
            at.switch_page(page_path)
            started = time.perf_counter()
            at.run()
        elapsed = (time.perf_counter() - started) * 1000
        assert not at.exception, [e.value for e in at.exception]
        return at, elapsed

    if not _WARM:  # import the app's own modules once, outside any measurement
        warm = AppTest.from_file(APP, default_timeout=300)
        _quiet_streamlit()
        warm.run()
        _quiet_streamlit()  # loggers made during the run
        _WARM.append(True)
    # The first view imports what the page needs (Altair, pyarrow, …) once per process; then every
    # cache is emptied, so the cold run pays each of the page's queries but no import.
    _at, first = session_run()
    _empty_caches()
    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "after_cursor_execute", after)
    try:
        at, cold = session_run()
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "after_cursor_execute", after)
    started = time.perf_counter()
    at.run()
    rerun = (time.perf_counter() - started) * 1000
    _again, fresh = session_run()
    name = page_path or "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return PageRow(name, first, cold, rerun, fresh, _chart_points(at), sorted(slow, reverse=True)[:5])


def _quiet_streamlit() -> None:
    """AppTest and cache clearing outside a script run warn on every call: keep the output to figures."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _empty_caches() -> None:
    """Forget every cached figure, engine and data version, as after a restart."""
    import streamlit as st

    from dashboard.reads import cache

    _quiet_streamlit()
    st.cache_data.clear()
    st.cache_resource.clear()
    cache.refresh()
    cache._READY.clear()


def _upload_rows(n: int) -> list[list[Any]]:
    cats = (
        "机构职能类",
        "民政扶贫救灾社会保障就业类",
        "安全生产、应急管理类",
        "科教文体卫生类",
        "重大建设项目",
    )
    return [
        [f"BENCH-{i:06d}", f"基准测试信息{i}", cats[i % len(cats)], None,
         f"2026-01-{1 + i % 9:02d}", f"2026-01-{12 + i % 9:02d}", "政府门户网站", "是"]
        for i in range(n)
    ]  # fmt: skip


HEADER = ["索引号", "信息名称", "所属类别", "文号", "形成日期", "公开日期", "公开方式", "全文电子化"]


def upload_file(n: int) -> bytes:
    """An .xlsx of n valid publication rows for 2026-01."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("主动公开信息目录")
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(_upload_rows(n), start=1):
        sheet.write_row(r, 0, ["" if v is None else v for v in row])
    book.close()
    return out.getvalue()


@dataclass
class UploadRow:
    rows: int
    commit_ms: float
    baseline_ms: float
    undo_ms: float
    status: str


def upload(url: str, unit_code: str, n: int) -> UploadRow:
    """importing.commit of n rows into the scale database (then undone) beside read_excel + executemany."""
    from data_access.rules.permissions import Principal
    from data_access.write.importing import commit
    from data_access.write.undo import undo

    data = upload_file(n)
    engine = db.make_engine(url)
    started = time.perf_counter()
    result = commit(
        engine, Principal.operator("bench"), data, "publications", unit_code, "2026-01", "bench.xlsx"
    )
    commit_ms = (time.perf_counter() - started) * 1000
    undo_ms = 0.0
    if result.status == "committed" and result.batch_id is not None:
        started = time.perf_counter()
        undo(engine, Principal.operator("bench"), result.batch_id)
        undo_ms = (time.perf_counter() - started) * 1000
    baseline_ms = _baseline(engine, data, unit_code)
    engine.dispose()
    errors = [i.message for i in result.issues if i.level == "error"][:3]
    return UploadRow(n, commit_ms, baseline_ms, undo_ms, result.status + (f" {errors}" if errors else ""))


def _baseline(engine: Engine, data: bytes, unit_code: str) -> float:
    """pandas read_excel (calamine) + one Core executemany of the same rows, rolled back."""
    with engine.connect() as conn:
        unit_id = conn.execute(select(OrgUnit.id).where(OrgUnit.code == unit_code)).scalar_one()
        roots = dict(conn.execute(select(Category.name, Category.id).where(Category.level == 1)).all())
        batch = conn.execute(select(UploadBatch.id).limit(1)).scalar_one()
    started = time.perf_counter()
    frame = pd.read_excel(io.BytesIO(data), engine="calamine")
    formed = pd.to_datetime(frame["形成日期"]).dt.date
    published = pd.to_datetime(frame["公开日期"]).dt.date
    rows = [
        dict(unit_id=unit_id, index_no=i, title=title, category_id=roots[cat], category_root_id=roots[cat],
             formed_date=f, published_date=p, published_year=p.year, published_ym=p.year * 100 + p.month,
             channel=channel, full_text=full == "是", attribute="proactive", batch_id=batch)
        for i, title, cat, channel, full, f, p in zip(
            frame["索引号"], frame["信息名称"], frame["所属类别"], frame["公开方式"], frame["全文电子化"],
            formed, published, strict=True)
    ]  # fmt: skip
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(insert(Publication), rows)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.rollback()
    return elapsed


def analyse(url: str) -> None:
    """Refresh the planner statistics (the loader ran ANALYZE; a reused file keeps them)."""
    engine = db.make_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


def today_for(last_year: int) -> dt.date:
    """The screen's 'today': late in the last year with data, so the current-year path runs."""
    return dt.date(last_year, 11, 15)
