"""Next year's holidays (issue 18, item 6) in the app: from 1 November an admin sees on 总览 that next
year's schedule is not entered, with a link to 节假日安排 (leaders do not, nor an admin in October, nor
once the year is entered); there the notice's lines are parsed, shown day by day for confirmation,
and saved only when confirmed; a line that cannot be read is named and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules import workdays
from data_access.store import db, holidays
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.pages import run, texts, url

# A 2030 notice in the published notices' words (chinese-calendar does not know 2030).
NOTICE_2030 = """国务院办公厅关于2030年部分节假日安排的通知
一、元旦：1月1日（周二）放假1天。
二、春节：2月2日（农历除夕、周六）至9日（农历正月初七、周六）放假调休，共8天。1月27日（周日）、2月10日（周日）上班。
三、国庆节：10月1日（周二）至7日（周一）放假调休，共7天。9月29日（周日）、10月12日（周六）上班。"""


def _admin(engine, name: str = "demo_admin"):  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, name)


@pytest.fixture
def demo(empty_sqlite):  # type: ignore[no-untyped-def]
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def _by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in widgets if w.label == label)


@pytest.mark.parametrize(
    ("today", "who", "shown"),
    [
        (dt.date(2029, 11, 1), "demo_admin", True),
        (dt.date(2029, 12, 31), "demo_admin", True),
        (dt.date(2029, 10, 31), "demo_admin", False),
        (dt.date(2029, 11, 1), "demo_leader", False),
        (dt.date(2026, 10, 15), "demo_admin", False),
    ],
)
def test_overview_tells_an_admin_from_november(monkeypatch, demo, today, who, shown):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("dashboard.reads.dashboards.today", lambda: today)
    at = run(monkeypatch, url(demo), who=_admin(demo, who))
    warned = [w.value for w in at.warning if "法定节假日安排尚未录入" in w.value]
    assert warned == (
        [
            f"{today.year + 1} 年的法定节假日安排尚未录入：国务院办公厅公布后，请录入，否则跨年的答复期限将按周末及固定日期节日推算。"
        ]
        if shown
        else []
    )
    links = [e for e in at.get("page_link") if e.proto.label.startswith("录入")]
    assert len(links) == int(shown)
    if shown:
        assert links[0].proto.label == f"录入 {today.year + 1} 年节假日安排"
        assert (
            links[0].proto.page == "admin_holidays"
            and links[0].proto.query_string == f"year={today.year + 1}"
        )


def test_the_notice_is_parsed_shown_and_saved_when_confirmed(monkeypatch, demo):  # type: ignore[no-untyped-def]
    at = run(monkeypatch, url(demo), "pages/admin_holidays.py", who=_admin(demo))
    _by_label(at.number_input, "年份").set_value(2030).run()
    _by_label(at.text_area, "通知原文（每个节日一行）").input(NOTICE_2030).run()
    _by_label(at.button, "解析").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "请核对：2030 年共 16 天放假、4 天调休上班。" in texts(at)
    assert "以下内容不是节日安排，已跳过：国务院办公厅关于2030年部分节假日安排的通知" in texts(at)
    parsed = at.dataframe[1].value
    assert len(parsed) == 20
    assert parsed.iloc[0].tolist() == ["2030-01-01", "周二", "休", "元旦"]
    assert parsed[parsed["日期"] == "2030-01-27"].iloc[0].tolist() == ["2030-01-27", "周日", "班", "春节调休"]
    with db.read_session(demo) as s:  # nothing saved before the confirmation
        assert not any(d.year == 2030 for d in holidays.load_calendar(s).overrides)
    _by_label(at.button, "确认无误，保存为 2030 年安排").click().run()
    assert at.success[0].value == "已保存 2030 年安排，共 20 天。所有期限已按新安排重新计算。"
    with db.read_session(demo) as s:
        cal = holidays.load_calendar(s)
    assert cal.year_is_known(2030)
    assert not cal.is_workday(dt.date(2030, 2, 4)) and cal.is_workday(dt.date(2030, 10, 12))
    assert workdays.next_year_missing(dt.date(2029, 11, 2), cal) is None


def test_a_bad_notice_line_is_named_and_nothing_saved(monkeypatch, demo):  # type: ignore[no-untyped-def]
    at = run(monkeypatch, url(demo), "pages/admin_holidays.py", who=_admin(demo))
    _by_label(at.number_input, "年份").set_value(2030).run()
    _by_label(at.text_area, "通知原文（每个节日一行）").input(
        "一、元旦：1月1日放假。\n二、春节：2月30日至3月2日放假调休。"
    ).run()
    _by_label(at.button, "解析").click().run()
    assert at.error[0].value == "第 2 行「二、春节：2月30日至3月2日放假调休。」：日期「2月30日」不存在"
    assert not [b for b in at.button if b.label.startswith("确认无误")]
    with db.read_session(demo) as s:
        assert not any(d.year == 2030 for d in holidays.load_calendar(s).overrides)
