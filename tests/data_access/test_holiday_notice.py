"""The State Council holiday notice parser (issue 18, item 6): the notices of 2019–2026, line by line
as published (国务院办公厅关于某年部分节假日安排的通知), give every day of their year as
chinese-calendar has it; a line that cannot be read is refused with a Chinese message naming it."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from data_access.rules.holiday_notice import NoticeError, parse_notice

NOTICES = {
    2019: """国务院办公厅关于2019年部分节假日安排的通知
经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。
三、清明节：4月5日放假，与周末连休。
四、劳动节：5月1日至4日放假调休，共4天。4月28日（星期日）、5月5日（星期日）上班。
五、端午节：6月7日放假，与周末连休。
六、中秋节：9月13日放假，与周末连休。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。""",
    # The 2020 notice, then the line of the notice extending that Spring Festival (国办发明电〔2020〕1号):
    # a later line wins, so 2月1日 is no longer worked.
    2020: """一、元旦：2020年1月1日放假，共1天。
二、春节：1月24日至30日放假调休，共7天。1月19日（星期日）、2月1日（星期六）上班。
三、清明节：4月4日至6日放假调休，共3天。
四、劳动节：5月1日至5日放假调休，共5天。4月26日（星期日）、5月9日（星期六）上班。
五、端午节：6月25日至27日放假调休，共3天。6月28日（星期日）上班。
六、国庆节、中秋节：10月1日至8日放假调休，共8天。9月27日（星期日）、10月10日（星期六）上班。
春节假期延长：1月31日至2月2日放假。""",
    2021: """一、元旦：2021年1月1日至3日放假，共3天。
二、春节：2月11日至17日放假调休，共7天。2月7日（星期日）、2月20日（星期六）上班。
三、清明节：4月3日至5日放假调休，共3天。
四、劳动节：5月1日至5日放假调休，共5天。4月25日（星期日）、5月8日（星期六）上班。
五、端午节：6月12日至14日放假，共3天。
六、中秋节：9月19日至21日放假调休，共3天。9月18日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班。""",
    2022: """一、元旦：2022年1月1日至3日放假，共3天。
二、春节：1月31日至2月6日放假调休，共7天。1月29日（星期六）、1月30日（星期日）上班。
三、清明节：4月3日至5日放假调休，共3天。4月2日（星期六）上班。
四、劳动节：4月30日至5月4日放假调休，共5天。4月24日（星期日）、5月7日（星期六）上班。
五、端午节：6月3日至5日放假，共3天。
六、中秋节：9月10日至12日放假，共3天。
七、国庆节：10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。""",
    2023: """一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
三、清明节：4月5日放假，共1天。
四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。""",
    2024: """一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。""",
    2025: """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。""",
    2026: """一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。""",
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_each_notice_gives_every_day_as_chinese_calendar_has_it(year: int) -> None:
    schedule = parse_notice(NOTICES[year], year)
    entered = {d.day: d.is_workday for d in schedule.in_year(year)}
    day, differ = dt.date(year, 1, 1), []
    while day.year == year:
        parsed = entered.get(day, day.weekday() < 5)  # a day the notice does not name: weekends off
        if parsed != chinese_calendar.is_workday(day):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []
    # Every weekday off and every weekend worked is named after its holiday.
    assert all(d.name for d in schedule.days)
    makeup = [d for d in schedule.in_year(year) if d.is_workday]
    assert makeup and all(d.day.weekday() >= 5 and d.name.endswith("调休") for d in makeup)  # type: ignore[union-attr]


def test_the_lines_that_are_not_holiday_lines_are_returned_to_be_seen() -> None:
    schedule = parse_notice(NOTICES[2019], 2019)
    assert schedule.ignored == (
        "国务院办公厅关于2019年部分节假日安排的通知",
        "经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。",
        "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。",
    )
    new_year = [d for d in schedule.days if d.name == "元旦"]
    assert [d.day for d in new_year] == [dt.date(2018, 12, 30), dt.date(2018, 12, 31), dt.date(2019, 1, 1)]
    assert dt.date(2018, 12, 29) in {d.day for d in schedule.days if d.is_workday}
    assert [d.day.year for d in schedule.in_year(2019)] == [2019] * len(schedule.in_year(2019))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "春节2月4日至10日放假调休，共7天。",
            "第 2 行「春节2月4日至10日放假调休，共7天。」：应以节日名称和冒号开头",
        ),
        ("春节：放假调休，共7天。", "第 2 行「春节：放假调休，共7天。」：“放假”之前没有日期"),
        (
            "春节：2月30日至3月2日放假调休。",
            "第 2 行「春节：2月30日至3月2日放假调休。」：日期「2月30日」不存在",
        ),
        (
            "国庆节：10月7日至1日放假。",
            "第 2 行「国庆节：10月7日至1日放假。」：放假结束日期 2027-10-01 早于开始日期 2027-10-07",
        ),
        ("清明节：5日放假。", "第 2 行「清明节：5日放假。」：「5日」没有月份"),
        (
            "劳动节：5月1日至5日放假调休。4月30日（周五）上班。",
            "2027-04-30 是工作日（周五），调休上班的应是周六或周日",
        ),
        ("春节：2月4日至10日放假调休。请于节后上班。", "“上班”之前没有日期"),
        ("春节：2月4日至10日放假调休。2月6日（星期六）上班。", "2027-02-06 既在放假期间又写明上班"),
        ("春节：2月1日、2月4日至10日放假调休。", "放假日期应为一天或“某日至某日”，这里有 3 个日期"),
        ("春节：1月4日至3月10日放假调休。", "超过 31 天"),
        ("：2月4日至10日放假。", "应以节日名称和冒号开头"),
    ],
)
def test_a_line_that_cannot_be_read_is_named_in_chinese(line: str, message: str) -> None:
    text = "一、元旦：1月1日放假，共1天。\n" + line
    with pytest.raises(NoticeError) as caught:
        parse_notice(text, 2027)
    assert message in str(caught.value)
    assert str(caught.value).startswith("第 2 行「")


def test_a_new_year_range_without_years_starts_in_december() -> None:
    schedule = parse_notice("元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。", 2019)
    assert [(d.day, d.is_workday) for d in schedule.days] == [
        (dt.date(2018, 12, 29), True),
        (dt.date(2018, 12, 30), False),
        (dt.date(2018, 12, 31), False),
        (dt.date(2019, 1, 1), False),
    ]
