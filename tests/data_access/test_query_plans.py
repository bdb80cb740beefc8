"""Every hot read of the overview and the lobby screen seeks through an index, never scans a large table.

A small city-scale database (2 sub-districts × 2 years) is built once per backend; each hot
call (bench/hot.py) is run, every SELECT it sends is captured and EXPLAINed:
- SQLite without planner statistics (as a database that never ran ANALYZE): no `SCAN` of a
  large table, not even of a whole covering index;
- PostgreSQL with enable_seqscan off (a small table would otherwise rightly be read whole):
  no `Seq Scan` on a large table, i.e. an index fits every query.
MariaDB is left out: its EXPLAIN on a small table says little about a large one.
The results themselves are checked against direct counts of the raw rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bench import hot
from data_access.rules.projects import is_lagging
from data_access.store import db
from seed import scale
from tests.helpers.databases import create_database

SPEC = scale.ScaleSpec(units=2, years=2, per_year=1500, seed=7)
SCOPE = hot.Scope(SPEC.city_code, "sd001", SPEC.last_year, dt.date(SPEC.last_year, 11, 15))


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def scale_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url, drop = create_database(request.param, tmp_path_factory.mktemp("scale"))
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        scale.load(engine, SPEC)
        if engine.dialect.name == "sqlite":
            with engine.begin() as conn:  # plan as a database that never ran ANALYZE
                conn.exec_driver_sql("DELETE FROM sqlite_stat1")
            engine.dispose()
        yield engine
    finally:
        engine.dispose()
        drop()


@pytest.mark.parametrize("name", list(hot.hot_calls()))
def test_no_hot_query_scans_a_large_table(scale_db: Engine, name: str) -> None:
    _result, statements = hot.capture(scale_db, hot.hot_calls()[name], SCOPE)
    assert statements, f"{name} sent no query"
    problems = {}
    for statement in statements:
        plan = hot.explain(scale_db, statement, no_seqscan=True)
        bad = hot.full_scans(scale_db.dialect.name, plan)
        if bad:
            problems[" ".join(statement.sql.split())[:300]] = plan
    assert not problems, problems


@pytest.mark.parametrize("table", ["project_progress", "appeal"])
def test_key_figures_read_projects_and_appeals_from_the_index_alone(scale_db: Engine, table: str) -> None:
    """The month's key-project lines and the appeals by kind, year and source are read from their
    index without visiting the table (migration 0025): a city has thousands of each."""
    if scale_db.dialect.name != "sqlite":
        pytest.skip("SQLite's plan names a covering index; PostgreSQL's depends on its visibility map")
    _result, statements = hot.capture(scale_db, hot.hot_calls()["kpis.compute[city]"], SCOPE)
    reads = [s for s in statements if f"FROM {table} " in s.sql and "EXISTS" not in s.sql]
    assert reads, f"kpis.compute read no {table}"
    for statement in reads:
        plan = hot.explain(scale_db, statement)
        steps = [line for line in plan if f" {table} " in f" {line} "]
        assert steps and all("COVERING INDEX" in line for line in steps), (statement.sql, plan)


def test_timeliness_finds_the_paused_and_extension_dated_requests_by_their_own_indexes(
    scale_db: Engine,
) -> None:
    """The year's timeliness corrects the counts for the paused requests and those whose extension
    has an approval date: each found in its partial index (migration 0026), not among all the
    year's answered requests. PostgreSQL; SQLite uses them once ANALYZE has run (the bench's
    databases) and, without figures, prefers the covering ix_disclosure_request_reply."""
    if scale_db.dialect.name == "sqlite":
        pytest.skip("without planner statistics SQLite reads the covering reply index")
    _result, statements = hot.capture(scale_db, hot.hot_calls()["overview.summary[city]"], SCOPE)
    found = {
        "ix_disclosure_request_paused": "FROM request_pause JOIN disclosure_request",
        "ix_disclosure_request_ext_dated": "disclosure_request.extension_approved_on IS NOT NULL",
    }
    for index, marker in found.items():
        reads = [s for s in statements if marker in s.sql]
        assert reads, f"no read of the requests by {marker}"
        for statement in reads:
            plan = hot.explain(scale_db, statement, no_seqscan=True)
            assert any(index in line for line in plan), (statement.sql, plan)


def test_the_detector_sees_a_full_scan(scale_db: Engine) -> None:
    """The check above can fail: an unindexed filter on a large table is reported."""
    statement = hot.Statement("SELECT count(*) FROM publication WHERE title = 'x'", None)
    plan = hot.explain(scale_db, statement, no_seqscan=True)
    assert hot.full_scans(scale_db.dialect.name, plan), plan


def test_city_figures_equal_direct_counts(scale_db: Engine) -> None:
    """The running counts give exactly what counting the raw rows gives."""
    result, _ = hot.capture(scale_db, hot.hot_calls()["kpis.compute[city]"], SCOPE)
    screen, _ = hot.capture(scale_db, hot.hot_calls()["public.screen_data[subdistrict]"], SCOPE)
    year, ym_end = SCOPE.year, SCOPE.year * 100 + result["month"]
    with scale_db.connect() as conn:

        def one(sql: str, **params: object) -> int:
            return int(conn.execute(text(sql), params).scalar_one() or 0)

        proactive = "FROM publication WHERE attribute = 'proactive'"
        assert result["publications"]["total"] == one(
            f"SELECT count(*) {proactive} AND published_year = :y AND published_ym <= :e", y=year, e=ym_end
        )
        assert result["publications"]["cumulative"] == one(
            f"SELECT count(*) {proactive} AND published_ym <= :e", e=ym_end
        )
        by_cat = dict(
            conn.execute(
                text(
                    "SELECT c.name, count(*) FROM publication p JOIN category c ON c.id = p.category_root_id "
                    "WHERE p.attribute = 'proactive' AND p.published_year = :y AND p.published_ym <= :e "
                    "GROUP BY c.name"
                ),
                {"y": year, "e": ym_end},
            ).all()
        )
        assert {k: v for k, v in result["publications"]["by_category"].items() if v} == by_cat
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        assert result["requests"]["received"] == one(
            "SELECT count(*) FROM disclosure_request WHERE received_date BETWEEN :s AND :e", s=start, e=end
        )
        assert result["requests"]["cumulative"]["replied"] == one(
            "SELECT count(*) FROM disclosure_request WHERE reply_date <= :e AND outcome IS NOT NULL", e=end
        )
        lines = conn.execute(
            text(
                "SELECT p.name, pp.ytd_invested, pp.annual_plan FROM project_progress pp "
                "JOIN project p ON p.id = pp.project_id WHERE pp.year = :y AND pp.month = :m "
                "ORDER BY pp.unit_id, p.seq"
            ),
            {"y": year, "m": result["month"]},
        ).all()
        threshold = Decimal(str(result["projects"]["lag_threshold_pp"]))
        lagging = [
            name
            for name, ytd, plan in lines
            if is_lagging(Decimal(str(ytd)), Decimal(str(plan)), result["month"], threshold)
        ]
        assert lagging and result["projects"]["lagging"] == lagging
        assert result["projects"]["count"] == len(lines)
        sd = "(SELECT id FROM org_unit WHERE code = 'sd001' OR parent_id = (SELECT id FROM org_unit WHERE code = 'sd001'))"
        assert screen.published_cumulative == one(
            f"SELECT count(*) {proactive} AND published_year <= :y AND unit_id IN {sd}", y=year
        )
        newest = conn.execute(
            text(
                f"SELECT title FROM publication WHERE attribute = 'proactive' AND unit_id IN {sd} "
                "AND published_date <= :t ORDER BY published_date DESC, id DESC LIMIT 12"
            ),
            {"t": SCOPE.today},
        ).scalars()
        assert [item.title for item in screen.newest] == list(newest)


def test_scale_data_lands_in_a_path_the_bench_can_reuse(tmp_path: Path) -> None:
    """`load` refuses a database that already holds units (the bench caches built files)."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    db.upgrade(engine)
    small = scale.ScaleSpec(units=1, years=1, per_year=50)
    scale.load(engine, small)
    with pytest.raises(scale.NotEmpty):
        scale.load(engine, small)
