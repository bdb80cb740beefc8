"""The city-scale generator: deterministic, realistic shares, every case the pages must show.

Speed is printed (run with -s), never asserted: the benchmark (`python -m bench`) reports it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine, text

from data_access.rules.projects import is_lagging
from data_access.rules.vocab import CATEGORY_NAMES, OUTCOMES_2021
from data_access.store import db
from seed import scale

SPEC = scale.ScaleSpec(units=2, years=3, per_year=3000, seed=11)


def _engine(path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    return engine


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = _engine(tmp_path_factory.mktemp("scale") / "s.sqlite3")
    started = time.perf_counter()
    written = scale.load(engine, SPEC)
    seconds = time.perf_counter() - started
    print(f"\nscale load: {written['publication']:,} publications in {seconds:.1f} s "
          f"({written['publication'] / seconds:,.0f} publications/s with everything else)")  # fmt: skip
    return engine


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _digest(engine: Engine) -> str:
    h = hashlib.sha256()
    for table in (
        "publication",
        "disclosure_request",
        "project_progress",
        "appeal",
        "delivery",
        "board_update",
    ):
        for row in _rows(engine, f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    return h.hexdigest()


def test_same_seed_same_rows_other_seed_other_rows(built: Engine, tmp_path: Path) -> None:
    again = _engine(tmp_path / "again.sqlite3")
    scale.load(again, SPEC)
    assert _digest(again) == _digest(built)
    other = _engine(tmp_path / "other.sqlite3")
    scale.load(other, scale.ScaleSpec(units=2, years=3, per_year=3000, seed=12))
    assert _digest(other) != _digest(built)


def test_counts_units_and_years(built: Engine) -> None:
    assert _rows(built, "SELECT count(*) FROM publication") == [(2 * 3 * 3000,)]
    codes = [
        r[0] for r in _rows(built, "SELECT code FROM org_unit WHERE level = 'subdistrict' ORDER BY code")
    ]
    assert codes == ["sd001", "sd002"]
    years = {
        r[0]
        for r in _rows(
            built, "SELECT DISTINCT published_year FROM publication WHERE published_year IS NOT NULL"
        )
    }
    assert years == {2023, 2024, 2025}
    requests = _rows(built, "SELECT count(*) FROM disclosure_request")[0][0]
    assert 0.08 * 18000 < requests < 0.12 * 18000


def test_category_shares_follow_2018(built: Engine) -> None:
    rows = dict(
        _rows(
            built,
            "SELECT c.name, count(*) FROM publication p JOIN category c ON c.id = p.category_root_id GROUP BY c.name",
        )
    )
    total = sum(rows.values())
    weights = dict(zip(CATEGORY_NAMES, (35, 3, 6, 13, 5, 24, 22, 20, 30), strict=True))
    for name, weight in weights.items():
        assert abs(rows[name] / total - weight / 158) < 0.02, name


def test_seasons_lateness_and_attributes(built: Engine) -> None:
    months = Counter(
        m
        for (m,) in _rows(built, "SELECT published_ym % 100 FROM publication WHERE published_ym IS NOT NULL")
    )
    assert months[12] > 1.5 * months[2]  # the year-end rush, the Spring Festival dip
    dates = _rows(
        built, "SELECT formed_date, published_date FROM publication WHERE published_date IS NOT NULL"
    )
    formed = np.array([r[0] for r in dates], dtype="datetime64[D]")
    published = np.array([r[1] for r in dates], dtype="datetime64[D]")
    late = (np.busday_count(formed, published) > 20).mean()
    assert 0.07 < late < 0.13, late
    attributes = dict(_rows(built, "SELECT attribute, count(*) FROM publication GROUP BY attribute"))
    assert attributes["withheld"] > 0 and attributes["on_request"] > 0
    assert attributes["proactive"] / sum(attributes.values()) > 0.95
    assert _rows(
        built, "SELECT count(*) FROM publication WHERE attribute = 'withheld' AND withheld_reason IS NULL"
    ) == [(0,)]


def test_requests_cover_every_outcome_open_and_overdue(built: Engine) -> None:
    outcomes = {
        r[0]
        for r in _rows(built, "SELECT DISTINCT outcome FROM disclosure_request WHERE outcome IS NOT NULL")
    }
    expected = {g if not items else f"{g}-{i}" for g, items in OUTCOMES_2021 for i in (items or ("",))}
    assert outcomes == expected
    end = SPEC.end
    open_recent = _rows(built, "SELECT count(*) FROM disclosure_request WHERE reply_date IS NULL AND received_date > :d",
                        d=end - dt.timedelta(days=20))[0][0]  # fmt: skip
    overdue = _rows(built, "SELECT count(*) FROM disclosure_request WHERE reply_date IS NULL AND received_date < :d",
                    d=end - dt.timedelta(days=60))[0][0]  # fmt: skip
    assert open_recent > 0 and overdue > 0
    assert _rows(built, "SELECT count(*) FROM disclosure_request WHERE extension_approved")[0][0] > 0
    kinds = {r[0] for r in _rows(built, "SELECT DISTINCT kind FROM appeal")}
    assert kinds == {"reconsideration", "litigation", "complaint"}
    assert (
        _rows(built, "SELECT count(*) FROM appeal WHERE result = '尚未审结' AND closed_date IS NULL")[0][0]
        > 0
    )
    assert _rows(built, "SELECT count(*) FROM request_pause")[0][0] > 0


def test_projects_reconcile_and_some_lag(built: Engine) -> None:
    rows = _rows(built, "SELECT project_id, month, month_invested, ytd_invested, annual_plan FROM project_progress "
                        "ORDER BY project_id, month")  # fmt: skip
    previous: dict[int, float] = {}
    lagging = Counter()
    for pid, month, this_month, ytd, plan in rows:
        assert round(previous.get(pid, 0) + this_month, 2) == round(ytd, 2)
        previous[pid] = ytd
        if month == 6:
            lagging[is_lagging(ytd, plan, 6, 10)] += 1
    assert lagging[True] > 0 and lagging[False] > 0


def test_deliveries_and_boards(built: Engine) -> None:
    published = dict(_rows(built, "SELECT unit_id * 1000000 + published_ym, count(*) FROM publication "
                                  "WHERE attribute = 'proactive' GROUP BY unit_id, published_ym"))  # fmt: skip
    deliveries = _rows(
        built, "SELECT unit_id * 1000000 + period_ym, item_count, delivered_date FROM delivery"
    )
    matching = sum(published.get(key) == count for key, count, _d in deliveries)
    assert matching / len(deliveries) > 0.97
    assert len(deliveries) < 2 * len(published)  # a few months were never delivered
    late = [
        d
        for key, _c, d in deliveries
        if np.busday_count(
            np.datetime64(dt.date((key % 1000000) // 100 + (key % 100) // 12, (key % 100) % 12 + 1, 1)),
            np.datetime64(d),
        )
        >= 3
    ]
    assert late
    kinds = {r[0] for r in _rows(built, "SELECT DISTINCT kind FROM board_update")}
    assert {"年度换新", "季度更新", "即时更新"} <= kinds
