"""The leaders' dashboard pages in AppTest: the 2018 figures, empty states and who sees what."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

from dashboard.widgets.tables import Export, xlsx_bytes
from data_access.store import db
from data_access.store.models import Category, DisclosureRequest, Publication
from data_access.store.reference import unit_by_code
from seed import qingyang2018
from tests.helpers.pages import principal, run, texts

LEADER_PAGES = ("pages/publications.py", "pages/projects.py", "pages/requests.py", "pages/duties.py",
                "pages/annual_report.py", "pages/units.py")  # fmt: skip
Y2018 = {"unit": "qingyang", "year": "2018"}
EXPORT = Export(
    "青阳街道", "2018年", "表"
)  # rows 1 and 2 the title and the unit's line; the table from row 3


def _metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def _frames(at) -> list[pd.DataFrame]:  # type: ignore[no-untyped-def]
    return [d.value.data if hasattr(d.value, "data") else d.value for d in at.dataframe]


def _url(engine) -> str:  # type: ignore[no-untyped-def]
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def writable(empty_sqlite):  # type: ignore[no-untyped-def]
    """A seeded SQLite database this test may write to."""
    with db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    return empty_sqlite


def test_overview_adds_target_timeliness_and_attention(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/overview.py", query=Y2018)
    m = _metrics(at)
    assert m["主动公开信息（条）"] == "158" and m["按时公开率"] == "100.0%"
    assert (m["依申请：办理中 / 已逾期"], m["公开栏逾期（块）"], m["两馆按时送交"]) == ("0 / 0", "2", "91.7%")
    assert "未设定年度目标" in texts(at) and "需要关注（11 项）" in texts(at)
    links = [link.proto for link in at.get("page_link")]
    [late] = [p for p in links if "2018 年 6 月送交市档案馆" in p.label]
    assert late.page == "duties" and "unit=qingyang" in late.query_string and "year=2018" in late.query_string
    lagging = [p for p in links if "滞后" in p.label]
    assert all(p.page == "projects" and "month=12" in p.query_string for p in lagging)
    assert sum("滞后" in p.label for p in links) == 7


def test_overview_against_a_target(monkeypatch, writable):
    from data_access.store.models import AnnualTarget

    with db.write_session(writable) as s:
        s.add(
            AnnualTarget(unit_id=unit_by_code(s, "qingyang").id, year=2018, metric="publications", target=200)
        )
        db.bump_data_version(s)
    at = run(monkeypatch, _url(writable), "pages/overview.py", query=Y2018)
    assert "年度目标 200 条，已完成 79.0%" in texts(at)
    at = run(monkeypatch, _url(writable), "pages/publications.py", query=Y2018)
    assert _metrics(at)["年度目标完成"] == "79.0%"


def test_publications_2018(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/publications.py", query=Y2018)
    assert _metrics(at)["本年主动公开（条）"] == "158"
    by_category, by_register, register = _frames(at)
    counts = dict(zip(by_category["类别"], by_category["本年条数"], strict=True))
    listed = dict(zip(by_register["登记册"], by_register["条数"], strict=True))
    assert listed["政府网站"] == 158 and listed["合计（去重）"] == 158
    # the demo never uploaded a 政务新媒体 register: 未登记, not 0
    assert listed["政务新媒体"] is pd.NA and "“未登记”：本年度没有上传过该登记册" in texts(at)
    assert counts["机构职能类"] == 35 and counts["合计"] == 158
    assert "年度目标" not in by_category.columns  # no target set: no empty target columns
    assert len(register) == 20 and "第 1 / 8 页，共 158 条" in texts(at)
    assert set(register["公开属性"]) == {"主动公开"}
    at.number_input[0].set_value(2).run()
    assert "第 2 / 8 页，共 158 条" in texts(at)
    assert not set(_frames(at)[-1]["索引号"]) & set(register["索引号"])
    at.text_input[0].input("危房翻建").run()  # a narrower search starts again at page 1
    assert len(_frames(at)[-1]) == 3 and "第 1 / 1 页，共 3 条" in texts(at)


def test_publications_no_items_this_month_or_match(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/publications.py", query={**Y2018, "month": "3"})
    assert "共 13 条" in texts(at)
    at.text_input[0].input("没有这样的标题").run()
    assert "没有符合条件的信息" in texts(at)


def test_withheld_item_never_reaches_a_leader(monkeypatch, writable):
    with db.write_session(writable) as s:
        root = s.query(Category).filter_by(level=1, name="机构职能类").one()
        s.add(Publication(unit_id=unit_by_code(s, "qingyang").id, index_no="QY-0101-2018-9001",
                          title="不公开测试文件", category_id=root.id, category_root_id=root.id,
                          formed_date=dt.date(2018, 5, 3), attribute="withheld", withheld_reason="工作秘密",
                          channel="其他", batch_id=s.query(Publication.batch_id).limit(1).scalar()))  # fmt: skip
        db.bump_data_version(s)
    seen = {}
    for role in ("leader", "staff"):
        at = run(monkeypatch, _url(writable), "pages/publications.py", query=Y2018, who=principal(role))
        at.text_input[0].input("不公开测试").run()
        frames = _frames(at)
        seen[role] = frames[-1] if "索引号" in frames[-1].columns else None
    assert seen["leader"] is None
    assert list(seen["staff"]["公开属性"]) == ["不公开"] and list(seen["staff"]["不公开理由"]) == ["工作秘密"]


def test_a_write_shows_once_the_data_version_moves(monkeypatch, writable):
    """Figures are cached by data version: a write that does not bump it stays unseen, a bumped one shows."""
    from dashboard.reads import cache

    def published() -> str:
        at = run(monkeypatch, _url(writable), "pages/publications.py", query=Y2018)
        return _metrics(at)["本年主动公开（条）"]

    def add(s, n: int) -> None:  # type: ignore[no-untyped-def]
        root = s.query(Category).filter_by(level=1, name="机构职能类").one()
        s.add(Publication(unit_id=unit_by_code(s, "qingyang").id, index_no=f"QY-0101-2018-90{n:02d}",
                          title=f"缓存测试文件{n}", category_id=root.id, category_root_id=root.id,
                          formed_date=dt.date(2018, 5, 3), published_date=dt.date(2018, 5, 4), published_year=2018,
                          published_ym=201805, attribute="proactive", channel="政府门户网站",
                          batch_id=s.query(Publication.batch_id).limit(1).scalar()))  # fmt: skip

    assert published() == "158"
    with db.write_session(writable) as s:
        add(s, 1)  # no bump: the cached figures stand
    cache.refresh()
    assert published() == "158"
    with db.write_session(writable) as s:
        add(s, 2)
        db.bump_data_version(s)
    cache.refresh()  # what every write through the app does; other processes re-read within CACHE_TTL_SECONDS
    assert published() == "160"


def test_projects_october(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/projects.py", query={**Y2018, "month": "10"})
    m = _metrics(at)
    assert (m["重点项目（个）"], m["本月完成投资（万元）"], m["滞后项目（个）"]) == ("25", "23,245", "7")
    table = _frames(at)[0]
    total = table.iloc[-1]
    assert total["项目名称"] == "合计"
    assert (total["1-10月累计完成投资"], total["年度计划完成投资"], total["本月完成投资"]) == (
        231200,
        281026,
        23245,
    )
    assert (table["状态"] == "滞后").sum() == 7
    assert pd.isna(total["序号"]) and total["状态"] == "" and total["主要实施情况"] == ""
    assert [d.proto.placeholder for d in at.dataframe] == ["—"], "a missing figure shows “—”, never “None”"
    assert list(table.columns[:8]) == [
        "序号",
        "项目名称",
        "总投资",
        "本月完成投资",
        "1-10月累计完成投资",
        "年度计划完成投资",
        "完成进度",
        "状态",
    ]
    assert "1-10 月累计 231,200 / 年度计划 281,026 万元" in texts(at)
    assert at.success[0].value.startswith("各项目")  # reconciliation finds nothing


def test_projects_month_without_a_table(monkeypatch, writable):
    from data_access.store.models import ProjectProgress

    with db.write_session(writable) as s:
        s.query(ProjectProgress).filter(ProjectProgress.month == 12).delete()
        db.bump_data_version(s)
    at = run(monkeypatch, _url(writable), "pages/projects.py", query={**Y2018, "month": "12"})
    assert "本月尚未上传重点项目表 — 请工作人员上传" in texts(at)
    assert "1 月、2 月" in texts(at) and not at.main.get("page_link"), "a leader is told to ask the staff"
    staff = run(
        monkeypatch,
        _url(writable),
        "pages/projects.py",
        query={**Y2018, "month": "12"},
        who=principal("staff"),
    )
    [upload] = [link.proto for link in staff.main.get("page_link")]
    assert (upload.page, upload.label) == ("upload", "去上传：重大项目完成情况表")
    at = run(monkeypatch, _url(writable), "pages/projects.py", query=Y2018)
    assert at.title[0].value.endswith("（1-11 月）")  # defaults to the latest month with data
    at = run(monkeypatch, _url(writable), "pages/projects.py", query={"unit": "qingyang", "year": "2017"})
    assert "2017 年尚未上传重点项目表" in texts(at)


def test_requests_2018_and_personal_fields(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", query=Y2018)
    m = _metrics(at)
    assert (m["本年受理（件）"], m["本年答复（件）"], m["按期答复率"]) == ("1", "1", "100.0%")
    outcomes, answered = _frames(at)
    assert outcomes.iloc[0].tolist() == ["无法提供-本机关不掌握相关政府信息", "其他", 1]
    assert "申请人" not in answered.columns and "申请内容" not in answered.columns
    assert "征地补偿" not in " ".join(str(x.value) for x in at.text)
    assert "答复期限：2018-08-06（第 15 个工作日）" in at.text[0].value
    staff = run(monkeypatch, seeded_sqlite_url, "pages/requests.py", query=Y2018, who=principal("staff"))
    assert list(_frames(staff)[1]["申请人"]) == ["陈某"]


def test_request_summary_renders_as_text(monkeypatch, writable):
    with db.write_session(writable) as s:
        s.add(DisclosureRequest(unit_id=unit_by_code(s, "qingyang").id, request_no="YSQ-2026-X",
                                received_date=dt.date.today() - dt.timedelta(days=60), received_year=(dt.date.today() - dt.timedelta(days=60)).year,
                                channel="当面", applicant_type="自然人", applicant_name="<b>张</b>",
                                summary="<script>alert(1)</script>", batch_id=1))  # fmt: skip
        db.bump_data_version(s)
    year = str((dt.date.today() - dt.timedelta(days=60)).year)
    at = run(monkeypatch, _url(writable), "pages/requests.py", query={"unit": "qingyang", "year": year},
             who=principal("staff"))  # fmt: skip
    assert "<script>alert(1)</script>" in [x.value for x in at.text]
    assert not any("<script>" in str(m.value) for m in at.markdown)
    [open_requests] = [f for f in _frames(at) if "剩余工作日" in f.columns]
    assert open_requests.iloc[0]["申请内容"] == "<script>alert(1)</script>"
    assert open_requests.iloc[0]["状态"].startswith("已逾期")
    assert _metrics(at)["未办结 / 已逾期（件）"] == "1 / 1"


def test_open_request_due_in_a_year_without_a_schedule_is_marked(monkeypatch, writable):
    """A due date that falls in a year whose holiday schedule is not entered yet is only an
    estimate: the list says so beside the request."""
    today = dt.date.today()
    unknown = next(y for y in range(today.year, today.year + 3) if not _year_known(writable, y))
    received = dt.date(unknown - 1, 12, 20)
    if received > today:  # the page judges on today: receive it early enough to be open now
        received = today
    with db.write_session(writable) as s:
        s.add(DisclosureRequest(unit_id=unit_by_code(s, "qingyang").id, request_no="YSQ-WARN-1",
                                received_date=received, received_year=received.year, channel="网络",
                                applicant_type="自然人", applicant_name="王某", summary="年度预算", batch_id=1))  # fmt: skip
        db.bump_data_version(s)
    at = run(
        monkeypatch,
        _url(writable),
        "pages/requests.py",
        query={"unit": "qingyang", "year": str(received.year)},
    )
    [open_requests] = [f for f in _frames(at) if "剩余工作日" in f.columns]
    row = open_requests[open_requests["申请编号"] == "YSQ-WARN-1"].iloc[0]
    assert f"{unknown} 年的法定节假日安排尚未录入" in row["注意"]


def _year_known(engine, year: int) -> bool:  # type: ignore[no-untyped-def]
    from data_access.store.holidays import load_calendar

    with db.read_session(engine) as s:
        return load_calendar(s).year_is_known(year)


def test_duties_2018(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/duties.py", query=Y2018)
    m = _metrics(at)
    assert (m["公开栏（块）"], m["逾期送交（次）"], m["未送交（次）"], m["份数与公开条数不符（次）"]) == (
        "3",
        "2",
        "0",
        "0",
    )
    boards, deliveries = _frames(at)
    overdue = dict(zip(boards["公开栏"], boards["逾期未完成"], strict=True))
    assert overdue["高霞社区居务公开栏"] == "2018 年第 2、3、4 季度更新"
    assert (
        overdue["西园社区居务公开栏"] == "2018 年第 3、4 季度更新"
        and overdue["机关大院党（政）务公开栏"] == ""
    )
    status = {(r["月份"], r["送交单位"]): r["情况"] for _i, r in deliveries.iterrows()}
    assert status[("2018-06", "市档案馆")].startswith("逾期送交") and status[
        ("2018-09", "市图书馆")
    ].startswith("按时送交")


def test_annual_report_old_format(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/annual_report.py", query=Y2018)
    appendix = _frames(at)[0]
    row = appendix[appendix["指标名称"] == "主动公开文件数"].iloc[0]
    assert (row["本年度"], row["历年累计"]) == ("158", "954")
    assert [b.label for b in at.get("download_button")] == ["下载 Excel（.xlsx）", "下载 Word 初稿（.docx）"]
    at = run(monkeypatch, seeded_sqlite_url, "pages/annual_report.py", query={**Y2018, "template": "2021"})
    table_3 = _frames(at)[1]
    row = table_3[table_3["项目"].str.contains("本机关不掌握")].iloc[0]
    assert (row["自然人"], row["总计"]) == ("1", "1")
    assert "相符" in at.success[0].value


def test_units_for_a_city_leader(monkeypatch, seeded_sqlite_url):
    who = principal("leader", "jinjiang")
    at = run(
        monkeypatch, seeded_sqlite_url, "pages/units.py", query={"unit": "jinjiang", "year": "2018"}, who=who
    )
    table = _frames(at)[0]
    assert list(table["单位"]) == ["青阳街道"] and table.iloc[0]["主动公开"] == 158
    assert at.dataframe[0].proto.placeholder == "—"
    assert "只有 1 个单位有数据" in texts(at)
    at = run(
        monkeypatch, seeded_sqlite_url, "pages/units.py", query={"unit": "qingyang-xiyuan", "year": "2018"}
    )
    assert "没有可对比的单位" in texts(at) or "还没有任何年度的数据" in texts(at)


def _sidebar(at, label: str):  # type: ignore[no-untyped-def]
    return next(s for s in at.sidebar.selectbox if s.label == label)


def _menu(at, page: str):  # type: ignore[no-untyped-def]
    """Open a page as the menu does: Streamlit drops the query string on the way."""
    at.query_params = {}
    at.switch_page(page)
    return at.run()


def test_filters_are_carried_to_the_next_page(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, query={"unit": "qingyang", "year": "2017"})
    _menu(at, "pages/publications.py")
    assert at.title[0].value == "青阳街道 2017 年主动公开" and at.query_params["year"] == "2017"
    _sidebar(at, "年度").set_value(2018).run()
    _sidebar(at, "月份").set_value(10).run()
    assert "第 1 / 1 页，共 14 条" in texts(at) and at.query_params["month"] == "10"
    _menu(at, "pages/projects.py")
    assert at.title[0].value == "青阳街道 2018 年重点项目完成情况（1-10 月）"
    assert (at.query_params["unit"], at.query_params["year"], at.query_params["month"]) == (
        "qingyang",
        "2018",
        "10",
    )
    _menu(at, "pages/requests.py")
    assert at.title[0].value == "青阳街道 2018 年依申请公开"
    _menu(at, "pages/publications.py")
    assert _sidebar(at, "月份").value == 10


def test_a_pages_own_default_month_is_not_carried(monkeypatch, seeded_sqlite_url):
    at = run(monkeypatch, seeded_sqlite_url, "pages/projects.py", query=Y2018)
    assert at.title[0].value.endswith("（1-12 月）")  # the latest month with a table, not a choice
    _menu(at, "pages/publications.py")
    assert _sidebar(at, "月份").value is None and "共 158 条" in texts(at)


@pytest.mark.parametrize("page", ["pages/overview.py", *LEADER_PAGES])
def test_pages_on_an_empty_database_say_what_to_do(monkeypatch, empty_sqlite, page):
    url = _url(empty_sqlite)
    at = run(monkeypatch, url, page, who=principal("admin"))
    assert "数据库中还没有任何单位或数据" in texts(at) and not at.metric and not at.dataframe
    assert [(p.proto.page, p.proto.label) for p in at.main.get("page_link")] == [
        ("admin_units", "去添加单位")
    ]
    assert not run(monkeypatch, url, page).main.get("page_link"), "a leader cannot add units: no link"


@pytest.mark.parametrize("page", LEADER_PAGES)
def test_pages_on_a_unit_without_data(monkeypatch, writable, page):
    """A unit with no records says what to do instead of drawing empty charts. (The demo's
    communities have their boards' updates: data, so they are no longer such a unit.)"""
    from data_access.store.models import OrgUnit

    with db.write_session(writable) as s:
        parent = unit_by_code(s, "qingyang")
        s.add(OrgUnit(code="qingyang-new", name="新建社区", level="community", parent_id=parent.id))
        db.bump_data_version(s)
    at = run(monkeypatch, _url(writable), page, query={"unit": "qingyang-new"})
    assert at.info and not at.exception


@pytest.mark.parametrize("page", ["pages/requests.py", "pages/duties.py", "pages/publications.py"])
def test_pages_for_a_year_without_these_records(monkeypatch, seeded_sqlite_url, page):
    at = run(monkeypatch, seeded_sqlite_url, page, query={"unit": "qingyang", "year": "2017"})
    if page == "pages/requests.py":
        assert "2017 年没有依申请公开记录" in texts(at)
    elif page == "pages/duties.py":
        # No delivery was recorded for 2017: 未录入, not 24 months × recipients 未送交.
        assert _metrics(at)["未送交（次）"] == "0"
        assert "青阳街道 2017 年还没有到期的送交记录" in texts(at)
    else:
        assert _metrics(at)["本年主动公开（条）"] == "141"


def test_xlsx_export_neutralises_formulas():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"名称": ['=HYPERLINK("x")', "+1", "正常"], "数量": [1, 2, None]})
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"表": frame}, EXPORT))).active
    assert [c.value for c in sheet["A"]][2:] == ["名称", '\'=HYPERLINK("x")', "'+1", "正常"]
    assert [c.value for c in sheet["B"]][2:] == ["数量", 1, 2, None]


def test_xlsx_export_writes_numbers_as_numbers_and_rates_as_percent():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"序号": pd.array([1, None], dtype="Int64"), "完成进度": [0.8206, None],
                          "金额": [Decimal("3285.50"), Decimal(0)], "滞后": [True, False]})  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"表": frame}, EXPORT, percent=("完成进度",)))).active
    assert [c.value for c in sheet["A"]][2:] == ["序号", 1, None]  # not the text "1" or "<NA>"
    assert sheet["B4"].value == 0.8206 and sheet["B4"].number_format == "0.0%"
    assert [c.value for c in sheet["C"]][2:] == ["金额", 3285.5, 0] and [c.value for c in sheet["D"]][3:] == [
        "是",
        "否",
    ]


def test_category_charts_share_one_colour_per_category():
    from dashboard.widgets import charts, charts_pages

    def scales(counts: dict[str, int]) -> list[dict]:
        bar = charts.category_bar(counts, title="t", category="类别", count="条数", share="占比").to_dict()
        frame = pd.DataFrame({"category": list(counts), "count": list(counts.values()), "share": 0.5})
        donut = charts_pages.category_donut(
            frame, title="t", category="类别", count="条数", share="占比", names=tuple(counts)
        ).to_dict()
        return [bar["layer"][0]["encoding"]["color"]["scale"], donut["encoding"]["color"]["scale"]]

    demo = scales({"机构职能类": 35, "政策、规范性文件类": 3, "规划计划类": 0})
    assert demo[0] == demo[1] and demo[0]["domain"] == ["机构职能类", "政策、规范性文件类", "规划计划类"]
    assert demo[0]["range"] == list(charts.CATEGORY_COLOURS[:3])
    # Another office's own categories: only its names in the legend, each its own colour; a
    # default category it shares keeps its colour.
    own = scales({"人事信息": 2, "规划计划类": 1, "年报": 1})
    assert own[0] == own[1] and own[0]["domain"] == ["人事信息", "规划计划类", "年报"]
    assert own[0]["range"][1] == charts.CATEGORY_COLOURS[2] and len(set(own[0]["range"])) == 3


def _as_json(value: object) -> object:
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def test_every_page_chart_is_a_valid_vega_lite_spec(monkeypatch, seeded_sqlite_url):
    """Pages draw cached specs built without Altair's schema check (chart_specs.chart_spec); each
    chart they draw on the 2018 demo passes that check and is the spec the page was given."""
    from dashboard.panels import chart_specs
    from dashboard.widgets import charts_pages

    drawn: list[tuple[str, pd.DataFrame, dict, dict]] = []
    real = chart_specs.chart_spec

    def recording(builder, frame, **options):  # type: ignore[no-untyped-def]
        spec = real(builder, frame, **options)
        drawn.append(
            (builder, frame.copy(), options, copy.deepcopy(spec))
        )  # st.vega_lite_chart edits its spec
        return spec

    monkeypatch.setattr(chart_specs, "chart_spec", recording)
    for page in ("publications", "requests", "units", "duties", "projects"):
        at = run(monkeypatch, seeded_sqlite_url, f"pages/{page}.py", query=Y2018)
        assert not at.exception
    assert {b for b, *_ in drawn} == {"trend", "category_donut", "bars", "board_timeline", "status_grid",
                                      "project_history"}  # fmt: skip
    for builder, frame, options, spec in drawn:
        # The spec carries its rows as the Arrow stream Streamlit sends; read them back as records
        # (dates come back as dates, where Altair's checked spec writes them as ISO text).
        rows = {
            name: pa.ipc.open_stream(data).read_all().to_pylist() for name, data in spec["datasets"].items()
        }
        expected = getattr(charts_pages, builder)(frame, **options).to_dict(validate=True)
        assert _as_json(expected) == _as_json(spec | {"datasets": rows}), builder
