"""The administration pages in AppTest: who may open them, what they change, and that every
name or detail a user typed is drawn as text, never as markup."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from data_access.rules import permissions, workdays
from data_access.rules.permissions import OPERATOR
from data_access.store import audit, db, holidays
from data_access.store.models import OrgUnit, UnitLevel
from data_access.write import auth
from seed import qingyang2018
from tests.helpers.hostile_text import XSS
from tests.helpers.pages import principal, record_downloads, run, texts

ADMIN_PAGES = [
    "pages/admin_users.py",
    "pages/admin_units.py",
    "pages/admin_catalogue.py",
    "pages/admin_holidays.py",
    "pages/admin_audit.py",
]
TITLES = ["用户管理", "单位管理", "目录与年度目标", "节假日安排", "操作日志"]


def _url(engine) -> str:  # type: ignore[no-untyped-def]
    return engine.url.render_as_string(hide_password=False)


def _seeded(engine) -> permissions.Principal:  # type: ignore[no-untyped-def]
    """Load the demo into a writable database; return demo_admin as the session would hold it."""
    with db.write_session(engine) as s:
        qingyang2018.load(s)
    with db.read_session(engine) as s:
        admin = auth.principal_for_username(s, "demo_admin")
    assert admin is not None
    return admin


def _by_label(widgets, label: str):  # type: ignore[no-untyped-def]
    return next(w for w in widgets if w.label == label)


def _frame(at, n: int = 0):  # type: ignore[no-untyped-def]
    return at.dataframe[n].value


@pytest.mark.parametrize("role", ["leader", "staff"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_leader_and_staff_are_refused(monkeypatch, seeded_sqlite_url, page, role):
    at = run(monkeypatch, seeded_sqlite_url, page, who=principal(role))
    assert [e.value for e in at.error] == ["无权访问"]
    assert not at.dataframe and not at.text_input and not at.get("arrow_data_frame")


@pytest.mark.parametrize(("page", "title"), list(zip(ADMIN_PAGES, TITLES, strict=True)))
def test_admin_opens_every_page(monkeypatch, seeded_sqlite_url, page, title):
    at = run(monkeypatch, seeded_sqlite_url, page, who=principal("admin"))
    assert at.title[0].value == title
    assert not at.error
    assert at.dataframe, "each admin page shows its table"


def test_add_user_shows_the_password_once_and_it_must_be_changed(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_users.py", who=admin)
    _by_label(at.text_input, "用户名").input("Zhang.San")
    _by_label(at.text_input, "姓名").input("张三")
    _by_label(at.selectbox, "角色").set_value("staff")
    _by_label(at.selectbox, "所属单位").set_value("qingyang-xiyuan")
    _by_label(at.button, "新建用户").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "已新建用户 zhang.san。"
    password = at.code[0].value
    assert len(password) == 12 and "只显示这一次" in at.warning[0].value
    users = _frame(at)
    row = users[users["用户名"] == "zhang.san"].iloc[0]
    assert (row["姓名"], row["角色"], row["所属单位"], row["状态"], row["须改密码"]) == (
        "张三",
        "工作人员",
        "西园社区",
        "启用",
        "是",
    )
    at.run()
    assert not at.code, "the password is shown only once"

    with db.write_session(empty_sqlite) as s:
        result = auth.authenticate(s, "zhang.san", password)
    assert result.ok and result.user is not None and result.user.must_change_password
    forced = run(monkeypatch, _url(empty_sqlite), who=result.user)
    assert forced.title[0].value == "我的账户" and "须先修改密码" in forced.warning[0].value
    assert not forced.metric, "nothing else opens before the password is changed"
    with db.read_session(empty_sqlite) as s:
        entry = audit.list_entries(s, 1, action="user_change")[0]
    assert (entry.username, entry.detail) == ("demo_admin", "新建用户 zhang.san（工作人员，西园社区）")


def test_add_user_refusals_are_chinese_errors(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_users.py", who=admin)
    _by_label(at.text_input, "用户名").input("demo_staff")
    _by_label(at.button, "新建用户").click().run()
    assert at.error[0].value == "用户名 demo_staff 已存在"
    _by_label(at.text_input, "用户名").input("wang")
    _by_label(at.text_input, "初始密码（可留空）").input("12345678")
    _by_label(at.button, "新建用户").click().run()
    assert at.error[0].value == "密码不能全是数字"


def test_reset_then_disable_then_enable(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    url = _url(empty_sqlite)
    at = run(monkeypatch, url, "pages/admin_users.py", who=admin)
    _by_label(at.selectbox, "选择用户").set_value("demo_leader")
    _by_label(at.button, "重置密码").click().run()
    assert at.success[0].value.startswith("已重置 demo_leader 的密码")
    password = at.code[0].value
    with db.write_session(empty_sqlite) as s:
        result = auth.authenticate(s, "demo_leader", password)
    assert result.ok and result.user is not None and result.user.must_change_password

    active = next(w for w in at.selectbox if w.key == "admin-active-user")
    active.set_value("demo_leader").run()
    _by_label(at.button, "停用账号").click().run()
    assert at.success[0].value == "已停用用户 demo_leader，其登录已失效。"
    users = _frame(at)
    assert users[users["用户名"] == "demo_leader"].iloc[0]["状态"] == "已停用"
    login = run(monkeypatch, url, who=None)
    login.text_input[0].input("demo_leader")
    login.text_input[1].input(password)
    login.button[0].click().run()
    assert login.error[0].value == "账户已停用，请联系管理员"

    next(w for w in at.selectbox if w.key == "admin-active-user").set_value("demo_admin").run()
    _by_label(at.button, "停用账号").click().run()
    assert at.error[0].value == "不能停用自己的账户"
    next(w for w in at.selectbox if w.key == "admin-active-user").set_value("demo_leader").run()
    _by_label(at.button, "启用账号").click().run()
    assert at.success[0].value == "已启用用户 demo_leader。"


def test_units_add_edit_move_and_refuse(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_units.py", who=admin)
    assert _by_label(at.selectbox, "上级单位").value == "qingyang"
    _by_label(at.text_input, "单位代码").input("qingyang-dongfang")
    _by_label(at.text_input, "单位名称").input("东方社区")
    _by_label(at.text_input, "公开电话").input("0595-1234567")
    _by_label(at.button, "添加单位").click().run()
    assert at.success[0].value == "已添加单位 东方社区。"
    units = _frame(at)
    assert units.iloc[-1].tolist() == [
        "　　东方社区",
        "qingyang-dongfang",
        "社区（村）",
        "青阳街道",
        *["—"] * 4,  # full name, archive, library, hotline duty: not entered (the fallbacks apply)
        "0595-1234567",
        "—",
    ]
    assert units.iloc[1].tolist()[4:8] == ["晋江市人民政府青阳街道办事处", "市档案馆", "市图书馆", "市长专线"]

    _by_label(at.text_input, "单位代码").input("Bad Code")
    _by_label(at.text_input, "单位名称").input("坏代码")
    _by_label(at.button, "添加单位").click().run()
    assert "单位代码只能由小写字母、数字和连字符" in at.error[0].value

    move = [w for w in at.selectbox if w.label == "选择单位"][-1]
    move.set_value("jinjiang")
    _by_label(at.selectbox, "新的上级单位").set_value("qingyang-xiyuan")
    _by_label(at.button, "调整上级").click().run()
    assert at.error[0].value == "不能把 晋江市 调整到它自己或它的下级单位之下"

    next(w for w in at.selectbox if w.key == "admin-edit-unit").set_value("qingyang").run()
    hotline = [w for w in at.text_input if w.label == "公开电话"][-1]
    assert hotline.value == "0595-85601021"
    hotline.input("0595-88888888")
    _by_label(at.text_input, "值班热线名称").input("12345热线")
    _by_label(at.text_input, "送交的档案馆").input("")
    _by_label(at.button, "保存").click().run()
    assert at.success[0].value == "已保存。"
    with db.read_session(empty_sqlite) as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == "qingyang"))
        assert (unit.hotline, unit.hotline_name, unit.archive_name) == ("0595-88888888", "12345热线", None)
    shown = " ".join(i.value for i in at.info)
    assert "热线值班：12345热线" in shown and "送交“市档案馆”“市图书馆”" in shown, (
        shown
    )  # the city's, inherited

    _by_label(at.text_input, "层级代码").input("zone")
    _by_label(at.text_input, "层级名称").input("开发区")
    _by_label(at.button, "添加层级").click().run()
    assert at.success[0].value == "已添加层级 开发区。"
    level = [w for w in at.selectbox if w.label == "层级"][0]
    assert "zone" in level.options or "开发区" in level.options


def test_levels_are_renamed_and_an_unused_own_level_deleted_after_a_tick(monkeypatch, empty_sqlite):
    from data_access.write import admin as admin_write

    admin = _seeded(empty_sqlite)
    with db.write_session(empty_sqlite) as s:
        admin_write.add_level(s, "zone", "开发区", actor=OPERATOR)
        admin_write.add_level(s, "park", "园区", actor=OPERATOR)
        admin_write.add_unit(
            s, code="gx", name="高新区", level="zone", parent_code="jinjiang", actor=OPERATOR
        )
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_units.py", who=admin)
    rename, delete = [w for w in at.selectbox if w.label == "选择层级"]
    assert delete.options == ["开发区（zone）", "园区（park）"]  # only the office's own levels

    rename.set_value("subdistrict")
    _by_label(at.text_input, "新的层级名称").input("街道")
    _by_label(at.button, "改名").click().run()
    assert [w.value for w in at.warning] == ["请先勾选确认，再提交。"]
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(UnitLevel.label).where(UnitLevel.code == "subdistrict")) == "街道（乡镇）"
    [w for w in at.selectbox if w.label == "选择层级"][0].set_value("subdistrict")
    _by_label(at.text_input, "新的层级名称").input("街道")
    _by_label(at.checkbox, "确认改名：各处（单位列表、报告等）显示的层级名称随之改变").check()
    _by_label(at.button, "改名").click().run()
    assert at.success[0].value == "已将层级 subdistrict 改名为 街道。"
    rows = {r[1]: r for r in _frame(at).values.tolist()}
    assert rows["qingyang"][2] == "街道"  # the unit list shows the new name; the code stays

    [w for w in at.selectbox if w.label == "选择层级"][1].set_value("zone")
    _by_label(at.checkbox, "确认删除该层级（有单位在用的层级不能删除）").check()
    _by_label(at.button, "删除层级").click().run()
    assert at.error[0].value == "层级“开发区”（zone）有 1 个单位在用，不能删除"
    [w for w in at.selectbox if w.label == "选择层级"][1].set_value("park")
    _by_label(at.checkbox, "确认删除该层级（有单位在用的层级不能删除）").check()
    _by_label(at.button, "删除层级").click().run()
    assert at.success[0].value == "已删除层级 园区。"
    assert [w for w in at.selectbox if w.label == "选择层级"][1].options == ["开发区（zone）"]
    with db.read_session(empty_sqlite) as s:
        assert set(s.scalars(select(UnitLevel.code))) >= {"zone", "subdistrict"}
        assert s.scalar(select(UnitLevel.code).where(UnitLevel.code == "park")) is None


def test_a_district_under_the_city_and_a_sub_district_under_it(monkeypatch, empty_sqlite):
    """Any level under any other: the page offers every level under any parent, the tree shows the depth."""
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_units.py", who=admin)
    for parent, code, name, level in (
        ("jinjiang", "dist", "某区", "district"),
        ("dist", "dist-sd", "某街道", "subdistrict"),
        ("dist", "dist-office", "区政务公开办", "department"),
    ):
        _by_label(at.selectbox, "上级单位").set_value(parent)
        _by_label(at.selectbox, "层级").set_value(level)
        _by_label(at.text_input, "单位代码").input(code)
        _by_label(at.text_input, "单位名称").input(name)
        _by_label(at.button, "添加单位").click().run()
        assert at.success[0].value == f"已添加单位 {name}。"
    rows = {r[1]: r for r in _frame(at).values.tolist()}
    assert rows["dist"][:4] == ["　某区", "dist", "区（县）", "晋江市"]
    assert rows["dist-sd"][:4] == ["　　某街道", "dist-sd", "街道（乡镇）", "某区"]
    assert rows["dist-office"][2:4] == ["部门", "某区"]


def test_targets_show_the_stored_values_and_the_actual_counts(monkeypatch, empty_sqlite):
    from data_access.write import catalogue as admin_catalogue

    admin = _seeded(empty_sqlite)
    with db.write_session(empty_sqlite) as s:
        admin_catalogue.save_targets(s, "qingyang", 2018, {None: 150, "01": 30}, actor=OPERATOR)
    at = run(
        monkeypatch, _url(empty_sqlite), "pages/admin_catalogue.py", query={"unit": "qingyang"}, who=admin
    )
    _by_label(at.number_input, "年度").set_value(2018).run()
    targets = _frame(at, 1)
    assert targets["类别"].tolist()[:3] == ["总计", "机构职能类", "政策、规范性文件类"]
    assert targets["目标（条）"].tolist() == ["150", "30"] + [""] * 8
    assert targets["已公开（条）"].tolist()[:2] == ["158", "35"], "the year's actual counts are shown beside"
    _by_label(at.button, "保存年度目标").click().run()
    assert at.success[0].value == "内容没有变化，未作修改。"
    _by_label(at.number_input, "年度").set_value(2031).run()
    assert set(_frame(at, 1)["已公开（条）"]) == {"—"}


def test_catalogue_entry_is_added(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_catalogue.py", who=admin)
    _by_label(at.selectbox, "上级目录").set_value("0601")
    _by_label(at.text_input, "编码").input("060103")
    _by_label(at.text_input, "名称").input("临时救助")
    _by_label(at.button, "添加目录").click().run()
    assert at.success[0].value == "已添加目录 060103。"
    codes = _frame(at)["编码"].tolist()
    assert codes.index("060103") == codes.index("060102") + 1


def test_holidays_warn_for_an_unknown_year_and_save_a_schedule(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_holidays.py", who=admin)
    _by_label(at.number_input, "年份").set_value(2031).run()
    assert at.warning[0].value.startswith(workdays.missing_year_warning(2031))
    assert {r for r in _frame(at)["说明"]} == {"元旦", "劳动节", "国庆节"}
    box = _by_label(at.text_area, "安排（每行一天）")
    box.input("2031-01-22 休 春节\n2031-01-23 休 春节\n2031-02-08 班 春节调休").run()
    _by_label(at.button, "保存为 2031 年安排").click().run()
    assert at.success[0].value == "已保存 2031 年安排，共 3 天。所有期限已按新安排重新计算。"
    assert not at.warning, "an entered year has no warning"
    days = _frame(at)
    assert days[days["日期"] == "2031-02-08"].iloc[0][["休 / 班", "依据"]].tolist() == ["班", "本单位录入"]
    with db.read_session(empty_sqlite) as s:
        cal = holidays.load_calendar(s)
        entry = audit.list_entries(s, 1, action="settings_change")[0]
    assert cal.is_workday(dt.date(2031, 2, 8)) and not cal.is_workday(dt.date(2031, 1, 22))
    assert entry.detail.startswith("录入 2031 年节假日安排") and entry.username == "demo_admin"

    _by_label(at.multiselect, "选择要删除的日期").select(dt.date(2031, 2, 8)).run()
    _by_label(at.button, "删除所选日期").click().run()
    assert at.success[0].value == "已删除 1 个日期。"


def test_holidays_bad_line_is_refused(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_holidays.py", who=admin)
    _by_label(at.number_input, "年份").set_value(2031).run()
    _by_label(at.text_area, "安排（每行一天）").input("2031-13-01 休 坏日期").run()
    _by_label(at.button, "保存为 2031 年安排").click().run()
    assert at.error[0].value == "第 1 行日期无效（应为 YYYY-MM-DD）：2031-13-01"


def test_holidays_start_from_the_package(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_holidays.py", who=admin)
    _by_label(at.number_input, "年份").set_value(2025).run()
    assert not at.warning
    _by_label(at.button, "载入内置的 2025 年安排").click().run()
    text = _by_label(at.text_area, "安排（每行一天）").value
    assert "2025-01-28 休 春节" in text and "2025-01-26 班 春节" in text


def test_audit_log_pages_filters_and_is_read_only(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    with db.write_session(empty_sqlite) as s:
        for i in range(120):
            audit.record(s, "upload", username="demo_staff", detail=f"第 {i} 个文件", source="10.0.0.7")
    recorded = record_downloads(monkeypatch)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_audit.py", who=admin)
    log = _frame(at)
    assert len(log) == 50 and log.iloc[0]["详情"] == "第 119 个文件"
    [button] = at.get("download_button")
    today = dt.date.today()
    name = f"操作日志（{today.year}年{today.month}月{today.day}日导出）.xlsx"
    assert recorded[button.proto.deferred_file_id][0] == name
    assert "共 124 条，第 1 / 3 页" in texts(at)
    _by_label(at.number_input, "页码").set_value(3).run()
    assert len(_frame(at)) == 24
    _by_label(at.selectbox, "操作类型").set_value("user_change").run()
    assert set(_frame(at)["操作"]) == {"用户管理"} and len(_frame(at)) == 4
    _by_label(at.selectbox, "操作类型").set_value("")
    _by_label(at.text_input, "用户名").input(" Demo_Staff ").run()
    assert set(_frame(at)["用户"]) == {"demo_staff"}
    assert not at.get("arrow_data_frame") or all(
        not getattr(e.proto, "editing_mode", 0) for e in at.get("arrow_data_frame")
    )
    assert not at.button, "the log has no edit or delete action"


def test_audit_export_is_neutralised_and_audited(monkeypatch, empty_sqlite):
    import io

    import openpyxl

    from dashboard import session
    from dashboard.panels import admin_ui

    admin = _seeded(empty_sqlite)
    monkeypatch.setenv("DATABASE_URL", _url(empty_sqlite))
    monkeypatch.setattr(session, "current", lambda: admin)
    monkeypatch.setattr(session, "source", lambda: "10.9.9.9")
    with db.write_session(empty_sqlite) as s:
        audit.record(s, "settings_change", detail="=cmd|' /C calc'!A0", source="@evil")
    headers = ("时间", "用户", "操作", "详情", "来源地址")
    build = admin_ui.audit_workbook("settings_change", None, headers, audit.ACTION_LABELS, "操作日志")
    with db.read_session(empty_sqlite) as s:
        assert audit.count_entries(s, "export_personal") == 0, "nothing is logged until the download"
    book = openpyxl.load_workbook(io.BytesIO(build()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "操作日志" and str(rows[1][0]).startswith("筛选：修改设置　导出时间：")
    assert rows[2] == headers and book.active.print_title_rows == "$3:$3"
    assert rows[3][2:] == ("修改设置", "'=cmd|' /C calc'!A0", "'@evil")
    with db.read_session(empty_sqlite) as s:
        entry = audit.list_entries(s, 1, action="export_personal")[0]
    assert (entry.username, entry.source) == ("demo_admin", "10.9.9.9")
    assert entry.detail == "导出操作日志 1 条（含 IP 地址和用户名），筛选：修改设置"


# ------------------------------------------------------------------ user text is drawn as text
@pytest.fixture
def xss_db(empty_sqlite):  # type: ignore[no-untyped-def]
    """The demo plus every XSS string as a user's name, a unit's name and an audit detail."""
    _seeded(empty_sqlite)
    with db.write_session(empty_sqlite) as s:
        parent = s.scalar(select(OrgUnit.id).where(OrgUnit.code == "qingyang"))
        for i, text in enumerate(XSS):
            s.add(
                OrgUnit(
                    code=f"xss-{i:02d}", name=text, level="community", parent_id=parent, sort_order=50 + i
                )
            )
            s.flush()
            auth.create_user(
                s, f"xss{i:02d}", role="leader", unit_code="qingyang", display_name=text, actor=OPERATOR
            )
            audit.record(s, "settings_change", username="xss", detail=text)
    return empty_sqlite


def _no_html_carries(at, strings) -> None:  # type: ignore[no-untyped-def]
    for kind in (
        "markdown",
        "caption",
        "title",
        "header",
        "subheader",
        "success",
        "info",
        "warning",
        "error",
    ):
        for element in at.get(kind):
            proto = element.proto
            if getattr(proto, "allow_html", False):
                for text in strings:
                    assert text not in proto.body, f"{text!r} rendered through unsafe_allow_html"
    for element in at.get("html"):
        for text in strings:
            assert text not in element.proto.body


@pytest.mark.parametrize(
    ("page", "column", "query"),
    [
        ("pages/admin_users.py", "姓名", None),
        ("pages/admin_units.py", "单位名称", None),
        ("pages/admin_audit.py", "详情", {"action": "settings_change"}),
    ],
)
def test_stored_xss_strings_render_as_text(monkeypatch, xss_db, page, column, query):
    assert len(XSS) >= 20
    with db.read_session(xss_db) as s:
        admin = auth.principal_for_username(s, "demo_admin")
    at = run(monkeypatch, _url(xss_db), page, who=admin)
    if query:
        _by_label(at.selectbox, "操作类型").set_value(query["action"]).run()
    shown = [str(v).strip("　") for v in _frame(at)[column]]
    for text in XSS:
        assert text in shown, f"{text!r} missing or altered on {page}"
    _no_html_carries(at, XSS)
    assert not at.exception


def test_a_new_units_name_is_confirmed_as_typed(monkeypatch, empty_sqlite):
    from dashboard.widgets.attention import plain

    admin = _seeded(empty_sqlite)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_units.py", who=admin)
    name = "[链](javascript:alert(1))**粗**"
    _by_label(at.text_input, "单位代码").input("qingyang-md")
    _by_label(at.text_input, "单位名称").input(name)
    _by_label(at.button, "添加单位").click().run()
    assert at.success[0].value == f"已添加单位 {plain(name)}。", "Markdown in the name is escaped"
    assert name in [str(v).strip("　") for v in _frame(at)["单位名称"]]


def test_uploads_forms_and_undos_read_as_sentences_in_the_audit_log(monkeypatch, empty_sqlite):
    admin = _seeded(empty_sqlite)
    from data_access.rules.permissions import Principal
    from data_access.write import records
    from data_access.write.undo import undo

    staff = Principal.operator("demo_staff")
    with db.write_session(empty_sqlite) as s:
        values = dict(period_ym="2019-05", recipient="档案馆", delivered_date="2019-06-04", item_count=12)
        saved = records.save_delivery(s, staff, "qingyang", values, dt.date.today(), loaded=None)
    undo(empty_sqlite, staff, saved.batch_id)
    at = run(monkeypatch, _url(empty_sqlite), "pages/admin_audit.py", who=admin)
    log = _frame(at)
    details = list(log[log["操作"].isin(["上传数据", "撤销上传"])]["详情"])
    assert details[:2] == [
        f"撤销第 {saved.batch_id} 批（送交两馆记录 2019年5月），数据恢复到该批之前",
        f"逐条登记（第 {saved.batch_id} 批）：登记送交两馆 档案馆 2019年5月（单位 qingyang）",
    ], details[:2]
    assert not any(d.startswith("{") for d in details)
