"""The working-day calendar: package holidays and 调休, the weekend fallback with its warning, overrides winning."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data_access.rules.deadlines import compute_deadline, effective_due
from data_access.rules.workdays import (
    Calendar,
    DayOverride,
    missing_year_warning,
    package_schedule,
    parse_schedule,
)
from data_access.store import db
from data_access.store.holidays import delete_overrides, import_year_schedule, load_calendar, set_overrides
from data_access.store.models import WorkdayOverride

D = dt.date.fromisoformat
WARN_2027 = "2027 年的法定节假日安排尚未录入，已按周末及固定日期节日推算"


@pytest.mark.parametrize(
    ("day", "working", "reason", "source"),
    [
        # 2018 National Day week and its 调休 weekend
        ("2018-09-29", True, "调休上班", "package"),
        ("2018-09-30", True, "调休上班", "package"),
        ("2018-10-01", False, "国庆节", "package"),
        ("2018-10-06", False, "国庆节", "package"),
        ("2018-10-07", False, "国庆节", "package"),
        ("2018-10-08", True, "工作日", "package"),
        ("2018-09-24", False, "中秋节", "package"),
        # 2019: 调休 Sunday before and Saturday after National Day
        ("2019-09-29", True, "调休上班", "package"),
        ("2019-10-12", True, "调休上班", "package"),
        ("2019-10-13", False, "周日", "package"),
        ("2019-09-28", False, "周六", "package"),
        ("2019-10-07", False, "国庆节", "package"),
        ("2019-02-02", True, "调休上班", "package"),
        ("2019-02-05", False, "春节", "package"),
        ("2019-05-01", False, "劳动节", "package"),
        ("2019-05-14", True, "工作日", "package"),
        ("2019-05-15", True, "工作日", "package"),
        # 2027: nobody has entered it — weekends and fixed-date holidays
        ("2027-01-01", False, "元旦", "fallback"),
        ("2027-05-01", False, "劳动节", "fallback"),
        ("2027-10-01", False, "国庆节", "fallback"),
        ("2027-10-03", False, "国庆节", "fallback"),
        ("2027-10-04", True, "工作日", "fallback"),
        ("2027-02-06", False, "周六", "fallback"),
        ("2003-06-01", False, "周日", "fallback"),
    ],
)
def test_day_status_and_reason(day: str, working: bool, reason: str, source: str) -> None:
    info = Calendar().info(D(day))
    assert (info.is_workday, info.reason, info.source) == (working, reason, source)
    assert info.estimated is (source == "fallback")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2018-09-28", 1, "2018-09-29"),  # 调休 Saturday counts
        ("2018-09-28", 3, "2018-10-08"),  # then the National Day week is skipped
        ("2018-09-30", 1, "2018-10-08"),
        ("2019-09-27", 20, "2019-10-30"),
        ("2019-09-27", 40, "2019-11-27"),
        ("2019-10-11", 1, "2019-10-12"),  # 调休 Saturday
        ("2019-10-12", 1, "2019-10-14"),
        ("2026-12-30", 2, "2027-01-04"),  # 2027-01-01 元旦 (fallback), then the weekend
        ("2019-06-03", 0, "2019-06-03"),
    ],
)
def test_add_workdays(start: str, n: int, expected: str) -> None:
    assert Calendar().add_workdays(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2018-09-28", "2018-10-08", 3),
        ("2019-09-30", "2019-10-08", 1),
        ("2019-10-11", "2019-10-14", 2),
        ("2019-10-14", "2019-10-11", 0),
    ],
)
def test_count_workdays(start: str, end: str, count: int) -> None:
    assert Calendar().count_workdays(D(start), D(end)) == count


NTH_WORKDAYS = [
    (2018, 7, 3, "2018-07-04"),
    (2018, 10, 1, "2018-10-08"),
    (2018, 10, 3, "2018-10-10"),
    (2019, 1, 3, "2019-01-04"),  # 2019-01-01 元旦
    (2019, 2, 3, "2019-02-03"),  # 2019-02-02/03 were 调休 working weekend days
    (2027, 1, 3, "2027-01-06"),
]


@pytest.mark.parametrize(("year", "month", "n", "expected"), NTH_WORKDAYS)
def test_nth_workday_of_month(year: int, month: int, n: int, expected: str) -> None:
    assert Calendar().nth_workday_of_month(year, month, n) == D(expected)


def test_one_calendar_asked_again_and_in_any_order_answers_as_a_new_one() -> None:
    """A calendar remembers the answers it gave (each month's deadline is asked for once per unit)."""
    cal = Calendar()
    for _ in range(2):
        for year, month, n, expected in reversed(NTH_WORKDAYS):
            assert cal.nth_workday_of_month(year, month, n) == D(expected)
    assert cal.nth_workday_of_month(2018, 7, 4) == D("2018-07-05")
    assert cal.warnings_between(D("2027-12-01"), D("2028-01-10")) == cal.warnings_between(
        D("2028-01-10"), D("2027-12-01")
    )
    assert cal.warnings_between(D("2026-01-01"), D("2026-12-31")) == ()


@pytest.mark.parametrize(
    ("day", "number"),
    [("2018-07-06", 5), ("2018-10-09", 2), ("2018-10-07", 0), ("2019-01-03", 2)],
)
def test_workday_number_in_month(day: str, number: int) -> None:
    assert Calendar().workday_number_in_month(D(day)) == number


@pytest.mark.parametrize(
    ("start", "end", "warnings"),
    [
        ("2026-01-01", "2026-12-31", ()),
        ("2026-12-20", "2027-01-20", (WARN_2027,)),
        ("2027-03-01", "2026-11-01", (WARN_2027,)),
        ("2027-12-01", "2028-01-10", (WARN_2027, missing_year_warning(2028))),
        ("2003-12-01", "2004-01-10", ("2003 年的法定节假日安排尚未录入，已按周末及固定日期节日推算",)),
    ],
)
def test_missing_year_warnings(start: str, end: str, warnings: tuple[str, ...]) -> None:
    assert Calendar().warnings_between(D(start), D(end)) == warnings


@pytest.mark.parametrize(
    ("overrides", "day", "working", "reason"),
    [
        ({D("2019-10-08"): DayOverride(D("2019-10-08"), False, "台风停工")}, "2019-10-08", False, "台风停工"),
        ({D("2019-10-08"): False}, "2019-10-08", False, "休息日（本单位录入）"),
        ({D("2019-10-12"): False}, "2019-10-12", False, "周六"),  # a 调休 Saturday taken back
        ({D("2019-10-07"): True}, "2019-10-07", True, "工作日"),  # a holiday made a working day
        ({D("2019-10-13"): True}, "2019-10-13", True, "调休上班"),
        ({D("2027-02-06"): DayOverride(D("2027-02-06"), True, "春节调休")}, "2027-02-06", True, "调休上班"),
    ],
)
def test_overrides_win_over_package(overrides: dict, day: str, working: bool, reason: str) -> None:
    info = Calendar(overrides).info(D(day))
    assert (info.is_workday, info.reason, info.source) == (working, reason, "override")


def test_an_entered_year_has_no_warning_and_keeps_weekends() -> None:
    cal = Calendar([DayOverride(D("2027-02-08"), False, "春节")])
    assert cal.warnings_between(D("2027-01-01"), D("2027-12-31")) == ()
    assert cal.reason(D("2027-02-08")) == "春节"
    assert (cal.is_workday(D("2027-02-13")), cal.info(D("2027-02-13")).source) == (False, "rule")
    assert cal.reason(D("2027-10-01")) == "国庆节"


def test_package_schedule_lists_holidays_and_makeup_days() -> None:
    rows = {r.day: r for r in package_schedule(2019)}
    assert rows[D("2019-09-29")] == DayOverride(D("2019-09-29"), True, "国庆节")
    assert rows[D("2019-10-01")] == DayOverride(D("2019-10-01"), False, "国庆节")
    assert D("2019-10-13") not in rows  # an ordinary Sunday is not an override
    assert Calendar(rows.values()).add_workdays(D("2019-09-27"), 20) == D("2019-10-30")
    with pytest.raises(ValueError, match="2027"):
        package_schedule(2027)


def test_parse_schedule() -> None:
    text = "# 2027 年安排\n2027-01-01 休 元旦\n2027-02-07，班，春节调休\n\n2027-10-04\t休\t国庆节\n"
    assert parse_schedule(text) == [
        DayOverride(D("2027-01-01"), False, "元旦"),
        DayOverride(D("2027-02-07"), True, "春节调休"),
        DayOverride(D("2027-10-04"), False, "国庆节"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01", "第 1 行格式"),
        ("\n2027-13-01 休", "第 2 行日期无效"),
        ("2027-01-01 放假 元旦", "第 1 行第二列"),
    ],
)
def test_parse_schedule_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_schedule(text)


# ------------------------------------------------------------- the table, every backend
def test_override_table_wins_over_package(empty_db) -> None:
    with db.write_session(empty_db) as session:
        before = db.data_version(session)
        written = set_overrides(
            session,
            [
                DayOverride(D("2019-10-08"), False, "台风停工"),
                DayOverride(D("2019-10-12"), False),
                DayOverride(D("2019-10-08"), False, "台风“米娜”停工"),  # the last one given wins
            ],
        )
        assert written == 2
        assert db.data_version(session) > before
    with db.read_session(empty_db) as session:
        cal = load_calendar(session)
    assert cal.reason(D("2019-10-08")) == "台风“米娜”停工"
    assert not cal.is_workday(D("2019-10-12"))
    # 10-08 and 10-12 no longer count: the due date moves two working days later
    assert compute_deadline(D("2019-09-27"), calendar=cal).due == D("2019-11-01")

    with db.write_session(empty_db) as session:
        set_overrides(session, [DayOverride(D("2019-10-08"), True, None)])  # update in place
        assert delete_overrides(session, [D("2019-10-12")]) == 1
    with db.read_session(empty_db) as session:
        assert session.scalar(select(func.count()).select_from(WorkdayOverride)) == 1
        cal = load_calendar(session)
    assert cal.is_workday(D("2019-10-08")) and cal.is_workday(D("2019-10-12"))
    assert compute_deadline(D("2019-09-27"), calendar=cal).due == D("2019-10-30")


def test_import_year_schedule_replaces_the_year(empty_db) -> None:
    with db.write_session(empty_db) as session:
        import_year_schedule(session, 2027, parse_schedule("2027-10-04 休 国庆节\n2027-10-05 休 国庆节"))
        set_overrides(session, [DayOverride(D("2026-12-31"), False, "单位调整")])
        n = import_year_schedule(
            session,
            2027,
            parse_schedule("2027-10-04 休 国庆节\n2027-10-06 休 国庆节\n2027-10-09 班 国庆节调休"),
        )
        assert n == 3
    with db.read_session(empty_db) as session:
        cal = load_calendar(session)
    assert not cal.is_workday(D("2026-12-31"))  # another year's row is left alone
    assert cal.is_workday(D("2027-10-05"))  # replaced
    assert cal.reason(D("2027-10-09")) == "调休上班"
    result = compute_deadline(D("2027-09-28"), calendar=cal)
    assert result.warnings == ()
    assert {s.day for s in result.skipped} >= {D("2027-10-01"), D("2027-10-04"), D("2027-10-06")}

    with db.write_session(empty_db) as session, pytest.raises(ValueError, match="不属于 2027 年"):
        import_year_schedule(session, 2027, [DayOverride(D("2028-01-01"), False, "元旦")])


# The office's own overrides that the properties below mix in: a holiday in a year the package
# knows, a 调休 Saturday, and a schedule entered for a year the package does not know.
_MIXED = Calendar(
    [
        DayOverride(D("2019-10-08"), False, "单位调整"),
        DayOverride(D("2019-10-12"), True, None),
        DayOverride(D("2027-02-08"), False, "春节"),
        DayOverride(D("2027-02-20"), True, "春节调休"),
    ]
)
_DAYS = st.dates(min_value=D("2016-01-01"), max_value=D("2028-06-30"))


def _walked(cal: Calendar, start: dt.date, n: int) -> dt.date:
    """The definition: step day by day, counting working days."""
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        n -= cal.is_workday(day)
    return day


@settings(max_examples=300, deadline=None)
@given(start=_DAYS, n=st.integers(min_value=0, max_value=60), overrides=st.booleans())
def test_add_workdays_matches_the_day_by_day_walk(start: dt.date, n: int, overrides: bool) -> None:
    cal = _MIXED if overrides else Calendar()
    assert cal.add_workdays(start, n) == _walked(cal, start, n)


@settings(max_examples=300, deadline=None)
@given(start=_DAYS, days=st.integers(min_value=-40, max_value=800), overrides=st.booleans())
def test_count_workdays_matches_the_day_by_day_count(start: dt.date, days: int, overrides: bool) -> None:
    cal = _MIXED if overrides else Calendar()
    end = start + dt.timedelta(days=days)
    expected = sum(cal.is_workday(start + dt.timedelta(days=i)) for i in range(1, days + 1))
    assert cal.count_workdays(start, end) == expected


@settings(max_examples=300, deadline=None)
@given(
    received=_DAYS,
    approved=st.booleans(),
    days=st.integers(min_value=0, max_value=30),
    overrides=st.booleans(),
)
def test_effective_due_equals_the_explained_deadline(
    received: dt.date, approved: bool, days: int, overrides: bool
) -> None:
    cal = _MIXED if overrides else Calendar()
    full = compute_deadline(received, extension_approved=approved, extension_days=days, calendar=cal)
    assert effective_due(received, approved, days, cal) == full.effective_due


@pytest.mark.parametrize(
    ("received", "approved", "days", "expected"),
    [
        ("2019-09-27", False, 0, "2019-10-30"),  # the example: National Day week skipped
        ("2018-09-28", False, 0, "2018-10-24"),  # 2008 rules, 15 days: 9-29/9-30 调休 counted, 10-1..7 not
        ("2019-09-27", True, 0, "2019-11-27"),  # approved without days: the statutory 20 more
        ("2019-09-27", True, 5, "2019-11-06"),
        ("2026-12-15", False, 0, "2027-01-13"),  # into 2027: weekends and 元旦 only
    ],
)
def test_effective_due_table(received: str, approved: bool, days: int, expected: str) -> None:
    assert effective_due(D(received), approved, days, Calendar()) == D(expected)


@settings(max_examples=200, deadline=None)
@given(received=_DAYS, approved=st.booleans(), overrides=st.booleans())
def test_deadline_skipped_and_makeup_days_match_the_day_by_day_walk(
    received: dt.date, approved: bool, overrides: bool
) -> None:
    cal = _MIXED if overrides else Calendar()
    result = compute_deadline(received, extension_approved=approved, calendar=cal)
    skipped, makeup, day = [], [], received
    while day < result.extended_due:
        day += dt.timedelta(days=1)
        if not cal.is_workday(day):
            skipped.append((day, cal.reason(day)))
        elif day.weekday() >= 5:
            makeup.append(day)
    assert [(s.day, s.reason) for s in result.skipped + result.extension_skipped] == skipped
    assert list(result.makeup_workdays) == makeup
    assert result.due == _walked(cal, received, result.limit_days)
