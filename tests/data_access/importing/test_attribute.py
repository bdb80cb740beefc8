"""A publication's 公开属性 is never 主动公开 by a silent default: a row with a 不公开理由 and no
attribute is stored 不公开, a file without the attribute column is warned about, 主动公开 with a
reason is an error, the preview shows each row's attribute, and a withheld row never reaches
the lobby screen."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from dashboard.panels.upload_view import changes_frame, rows_frame
from data_access.read import public
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Publication
from data_access.write.importing import ERROR, WARNING, commit, preview
from tests.helpers.builders import UNIT, setup_unit, table_counts, xlsx

HEADER = ["索引号", "信息名称", "所属类别", "形成日期", "公开日期", "不公开理由"]
PRIVATE = "西园社区低保对象张某某家庭收入核查表"
PUBLIC = "青阳街道2018年12月份最低生活保障费发放情况"
TODAY = dt.date(2018, 12, 31)


def rows(reason: str | None = "个人隐私") -> list[list]:
    return [
        HEADER,
        ["QY-0601-2018-0001", PRIVATE, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-05", reason],
        ["QY-0601-2018-0002", PUBLIC, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-04", None],
    ]


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    return empty_db


def stored(engine: Engine) -> dict[str, tuple[str, str | None]]:
    with db.read_session(engine) as s:
        return {
            title: (attribute, reason)
            for title, attribute, reason in s.execute(
                select(Publication.title, Publication.attribute, Publication.withheld_reason)
            )
        }


def test_a_reason_without_an_attribute_column_is_withheld_and_never_on_the_screen(engine: Engine) -> None:
    data = xlsx(rows())
    checked = preview(engine, data, "publications", UNIT, "2018-12", "目录.xlsx")
    assert checked.status == "valid"
    assert {r["title"]: r["attribute"] for r in checked.added} == {PRIVATE: "withheld", PUBLIC: "proactive"}
    shown = rows_frame("publications", checked.added)
    assert dict(zip(shown["信息名称"], shown["公开属性"], strict=True)) == {
        PRIVATE: "不公开",
        PUBLIC: "主动公开",
    }
    assert list(shown["不公开理由"]) == ["个人隐私", ""]
    warnings = [i for i in checked.issues if i.level == WARNING and "公开属性" in i.message]
    assert len(warnings) == 1 and "未填不公开理由的 1 行均按主动公开导入" in warnings[0].message
    assert "填了不公开理由的 1 行按不公开导入" in warnings[0].message

    result = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "目录.xlsx")
    assert result.status == "committed"
    assert any(i.level == WARNING and "文件没有“公开属性”列" in i.message for i in result.issues)
    assert stored(engine) == {PRIVATE: ("withheld", "个人隐私"), PUBLIC: ("proactive", None)}
    with db.read_session(engine) as s:
        screen = public.screen_data(s, UNIT, TODAY)
    assert [item.title for item in screen.newest] == [PUBLIC]
    assert screen.published_month == screen.published_year == 1
    assert PRIVATE not in repr(screen)


def test_proactive_with_a_reason_is_an_error_asking_which(engine: Engine) -> None:
    header = [*HEADER, "公开属性"]
    data = xlsx(
        [
            header,
            ["QY-0601-2018-0001", PRIVATE, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-05", "个人隐私", "主动公开"],
            ["QY-0601-2018-0002", PUBLIC, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-04", None, "主动公开"],
        ]
    )  # fmt: skip
    before = table_counts(engine)
    result = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "目录.xlsx")
    assert result.status == "rejected"
    errors = [i for i in result.issues if i.level == ERROR]
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column, errors[0].column_letter) == (2, "公开属性", "G")
    assert "为主动公开，但填写了不公开理由「个人隐私」" in errors[0].message
    assert "还是不公开" in errors[0].message
    assert table_counts(engine) == before


def test_a_blank_attribute_cell_follows_the_reason_and_is_warned_about(engine: Engine) -> None:
    header = [*HEADER, "公开属性"]
    data = xlsx(
        [
            header,
            ["QY-0601-2018-0001", PRIVATE, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-05", "个人隐私", None],
            ["QY-0601-2018-0002", PUBLIC, "民政扶贫救灾社会保障就业类", "2018-12-03", "2018-12-04", "无", None],
            ["QY-0601-2018-0003", "依申请公开的信息", "民政扶贫救灾社会保障就业类", "2018-12-03", None, None, "依申请公开"],
        ]
    )  # fmt: skip
    result = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "目录.xlsx")
    assert result.status == "committed", result.issues
    assert stored(engine) == {
        PRIVATE: ("withheld", "个人隐私"),
        PUBLIC: ("proactive", None),
        "依申请公开的信息": ("on_request", None),
    }
    warnings = [i for i in result.issues if i.level == WARNING and "公开属性" in i.message]
    assert [(w.row, w.column) for w in warnings] == [(3, "公开属性")]
    assert "第 3 行（共 1 行）的“公开属性”为空且未填不公开理由，已按主动公开导入" in warnings[0].message


def test_a_changed_row_shows_the_attribute_it_will_have(engine: Engine) -> None:
    first = xlsx(rows(reason=None))
    assert commit(engine, OPERATOR, first, "publications", UNIT, "2018-12", "v1.xlsx").status == "committed"
    assert stored(engine)[PRIVATE] == ("proactive", None)
    checked = preview(engine, xlsx(rows()), "publications", UNIT, "2018-12", "v2.xlsx")
    assert [(old["attribute"], new["attribute"]) for old, new in checked.changed] == [
        ("proactive", "withheld")
    ]
    frame = changes_frame("publications", checked.changed)
    assert list(frame.columns[:3]) == ["索引号", "公开属性", "栏目"]
    assert set(frame["公开属性"]) == {"不公开"}
    assert ("公开属性", "主动公开", "不公开") in set(
        zip(frame["栏目"], frame["原值"], frame["新值"], strict=True)
    )
