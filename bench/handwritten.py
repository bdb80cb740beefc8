"""Hand-written SQL for the same figures as each hot call, to measure the app's code against.

Each function runs the fewest statements a person would write against the same schema
(one aggregate UNION over the running counts and the small tables, plus the rows that
must be listed — the newest items with the plain ORDER BY … LIMIT, which SQLite answers
by reading at most LIMIT index entries per unit), with no ORM and no per-figure round trips, and returns the figures
`figures()` extracts from the data_access result, so the two can be compared for equality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text

from bench.hot import Scope
from data_access.read.kpis import month_end
from data_access.rules.vocab import old_reply

# `u`: the unit and every unit under it; `c`: their running counts, as the unit's roll-up (the sums
# of the units under it, data_access.store.tally.rollup) beside its own rows: a city reads its own
# rows as a sub-district does (the benchmark's backends, SQLite and PostgreSQL, both keep it).
UNITS = (
    "WITH RECURSIVE u(id) AS (SELECT id FROM org_unit WHERE code = :code "
    "UNION ALL SELECT o.id FROM org_unit o JOIN u ON o.parent_id = u.id), "
    "c(dim, attribute, ym, item, n) AS ("
    "SELECT dim, attribute, ym, item, n FROM stat_rollup WHERE unit_id = (SELECT id FROM org_unit WHERE code = :code) "
    "UNION ALL SELECT dim, attribute, ym, item, n FROM stat_tally "
    "WHERE unit_id = (SELECT id FROM org_unit WHERE code = :code)) "
)
IN_U = "unit_id IN (SELECT id FROM u)"
COUNTS = "FROM c WHERE true"
ANY = "('proactive', 'on_request', 'withheld', '')"


def _last_month(conn: Connection, code: str, year: int) -> int:
    sql = (
        UNITS + f"SELECT max(ym) {COUNTS} AND dim IN ('pf', 'pp', 'rr') "
        f"AND attribute IN {ANY} AND ym BETWEEN :a AND :b AND n > 0 "
        f"UNION ALL SELECT max(period_ym) FROM delivery WHERE {IN_U} AND period_ym BETWEEN :a AND :b"
    )
    found = [
        v for (v,) in conn.execute(text(sql), {"code": code, "a": year * 100 + 1, "b": year * 100 + 12}) if v
    ]
    return max(found) % 100


def compute(conn: Connection, code: str, year: int, month: int | None) -> dict[str, Any]:
    """kpis.compute's figures."""
    month = month or _last_month(conn, code, year)
    y1, ye = year * 100 + 1, year * 100 + month
    d1, de = dt.date(year, 1, 1), month_end(year, month)
    tallies = (
        f"SELECT 'y' AS part, dim, item, sum(n) AS n {COUNTS} "
        "AND dim IN ('pc', 'pt', 'ph', 'pf') AND attribute = 'proactive' AND ym BETWEEN :y1 AND :ye GROUP BY dim, item "
        f"UNION ALL SELECT 'b', dim, item, sum(n) {COUNTS} AND dim IN ('yh', 'yr', 'ya') "
        "AND attribute IN ('proactive', '') AND ym <= :yb GROUP BY dim, item "
        f"UNION ALL SELECT 'y', dim, item, sum(n) {COUNTS} AND dim IN ('rr', 'ra') "
        "AND attribute = '' AND ym BETWEEN :y1 AND :ye GROUP BY dim, item "
        f"UNION ALL SELECT 'y', 'appeal', kind, count(*) FROM appeal WHERE {IN_U} "
        "AND filed_date BETWEEN :d1 AND :de GROUP BY kind "
        f"UNION ALL SELECT 'y', 'delivery', recipient, sum(item_count) FROM delivery WHERE {IN_U} "
        "AND period_ym BETWEEN :y1 AND :ye GROUP BY recipient "
        f"UNION ALL SELECT 'y', 'interp', '', count(*) FROM policy_interpretation WHERE {IN_U} "
        "AND published_date BETWEEN :d1 AND :de "
        f"UNION ALL SELECT 'y', 'hotline', '', count(*) FROM hotline_duty WHERE {IN_U} "
        "AND duty_date BETWEEN :d1 AND :de"
    )
    params = {"code": code, "y1": y1, "ye": ye, "yb": (year - 1) * 100, "d1": d1, "de": de}
    rows = conn.execute(text(UNITS + tallies), params).all()
    projects = conn.execute(
        text(
            UNITS + "SELECT p.name, pp.ytd_invested, pp.annual_plan FROM project_progress pp "
            "JOIN project p ON p.id = pp.project_id WHERE pp.unit_id IN (SELECT id FROM u) "
            "AND pp.year = :y AND pp.month = :m ORDER BY pp.unit_id, p.seq"
        ),
        {"code": code, "y": year, "m": month},
    ).all()
    got: dict[tuple[str, str], dict[str, int]] = {}
    for part, dim, item, n in rows:
        got.setdefault((part, dim), {})[item] = int(n or 0)

    def so_far(year_dim: str, month_dim: str) -> int:
        return sum(got.get(("b", year_dim), {}).values()) + sum(got.get(("y", month_dim), {}).values())

    replied = sum(n for o, n in got.get(("y", "ra"), {}).items() if old_reply(o))
    return {
        "month": month,
        "total": sum(got.get(("y", "pc"), {}).values()),
        "cumulative": so_far("yh", "ph"),
        "by_category": sorted(n for n in got.get(("y", "pc"), {}).values() if n),
        "received": sum(got.get(("y", "rr"), {}).values()),
        "replied": replied,
        "cumulative_received": so_far("yr", "rr"),
        "deliveries": got.get(("y", "delivery"), {}).get("archive", 0),
        "interpretations": got.get(("y", "interp"), {}).get("", 0),
        "projects": len(projects),
    }


def years(conn: Connection, code: str) -> list[int]:
    """kpis.years_with_data."""
    sql = (
        UNITS + f"SELECT DISTINCT ym {COUNTS} AND dim IN ('yf', 'yp', 'yr') AND attribute IN {ANY} AND n > 0"
    )
    return sorted({ym // 100 for (ym,) in conn.execute(text(sql), {"code": code})}, reverse=True)


def screen(conn: Connection, code: str, today: dt.date) -> dict[str, Any]:
    """public.screen_data's figures: counts, categories, replies, projects, boards, deliveries, newest items."""
    params = {"code": code, "top": today.year * 100}
    last = conn.execute(
        text(
            UNITS + f"SELECT max(ym) {COUNTS} AND dim = 'yf' "
            "AND attribute = 'proactive' AND ym <= :top AND n > 0"
        ),
        params,
    ).scalar()
    year = today.year if last is None or last // 100 == today.year else last // 100
    this_month = year * 100 + (today.month if year == today.year else 12)
    tally_in = f"{COUNTS} AND "
    sums = conn.execute(
        text(
            UNITS
            + f"SELECT 'year', '', sum(n) {tally_in} dim = 'yf' AND attribute = 'proactive' AND ym = :y0 "
            f"UNION ALL SELECT 'month', '', sum(n) {tally_in} dim = 'pf' AND attribute = 'proactive' AND ym = :m "
            f"UNION ALL SELECT 'cumulative', '', sum(n) {tally_in} dim = 'yf' AND attribute = 'proactive' AND ym <= :y0 "
            f"UNION ALL SELECT dim, item, sum(n) {tally_in} dim IN ('pc', 'rr', 'ra') AND attribute IN ('proactive', '') "
            "AND ym BETWEEN :y1 AND :y12 GROUP BY dim, item "
            f"UNION ALL SELECT 'pp', '', max(ym) {tally_in} dim = 'pp' AND attribute = '' AND ym BETWEEN :y1 AND :y12 "
            "AND n > 0 "
            f"UNION ALL SELECT 'delivery', recipient, sum(item_count) FROM delivery WHERE {IN_U} "
            "AND period_ym BETWEEN :y1 AND :y12 GROUP BY recipient"
        ),
        {"code": code, "y0": year * 100, "y1": year * 100 + 1, "y12": year * 100 + 12, "m": this_month},
    ).all()
    got: dict[str, dict[str, int]] = {}
    for part, item, n in sums:
        got.setdefault(part, {})[item] = int(n or 0)
    project_month = got.get("pp", {}).get("", 0) % 100
    # The month's projects with a plan counted, and the five furthest ahead and behind listed.
    month_rows = (
        "FROM project_progress pp JOIN project p ON p.id = pp.project_id WHERE pp.unit_id IN (SELECT id FROM u) "
        "AND pp.year = :y AND pp.month = :m AND pp.annual_plan <> 0"
    )
    rate = "CAST(pp.ytd_invested AS DOUBLE PRECISION) / CAST(pp.annual_plan AS DOUBLE PRECISION)"
    project_params = {"code": code, "y": year, "m": project_month}
    projects = conn.execute(text(UNITS + f"SELECT count(*) {month_rows}"), project_params).scalar_one()
    ends = conn.execute(
        text(
            UNITS + f"SELECT * FROM (SELECT p.name, {rate} AS r {month_rows} ORDER BY r DESC LIMIT 5) a "
            f"UNION ALL SELECT * FROM (SELECT p.name, {rate} AS r {month_rows} ORDER BY r LIMIT 5) b"
        ),
        project_params,
    ).all()
    boards = conn.execute(
        text(
            UNITS
            + "SELECT b.name, (SELECT max(bu.update_date) FROM board_update bu WHERE bu.board_id = b.id) "
            "FROM board b WHERE b.unit_id IN (SELECT id FROM u)"
        ),
        {"code": code},
    ).all()
    newest = conn.execute(
        text(
            UNITS + "SELECT p.title FROM publication p WHERE p.unit_id IN (SELECT id FROM u) "
            "AND p.attribute = 'proactive' AND p.published_date <= :today "
            "ORDER BY p.published_date DESC, p.id DESC LIMIT 12"
        ),
        {"code": code, "today": today},
    ).scalars()
    return {
        "year": got.get("year", {}).get("", 0),
        "month": got.get("month", {}).get("", 0),
        "cumulative": got.get("cumulative", {}).get("", 0),
        "received": sum(got.get("rr", {}).values()),
        "replied": sum(n for o, n in got.get("ra", {}).items() if old_reply(o)),
        "by_category": sorted(n for n in got.get("pc", {}).values() if n),
        "projects": projects,
        "project_rates": sorted({round(r, 6) for _name, r in ends}),
        "boards": len({name for name, _day in boards}),  # the screen lists a board name once
        "newest": list(newest),
    }


def figures(name: str, result: Any) -> Any:
    """The figures of a data_access result that the hand-written SQL also produces."""
    if name.startswith("kpis.compute"):
        pub, req = result["publications"], result["requests"]
        return {
            "month": result["month"],
            "total": pub["total"],
            "cumulative": pub["cumulative"],
            "by_category": sorted(n for n in pub["by_category"].values() if n),
            "received": req["received"],
            "replied": req["replied"],
            "cumulative_received": req["cumulative"]["received"],
            # None is 未录入 (data_access.rules.entered): no rows, which the hand-written SQL counts as 0.
            "deliveries": result["deliveries"]["archive"] or 0,
            "interpretations": result["interpretations"] or 0,
            "projects": (result["projects"] or {"count": 0})["count"],
        }
    if name.startswith("kpis.years_with_data"):
        return result
    if name.startswith("public.screen_data"):
        return {
            "year": result.published_year,
            "month": result.published_month,
            "cumulative": result.published_cumulative,
            "received": result.requests_received,
            "replied": result.requests_replied,
            "by_category": sorted(n for n in result.by_category.values() if n),
            "projects": result.projects_count,
            "project_rates": sorted({round(p.rate, 6) for p in result.projects}),
            "boards": len(result.boards),
            "newest": [item.title for item in result.newest],
        }
    return result


def for_call(name: str) -> Callable[[Connection, Scope], Any] | None:
    """The hand-written counterpart of a hot call, or None (reference.list_units has none)."""
    level = "city" if "[city" in name else "subdistrict"

    def code(sc: Scope) -> str:
        return sc.city if level == "city" else sc.subdistrict

    if name.startswith("kpis.compute"):
        month = 6 if "6月" in name else None
        return lambda conn, sc: compute(conn, code(sc), sc.year, month)
    if name.startswith("kpis.years_with_data"):
        return lambda conn, sc: years(conn, code(sc))
    if name.startswith("public.screen_data"):
        return lambda conn, sc: screen(conn, code(sc), sc.today)
    return None
