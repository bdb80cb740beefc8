"""The measurements: hot calls beside their hand-written SQL, a 50,000-row upload (the pages: bench.floor)."""

from __future__ import annotations

import datetime as dt
import gc
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, insert, select, text

from bench import handwritten, hot
from data_access.store import db
from data_access.store.models import Category, OrgUnit, Publication, UploadBatch


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


def measure_pair(
    first: Callable[[], Any], second: Callable[[], Any], runs: int
) -> tuple[Timing, Any, Timing, Any]:
    """Time two calls each once cold, then `runs` times warm in turn (first, second, first, …), so
    that other work on the host slows both alike instead of whichever ran while it lasted; return
    each one's timing and last result."""

    def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
        started = time.perf_counter()
        result = fn()
        return (time.perf_counter() - started) * 1000, result

    cold_a, result_a = timed(first)
    cold_b, result_b = timed(second)
    warm_a, warm_b = [], []
    for _ in range(runs):
        ms, result_a = timed(first)
        warm_a.append(ms)
        ms, result_b = timed(second)
        warm_b.append(ms)
    return Timing(cold_a, warm_a), result_a, Timing(cold_b, warm_b), result_b


@dataclass
class QueryRow:
    name: str
    app: Timing
    hand: Timing | None
    same: bool | None
    statements: int


def hot_queries(url: str, scope: hot.Scope, runs: int) -> list[QueryRow]:
    """Every hot call on a fresh engine (cold = first use), beside its hand-written SQL, the two
    timed in turn run by run (`measure_pair`).

    The objects alive before the first call (the modules, classes and schemas imported) are first
    frozen out of the collector's full passes, as the served app freezes its own before its first page
    (dashboard/heap.py): without it a full pass here walks some 140,000 of them (80–90 ms, in about one
    call in twenty at 5M), which the app's pages never pay, and the p95 reported the collector instead
    of the call. What the calls create (statement caches, results) is collected as in the app."""
    if not gc.get_freeze_count():  # once a process, as the app does
        gc.collect()
        gc.freeze()
    out = []
    for name, call in hot.hot_calls().items():
        engine = db.make_engine(url)
        _result, statements = hot.capture(engine, call, scope)
        engine.dispose()
        engine = db.make_engine(url)

        def app(call=call, engine=engine) -> Any:  # type: ignore[no-untyped-def]
            with db.read_session(engine) as session:
                return call(session, scope)

        hand_fn = handwritten.for_call(name)
        hand_timing, same = None, None
        if hand_fn is None:
            app_timing, result = measure(app, runs)
        else:  # the app and its hand-written SQL in turn, run by run
            hand_engine = db.make_engine(url)

            def hand(hand_fn=hand_fn, hand_engine=hand_engine) -> Any:  # type: ignore[no-untyped-def]
                with hand_engine.connect() as conn:
                    return hand_fn(conn, scope)

            app_timing, result, hand_timing, hand_result = measure_pair(app, hand, runs)
            same = handwritten.figures(name, result) == hand_result
            hand_engine.dispose()
        engine.dispose()
        out.append(QueryRow(name, app_timing, hand_timing, same, len(statements)))
    return out


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
