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
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from bench.hot import Scope
from data_access.read.kpis import month_end
from data_access.rules.projects import lag_bound, lag_threshold, lags_below
from data_access.rules.vocab import (
    COMPLAINT_SOURCES,
    OLD_REPLIES,
    OLD_REQUEST_CHANNELS,
    old_reply,
    old_request_channel,
)

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
    """kpis.compute's figures: the publications by category, topic and channel, the requests by
    channel and reply, the appeals and complaints (the year's, and all years' for 历年累计), the
    small tables, the documents, and the month's key projects with the lagging ones by name. It
    assumes what the benchmark's data holds and says so in its figures: no opening balance (each
    unit's records count from their first year) and no periodic catalogue item (coverage None)."""
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
        f"UNION ALL SELECT 'y', 'appeal', kind || '|' || coalesce(source, ''), count(*) FROM appeal WHERE {IN_U} "
        "AND filed_date BETWEEN :d1 AND :de GROUP BY kind, source "
        f"UNION ALL SELECT 'b', 'appeal', kind, count(*) FROM appeal WHERE {IN_U} "
        "AND filed_date < :d1 GROUP BY kind "
        f"UNION ALL SELECT 'y', 'delivery', recipient, sum(item_count) FROM delivery WHERE {IN_U} "
        "AND period_ym BETWEEN :y1 AND :ye GROUP BY recipient "
        f"UNION ALL SELECT 'y', 'interp', '', count(*) FROM policy_interpretation WHERE {IN_U} "
        "AND published_date BETWEEN :d1 AND :de "
        f"UNION ALL SELECT 'y', 'hotline', '', count(*) FROM hotline_duty WHERE {IN_U} "
        "AND duty_date BETWEEN :d1 AND :de "
        f"UNION ALL SELECT 'y', 'document', attribute, count(*) FROM document WHERE {IN_U} AND year = :y GROUP BY attribute "
        f"UNION ALL SELECT 'y', 'balances', '', count(*) FROM opening_balance WHERE {IN_U} "
        "UNION ALL SELECT 'y', 'periodic', '', count(*) FROM category WHERE limit_kind = 'periodic' "
        "UNION ALL SELECT 'topic', code, name, id FROM topic"
    )
    params = {"code": code, "y1": y1, "ye": ye, "yb": (year - 1) * 100, "d1": d1, "de": de, "y": year}
    rows = conn.execute(text(UNITS + tallies), params).all()
    bound = lag_bound(month, lag_threshold())
    # The month's projects summed (the first row), then the ones that may lag (a millionth of the
    # plan wider than the bound, judged exactly below), in 序号 order.
    project_rows = conn.execute(
        text(
            UNITS + "SELECT 0 AS k, 0 AS u, 0 AS seq, NULL AS name, count(*) AS c, sum(ytd_invested) AS ytd, "
            "sum(annual_plan) AS plan FROM project_progress WHERE unit_id IN (SELECT id FROM u) "
            "AND year = :y AND month = :m "
            "UNION ALL SELECT 1, pp.unit_id, p.seq, p.name, 1, pp.ytd_invested, pp.annual_plan FROM project_progress pp "
            "JOIN project p ON p.id = pp.project_id WHERE pp.unit_id IN (SELECT id FROM u) "
            "AND pp.year = :y AND pp.month = :m AND pp.annual_plan > 0 "
            "AND CAST(pp.ytd_invested AS DOUBLE PRECISION) < CAST(pp.annual_plan AS DOUBLE PRECISION) * :near ORDER BY 1, 2, 3"
        ),
        {"code": code, "y": year, "m": month, "near": float(bound) + 1e-6},
    ).all()
    got: dict[tuple[str, str], dict[str, int]] = {}
    topics: list[tuple[str, str, int]] = []
    for part, dim, item, n in rows:
        if part == "topic":
            topics.append((dim, item, n))
        else:
            got.setdefault((part, dim), {})[item] = int(n or 0)

    def of(part: str, dim: str) -> dict[str, int]:
        return got.get((part, dim), {})

    def channels(counts: dict[str, int]) -> dict[str, int]:
        out = dict.fromkeys(OLD_REQUEST_CHANNELS, 0)
        for channel, n in counts.items():
            out[old_request_channel(channel)] += n
        return out

    def replies(counts: dict[str, int]) -> dict[str, int]:
        out = dict.fromkeys(OLD_REPLIES, 0)
        for outcome, n in counts.items():
            if old_reply(outcome):
                out[old_reply(outcome)] += n
        return out

    def summed(*parts: dict[str, int]) -> dict[str, int]:
        out: dict[str, int] = {}
        for counts in parts:
            for key, n in counts.items():
                out[key] = out.get(key, 0) + n
        return out

    year_appeals: dict[str, int] = {}
    sources: dict[str, int] = {}
    for key, n in of("y", "appeal").items():
        kind, _, source = key.partition("|")
        year_appeals[kind] = year_appeals.get(kind, 0) + n
        if kind == "complaint":
            sources[source or "未注明"] = sources.get(source or "未注明", 0) + n
    all_appeals = summed(year_appeals, of("b", "appeal"))
    by_source = {s: sources.get(s, 0) for s in COMPLAINT_SOURCES}
    if sources.get("未注明"):
        by_source["未注明"] = sources["未注明"]
    in_year_channels = channels(of("y", "rr"))
    so_far_channels = channels(summed(of("b", "yr"), of("y", "rr")))
    in_year_replies = replies(of("y", "ra"))
    so_far_replies = replies(summed(of("b", "ya"), of("y", "ra")))
    by_topic_id = {int(item) if item else None: n for item, n in of("y", "pt").items()}
    count, ytd, plan = project_rows[0].c, _money(project_rows[0].ytd), _money(project_rows[0].plan)
    candidates = [(r.name, _money(r.ytd), _money(r.plan)) for r in project_rows[1:]]
    total = sum(of("y", "pc").values())
    documents = of("y", "document")
    made = sum(documents.values())
    return {
        "month": month,
        "total": total,
        "cumulative": sum(summed(of("b", "yh"), of("y", "ph")).values()),
        "full_text_rate": round(of("y", "pf").get("1", 0) / total, 4) if total else None,
        "by_category": sorted(n for n in of("y", "pc").values() if n),
        "by_topic": {name: by_topic_id.get(tid, 0) for c, name, tid in topics if c != "other" or by_topic_id.get(tid)},
        "by_channel": summed({"政府门户网站": 0, "政府公报": 0}, of("y", "ph")),
        "cumulative_by_channel": summed({"政府门户网站": 0, "政府公报": 0}, of("b", "yh"), of("y", "ph")),
        "received": sum(in_year_channels.values()),
        "request_channels": in_year_channels,
        "replied": sum(in_year_replies.values()),
        "replies": in_year_replies,
        "appeals": [year_appeals.get(k, 0) for k in ("reconsideration", "litigation", "complaint")],
        "complaints_by_source": by_source,
        "cumulative_received": sum(so_far_channels.values()),
        "cumulative_channels": so_far_channels,
        "cumulative_replies": so_far_replies,
        "cumulative_appeals": [all_appeals.get(k, 0) for k in ("reconsideration", "litigation", "complaint")],
        "deliveries": [of("y", "delivery").get(r, 0) for r in ("archive", "library")],
        "interpretations": of("y", "interp").get("", 0),
        "hotline_duties": of("y", "hotline").get("", 0),
        "documents": made or None,
        "coverage": None if not of("y", "periodic").get("", 0) else "periodic items: not worked out here",
        "opening_balances": of("y", "balances").get("", 0),
        "projects": [count, round(float(ytd), 2), round(float(plan), 2), round(float(ytd / plan), 4) if plan else None],
        "lagging": [name for name, y, p in candidates if lags_below(y, p, bound)],
    }  # fmt: skip


def _money(value: float | str | None) -> Decimal:
    """An amount as the app reads it (SQLite keeps Money as a float: two places, as its column type)."""
    return Decimal(f"{float(value or 0):.2f}")


def years(conn: Connection, code: str) -> list[int]:
    """kpis.years_with_data: the years with counts, and those with a board update (a community whose
    only records are its boards still has its years): the boards' first and last updates in the same
    statement (one index seek each), and each year between them the counts do not give looked for."""
    sql = (
        UNITS
        + f"SELECT DISTINCT ym / 100 AS y, NULL AS lo, NULL AS hi {COUNTS} AND dim IN ('yf', 'yp', 'yr') "
        f"AND attribute IN {ANY} AND n > 0 "
        "UNION ALL SELECT NULL, min(f), max(l) FROM (SELECT "
        "(SELECT min(update_date) FROM board_update WHERE board_id = b.id) AS f, "
        "(SELECT max(update_date) FROM board_update WHERE board_id = b.id) AS l "
        "FROM board b WHERE b.unit_id IN (SELECT id FROM u) AND b.kind != 'led') AS ends"
    )
    found: set[int] = set()
    lo = hi = None
    for y, first, last in conn.execute(text(sql), {"code": code}):
        if y is not None:
            found.add(int(y))
        elif first is not None:
            lo, hi = int(str(first)[:4]), int(str(last)[:4])  # a date, or SQLite's text of one
    for year in range(lo or 0, (hi or -1) + 1):
        if (
            year not in found
            and conn.execute(
                text(
                    UNITS + "SELECT 1 FROM board_update bu JOIN board b ON b.id = bu.board_id "
                    "WHERE b.unit_id IN (SELECT id FROM u) AND b.kind != 'led' AND bu.update_date BETWEEN :a AND :b LIMIT 1"
                ),
                {"code": code, "a": dt.date(year, 1, 1), "b": dt.date(year, 12, 31)},
            ).first()
        ):
            found.add(year)
    return sorted(found, reverse=True)


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
        pub, req, cum = result["publications"], result["requests"], result["requests"]["cumulative"]
        projects = result["projects"] or {"count": 0, "ytd_invested": 0, "annual_plan": 0, "lagging": []}
        documents = result["documents"]

        def n(value: int | None) -> int:  # None is 未录入 (rules.entered): no rows, 0 to the SQL
            return value or 0

        return {
            "month": result["month"],
            "total": pub["total"],
            "cumulative": pub["cumulative"],
            "full_text_rate": pub["full_text_rate"],
            "by_category": sorted(n for n in pub["by_category"].values() if n),
            "by_topic": pub["by_topic"] or {},
            "by_channel": pub["by_channel"],
            "cumulative_by_channel": pub["cumulative_by_channel"],
            "received": req["received"],
            "request_channels": req["by_channel"],
            "replied": req["replied"],
            "replies": req["replies"],
            "appeals": [n(req["reconsiderations"]), n(req["litigations"]), n(req["complaints"])],
            "complaints_by_source": req["complaints_by_source"] or dict.fromkeys(COMPLAINT_SOURCES, 0),
            "cumulative_received": cum["received"],
            "cumulative_channels": cum["by_channel"],
            "cumulative_replies": cum["replies"],
            "cumulative_appeals": [n(cum["reconsiderations"]), n(cum["litigations"]), n(cum["complaints"])],
            "deliveries": [n(result["deliveries"]["archive"]), n(result["deliveries"]["library"])],
            "interpretations": n(result["interpretations"]),
            "hotline_duties": n(result["hotline_duties"]),
            "documents": documents["made"] if documents else None,
            "coverage": result["coverage"],
            "opening_balances": 0,  # the hand-written SQL assumes none, and counts them to show it
            "projects": [projects["count"], round(float(projects["ytd_invested"]), 2),
                         round(float(projects["annual_plan"]), 2), projects.get("completion_rate")],
            "lagging": projects["lagging"],
        }  # fmt: skip
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
