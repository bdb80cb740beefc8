"""The reminder rules (data_access.rules.reminders), table by table: due within 3 working days
(across the 2019 National Day holiday and its make-up Sunday), last month's delivery in the first
3 working days of the month, boards' quarterly updates near the quarter's end, month end for
lagging projects, who is reminded, and the message."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules import reminders as rules
from data_access.rules.duties import QUARTERLY, RENEWAL, BoardDuty
from data_access.rules.reminders import Item, Person
from data_access.rules.workdays import Calendar, DayOverride

CAL = Calendar()  # the package's calendar: 2019-10-01..07 off, Sunday 2019-09-29 and Saturday 10-12 worked
D = dt.date


@pytest.mark.parametrize(
    ("today", "due", "left", "within"),
    [
        (D(2019, 11, 4), D(2019, 11, 6), 3, True),  # Mon → Wed: today counted
        (D(2019, 11, 4), D(2019, 11, 7), 4, False),
        (D(2019, 11, 6), D(2019, 11, 6), 1, True),  # due today
        (D(2019, 11, 7), D(2019, 11, 6), 0, False),  # passed: overdue, not "due soon"
        (D(2019, 11, 8), D(2019, 11, 11), 2, True),  # Fri → Mon over a weekend
        (D(2019, 9, 30), D(2019, 10, 8), 2, True),  # across the seven days off
        (D(2019, 9, 27), D(2019, 10, 8), 4, False),  # the make-up Sunday 9-29 counts
        (D(2019, 9, 28), D(2019, 10, 8), 3, True),  # a Saturday off: 9-29, 9-30, 10-8
        (D(2019, 10, 3), D(2019, 10, 10), 3, True),  # in the holiday: 10-8, 9, 10
        (D(2019, 10, 10), D(2019, 10, 14), 4, False),  # Saturday 10-12 worked: 10, 11, 12, 14
    ],
)
def test_due_within_three_working_days(today: dt.date, due: dt.date, left: int, within: bool) -> None:
    assert rules.workdays_left(today, due, CAL) == left
    assert rules.due_within(today, due, CAL) is within


@pytest.mark.parametrize(
    ("today", "first_past"),
    [
        (D(2019, 11, 4), D(2019, 11, 7)),  # Mon: due Mon–Wed is inside
        (D(2019, 11, 8), D(2019, 11, 13)),  # Fri: Fri, Mon, Tue
        (D(2019, 9, 30), D(2019, 10, 10)),  # 9-30, 10-8, 10-9 across the holiday
        (D(2019, 9, 28), D(2019, 10, 9)),  # a Saturday off: 9-29 (make-up), 9-30, 10-8
    ],
)
def test_the_window_ends_after_the_third_working_day(today: dt.date, first_past: dt.date) -> None:
    assert rules.horizon(today, CAL) == first_past
    last = first_past - dt.timedelta(days=1)
    assert rules.due_within(today, last, CAL) and not rules.due_within(today, first_past, CAL)


def test_an_office_holiday_moves_the_count() -> None:
    own = Calendar([DayOverride(D(2019, 11, 5), False, "本单位休息")])
    assert rules.workdays_left(D(2019, 11, 4), D(2019, 11, 7), CAL) == 4
    assert rules.workdays_left(D(2019, 11, 4), D(2019, 11, 7), own) == 3
    assert rules.due_within(D(2019, 11, 4), D(2019, 11, 7), own)


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (D(2019, 10, 5), 201909),  # before October's first working day
        (D(2019, 10, 8), 201909),  # 1st working day of October
        (D(2019, 10, 10), 201909),  # 3rd: the last day
        (D(2019, 10, 11), None),  # 4th: overdue, no longer "due"
        (D(2019, 1, 2), 201812),  # 1 January off: 2, 3, 4 January
        (D(2019, 1, 4), 201812),
        (D(2019, 1, 7), None),
        (D(2019, 11, 5), 201910),  # Fri 1, Mon 4, Tue 5
        (D(2019, 11, 6), None),
        (D(2019, 11, 20), None),
    ],
)
def test_deliveries_due_in_the_first_three_working_days(today: dt.date, month: int | None) -> None:
    assert rules.delivery_month_due(today, CAL) == month


def _quarter(status: str, kind: str = QUARTERLY) -> BoardDuty:
    return BoardDuty(kind, "2019 年第 3 季度", D(2019, 7, 1), D(2019, 9, 30), status)


@pytest.mark.parametrize(
    ("today", "status", "due"),
    [
        (D(2019, 9, 16), "due", False),  # 12 working days left (9-29 worked)
        (D(2019, 9, 18), "due", True),  # 10 left
        (D(2019, 9, 17), "due", False),  # 17–20, 23–27, 29, 30: 11 left
        (D(2019, 9, 30), "due", True),
        (D(2019, 9, 18), "done", False),
        (D(2019, 9, 18), "upcoming", False),
        (D(2019, 10, 8), "overdue", False),  # overdue is reminded as overdue, not as due
    ],
)
def test_boards_quarterly_update_near_the_quarter_end(today: dt.date, status: str, due: bool) -> None:
    assert rules.board_duty_due(_quarter(status), today, CAL) is due
    assert rules.board_duty_due(_quarter(status, RENEWAL), today, CAL) is due  # the year's renewal alike


@pytest.mark.parametrize(
    ("today", "end"),
    [
        (D(2019, 9, 26), False),  # 26, 27, 29 (make-up), 30: four left
        (D(2019, 9, 27), True),
        (D(2019, 9, 28), True),  # a Saturday off between them
        (D(2019, 9, 30), True),
        (D(2019, 10, 29), True),  # Tue: 29, 30, 31
        (D(2019, 10, 28), False),
        (D(2019, 12, 27), True),  # Fri: 27, 30, 31
        (D(2019, 12, 26), False),
    ],
)
def test_month_end_for_lagging_projects(today: dt.date, end: bool) -> None:
    assert rules.is_month_end(today, CAL) is end


PEOPLE = [
    Person("s_city", "市工作人员", "staff", 1, "s1@example.gov.cn"),
    Person("l_city", "市领导", "leader", 1, None),
    Person("s_jia", "甲工作人员", "staff", 2, "s2@example.gov.cn"),
    Person("l_jia", "甲领导", "leader", 2, None),
    Person("s_jia2", "甲工作人员二", "staff", 2, None),
]
PARENTS = {1: None, 2: 1, 3: 2}  # 市 → 甲街道 → 乙社区 (no one of its own)


def _item(unit: int, overdue: bool, key: str = "k") -> Item:
    return Item(key, "request_overdue" if overdue else "request_due", unit, "", "", None, overdue)


@pytest.mark.parametrize(
    ("unit", "overdue", "who"),
    [
        (2, False, ["s_jia", "s_jia2"]),  # the unit's staff
        (2, True, ["s_jia", "s_jia2", "l_jia"]),  # and its leaders when overdue
        (3, False, ["s_jia", "s_jia2"]),  # a unit with no one: the nearest above with staff
        (3, True, ["s_jia", "s_jia2", "l_jia"]),
        (1, True, ["s_city", "l_city"]),  # never the units below
    ],
)
def test_who_is_reminded(unit: int, overdue: bool, who: list[str]) -> None:
    assert [p.username for p in rules.recipients_for(_item(unit, overdue), PEOPLE, PARENTS)] == who


def test_one_message_per_recipient_groups_their_items_with_due_dates_and_links() -> None:
    items = [
        Item(
            "request:2:A",
            "request_due",
            2,
            "甲街道",
            "甲街道 A：即将到期（剩 2 个工作日）",
            D(2019, 10, 10),
            False,
        ),
        Item(
            "board:7:q",
            "board",
            3,
            "乙社区",
            "乙社区 公开栏：2019 年第 3 季度季度更新已逾期",
            D(2019, 9, 30),
            True,
        ),
        Item(
            "request:2:B",
            "request_overdue",
            2,
            "甲街道",
            "甲街道 B：已逾期（逾期 5 个工作日）",
            D(2019, 9, 30),
            True,
        ),
    ]
    grouped = rules.by_recipient(items, PEOPLE, PARENTS)
    assert sorted(grouped) == ["l_jia", "s_jia", "s_jia2"]
    assert [i.key for i in grouped["l_jia"][1]] == ["request:2:B", "board:7:q"]
    assert [i.key for i in grouped["s_jia"][1]] == [
        "request:2:B",
        "request:2:A",
        "board:7:q",
    ]  # kinds in order
    person, mine = grouped["s_jia"]
    text = rules.message(person, D(2019, 10, 9), mine, "https://gk.example.gov.cn/", markdown=True)
    assert text.startswith("### 【政务公开提醒】2019-10-09：3 项待办（2 项已逾期）")
    assert "甲工作人员，您好" in text
    assert "**依申请公开：已逾期**（[打开页面](https://gk.example.gov.cn/requests)）" in text
    assert "- 甲街道 A：即将到期（剩 2 个工作日）（期限 2019-10-10）" in text
    assert "(https://gk.example.gov.cn/duties)" in text
    assert text.index("已逾期（逾期 5") < text.index("即将到期（剩 2") < text.index("公开栏")
    plain = rules.message(person, D(2019, 10, 9), mine, "https://gk.example.gov.cn", markdown=False)
    assert "【公开栏更新】 https://gk.example.gov.cn/duties" in plain and "**" not in plain
