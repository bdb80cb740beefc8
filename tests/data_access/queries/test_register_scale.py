"""The register without a search text (counted from stat_tally, paged month by month and day by
day) gives exactly what counting and sorting every matching row gives, for every filter and page.

The data: the scale generator (3 sub-districts and their communities, two years, all three
attributes, unpublished items) plus hand-written rows on month and year boundaries, ties in the
publication date (ordered by formed date, then id), unpublished items formed on the period's
edges, and a cluster of items on one day that the day estimate does not expect.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from bench import hot
from data_access.read.queries import register, register_months
from data_access.read.queries.register import RegisterFilter
from data_access.read.queries.scope import scope
from data_access.store import db
from data_access.store.models import Category, OrgUnit, Publication
from seed import scale
from tests.helpers.databases import BACKENDS, create_database

SPEC = scale.ScaleSpec(units=3, years=2, per_year=300, seed=5)
D = dt.date


def _rows(session: Session) -> None:
    """Hand-written items (the triggers count them in stat_tally)."""
    batch_id = session.scalar(select(Publication.batch_id).limit(1))
    units = dict(session.execute(select(OrgUnit.code, OrgUnit.id)).all())
    roots = dict(session.execute(select(Category.name, Category.id).where(Category.level == 1)).all())
    sd1, sd2, c1 = units["sd001"], units["sd002"], units["sd001-c1"]
    n = itertools.count(1)

    def add(
        unit: int, category: str, formed: dt.date, published: dt.date | None, attribute: str = "proactive"
    ):  # type: ignore[no-untyped-def]
        session.add(
            Publication(
                unit_id=unit, index_no=f"T-{next(n):04d}", title="手工条目", category_id=roots[category],
                category_root_id=roots[category], formed_date=formed, published_date=published,
                published_year=published.year if published else None,
                published_ym=published.year * 100 + published.month if published else None,
                attribute=attribute, withheld_reason="工作秘密" if attribute == "withheld" else None,
                channel="政府门户网站", batch_id=batch_id,
            )
        )  # fmt: skip

    for unit in (sd1, sd2, c1):  # ties: one publication day, equal and different formed dates
        for formed in (D(2025, 6, 20), D(2025, 6, 20), D(2025, 6, 25), D(2025, 6, 10)):
            add(unit, "机构职能类", formed, D(2025, 6, 30))
    for published in (D(2024, 12, 31), D(2025, 1, 1), D(2025, 5, 31), D(2025, 7, 1), D(2025, 12, 31)):
        add(sd1, "机构职能类", published - dt.timedelta(days=3), published)
        add(c1, "规划计划类", published, published)
        add(sd2, "机构职能类", published, published, "on_request")
        add(c1, "机构职能类", published, published, "withheld")
    for formed in (D(2024, 12, 31), D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 30), D(2025, 7, 1)):
        add(sd1, "机构职能类", formed, None, "withheld")
        add(c1, "规划计划类", formed, None, "on_request")
        add(sd2, "机构职能类", formed, None, "withheld")
    for i in range(60):  # most of March 2025 on its third day
        add((sd1, sd2, c1)[i % 3], ("机构职能类", "规划计划类")[i % 2], D(2025, 2, 20 + i % 5), D(2025, 3, 3))


@pytest.fixture(scope="module", params=BACKENDS)
def register_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Built once per backend (the tests only read it, or write in a transaction they roll back)."""
    url, drop = create_database(request.param, tmp_path_factory.mktemp("register"))
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        scale.load(engine, SPEC)
        with db.write_session(engine) as session:
            _rows(session)
        yield engine
    finally:
        engine.dispose()
        drop()


FILTERS = [
    RegisterFilter(2025),
    RegisterFilter(2024),
    RegisterFilter(2023),  # no data
    RegisterFilter(2025, month=1),
    RegisterFilter(2025, month=3),
    RegisterFilter(2025, month=6),
    RegisterFilter(2025, month=7),
    RegisterFilter(2024, month=12),
    RegisterFilter(2025, category="机构职能类"),
    RegisterFilter(2025, month=6, category="机构职能类"),
    RegisterFilter(2025, month=3, category="规划计划类"),
    RegisterFilter(2024, category="规划计划类"),
    RegisterFilter(2025, category="没有这一类"),
    RegisterFilter(2025, attribute="proactive"),
    RegisterFilter(2025, attribute="on_request"),
    RegisterFilter(2025, attribute="withheld"),
    RegisterFilter(2025, month=6, attribute="withheld"),
    RegisterFilter(2024, month=12, category="机构职能类", attribute="withheld"),
]


def _windows(total: int) -> set[tuple[int, int]]:
    """(limit, offset): first pages, pages across the whole list, the middle, the end and past it."""
    out = {(20, 0), (1, 0), (7, 3), (100, 0), (50, max(0, total - 10)), (20, total), (20, total + 5)}
    out |= {(13, offset) for offset in range(20, total, max(13, total // 6))}
    out |= {(5, max(0, total // 2 + d)) for d in (-3, 3)}
    return out


def _personal_cases(session: Session) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    city, sd1, sd3 = scope(session, "city").ids, scope(session, "sd001").ids, scope(session, "sd003")
    c1 = scope(session, "sd001-c1").unit_id
    return [
        ("city, leader", city, ()),
        ("city, staff of sd001", city, sd1),
        ("city, admin", city, city),
        ("sd001, leader", sd1, ()),
        ("sd001, staff of a community", sd1, (c1,)),
        ("sd001, staff elsewhere", sd1, (sd3.unit_id,)),
    ]


@pytest.mark.parametrize("direct_rows", [register_months.DIRECT_ROWS, 0], ids=["as-configured", "by-day"])
def test_count_and_page_equal_the_full_scan(register_db: Engine, monkeypatch, direct_rows: int) -> None:
    """by-day: every month, however small, is paged through its per-day counts."""
    monkeypatch.setattr(register_months, "DIRECT_ROWS", direct_rows)
    wrong = []
    with db.read_session(register_db) as s:
        unpublished = s.scalar(select(func.count()).where(Publication.published_date.is_(None)))
        assert unpublished > 40  # generated and hand-written
        cases = _personal_cases(s)
        for (i, f), (k, (label, ids, personal)) in itertools.product(enumerate(FILTERS), enumerate(cases)):
            total = register.count_by_scan(s, ids, personal, f)
            if register.count(s, ids, personal, f) != total:
                wrong.append((label, f, "count", register.count(s, ids, personal, f), total))
            if (k - i) % 2:  # pages for half the viewers of each filter (all of them for a filter in two)
                continue
            for limit, offset in sorted(_windows(total)):
                got = register.page(s, ids, personal, f, limit, offset)
                want = register.page_by_scan(s, ids, personal, f, limit, offset)
                if not got.equals(want):
                    wrong.append((label, f, limit, offset))
    assert not wrong, wrong[:10]


def test_paging_through_everything_gives_the_scan_order(register_db: Engine, monkeypatch) -> None:
    """Page by page across the unpublished → published boundary and every month and day."""
    monkeypatch.setattr(register_months, "DIRECT_ROWS", 20)
    with db.read_session(register_db) as s:
        ids = scope(s, "city").ids
        for personal, f in ((ids, RegisterFilter(2025)), ((), RegisterFilter(2025, category="机构职能类"))):
            total = register.count(s, ids, personal, f)
            pages = [register.page(s, ids, personal, f, 11, offset) for offset in range(0, total + 11, 11)]
            everything = register.page_by_scan(s, ids, personal, f, total + 1, 0)
            assert total == len(everything) > 300
            assert [tuple(r) for p in pages for r in p.itertuples(index=False)] == [
                tuple(r) for r in everything.itertuples(index=False)
            ]
            assert (
                everything.iloc[0]["公开日期"] is None
                if personal
                else everything.iloc[0]["公开日期"] is not None
            )


def test_count_reads_the_running_counts(register_db: Engine) -> None:
    """Without a search text the published items are counted from stat_tally, not the rows."""
    f = RegisterFilter(2025, month=6)
    with register_db.connect() as conn:
        with Session(bind=conn) as s:
            ids = scope(s, "city").ids
            before = register.count(s, ids, (), f)
            conn.execute(text("UPDATE stat_tally SET n = n + 5 WHERE dim = 'pf' AND ym = 202506 AND n > 0"))
            changed = conn.execute(text("SELECT count(*) FROM stat_tally WHERE dim = 'pf' AND ym = 202506"))
            assert register.count(s, ids, (), f) > before == register.count_by_scan(s, ids, (), f)
            assert changed.scalar_one() > 0
        conn.rollback()


def test_no_statement_scans_a_large_table(register_db: Engine) -> None:
    """Every statement of count and page seeks through an index (SQLite without planner
    statistics; PostgreSQL with enable_seqscan off), as tests/data_access/test_query_plans."""
    if register_db.dialect.name == "mariadb":
        pytest.skip("MariaDB's EXPLAIN on a small table says little about a large one")
    if register_db.dialect.name == "sqlite":
        with register_db.begin() as conn:
            conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        register_db.dispose()
    sc = hot.Scope(SPEC.city_code, "sd001", SPEC.last_year, dt.date(SPEC.last_year, 11, 15))
    admin = lambda s, _sc: scope(s, "city").ids  # noqa: E731
    calls = {
        "count": lambda s, sc: register.count(s, scope(s, "city").ids, (), RegisterFilter(2025)),
        "page": lambda s, sc: register.page(s, scope(s, "city").ids, (), RegisterFilter(2025), 20, 500),
        "page, category": lambda s, sc: register.page(
            s, scope(s, "city").ids, (), RegisterFilter(2025, category="机构职能类"), 20, 100
        ),
        "page, admin": lambda s, sc: register.page(
            s, admin(s, sc), admin(s, sc), RegisterFilter(2025), 20, 30
        ),
    }
    problems = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(register_months, "DIRECT_ROWS", 0)
        for name, call in calls.items():
            _result, statements = hot.capture(register_db, call, sc)
            for statement in statements:
                plan = hot.explain(register_db, statement, no_seqscan=True)
                if hot.full_scans(register_db.dialect.name, plan):
                    problems[f"{name}: {' '.join(statement.sql.split())[:200]}"] = plan
    assert not problems, problems
