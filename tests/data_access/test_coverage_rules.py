"""Each catalogue item's own 公开时限 (data_access.rules.coverage): due dates and periodic coverage."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules import coverage
from data_access.rules.duties import publication_timing
from data_access.rules.time_limits import parse_time_limit
from data_access.rules.workdays import package_calendar

CAL = package_calendar()
D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("text", "formed", "due"),
    [
        (None, "2018-03-15", "2018-04-13"),  # says nothing: 20 working days (Qingming 4-5..4-7, 4-8 worked)
        ("信息形成（变更）之日起20个工作日内", "2018-03-15", "2018-04-13"),
        ("信息形成之日起5个工作日内", "2018-09-28", "2018-10-10"),  # 9-29/9-30 worked, 10-1..10-7 off
        ("10日内", "2018-01-25", "2018-02-04"),  # calendar days
        ("1个月内", "2018-01-31", "2018-02-28"),  # clamped to the month's end
        ("每月", "2018-03-15", "2018-03-31"),
        ("每季度", "2018-02-10", "2018-03-31"),
        ("每季度结束后10个工作日内", "2018-03-15", "2018-04-16"),
        ("每半年", "2018-07-01", "2018-12-31"),
        ("每年", "2018-05-05", "2018-12-31"),
        ("每年结束后15日内", "2018-05-05", "2019-01-15"),
        ("实时", "2018-03-15", "2018-04-13"),  # days not stated by the office: the statutory 20
        ("实时，最迟5个工作日", "2018-03-15", "2018-03-22"),
        ("长期公开", "2018-03-15", None),
    ],
)
def test_due_date_by_the_items_own_limit(text: str | None, formed: str, due: str | None) -> None:
    assert coverage.due_date(D(formed), parse_time_limit(text), CAL) == (D(due) if due else None)


@pytest.mark.parametrize(
    ("text", "formed", "published", "on_time", "note"),
    [
        (None, "2018-03-15", "2018-04-13", True, None),
        (None, "2018-03-15", "2018-04-16", False, None),
        ("每季度", "2018-03-15", "2018-03-31", True, None),
        ("每季度", "2018-03-15", "2018-04-02", False, None),  # 20 working days would have allowed it
        ("长期公开", "2018-03-15", "2020-01-01", None, "长期公开，无公开时限"),
        ("信息形成之日起5个工作日内", "2018-03-15", "2018-03-23", False, None),
        ("信息形成之日起5个工作日内", "2018-03-15", None, None, "尚未公开"),
    ],
)
def test_publication_timing_takes_the_limit(
    text: str | None, formed: str, published: str | None, on_time: bool | None, note: str | None
) -> None:
    timing = publication_timing(D(formed), D(published) if published else None, CAL, parse_time_limit(text))
    assert (timing.on_time, timing.note) == (on_time, note)


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        ([None, None], None),
        ([None, "每季度"], "每季度"),
        (["每月", "每季度"], "每月"),
        ([], None),
    ],
)
def test_effective_limit_is_the_nearest_stated(chain: list[str | None], expected: str | None) -> None:
    assert coverage.effective_limit(parse_time_limit(t) for t in chain) == parse_time_limit(expected)


@pytest.mark.parametrize(
    ("text", "default"),
    [(None, True), ("20个工作日内", True), ("实时", True), ("实时，20个工作日内", True),
     ("15个工作日内", False), ("每月", False), ("长期公开", False), ("20日内", False)],
)  # fmt: skip
def test_which_limits_judge_as_the_statutory_default(text: str | None, default: bool) -> None:
    assert coverage.is_default(parse_time_limit(text)) is default


@pytest.mark.parametrize(
    ("period", "day", "start", "end", "label"),
    [
        ("month", "2018-02-10", "2018-02-01", "2018-02-28", "2018年2月"),
        ("quarter", "2018-05-10", "2018-04-01", "2018-06-30", "2018年第2季度"),
        ("half", "2018-07-01", "2018-07-01", "2018-12-31", "2018年下半年"),
        ("year", "2018-07-01", "2018-01-01", "2018-12-31", "2018年"),
    ],
)
def test_periods(period: str, day: str, start: str, end: str, label: str) -> None:
    assert coverage.period_of(D(day), period) == (D(start), D(end))
    assert coverage.period_label(D(start), period) == label


Q1 = (D("2018-01-01"), D("2018-03-31"), D("2018-03-31"))
Q2 = (D("2018-04-01"), D("2018-06-30"), D("2018-06-30"))


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ([("2018-02-01", "2018-03-30")], [("on_time", "2018-03-30"), ("missing", None)]),
        ([("2017-12-20", "2018-01-05")], [("on_time", "2018-01-05"), ("missing", None)]),  # formed before
        ([("2018-03-20", "2018-04-20")], [("late", "2018-04-20"), ("missing", None)]),  # Q1's, not Q2's
        ([("2018-04-02", "2018-04-03")], [("missing", None), ("on_time", "2018-04-03")]),
        ([("2018-03-20", None)], [("missing", None), ("missing", None)]),
        (
            [("2018-01-02", "2018-01-03"), ("2018-01-04", "2018-05-03")],
            [("on_time", "2018-01-03"), ("on_time", "2018-05-03")],
        ),
        (
            [("2018-03-01", "2018-03-02")],
            [("on_time", "2018-03-02"), ("missing", None)],
        ),  # one item, one period
        ([], [("missing", None), ("missing", None)]),
    ],
)
def test_judge_periods(
    published: list[tuple[str, str | None]], expected: list[tuple[str, str | None]]
) -> None:
    pairs = [(D(f), D(p) if p else None) for f, p in published]
    assert coverage.judge_periods([Q1, Q2], pairs) == [(s, D(w) if w else None) for s, w in expected]


def test_coverage_counts_only_periods_already_due() -> None:
    quarterly = coverage.Owed(1, "财政预决算", 7, "甲街道", parse_time_limit("每季度结束后10个工作日内"))
    yearly = coverage.Owed(2, "年度计划", 7, "甲街道", parse_time_limit("每年"))
    long_term = coverage.Owed(3, "公开指南", 7, "甲街道", parse_time_limit("长期公开"))
    published = {
        (7, 1): [(D("2018-01-10"), D("2018-04-13")), (D("2018-05-01"), D("2018-07-31"))],
        (7, 2): [(D("2018-03-01"), D("2018-03-02"))],
    }
    # On 2018-10-20: Q1 on time (due 04-16), Q2 late (due 07-13), Q3 missing (due 10-19); Q4 not yet due.
    found = coverage.coverage([quarterly, yearly, long_term], published, 2018, D("2018-10-20"), CAL)
    assert found.as_dict() == {"due": 4, "on_time": 2, "late": 1, "missing": 1}  # yearly met on time already
    assert [(line.label, line.status) for line in found.lines] == [
        ("2018年第2季度", "late"),
        ("2018年第3季度", "missing"),
    ]
    assert found.lines[1].text == "甲街道「财政预决算」2018年第3季度未公开（应于2018-10-19前公开）"
    # On the due day itself the third quarter is not yet missing.
    assert coverage.coverage([quarterly], published, 2018, D("2018-10-19"), CAL).missing == 0


@pytest.mark.parametrize(
    ("month", "today", "day"),
    [(12, "2026-12-02", "2026-12-02"), (3, "2026-12-02", "2018-04-01"), (11, "2018-11-15", "2018-11-15")],
)
def test_judging_day(month: int, today: str, day: str) -> None:
    year = 2018 if month != 12 else 2026
    assert coverage.judging_day(year, month, D(today)) == D(day)
