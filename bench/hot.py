"""The app's hot reads, the SQL they send, and that SQL's plans.

`hot_calls()` are the data_access calls the overview page, the 主动公开 page, the unit
comparison and the lobby screen make on every (uncached) view, for a city (every
sub-district under it) and for one sub-district.
`capture(engine, call)` runs one and records every statement it sends; `explain` asks
the database for each statement's plan and `full_scans` picks out the plan lines that
read a large table (or the whole of one of its indexes) instead of seeking into it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from data_access.read import kpis, public
from data_access.read.queries import overview, publications, units
from data_access.read.queries import scope as unit_scope
from data_access.store import db, reference

# Tables that grow with the years and the number of units.
LARGE_TABLES = (
    "publication", "disclosure_request", "project_progress", "request_pause", "appeal",
    "board_update", "delivery", "policy_interpretation", "hotline_duty", "upload_batch",
    "project", "import_change", "audit_log",
)  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """Which unit and year the calls ask about."""

    city: str
    subdistrict: str
    year: int
    today: dt.date


Call = Callable[[Session, Scope], Any]


def _unit(scope: Scope, level: str) -> str:
    return scope.city if level == "city" else scope.subdistrict


def hot_calls() -> dict[str, Call]:
    """Name → call, for both levels: what one uncached overview view and screen refresh run."""
    calls: dict[str, Call] = {"reference.list_units": lambda s, sc: reference.list_units(s)}
    for level in ("city", "subdistrict"):
        calls[f"kpis.compute[{level}]"] = lambda s, sc, lv=level: kpis.compute(
            s, sc.year, None, _unit(sc, lv)
        )
        calls[f"kpis.compute[{level}, 6月]"] = lambda s, sc, lv=level: kpis.compute(
            s, sc.year, 6, _unit(sc, lv)
        )
        calls[f"kpis.years_with_data[{level}]"] = lambda s, sc, lv=level: kpis.years_with_data(
            s, _unit(sc, lv)
        )
        calls[f"public.screen_data[{level}]"] = lambda s, sc, lv=level: public.screen_data(
            s, _unit(sc, lv), sc.today
        )
        calls[f"overview.summary[{level}]"] = lambda s, sc, lv=level: overview.summary(
            s, unit_scope.scope(s, _unit(sc, lv)), sc.year, sc.today, True
        )
        calls[f"publications.summary[{level}]"] = lambda s, sc, lv=level: publications.summary(
            s, unit_scope.scope(s, _unit(sc, lv)), sc.year, sc.today
        )
    calls["units.ranking[city]"] = lambda s, sc: units.ranking(
        s, unit_scope.scope(s, sc.city), sc.year, sc.today
    )
    return calls


@dataclass(frozen=True)
class Statement:
    """One statement as the driver received it."""

    sql: str
    params: Any


def capture(engine: Engine, call: Call, scope: Scope) -> tuple[Any, list[Statement]]:
    """Run the call in a read session; return its result and every SELECT it sent."""
    seen: list[Statement] = []

    def listener(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(Statement(statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        with db.read_session(engine) as session:
            result = call(session, scope)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return result, seen


def explain(engine: Engine, statement: Statement, *, no_seqscan: bool = False) -> list[str]:
    """The plan of a statement, one line per step (SQLite: EXPLAIN QUERY PLAN; others: EXPLAIN).

    `no_seqscan` (PostgreSQL): plan with enable_seqscan off, so a small test database shows
    the index a large one would use; a Seq Scan left then means no index fits at all.
    """
    backend = engine.dialect.name
    prefix = "EXPLAIN QUERY PLAN " if backend == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        if no_seqscan and backend == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql(prefix + statement.sql, statement.params).all()
        conn.rollback()
    if backend == "sqlite":
        return [row[-1] for row in rows]
    if backend == "postgresql":
        return [row[0] for row in rows]
    return [" ".join(str(v) for v in row) for row in rows]


_SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: AS \w+)?(.*)$")
_PG_SEQ = re.compile(r"(?:Parallel )?Seq Scan on (\w+)")
_PG_FULL_INDEX = re.compile(r"Index Only Scan .* on (\w+)")


def full_scans(backend: str, plan: list[str], large: tuple[str, ...] = LARGE_TABLES) -> list[str]:
    """Plan lines that read a whole large table, or the whole of one of its indexes.

    SQLite: `SCAN t` without `USING (COVERING) INDEX` is a table scan; `SCAN t USING
    COVERING INDEX` without a search term reads the whole index, as slow at scale.
    PostgreSQL: `Seq Scan on t`. MariaDB: access type ALL on t.
    """
    bad = []
    for line in plan:
        text = line.strip()
        if backend == "sqlite":
            match = _SQLITE_SCAN.match(text)
            if match and match.group(1) in large:
                bad.append(text)
        elif backend == "postgresql":
            match = _PG_SEQ.search(text)
            if match and match.group(1) in large:
                bad.append(text)
        else:
            parts = text.split()
            if len(parts) > 4 and parts[2] in large and "ALL" in parts[3:5]:
                bad.append(text)
    return bad
