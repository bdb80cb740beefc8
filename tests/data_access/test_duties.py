"""Duty rules: publication timeliness, 送交两馆, bulletin boards and key projects (tables), then the query helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data_access.read import kpis
from data_access.read.duty_reports import (
    board_report,
    delivery_reports,
    project_report,
    publication_timeliness_report,
    request_report,
)
from data_access.read.queries import projects as projects_query
from data_access.rules.duties import (
    DUTY_KINDS,
    BoardEvent,
    DeliveryRecord,
    DeliveryTally,
    PublicationItem,
    board_status,
    check_deliveries,
    check_delivery,
    delivery_due,
    delivery_month,
    done_periods,
    judge_duties,
    months_ended,
    plainly_on_time,
    publication_timing,
    tally_units,
    timeliness_report,
)
from data_access.rules.projects import (
    ProjectMonth,
    is_lagging,
    lag_bound,
    lag_threshold,
    lagging_share,
    lags_below,
    project_findings,
)
from data_access.rules.workdays import Calendar
from data_access.store import db
from data_access.store.models import Project, ProjectProgress
from data_access.store.reference import unit_and_descendants, unit_by_code
from tests.helpers.builders import make_unit_and_batch

D = dt.date.fromisoformat
CAL = Calendar()
WARN_2027 = "2027 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"


# ------------------------------------------------------------ publication timeliness
@pytest.mark.parametrize(
    ("formed", "published", "due", "on_time", "taken", "warned"),
    [
        # 中秋 2018-09-22..24 and the National Day week are skipped, the 调休 weekend 09-29/30 counts
        ("2018-09-20", "2018-10-24", "2018-10-24", True, 20, False),
        ("2018-09-20", "2018-10-25", "2018-10-24", False, 21, False),
        ("2018-10-01", "2018-10-29", "2018-11-02", True, 16, False),
        ("2019-09-27", "2019-10-30", "2019-10-30", True, 20, False),
        ("2019-09-27", "2019-10-31", "2019-10-30", False, 21, False),
        ("2019-05-14", "2019-05-14", "2019-06-12", True, 0, False),
        ("2026-12-20", "2027-01-18", "2027-01-18", True, 20, True),
        ("2018-03-01", None, "2018-03-29", None, None, False),
        ("2018-03-01", "2018-02-27", "2018-03-29", None, None, False),
    ],
)
def test_publication_timing(
    formed: str, published: str | None, due: str, on_time: bool | None, taken: int | None, warned: bool
) -> None:
    timing = publication_timing(D(formed), D(published) if published else None, CAL)
    assert (timing.due, timing.on_time, timing.workdays_taken) == (D(due), on_time, taken)
    assert (WARN_2027 in timing.warnings) is warned
    if on_time is None:
        assert timing.note in ("尚未公开", "公开日期早于形成日期，请核对")


def test_timeliness_shares_per_category_and_unit() -> None:
    items = [
        PublicationItem(D("2018-09-20"), D("2018-10-24"), "机构职能类", "青阳街道", "A"),
        PublicationItem(D("2018-09-20"), D("2018-10-25"), "机构职能类", "西园社区", "B"),
        PublicationItem(D("2018-10-01"), D("2018-10-29"), "规划计划类", "青阳街道", "C"),
        PublicationItem(D("2018-10-01"), None, "规划计划类", "青阳街道", "D"),
        PublicationItem(D("2018-10-01"), None, "为民办实事类", "青阳街道", "E"),
    ]
    report = timeliness_report(items, CAL)
    assert (report.overall.judged, report.overall.on_time, report.overall.unjudged) == (3, 2, 2)
    assert report.overall.share == 0.6667
    shares = {s.key: (s.judged, s.on_time, s.late, s.unjudged, s.share) for s in report.by_category}
    assert shares == {
        "机构职能类": (2, 1, 1, 0, 0.5),
        "规划计划类": (1, 1, 0, 1, 1.0),
        "为民办实事类": (0, 0, 0, 1, None),  # nothing judged: no share, never a guessed zero
    }
    units = {s.key: (s.judged, s.on_time, s.share) for s in report.by_unit}
    assert units == {"青阳街道": (2, 2, 1.0), "西园社区": (1, 0, 0.0)}
    assert [item.ref for item, _ in report.exceptions] == ["B", "D", "E"]


# ------------------------------------------------------------------- 送交两馆
@pytest.mark.parametrize(
    ("ym", "delivered", "published", "count", "today", "status", "workday_no", "findings", "warned"),
    [
        (201806, "2018-07-06", 12, 12, "2019-01-01", "late", 5, 0, False),  # 5th working day of July
        (201809, "2018-10-09", 12, 12, "2019-01-01", "on_time", 2, 0, False),  # after National Day week
        (201809, "2018-10-10", 12, 12, "2019-01-01", "on_time", 3, 0, False),
        (201809, "2018-10-11", 12, 12, "2019-01-01", "late", 4, 0, False),
        (201812, "2019-01-03", 13, 13, "2019-02-01", "on_time", 2, 0, False),  # 2019-01-01 元旦
        (201901, "2019-02-03", 5, 5, "2019-03-01", "on_time", 3, 0, False),  # 调休 Sunday is the 3rd
        (201901, "2019-02-11", 5, 5, "2019-03-01", "late", 4, 0, False),  # after the Spring Festival
        (201806, "2018-07-04", 12, 13, "2019-01-01", "on_time", 3, 1, False),  # count mismatch
        (201806, "2018-06-29", 12, 12, "2019-01-01", "on_time", None, 1, False),  # before the month ended
        (201806, None, 12, None, "2018-07-03", "pending", None, 0, False),
        (201806, None, 12, None, "2018-07-05", "missing", None, 1, False),
        (201807, None, 0, None, "2018-09-01", "missing", None, 1, False),  # zero month still needs a record
        (201807, "2018-08-01", 0, 0, "2018-09-01", "on_time", 1, 0, False),  # the zero record
        (202612, "2027-01-06", 3, 3, "2027-02-01", "on_time", 3, 0, True),
        (202611, "2026-12-02", 3, 3, "2027-02-01", "on_time", 2, 0, False),  # due in a known year
        (202611, "2027-01-06", 3, 3, "2027-02-01", "late", 26, 0, True),  # late into an unknown one
    ],
)
def test_delivery_table(
    ym: int,
    delivered: str | None,
    published: int,
    count: int | None,
    today: str,
    status: str,
    workday_no: int | None,
    findings: int,
    warned: bool,
) -> None:
    record = None
    if count is not None:
        record = DeliveryRecord(ym, "archive", D(delivered) if delivered else None, count)
    check = check_delivery(ym, "archive", record, published, D(today), CAL)
    assert (check.status, check.workday_no, len(check.findings)) == (status, workday_no, findings)
    assert (WARN_2027 in check.warnings) is warned
    # counted without a check exactly when the check would say on time with nothing to note
    plain = record is not None and plainly_on_time(
        delivery_month(ym, CAL), record.delivered, record.item_count, published
    )
    assert plain is (status == "on_time" and findings == 0)


def test_delivery_labels_and_findings() -> None:
    late = check_delivery(
        201806, "library", DeliveryRecord(201806, "library", D("2018-07-06"), 11), 12, D("2019-01-01")
    )
    assert late.label == "逾期送交（次月第 5 个工作日送交）"
    assert late.findings == ("2018 年 6 月送交图书馆 11 份，与当月主动公开 12 条不符",)  # no office's name
    named = check_delivery(
        201806, "library", DeliveryRecord(201806, "library", D("2018-07-06"), 11), 12, D("2019-01-01"),
        names={"archive": "区档案馆", "library": "区图书馆"},
    )  # fmt: skip
    assert named.findings == ("2018 年 6 月送交区图书馆 11 份，与当月主动公开 12 条不符",)
    assert (named.recipient_name, late.recipient_name) == ("区图书馆", "图书馆")
    zero = check_delivery(201807, "archive", None, 0, D("2018-09-01"))
    assert zero.label == "未送交（应于 2018-08-03 前送交）"
    assert "也应报送数量为 0 的记录" in zero.findings[0]
    assert delivery_due(201809) == D("2018-10-10")


def test_check_deliveries_every_month_and_recipient() -> None:
    months = months_ended(2018, D("2018-07-15"))
    assert months == [201801, 201802, 201803, 201804, 201805, 201806]
    records = [
        DeliveryRecord(ym, r, D(f"2018-{ym % 100 + 1:02d}-02"), 10)
        for ym in months
        for r in ("archive", "library")
    ]
    records = [r for r in records if not (r.period_ym == 201803 and r.recipient == "library")]
    checks = check_deliveries(records, {ym: 10 for ym in months}, months, D("2018-07-15"), CAL)
    assert len(checks) == 12
    assert [(c.period_ym, c.recipient) for c in checks if c.status == "missing"] == [(201803, "library")]
    assert all(c.status == "on_time" for c in checks if c.period_ym != 201803 or c.recipient == "archive")
    # a caller judging many units works each month's frame out once: the same checks
    frames = [delivery_month(ym, CAL) for ym in months]
    assert check_deliveries(records, {ym: 10 for ym in months}, frames, D("2018-07-15"), CAL) == checks
    assert (frames[2].due, frames[2].text, frames[2].warnings) == (D("2018-04-04"), "2018 年 3 月", ())


def test_tallied_deliveries_count_what_the_checks_say() -> None:
    today = D("2018-08-02")  # July's deliveries are still pending
    months = [delivery_month(ym, CAL) for ym in months_ended(2018, today)]
    records = [
        DeliveryRecord(201801, "archive", D("2018-02-02"), 10),  # plainly on time
        DeliveryRecord(201801, "library", D("2018-02-02"), 9),  # on time, the count differs
        DeliveryRecord(201802, "archive", D("2018-03-30"), 10),  # late
        DeliveryRecord(201803, "archive", D("2018-03-30"), 10),  # before March ended
        DeliveryRecord(201804, "archive", None, 10),  # no date
        DeliveryRecord(201807, "archive", D("2018-08-01"), 10),  # July, on time before the due day
    ]
    published = {m.period_ym: 10 for m in months}
    checks = check_deliveries(records, published, months, today, CAL)
    rows = [(1, r.period_ym, r.recipient, r.delivered, r.item_count) for r in records]
    tally = tally_units(rows, {1: published}, months, [1], today, CAL, {})[1]
    due = [c for c in checks if c.status != "pending"]
    assert (tally.judged, tally.on_time) == (len(due), sum(c.status == "on_time" for c in due)) == (13, 4)
    assert tally.plain == 2
    assert list(tally.others) == [c for c in checks if c.status != "on_time" or c.findings]
    assert [c.status for c in tally.others if c.period_ym == 201807] == ["pending"]
    # a city's units in one pass: each unit's checks, the plainly on-time ones counted
    mine = [records, records[1:4], [], [DeliveryRecord(201801, "library", D("2018-02-05"), 7)]]
    counts = {1: published, 2: {201802: 10}, 3: {}, 4: {201801: 7}}
    names = {uid: {"archive": f"{uid}号档案馆", "library": "图书馆"} for uid in (1, 2, 3, 4)}
    rows = [(uid, r.period_ym, r.recipient, r.delivered, r.item_count)
            for uid, rs in enumerate(mine, start=1) for r in rs]  # fmt: skip
    together = tally_units(reversed(rows), counts, months, (1, 2, 3, 4), today, CAL, names)
    for uid in (1, 2, 3, 4):
        each = check_deliveries(mine[uid - 1], counts[uid], months, today, CAL, names=names[uid])
        others = tuple(c for c in each if c.status != "on_time" or c.findings)
        assert together[uid] == DeliveryTally(len(each) - len(others), others)
    assert [t.plain for t in together.values()] == [2, 0, 0, 1]
    assert {c.recipient_name for c in together[1].others} == {"1号档案馆", "图书馆"}


# ------------------------------------------------------------------- bulletin boards
def _events(*pairs: tuple[str, str]) -> list[BoardEvent]:
    return [BoardEvent(D(day), kind) for day, kind in pairs]


@pytest.mark.parametrize(
    ("updates", "today", "since", "overdue", "next_due"),
    [
        (  # a community board with only a Q1 update in 2018
            _events(("2018-03-10", "季度更新")),
            "2019-01-01",
            None,
            [
                "2018 年年度换新",
                "2018 年第 2 季度季度更新",
                "2018 年第 3 季度季度更新",
                "2018 年第 4 季度季度更新",
            ],
            ["2019 年第 1 季度季度更新", "2019 年年度换新"],
        ),
        (  # 高霞: a renewal in Q1 counts as Q1's update
            _events(("2018-02-02", "年度换新")),
            "2019-01-01",
            None,
            ["2018 年第 2 季度季度更新", "2018 年第 3 季度季度更新", "2018 年第 4 季度季度更新"],
            ["2019 年第 1 季度季度更新", "2019 年年度换新"],
        ),
        (  # 西园
            _events(("2018-01-20", "年度换新"), ("2018-04-18", "季度更新")),
            "2019-01-01",
            None,
            ["2018 年第 3 季度季度更新", "2018 年第 4 季度季度更新"],
            ["2019 年第 1 季度季度更新", "2019 年年度换新"],
        ),
        (  # the gate board: everything done, a repair and an immediate update do not count
            _events(
                ("2018-01-15", "年度换新"),
                ("2018-04-10", "季度更新"),
                ("2018-07-09", "季度更新"),
                ("2018-08-21", "修缮"),
                ("2018-10-11", "季度更新"),
                ("2018-11-08", "即时更新"),
            ),
            "2018-12-31",
            None,
            [],
            ["2019 年第 1 季度季度更新", "2019 年年度换新"],
        ),
        (  # nothing recorded since the board was put up: Q1 overdue, Q2 and the renewal due now
            [],
            "2018-05-01",
            "2018-01-01",
            ["2018 年第 1 季度季度更新"],
            ["2018 年第 2 季度季度更新", "2018 年年度换新"],
        ),
        (  # only 修缮 and 即时更新 in Q2 do not count as the quarterly update
            _events(("2018-01-15", "年度换新"), ("2018-05-02", "修缮"), ("2018-06-01", "即时更新")),
            "2018-07-02",
            None,
            ["2018 年第 2 季度季度更新"],
            ["2018 年第 3 季度季度更新", "2019 年年度换新"],
        ),
        (  # an update dated after today is not counted yet
            _events(("2018-01-15", "年度换新"), ("2018-05-10", "季度更新")),
            "2018-05-01",
            None,
            [],
            ["2018 年第 2 季度季度更新", "2019 年年度换新"],
        ),
        # Boards follow calendar quarters, not working days: an update on a 调休 weekend or a holiday
        # counts for the quarter it falls in.
        (  # 2018 National Day week: 09-30 (调休 Sunday) closes Q3, 10-05 (国庆节) is Q4's update
            _events(("2018-01-15", "年度换新"), ("2018-04-10", "季度更新"), ("2018-07-09", "季度更新"),
                    ("2018-09-30", "季度更新"), ("2018-10-05", "季度更新")),
            "2018-10-08",
            None,
            [],
            ["2019 年第 1 季度季度更新", "2019 年年度换新"],
        ),
        (  # 2018 National Day week: nothing since July, judged on the first working day after it
            _events(("2018-01-15", "年度换新"), ("2018-07-09", "季度更新")),
            "2018-10-08",
            None,
            ["2018 年第 2 季度季度更新"],
            ["2018 年第 4 季度季度更新", "2019 年年度换新"],
        ),
        (  # 2019 调休: the Q2 update made on Sunday 04-28 (a working day); Q3 missed; judged on Saturday 10-12
            _events(("2019-01-10", "年度换新"), ("2019-04-28", "季度更新")),
            "2019-10-12",
            None,
            ["2019 年第 3 季度季度更新"],
            ["2019 年第 4 季度季度更新", "2020 年年度换新"],
        ),
        (  # into 2027: every 2026 duty done, the 2027 renewal and Q1 update are due now
            _events(("2026-01-05", "年度换新"), ("2026-04-07", "季度更新"), ("2026-07-06", "季度更新"),
                    ("2026-10-09", "季度更新")),
            "2027-01-04",
            None,
            [],
            ["2027 年第 1 季度季度更新", "2027 年年度换新"],
        ),
        (  # into 2027: 2026 Q4 missed is overdue from 1 January
            _events(("2026-01-05", "年度换新"), ("2026-04-07", "季度更新"), ("2026-07-06", "季度更新")),
            "2027-01-01",
            None,
            ["2026 年第 4 季度季度更新"],
            ["2027 年第 1 季度季度更新", "2027 年年度换新"],
        ),
    ],
)  # fmt: skip
def test_board_table(
    updates: list[BoardEvent], today: str, since: str | None, overdue: list[str], next_due: list[str]
) -> None:
    status = board_status(updates, D(today), D(since) if since else None)
    assert [d.period + d.kind for d in status.overdue] == overdue
    assert [d.period + d.kind for d in status.next_due] == next_due
    assert all(d.status == "overdue" and d.label.endswith("已逾期") for d in status.overdue)
    # judged from a given day, the duties depend on renewals and quarterly updates alone
    given = D(since) if since else dt.date(updates[0].day.year, 1, 1)
    full = board_status(updates, D(today), given)
    assert board_status([e for e in updates if e.kind in DUTY_KINDS], D(today), given).duties == full.duties
    # and on which periods were done alone, whenever the unit first recorded an update
    done = done_periods(updates, given, D(today))
    for recorded_from in (None, dt.date.min, given, D(today), dt.date.max, *(e.day for e in updates)):
        status = board_status(updates, D(today), given, recorded_from)
        assert judge_duties(done, D(today), given, recorded_from) == (status.overdue, status.unrecorded)


def test_board_repairs_are_listed() -> None:
    status = board_status(
        _events(("2018-01-15", "年度换新"), ("2018-08-21", "修缮"), ("2018-10-11", "季度更新")),
        D("2018-12-31"),
    )
    assert [e.day for e in status.repairs] == [D("2018-08-21")]
    assert status.last_update == D("2018-10-11")
    done = [d.label for d in status.duties if d.status == "done"]
    assert done == [
        "2018 年年度换新：已完成（2018-01-15）",
        "2018 年第 1 季度季度更新：已完成（2018-01-15）",
        "2018 年第 4 季度季度更新：已完成（2018-10-11）",
    ]


# --------------------------------------------------------------------- key projects
def _months(project: str, plan: str | None, *lines: tuple[int, str, str]) -> list[ProjectMonth]:
    return [
        ProjectMonth(project, m, Decimal(a), Decimal(y), Decimal(plan) if plan else None) for m, a, y in lines
    ]


def _steady(plan: str, monthly: str, months: int) -> list[ProjectMonth]:
    """Months 1..months of one project investing the same amount each month."""
    step = Decimal(monthly)
    return [ProjectMonth("甲", m, step, step * m, Decimal(plan)) for m in range(1, months + 1)]


@pytest.mark.parametrize(
    ("rows", "threshold", "month", "kinds"),
    [
        (_months("甲", "1200", (1, "100", "100"), (2, "100", "200")), "10", None, []),
        (_months("甲", "1200", (1, "100", "90")), "10", None, ["mismatch"]),  # January: 累计 = 本月
        (
            _months("甲", "1200", (1, "100", "100"), (2, "100", "210"), (3, "100", "310")),
            "10",
            None,
            ["mismatch"],
        ),
        (_months("甲", "1200", (1, "100", "100"), (3, "200", "300")), "10", None, ["gap"]),
        (_months("甲", "1000", (10, "70", "700")), "10", None, ["gap", "lagging"]),  # 70% < 83.3% − 10
        (_months("甲", "1000", (1, "740", "740")), "10", None, []),
        (_months("甲", "1000", (1, "1", "1"), (2, "699", "700")), "15", None, []),  # 2/12 − 15pp < 0
        (_months("甲", "12000", (1, "0", "0"), (2, "0", "0"), (3, "1000", "1000")), "10", None, ["lagging"]),
        (
            _months("甲", "12000", (1, "0", "0"), (2, "0", "0"), (3, "1000", "1000")),
            "10",
            1,
            [],
        ),  # at January: 1/12 − 10pp < 0
        (_months("甲", None, (1, "0", "0")), "10", None, []),  # no plan: lagging unknown, never a guess
        # Projects are judged by month (N/12), not by working days: the National Day and 调休 months
        # are ordinary months, and a year's list starts afresh in January.
        (_steady("1200", "100", 10), "10", None, []),  # to October 2018: 1000 = 83.3% of plan, on line
        (_steady("1200", "80", 10), "10", None, ["lagging"]),  # 800 = 66.7% < 83.3% − 10
        (_steady("1200", "87.5", 12), "10", None, ["lagging"]),  # December 2026: 87.5% < 100% − 10
        (_steady("1200", "87.5", 12), "10", 11, ["lagging"]),  # as of November 2026: 80.2% < 91.7% − 10
        (_months("甲", "1200", (1, "100", "100")), "10", None, []),  # January 2027: 累计 = 本月 only
        (_months("甲", "1200", (1, "100", "1150")), "10", None, ["mismatch"]),  # 2026's 1050 carried over
        (_months("甲", "0", (1, "0", "0")), "10", None, []),
    ],
)
def test_project_table(rows: list[ProjectMonth], threshold: str, month: int | None, kinds: list[str]) -> None:
    findings = project_findings(rows, Decimal(threshold), month)
    assert [f.kind for f in findings["甲"]] == kinds


@pytest.mark.parametrize(
    ("ytd", "plan", "month", "threshold", "lags"),
    [
        ("70", "100", 10, "10", True),  # 70% < 83.3% − 10
        ("73.33", "100", 10, "10", True),  # just below 73.33…%
        ("73.34", "100", 10, "10", False),
        ("75", "100", 12, "25", False),  # exactly on the line: not below it
        ("74.99", "100", 12, "25", True),
        ("5", "100", 1, "5", False),  # 5% ≥ 8.3% − 5
        ("0", "1200", 3, "0", True),
        ("100", "0", 6, "10", None),  # no plan to divide by: unknown, never a guess
        ("100", None, 6, "10", None),
    ],
)
def test_lagging_with_the_bound_worked_out_once(
    ytd: str, plan: str | None, month: int, threshold: str, lags: bool | None
) -> None:
    """The readers that judge a month's many projects work the bound out once (lag_bound) and
    compare each project with it (lags_below): the same answers as is_lagging."""
    plan_d = Decimal(plan) if plan is not None else None
    bound = lag_bound(month, Decimal(threshold))
    assert lags_below(Decimal(ytd), plan_d, bound) is lags
    assert is_lagging(Decimal(ytd), plan_d, month, Decimal(threshold)) is lags
    share = lagging_share(Decimal(ytd), plan_d, bound)  # the progress the overview prints, when it lags
    assert share == (Decimal(ytd) / plan_d if lags else None)


def test_project_messages_and_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _months("甲", "1200", (1, "100", "100"), (2, "100", "210")) + _months(
        "乙", "1000", (1, "20", "20")
    )
    monkeypatch.setenv("LAG_THRESHOLD_PP", "5")
    assert lag_threshold() == Decimal("5")
    findings = project_findings(rows)
    assert [f.message for f in findings["甲"]] == [
        "2 月：1-2月累计 210 万元 ≠ 上月累计 100 + 本月 100 = 200 万元"
    ]
    assert [f.message for f in findings["乙"]] == ["1 月完成进度 2.0%，低于序时进度 8.3% 超过 5 个百分点"]
    monkeypatch.setenv("LAG_THRESHOLD_PP", "7")  # 2% is not more than 7 points below 8.3%
    assert project_findings(rows)["乙"] == []
    monkeypatch.setenv("LAG_THRESHOLD_PP", "abc")
    with pytest.raises(ValueError, match="LAG_THRESHOLD_PP"):
        lag_threshold()


# -------------------------------------------------------------- query helpers (seeded 2018)
def _qingyang(session) -> tuple[int, list[int]]:
    unit = unit_by_code(session, "qingyang")
    return unit.id, unit_and_descendants(session, unit.id)


def test_reports_on_the_2018_seed(seeded_db) -> None:
    with db.read_session(seeded_db) as session:
        unit_id, ids = _qingyang(session)
        timeliness = publication_timeliness_report(session, 2018, ids)
        deliveries = delivery_reports(session, [unit_id], 2018, D("2019-02-01"))[unit_id]
        boards = {b.name: s for b, s in board_report(session, ids, D("2019-01-01"))}
        requests = request_report(session, ids, D("2019-02-01"))
        projects = project_report(session, 2018, ids, month=10)
        expected_lagging = set(kpis.compute(session, 2018, 10, "qingyang")["projects"]["lagging"])

    assert (timeliness.overall.judged + timeliness.overall.unjudged, timeliness.overall.share) == (158, 1.0)
    assert {s.key: s.judged for s in timeliness.by_category}["安全生产、应急管理类"] == 30

    assert len(deliveries) == 24
    status = {(c.period_ym, c.recipient): (c.status, c.workday_no) for c in deliveries}
    assert status[(201806, "archive")] == ("late", 5)
    assert status[(201809, "library")] == ("on_time", 2)
    assert status[(201812, "archive")] == ("on_time", 2)
    assert all(not c.findings for c in deliveries)  # counts equal each month's publications

    assert "办公楼LED屏" not in boards
    gaoxia = [d.period + d.kind for d in boards["高霞社区居务公开栏"].overdue]
    assert gaoxia == ["2018 年第 2 季度季度更新", "2018 年第 3 季度季度更新", "2018 年第 4 季度季度更新"]
    assert boards["机关大院党（政）务公开栏"].overdue == ()
    assert len(boards["机关大院党（政）务公开栏"].repairs) == 1

    [(req, deadline, req_status)] = requests
    assert (deadline.rule, deadline.due, req_status.code) == ("2008", D("2018-08-06"), "answered_on_time")

    assert len(projects) == 25
    assert all(f.kind == "lagging" for found in projects.values() for f in found)
    assert {name for name, found in projects.items() if found} == expected_lagging
    assert "青阳街道社区卫生服务中心改扩建" in expected_lagging


# (name, ytd, plan): October with a threshold of 10 points puts the line at 73.33…% of the plan.
AT_THE_LINE = [
    ("正好在线上", "880", "1200"),  # 880 ÷ 1200 = 73.33…%: on the line, not below it
    ("差一分", "879.99", "1200"),
    ("大项目在线下", "73333333.32", "99999999.99"),  # a cent below the line: lagging
    ("大项目在线上", "73333333.33", "99999999.99"),  # a cent above it
    ("小项目", "0.01", "0.01"),  # 100%
    ("未动工", "0", "1200"),
    ("无计划", "100", "0"),  # no plan: never judged lagging
    ("超额", "1300", "1200"),
]


def test_key_figures_judge_projects_at_the_line_as_the_rule_does(
    empty_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kpis.compute and the overview's list have the database pick the projects that may lag and the
    rule judge them: projects on the line, a cent below it and far from it come out as is_lagging
    says, on every backend."""
    monkeypatch.setenv("LAG_THRESHOLD_PP", "10")
    with db.write_session(empty_db) as s:
        unit, batch = make_unit_and_batch(s, "projects", "2027-10")
        for seq, (name, ytd, plan) in enumerate(AT_THE_LINE, start=1):
            project = Project(unit_id=unit.id, year=2027, seq=seq, name=name, annual_plan=Decimal(plan))
            s.add(project)
            s.flush()
            s.add(ProjectProgress(project_id=project.id, unit_id=unit.id, year=2027, month=10, ym=202710,
                                  month_invested=Decimal(0), ytd_invested=Decimal(ytd),
                                  annual_plan=Decimal(plan), batch_id=batch.id))  # fmt: skip
        unit_id = unit.id
    with db.read_session(empty_db) as s:
        figures = kpis.compute(s, 2027, 10, "t")["projects"]
        listed = [name for _pid, _unit, name, _progress in projects_query.lagging(s, (unit_id,), 2027, 10)]
    assert figures is not None
    expected = [n for n, y, p in AT_THE_LINE if is_lagging(Decimal(y), Decimal(p), 10, Decimal(10))]
    assert figures["lagging"] == listed == expected == ["差一分", "大项目在线下", "未动工"]
    assert figures["count"] == len(AT_THE_LINE)
    assert figures["ytd_invested"] == float(sum(Decimal(y) for _n, y, _p in AT_THE_LINE))
    assert figures["annual_plan"] == float(sum(Decimal(p) for _n, _y, p in AT_THE_LINE))


def test_project_report_keeps_2026_and_2027_apart(empty_db) -> None:
    """Across the year end each year's list is reconciled on its own: January 2027 does not carry 2026."""
    with db.write_session(empty_db) as s:
        unit, batch = make_unit_and_batch(s, "projects", "2027-01")
        lines = {
            2026: [(m, "87.5", str(Decimal("87.5") * m)) for m in range(1, 13)],
            2027: [(1, "100", "100")],
        }
        for year, months in lines.items():
            for seq, name in enumerate(("跨年道路工程", "跨年安置房"), start=1):
                project = Project(unit_id=unit.id, year=year, seq=seq, name=name, annual_plan=Decimal(1200))
                s.add(project)
                s.flush()
                for month, amount, ytd in months:
                    if name == "跨年安置房" and year == 2027:
                        ytd = "1150"  # 2026's 1050 wrongly carried into January
                    s.add(ProjectProgress(project_id=project.id, unit_id=unit.id, year=year, month=month,
                                          ym=year * 100 + month, month_invested=Decimal(amount),
                                          ytd_invested=Decimal(ytd), annual_plan=Decimal(1200),
                                          batch_id=batch.id))  # fmt: skip
        unit_id = unit.id
    with db.read_session(empty_db) as s:
        december = project_report(s, 2026, [unit_id], threshold_pp=Decimal(10))
        january = project_report(s, 2027, [unit_id], threshold_pp=Decimal(10))
    assert {name: [(f.month, f.kind) for f in found] for name, found in december.items()} == {
        "跨年道路工程": [(12, "lagging")],
        "跨年安置房": [(12, "lagging")],
    }
    assert january["跨年道路工程"] == []
    assert [(f.month, f.kind, f.message) for f in january["跨年安置房"]] == [
        (1, "mismatch", "1 月：1-1月累计 1150.00 万元 ≠ 本月 100.00 = 100.00 万元")
    ]


# --------------------------------------------------------------------- nothing recorded is not failed
@pytest.mark.parametrize(
    ("updates", "today", "since", "recorded_from", "statuses"),
    [
        (  # before the unit's first record (March 2018): the 2017 periods are 未登记, not overdue
            [], "2018-01-01", "2017-01-01", "2018-03-05",
            {"2017 年年度换新": "unrecorded", "2017 年第 4 季度季度更新": "unrecorded"},
        ),
        (  # the quarter of the first record and every one after it are judged
            _events(("2018-03-05", "季度更新")), "2019-01-01", "2018-01-01", "2018-03-05",
            {"2018 年第 1 季度季度更新": "done", "2018 年第 2 季度季度更新": "overdue",
             "2018 年年度换新": "overdue"},
        ),
        (  # a unit that never recorded an update: every ended period is 未登记, the current one due
            [], "2018-05-10", "2018-01-01", "9999-12-31",
            {"2018 年第 1 季度季度更新": "unrecorded", "2018 年第 2 季度季度更新": "due", "2018 年年度换新": "due"},
        ),
        (  # recorded_from None: every period judged (the rule before)
            [], "2018-01-01", "2017-01-01", None,
            {"2017 年年度换新": "overdue", "2017 年第 4 季度季度更新": "overdue"},
        ),
    ],
)  # fmt: skip
def test_periods_before_the_first_record_are_unrecorded(
    updates: list[BoardEvent], today: str, since: str, recorded_from: str | None, statuses: dict[str, str]
) -> None:
    status = board_status(updates, D(today), D(since), D(recorded_from) if recorded_from else None)
    got = {d.period + d.kind: d.status for d in status.duties}
    assert {k: got[k] for k in statuses} == statuses
    assert all(d.status == "overdue" for d in status.overdue)
    unrecorded = [d for d in status.duties if d.status == "unrecorded"]
    assert all(d.label.endswith("未登记") for d in unrecorded)
    assert status.unrecorded == (
        bool(unrecorded) and all(d.status in ("unrecorded", "due") for d in status.duties)
    )
