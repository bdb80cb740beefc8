"""Administration: the pure checks (tables of cases) and the audited writes on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access.rules import permissions, vocab, workdays
from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db, holidays
from data_access.store.models import AnnualTarget, Category
from data_access.store.reference import ensure_reference_data, list_units, unit_levels
from data_access.write import admin, auth
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue

# ------------------------------------------------------------------ pure checks


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("qingyang", True),
        ("qingyang-xiyuan", True),
        ("a1", True),
        ("x", True),
        ("2024-new", True),
        ("a" * 40, True),
        ("a" * 41, False),
        ("", False),
        ("QingYang", False),
        ("qing_yang", False),
        ("qing yang", False),
        ("-qingyang", False),
        ("qingyang-", False),
        ("qing--yang", False),
        ("青阳", False),
        ("<script>", False),
        ("qingyang/../x", False),
    ],
)
def test_unit_code_problem(code: str, ok: bool) -> None:
    assert (admin.unit_code_problem(code) is None) is ok


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("青阳街道", None),
        ("  西园社区 ", None),
        ("<script>alert(1)</script>", None),  # stored as text; every page renders it as text
        ("", "单位名称不能为空"),
        ("   ", "单位名称不能为空"),
        ("a" * 101, "单位名称不能超过 100 个字符"),
        ("第一行\n第二行", "单位名称不能包含换行或控制字符"),
        ("tab\there", "单位名称不能包含换行或控制字符"),
    ],
)
def test_name_problem(name: str, problem: str | None) -> None:
    assert admin.name_problem(name, "单位名称") == problem


@pytest.mark.parametrize(
    ("hotline", "ok"),
    [
        ("0595-85601021", True),
        ("12345", True),
        ("", True),
        ("  ", True),
        ("(0595) 8560 1021", True),
        ("+86 595 85601021", True),
        ("12", False),
        ("0595-8560abc", False),
        ("javascript:alert(1)", False),
        ("1" * 41, False),
    ],
)
def test_hotline_problem(hotline: str, ok: bool) -> None:
    assert (admin.hotline_problem(hotline) is None) is ok


LEVELS = dict(vocab.UNIT_LEVELS)


@pytest.mark.parametrize(
    ("level", "problem"),
    [
        ("province", None),
        ("district", None),
        ("community", None),
        ("department", None),
        ("town", "未知的单位层级：town（可选：province（省）、city（市）、district（区（县））、"
                 "subdistrict（街道（乡镇））、community（社区（村））、department（部门））"),
    ],
)  # fmt: skip
def test_level_problem_knows_only_the_levels_and_no_parent_rule(level: str, problem: str | None) -> None:
    assert admin.level_problem(level, LEVELS) == problem
    assert admin.level_problem("town", {**LEVELS, "town": "镇"}) is None


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("full_name", "某市人民政府某街道办事处", None),
        ("full_name", "", None),
        ("archive_name", "区档案馆", None),
        ("hotline_name", "12345热线", None),
        ("signature", "x" * 201, "年度报告落款不能超过 200 个字符"),
        ("library_name", "图书馆\n", "送交的图书馆不能包含换行或控制字符"),
        ("phone", "call me", "热线号码只能包含数字、连字符、空格、加号和括号：call me"),
    ],
)
def test_profile_problem(field: str, value: str, problem: str | None) -> None:
    assert admin.profile_problem(field, value) == problem


# 1 city ← 2 sub-district ← 3, 4 communities; 5 another city
TREE = {1: None, 2: 1, 3: 2, 4: 2, 5: None}


@pytest.mark.parametrize(
    ("parents", "unit", "new_parent", "cycle"),
    [
        (TREE, 3, 4, False),
        (TREE, 2, 5, False),
        (TREE, 2, None, False),
        (TREE, 2, 2, True),
        (TREE, 1, 3, True),
        (TREE, 2, 4, True),
        (TREE, 1, 2, True),
        (TREE, 5, 3, False),
        ({1: 2, 2: 1, 3: None}, 3, 1, True),  # an existing loop above the new parent
    ],
)
def test_creates_cycle(parents: dict, unit: int, new_parent: int | None, cycle: bool) -> None:
    assert admin.creates_cycle(parents, unit, new_parent) is cycle


@pytest.mark.parametrize(
    ("code", "parent", "ok"),
    [
        ("0601", "06", True),
        ("060103", "0601", True),
        ("0610", "06", True),
        ("0701", "06", False),
        ("061", "06", False),
        ("06011", "06", False),
        ("0600", "06", False),
        ("06a1", "06", False),
        ("０６０１", "06", False),  # full-width digits
        ("", "06", False),
    ],
)
def test_category_code_problem(code: str, parent: str, ok: bool) -> None:
    assert (admin.category_code_problem(code, parent) is None) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (160, 160),
        (160.0, 160),
        ("160", 160),
        (" 1,200 ", 1200),
        ("1e2", 100),
        (None, None),
        (float("nan"), None),
        ("", None),
        ("  ", None),
        (-1, "不能为负数"),
        ("-5", "不能为负数"),
        (1.5, "应为整数"),
        ("12.5", "应为整数"),
        ("十", "应为不小于 0 的整数"),
        ("abc", "应为不小于 0 的整数"),
        (True, "应为不小于 0 的整数"),
        (float("inf"), "应为不小于 0 的整数"),
        (10_000_001, "不能超过"),
    ],
)
def test_target_value(value: object, expected: int | str | None) -> None:
    if isinstance(expected, str):
        with pytest.raises(ValueError, match=expected):
            admin.target_value(value)
    else:
        assert admin.target_value(value) == expected


@pytest.mark.parametrize(
    ("year", "ok"), [(2000, True), (2027, True), (2100, True), (1999, False), (2101, False)]
)
def test_year_problem(year: int, ok: bool) -> None:
    assert (admin.year_problem(year) is None) is ok


def test_year_days_lists_holidays_makeup_days_and_entries() -> None:
    cal = workdays.Calendar([workdays.DayOverride(dt.date(2024, 3, 6), False, "台风停工")])
    days = {d.day: d for d in admin_calendar.year_days(cal, 2024)}
    assert days[dt.date(2024, 2, 10)].reason == "春节" and not days[dt.date(2024, 2, 10)].is_workday
    assert days[dt.date(2024, 2, 4)].is_workday and days[dt.date(2024, 2, 4)].reason == "调休上班"
    assert days[dt.date(2024, 3, 6)].source == workdays.SOURCE_OVERRIDE
    assert dt.date(2024, 3, 9) not in days, "a plain Saturday is left out unless asked"
    assert dt.date(2024, 3, 9) in {d.day for d in admin_calendar.year_days(cal, 2024, weekends=True)}
    unknown = admin_calendar.year_days(workdays.Calendar(), 2031)
    assert {d.reason for d in unknown} == {"元旦", "劳动节", "国庆节"}
    assert {d.source for d in unknown} == {workdays.SOURCE_FALLBACK}


def test_schedule_text_round_trips_through_parse_schedule() -> None:
    rows = workdays.package_schedule(2025)
    assert workdays.parse_schedule(admin_calendar.schedule_text(rows)) == rows
    assert admin_calendar.schedule_text([workdays.DayOverride(dt.date(2027, 1, 1), False)]) == "2027-01-01 休"


# ------------------------------------------------------------------ writes, on every backend


def _base(s) -> permissions.Principal:  # type: ignore[no-untyped-def]
    """A city with a sub-district, the catalogue, and an admin acting."""
    ensure_reference_data(s)
    admin.add_unit(s, code="jinjiang", name="晋江市", level="city", parent_code=None, actor=OPERATOR)
    admin.add_unit(
        s, code="qingyang", name="青阳街道", level="subdistrict", parent_code="jinjiang", actor=OPERATOR
    )
    actor, _ = auth.create_user(s, "boss", role="admin", unit_code="jinjiang", actor=OPERATOR)
    return actor


def _settings_changes(s) -> list[audit.AuditEntry]:  # type: ignore[no-untyped-def]
    """The settings changes made by the acting admin (not by _base), newest first."""
    return audit.list_entries(s, 100, action="settings_change", username="boss")


def test_units_add_rename_hotline_move_are_audited(empty_db):
    with db.write_session(empty_db) as s:
        actor = _base(s)
        v0 = db.data_version(s)
        admin.add_unit(
            s,
            code="qingyang-xiyuan",
            name=" 西园社区 ",
            level="community",
            parent_code="qingyang",
            hotline="0595-1",
            actor=actor,
            source="10.0.0.9",
        )
        assert admin.rename_unit(s, "qingyang-xiyuan", "西园社区居委会", actor=actor)
        assert not admin.rename_unit(s, "qingyang-xiyuan", "西园社区居委会", actor=actor)
        assert admin.set_hotline(s, "qingyang", "0595-85601021", actor=actor)
        admin.add_unit(
            s, code="anhai", name="安海镇", level="subdistrict", parent_code="jinjiang", actor=actor
        )
        assert admin.move_unit(s, "qingyang-xiyuan", "anhai", actor=actor)
        assert db.data_version(s) > v0
    with db.read_session(empty_db) as s:
        rows = {u.code: u for u in admin.list_unit_rows(s)}
        entries = _settings_changes(s)
        order = [code for code, _n, _d in list_units(s)]
    assert rows["qingyang-xiyuan"].name == "西园社区居委会" and rows["qingyang-xiyuan"].parent_code == "anhai"
    assert rows["qingyang-xiyuan"].depth == 2 and rows["qingyang"].hotline == "0595-85601021"
    assert order == ["jinjiang", "qingyang", "anhai", "qingyang-xiyuan"]
    details = [e.detail for e in reversed(entries)]
    assert details[0] == "新增单位 西园社区（qingyang-xiyuan，社区（村）），上级：青阳街道（qingyang）"
    assert "单位 qingyang-xiyuan 更名：西园社区 → 西园社区居委会" in details
    assert "单位 青阳街道（qingyang）热线：无 → 0595-85601021" in details
    assert len(details) == 5 and {e.username for e in entries} == {"boss"}
    assert entries[-1].source == "10.0.0.9"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: admin.add_unit(
                s, code="Bad", name="x", level="community", parent_code="qingyang", actor=OPERATOR
            ),
            "小写字母",
        ),
        (
            lambda s: admin.add_unit(
                s, code="qingyang", name="x", level="community", parent_code="qingyang", actor=OPERATOR
            ),
            "已被使用",
        ),
        (
            lambda s: admin.add_unit(
                s, code="x1", name="x", level="community", parent_code="nowhere", actor=OPERATOR
            ),
            "不存在",
        ),
        (
            lambda s: admin.add_unit(
                s, code="x1", name="x", level="town", parent_code="jinjiang", actor=OPERATOR
            ),
            "未知的单位层级：town",
        ),
        (lambda s: admin.add_level(s, "city", "城市", actor=OPERATOR), "层级代码 city 已被使用"),
        (lambda s: admin.add_level(s, "town", "市", actor=OPERATOR), "层级名称“市”已被使用"),
        (lambda s: admin.add_level(s, "Town", "镇", actor=OPERATOR), "层级代码只能"),
        (
            lambda s: admin.set_profile(
                s, "qingyang", {"full_name": "某街道办事处", "phone": "call me"}, actor=OPERATOR
            ),
            "热线号码",
        ),
        (lambda s: admin.set_profile(s, "qingyang", {"mayor": "x"}, actor=OPERATOR), "未知的单位资料项"),
        (
            lambda s: admin.add_unit(
                s, code="x1", name=" ", level="community", parent_code="qingyang", actor=OPERATOR
            ),
            "不能为空",
        ),
        (
            lambda s: admin.move_unit(s, "jinjiang", "qingyang", actor=OPERATOR),
            "不能把 晋江市 调整到它自己或它的下级单位之下",
        ),
        (lambda s: admin.move_unit(s, "qingyang", "qingyang", actor=OPERATOR), "它自己"),
        (
            lambda s: admin.move_unit(s, "qingyang", None, actor=OPERATOR),
            None,
        ),  # a sub-district may be top level
        (lambda s: admin.set_hotline(s, "qingyang", "call me", actor=OPERATOR), "热线号码"),
        (lambda s: admin.rename_unit(s, "nowhere", "x", actor=OPERATOR), "单位代码 nowhere 不存在"),
    ],
)
def test_unit_refusals_change_nothing(empty_sqlite, call, message):
    with db.write_session(empty_sqlite) as s:
        _base(s)
    before_entries = _count(empty_sqlite)
    if message is None:
        with db.write_session(empty_sqlite) as s:
            assert call(s)
        return
    with pytest.raises(ValueError, match=message), db.write_session(empty_sqlite) as s:
        call(s)
    with db.read_session(empty_sqlite) as s:
        rows = admin.list_unit_rows(s)
        assert [u.code for u in rows] == ["jinjiang", "qingyang"]
        assert all(u.full_name is None and u.hotline is None for u in rows)
        assert list(unit_levels(s)) == [code for code, _label in vocab.UNIT_LEVELS]
    assert _count(empty_sqlite) == before_entries


def _count(engine) -> int:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as s:
        return audit.count_entries(s)


def test_catalogue_add_and_rename(empty_db):
    with db.write_session(empty_db) as s:
        actor = _base(s)
        admin_catalogue.add_category(s, parent_code="0601", code="060103", name="临时救助", actor=actor)
        admin_catalogue.add_category(s, parent_code="06", code="0604", name="残疾人服务", actor=actor)
        assert admin_catalogue.rename_category(s, "0604", "残疾人事业", actor=actor)
        with pytest.raises(ValueError, match="与编码 060101 的名称重复"):
            admin_catalogue.add_category(
                s, parent_code="0604", code="060401", name="最低生活保障 ", actor=OPERATOR
            )
        deeper = admin_catalogue.add_category(
            s, parent_code="060103", code="06010301", name="x", actor=OPERATOR
        )
        assert deeper.level == 4  # a catalogue has any number of levels
        with pytest.raises(ValueError, match="上级编码 0601 后加两位数字"):
            admin_catalogue.add_category(s, parent_code="0601", code="070101", name="y", actor=OPERATOR)
        with pytest.raises(ValueError, match="已存在"):
            admin_catalogue.add_category(s, parent_code="0601", code="060101", name="z", actor=OPERATOR)
        with pytest.raises(ValueError, match="不能更名"):
            admin_catalogue.rename_category(s, "0201", "规范文件", actor=OPERATOR)
    with db.read_session(empty_db) as s:
        rows = admin_catalogue.list_category_rows(s)
        new = s.scalar(select(Category).where(Category.code == "060103"))
        root = s.scalar(select(Category.id).where(Category.code == "06"))
        details = [e.detail for e in _settings_changes(s)]
    codes = [c.code for c in rows]
    assert codes.index("060103") == codes.index("060102") + 1 and codes.index("0604") > codes.index("060302")
    assert (new.level, new.root_id) == (3, root)
    assert "默认目录：目录 0604 更名：残疾人服务 → 残疾人事业" in details


def test_targets_save_change_and_clear(empty_db):
    with db.write_session(empty_db) as s:
        actor = _base(s)
        n = admin_catalogue.save_targets(
            s, "qingyang", 2024, {None: "160", "01": 35, "06": None}, actor=actor
        )
        assert n == 2
        assert admin_catalogue.save_targets(s, "qingyang", 2024, {None: 160.0}, actor=actor) == 0
        assert admin_catalogue.save_targets(s, "qingyang", 2024, {None: 170, "01": None}, actor=actor) == 2
        with pytest.raises(ValueError, match="机构职能类：年度目标不能为负数"):
            admin_catalogue.save_targets(s, "qingyang", 2024, {"01": -3}, actor=OPERATOR)
        with pytest.raises(ValueError, match="总计：年度目标应为整数"):
            admin_catalogue.save_targets(s, "qingyang", 2024, {None: 1.5}, actor=OPERATOR)
        with pytest.raises(ValueError, match="一级目录编码 99 不存在"):
            admin_catalogue.save_targets(s, "qingyang", 2024, {"99": 1}, actor=OPERATOR)
    with db.read_session(empty_db) as s:
        rows = admin_catalogue.list_targets(s, "qingyang", 2024)
        other_year = admin_catalogue.list_targets(s, "qingyang", 2025)
        stored = s.scalars(select(AnnualTarget)).all()
        details = [e.detail for e in _settings_changes(s)]
    assert rows[0].category_code is None and rows[0].target == 170
    assert [r.category_name for r in rows[1:4]] == ["机构职能类", "政策、规范性文件类", "规划计划类"]
    assert all(r.target is None for r in rows[1:]) and len(rows) == 10
    assert all(r.target is None for r in other_year)
    assert [(t.metric, t.category_id, int(t.target)) for t in stored] == [("publications", None, 170)]
    assert details[0] == "青阳街道 2024 年主动公开目标：总计 160 → 170；机构职能类 35 → 未设"
    assert details[1] == "青阳街道 2024 年主动公开目标：总计 未设 → 160；机构职能类 未设 → 35"


def test_holiday_schedule_is_audited_and_moves_the_data_version(empty_db):
    rows = workdays.parse_schedule("2031-01-01 休 元旦\n2031-01-22 休 春节\n2031-02-08 班 春节调休")
    with db.write_session(empty_db) as s:
        actor = _base(s)
        v0 = db.data_version(s)
        assert admin_calendar.save_year_schedule(s, 2031, rows, actor=actor, source="10.1.1.1") == 3
        assert db.data_version(s) > v0
        assert (
            admin_calendar.remove_overrides(s, [dt.date(2031, 2, 8), dt.date(2031, 3, 3)], actor=actor) == 1
        )
        assert admin_calendar.remove_overrides(s, [dt.date(2031, 3, 3)], actor=actor) == 0
        with pytest.raises(ValueError, match="不属于 2030 年"):
            admin_calendar.save_year_schedule(s, 2030, rows, actor=actor)
    with db.read_session(empty_db) as s:
        cal = holidays.load_calendar(s)
        details = [e.detail for e in _settings_changes(s)]
    assert cal.year_is_known(2031) and not cal.is_workday(dt.date(2031, 1, 22))
    assert not cal.is_workday(dt.date(2031, 2, 8)), "the deleted 调休 day is a plain Saturday again"
    assert details == [
        "删除本单位录入的 1 个日期：2031-02-08",
        "录入 2031 年节假日安排：共 3 天（休息 2 天，调休上班 1 天）",
    ]
