"""The leaders' page queries reproduce the 2018 Qingyang figures on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.read import kpis
from data_access.read.kpis import KpiError
from data_access.read.queries import duties, overview, projects, publications, requests, units
from data_access.read.queries.scope import judged_on, scope
from data_access.store import db
from data_access.store.models import DisclosureRequest
from data_access.store.reference import unit_by_code

TODAY = dt.date(2026, 11, 27)


def test_publication_summary(seeded_db):
    with db.read_session(seeded_db) as s:
        summary = publications.summary(s, scope(s, "qingyang"), 2018, TODAY)
    cats = {c.name: c for c in summary.categories}
    assert (summary.total, summary.last_year_total, summary.target) == (158, 141, None)
    assert (cats["机构职能类"].count, cats["机构职能类"].share) == (35, 0.2215)
    assert cats["安全生产、应急管理类"].count == 30
    assert dict(summary.topics) == {"财政资金": 21, "重大建设项目": 13, "公共服务": 40, "监督检查": 38}
    assert (summary.timeliness.judged, summary.timeliness.share) == (158, 1.0)
    assert cats["机构职能类"].timeliness.judged == 35
    monthly = {(y, m): n for y, m, n in summary.monthly}
    assert (
        len(monthly) == 24
        and monthly[(2018, 1)] == 14
        and sum(n for (y, _m), n in monthly.items() if y == 2018) == 158
    )
    assert not summary.has_targets


def test_project_table_for_october(seeded_db):
    with db.read_session(seeded_db) as s:
        sc = scope(s, "qingyang")
        table = projects.table(s, sc.ids, 2018, 10)
        months = projects.months(s, sc.ids, 2018)
        history = projects.history(s, int(table.rows["id"].iloc[0]), sc.ids)
        findings = projects.findings(s, sc.ids, 2018, 10)
        lagging = projects.lagging(s, sc.ids, 2018, 10)
    assert months == list(range(1, 13))
    flagged = table.rows[table.rows["滞后"]]
    assert lagging == list(
        zip(flagged["id"], flagged["单位"], flagged["项目名称"], flagged["完成进度"], strict=True)
    )
    assert len(lagging) == 7
    assert (len(table.rows), table.ytd_invested, table.annual_plan, table.month_invested) == (
        25,
        231200,
        281026,
        23245,
    )
    assert (table.lagging, table.completion) == (7, 0.8227)
    assert "青阳街道社区卫生服务中心改扩建" in set(table.rows.loc[table.rows["滞后"], "项目名称"])
    assert list(history["月份"]) == list(range(1, 13))
    assert history["累计完成投资"].iloc[9] == table.rows["累计完成投资"].iloc[0]
    assert findings == ()  # every month reconciles in the seed


def test_request_stats(seeded_db):
    with db.read_session(seeded_db) as s:
        sc = scope(s, "qingyang")
        hidden = requests.stats(s, sc.ids, (), 2018, TODAY)
        [line] = requests.answered(s, sc.ids, (), 2018, TODAY)
        [shown] = requests.answered(s, sc.ids, sc.ids, 2018, TODAY, 0, 20)
        explained = requests.explain(s, sc.ids, (), line.unit_id, line.request_no, TODAY)
        elsewhere = requests.explain(s, (), (), line.unit_id, line.request_no, TODAY)
    assert (hidden.received, dict(hidden.by_channel)["网络"], dict(hidden.by_applicant)["自然人"]) == (
        1,
        1,
        1,
    )
    assert dict(hidden.by_old_reply) == {"同意公开": 0, "同意部分公开": 0, "不予公开": 0, "其他": 1}
    assert hidden.by_outcome == (("无法提供-本机关不掌握相关政府信息", 1),)
    assert (hidden.answered, hidden.on_time_rate, hidden.open, hidden.overdue) == (1, 1.0, (), 0)
    assert (line.status, line.due, line.summary, line.applicant_name) == (
        "answered_on_time",
        dt.date(2018, 8, 6),
        None,
        None,
    )
    assert line.explanation == ()  # a list carries no working-out; `explain` gives it for one request
    assert explained is not None and explained.summary is None
    assert any("2018-08-06" in row for row in explained.explanation)
    assert elsewhere is None  # a request of a unit outside the scope is not explained
    assert shown.applicant_name == "陈某"
    assert "征地补偿协议" in shown.summary


def test_boards_and_deliveries(seeded_db):
    with db.read_session(seeded_db) as s:
        sc = scope(s, "qingyang")
        boards = {b.name: b for b in duties.boards(s, sc.ids, 2018, TODAY)}
        checks = {
            (d.check.period_ym, d.check.recipient): d for d in duties.deliveries(s, sc.ids, 2018, TODAY)
        }
        summed = duties.delivery_summary(s, sc.ids, 2018, TODAY)
        judged = duties.judged_boards(s, sc.ids, 2018, TODAY)
    assert "办公楼LED屏" not in boards
    # the overview's boards, judged from renewals and quarterly updates alone, owe what the page says
    assert [(b.name, b.overdue, b.unrecorded) for b in judged] == [
        (b.name, b.overdue, b.unrecorded) for b in boards.values()
    ]
    assert boards["机关大院党（政）务公开栏"].overdue == ()
    assert len(boards["机关大院党（政）务公开栏"].repairs) == 1
    assert duties.overdue_line(boards["高霞社区居务公开栏"].overdue) == "2018 年第 2、3、4 季度更新"
    assert duties.overdue_line(boards["西园社区居务公开栏"].overdue) == "2018 年第 3、4 季度更新"
    assert len(checks) == 24
    assert checks[(201806, "archive")].check.status == "late"
    assert checks[(201809, "library")].check.status == "on_time"
    assert not any(d.count_mismatch for d in checks.values())
    # the overview's figures count the plainly on-time deliveries and list the rest, as judged
    due = [d for d in checks.values() if d.check.status != "pending"]
    assert (summed.judged, summed.on_time) == (len(due), sum(d.check.status == "on_time" for d in due))
    assert summed.lines == tuple(
        d for d in checks.values() if d.check.status != "on_time" or d.check.findings
    )
    assert [d.check.period_ym for d in summed.lines] == [201806, 201806]


def test_overview_summary_and_attention(seeded_db):
    with db.read_session(seeded_db) as s:
        summary = overview.summary(s, scope(s, "qingyang"), 2018, TODAY, True)
    assert (summary.total, summary.last_year_total, summary.timeliness) == (158, 141, 1.0)
    assert (summary.requests_open, summary.requests_overdue, summary.requests_on_time) == (0, 0, 1.0)
    assert (summary.boards, summary.boards_overdue) == (3, 2)
    assert (summary.deliveries_on_time, summary.deliveries_judged, summary.deliveries_rate) == (
        22,
        24,
        0.9167,
    )
    kinds = [a.kind for a in summary.attention]
    assert kinds.count("delivery") == 2 and kinds.count("board") == 2 and kinds.count("project") == 7


def test_unit_ranking_rolls_up_children(seeded_db):
    with db.read_session(seeded_db) as s:
        city = units.ranking(s, scope(s, "jinjiang"), 2018, TODAY)
        own = units.ranking(s, scope(s, "qingyang"), 2018, TODAY)
    assert list(city["单位"]) == ["青阳街道"]
    row = city.iloc[0]
    assert (row["主动公开"], row["按时公开率"], row["依申请答复"], row["按期答复率"], row["滞后项目"]) == (
        158,
        1.0,
        1,
        1.0,
        7,
    )
    assert list(own["单位"]) == ["青阳街道（本级）", "西园社区", "高霞社区"]
    assert list(own["主动公开"]) == [158, 0, 0]


def test_unknown_unit_and_judgement_day(seeded_db):
    with db.read_session(seeded_db) as s, pytest.raises(KpiError, match="未知单位代码"):
        scope(s, "nowhere")
    assert judged_on(2018, TODAY) == dt.date(2019, 1, 1)
    assert judged_on(2026, TODAY) == TODAY


def test_empty_database(empty_db):
    from data_access.store.models import OrgUnit
    from data_access.store.reference import ensure_reference_data

    with db.write_session(empty_db) as s:
        ensure_reference_data(s)
        s.add(OrgUnit(code="u", name="空单位", level="subdistrict"))
    with db.read_session(empty_db) as s:
        sc = scope(s, "u")
        summary = publications.summary(s, sc, 2018, TODAY)
        assert (summary.total, summary.timeliness.share) == (0, None)
        assert projects.months(s, sc.ids, 2018) == []
        assert projects.table(s, sc.ids, 2018, 10).completion is None
        assert requests.stats(s, sc.ids, (), 2018, TODAY).on_time_rate is None
        assert duties.boards(s, sc.ids, 2018, TODAY) == ()
        assert duties.deliveries(s, sc.ids, 2018, TODAY) == ()
        assert units.ranking(s, sc, 2018, TODAY).empty


def test_nothing_recorded_is_unrecorded_not_overdue(seeded_db):
    """2017: the demo's boards have no update before 2018 — 未登记, no alert; 2018 is judged as before;
    a community whose only records are its boards has a year to show, with its overdue board."""
    with db.read_session(seeded_db) as s:
        sc = scope(s, "qingyang")
        y2017 = overview.summary(s, sc, 2017, TODAY, True)
        y2018 = overview.summary(s, sc, 2018, TODAY, True)
        lines = duties.boards(s, sc.ids, 2017, TODAY)
        community = scope(s, "qingyang-xiyuan")
        community_years = kpis.years_with_data(s, "qingyang-xiyuan")
        community_kpis = kpis.compute(s, 2018, unit_code="qingyang-xiyuan", today=TODAY)
        community_2018 = overview.summary(s, community, 2018, TODAY, False)
    assert (y2017.boards, y2017.boards_overdue, y2017.boards_unrecorded) == (3, 0, 3)
    assert [a for a in y2017.attention if a.kind == "board"] == []
    assert all(line.unrecorded and not line.overdue for line in lines)
    assert [e for line in lines for e in line.events] == []  # no update in 2017
    assert (y2018.boards_overdue, y2018.boards_unrecorded) == (2, 0)
    assert community_years == [2018] and community_kpis["year"] == 2018
    assert community_2018.boards_overdue == 1
    [board] = [a.text for a in community_2018.attention if a.kind == "board"]
    assert board.startswith("西园社区居务公开栏：") and "逾期未完成" in board


def test_a_past_years_view_lists_no_request_received_after_it(empty_db):
    """A view of 2018 never lists a request received in 2019 as overdue; the 2019 view does, naming
    the request (the link's item) and the day it was judged on."""
    from seed import qingyang2018

    with db.write_session(empty_db) as s:
        qingyang2018.load(s)
        s.add(DisclosureRequest(unit_id=unit_by_code(s, "qingyang").id, request_no="YSQ-2019-077",
                                received_date=dt.date(2019, 3, 4), received_year=2019, channel="网络",
                                applicant_type="自然人", applicant_name="王某", summary="年度预算", batch_id=1))  # fmt: skip
    with db.read_session(empty_db) as s:
        sc = scope(s, "qingyang")
        y2018 = overview.summary(s, sc, 2018, TODAY, True)
        y2019 = overview.summary(s, sc, 2019, TODAY, True)
        now = overview.summary(s, sc, 2019, dt.date(2019, 12, 31), True)
    assert (y2018.requests_open, y2018.requests_overdue) == (0, 0)
    assert [a for a in y2018.attention if a.kind == "request"] == []
    assert (y2019.requests_open, y2019.requests_overdue) == (1, 1)
    [line] = [a for a in y2019.attention if a.kind == "request"]
    assert line.item == "YSQ-2019-077" and line.text.endswith("（2026-11-27 状态）")
    [current] = [a for a in now.attention if a.kind == "request"]
    assert "状态）" not in current.text  # judged on the view's own last day: no date to add


def test_lagging_projects_link_to_themselves(seeded_db):
    with db.read_session(seeded_db) as s:
        summary = overview.summary(s, scope(s, "qingyang"), 2018, TODAY, True)
        table = projects.table(s, scope(s, "qingyang").ids, 2018, 12)
    ids = dict(zip(table.rows["项目名称"], table.rows["id"], strict=True))
    [line] = [a for a in summary.attention if "池店溪流域综合治理" in a.text]
    assert (line.kind, line.month, line.item) == ("project", 12, str(ids["池店溪流域综合治理"]))
