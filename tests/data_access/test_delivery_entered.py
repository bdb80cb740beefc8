"""送交两馆 never entered is 未录入, not "未送交" (issue 15, item 7): a unit that publishes but never
recorded a delivery for the year is not judged month by month; once it enters a delivery or a
零报告 of deliveries, every ended month without a record is 未送交."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.read import duty_reports, kpis
from data_access.read.queries.scope import scope
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.write import balances
from tests.helpers.catalogues import TEN, add_offices, upload

TODAY = dt.date(2020, 3, 1)


def test_deliveries_are_judged_only_once_entered(empty_db) -> None:  # type: ignore[no-untyped-def]
    add_offices(empty_db)
    assert upload(empty_db, TEN, 2019, 3, {"机构职能类": 2}).status == "committed"
    with db.read_session(empty_db) as s:
        ids = list(scope(s, TEN).ids)
        assert duty_reports.delivery_reports(s, ids, 2019, TODAY) == {}
        assert kpis.compute(s, 2019, None, TEN)["deliveries"] == {"archive": None, "library": None}
    with db.write_session(empty_db) as s:
        balances.record_zero_report(s, TEN, "deliveries", 2019, actor=OPERATOR)
    with db.read_session(empty_db) as s:
        (checks,) = duty_reports.delivery_reports(s, ids, 2019, TODAY).values()
        assert len(checks) == 24 and {c.status for c in checks} == {"missing"}
        march = [c for c in checks if c.period_ym == 201903]
        assert [c.published_count for c in march] == [2, 2]
        assert kpis.compute(s, 2019, None, TEN)["deliveries"] == {"archive": 0, "library": 0}


def test_a_year_with_only_a_zero_report_has_figures(empty_db) -> None:  # type: ignore[no-untyped-def]
    add_offices(empty_db)
    with db.read_session(empty_db) as s:
        with pytest.raises(kpis.KpiError, match="2021 年没有任何数据"):
            kpis.compute(s, 2021, None, TEN)
    with db.write_session(empty_db) as s:
        balances.record_zero_report(s, TEN, "interpretations", 2021, actor=OPERATOR)
    with db.read_session(empty_db) as s:
        k = kpis.compute(s, 2021, None, TEN)
    assert (k["month"], k["interpretations"], k["hotline_duties"], k["publications"]["total"]) == (
        12,
        0,
        None,
        0,
    )
