"""Each catalogue item's own 公开时限 judged in the database (issue 15, item 3): publication
timeliness by the item's limit, and periodic items listed as 目录事项未按期公开 — in `kpis --json`,
总览's 需要关注 and the 主动公开 page's summary — on every backend."""

from __future__ import annotations

import datetime as dt

from data_access.read import duty_reports, kpis
from data_access.read.queries import coverage, overview, publications
from data_access.read.queries.scope import scope
from data_access.rules.permissions import OPERATOR
from data_access.store import catalogue, db
from data_access.write import catalogue as admin_catalogue
from tests.helpers.catalogues import TEN, TEN_NAME, add_offices, upload

# March: two 重点领域 items (recorded under the level-one category, so they count for both of its
# quarterly items), one 年度计划 and two 通知公告 (limit 「1个月内」). Each is published 5 days
# after it is formed (tests.helpers.catalogues.publication_file).
MARCH = {"重点领域信息公开": 2, "年度计划": 1, "通知公告": 2}
LATER = dt.date(2020, 6, 1)


def _code(engine, name: str) -> str:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        unit = scope(s, TEN)
        return next(i.code for i in catalogue.unit_items(s, unit.unit_id, 2019) if i.name == name)


def _limit(engine, name: str, text: str | None) -> None:  # type: ignore[no-untyped-def]
    code = _code(engine, name)
    with db.write_session(engine) as s:
        admin_catalogue.set_category_time_limit(s, code, text, unit_code=TEN, year=2019, actor=OPERATOR)


def test_periodic_items_and_own_limits(empty_db) -> None:  # type: ignore[no-untyped-def]
    add_offices(empty_db)
    with db.read_session(empty_db) as s:  # no register kept in 2019 yet: 未录入, not "missing"
        assert coverage.coverage(s, scope(s, TEN).ids, 2019, LATER) is None
    result = upload(empty_db, TEN, 2019, 3, MARCH)
    assert result.status == "committed", [i.message for i in result.issues]

    with db.read_session(empty_db) as s:
        sc = scope(s, TEN)
        found = coverage.coverage(s, sc.ids, 2019, LATER)
        assert found is not None
        # 财政预决算 and 社会救助 quarterly (Q1 met, Q2–Q4 missing), 年度计划 yearly (met),
        # 工作年报 yearly (missing): 10 periods due, 3 on time, 7 missing.
        assert found.as_dict() == {"due": 10, "on_time": 3, "late": 0, "missing": 7}
        assert f"{TEN_NAME}「工作年报」2019年未公开（应于2019-12-31前公开）" in [
            line.text for line in found.lines
        ]
        # As of March (kpis for month 3): only the first quarter is due, and it was met.
        assert kpis.compute(s, 2019, 3, TEN, today=LATER)["coverage"] == {
            "due": 3, "on_time": 3, "late": 0, "missing": 0,
        }  # fmt: skip
        assert kpis.compute(s, 2019, 12, TEN, today=LATER)["coverage"] == found.as_dict()
        lines = [
            a.text for a in overview.summary(s, sc, 2019, LATER, False).attention if a.kind == "coverage"
        ]
        assert len(lines) == 7 and all(line.startswith("目录事项未按期公开：") for line in lines)
        assert publications.summary(s, sc, 2019, LATER).coverage == found
        share, _ = publications.timeliness_by(s, sc.ids, 2019)
        assert (share.judged, share.on_time) == (5, 5)

    # A stricter limit of its own for 通知公告: its two items, published 5 days after formed, are
    # late by 「2日内」 though on time by the statutory 20 working days.
    _limit(empty_db, "通知公告", "2日内")
    with db.read_session(empty_db) as s:
        sc = scope(s, TEN)
        share, by_category = publications.timeliness_by(s, sc.ids, 2019)
        assert (share.judged, share.on_time, share.late) == (5, 3, 2)
        assert by_category["公示公告"].late == 2
        report = duty_reports.publication_timeliness_report(s, 2019, list(sc.ids))
        assert (report.overall.judged, report.overall.on_time) == (5, 3)
        assert len(report.exceptions) == 2
        assert kpis.compute(s, 2019, 12, TEN, today=LATER)["publications"]["total"] == 5

    # 长期公开: no time limit, so not judged at all.
    _limit(empty_db, "通知公告", "长期公开")
    with db.read_session(empty_db) as s:
        share, _ = publications.timeliness_by(s, scope(s, TEN).ids, 2019)
        assert (share.judged, share.on_time, share.unjudged) == (3, 3, 2)

    # Back to the statutory limit: the running counts judge everything again, as before.
    _limit(empty_db, "通知公告", None)
    with db.read_session(empty_db) as s:
        share, _ = publications.timeliness_by(s, scope(s, TEN).ids, 2019)
        assert (share.judged, share.on_time, share.unjudged) == (5, 5, 0)
