"""Page exports ready to hand on (issue 17 item 2): the workbook every page downloads has a title
row, the unit, period and unit of measure, widths by content, landscape A4 one page wide with the
headings repeated, and a Chinese file name; checked on the writer and on the pages in AppTest."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import column_index_from_string

from dashboard.widgets.workbook import MAX_WIDTH, PAGE_BUDGET, WRAP_WIDTH, Export, period_text, xlsx_bytes
from data_access.rules.printing import display_width
from data_access.store import db
from seed import qingyang2018
from tests.helpers.pages import download, principal, record_downloads, run, url

PADDING = 0.7109375  # xlsxwriter stores a width of n characters as n + this (Excel's cell padding)
NAME_30 = "青阳街道梅岭片区老旧小区综合改造及配套基础设施提升工程第一期"  # 30 Chinese characters
EXPORT = Export("青阳街道", "2018年12月", "重点项目完成情况表", "金额单位：万元")
AT = dt.datetime(2019, 1, 5, 9, 30)


def _book(sheets, export=EXPORT, percent=()) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets, export, percent, exported_at=AT)))


def _width(ws, letter: str) -> float:  # type: ignore[no-untyped-def]
    """A column's width in characters (neighbours of the same width are stored as one range)."""
    index = column_index_from_string(letter)
    [dim] = [d for d in ws.column_dimensions.values() if d.min <= index <= d.max]
    return dim.width - PADDING


def _projects() -> pd.DataFrame:
    return pd.DataFrame(
        {"序号": [1, 2], "项目名称": [NAME_30, "短名"], "总投资": [12345.5, 800], "完成进度": [0.8206, 1.0]}
    )


def test_the_title_row_and_the_line_under_it():
    ws = _book({"重点项目": _projects()}, percent=("完成进度",)).active
    assert ws["A1"].value == "青阳街道2018年12月重点项目完成情况表"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16 and ws["A1"].alignment.horizontal == "center"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:D1", "A2:D2"}
    assert ws["A2"].value == "单位：青阳街道　期间：2018年12月　金额单位：万元　导出时间：2019-01-05 09:30"
    assert [c.value for c in ws[3]] == ["序号", "项目名称", "总投资", "完成进度"]
    assert [c.value for c in ws[4]] == [1, NAME_30, 12345.5, 0.8206]
    assert ws["D4"].number_format == "0.0%"


def test_printed_landscape_on_a4_one_page_wide_with_the_headings_on_every_page():
    ws = _book({"重点项目": _projects()}).active
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert setup.fitToWidth is None and setup.fitToHeight == 0  # None: the file's default, 1 page wide
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "A4"
    assert ws.print_options.horizontalCentered and ws.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_columns_are_as_wide_as_their_contents_a_chinese_character_counting_double():
    ws = _book({"重点项目": _projects()}).active
    # 序号: the heading (4) + 2; 项目名称: 30 characters (60) + 2, whole on one line;
    # 总投资: "12,345.50" (9) + 2; 完成进度: the heading (8) + 2 (the values read "82.1%").
    assert [_width(ws, c) for c in "ABCD"] == [6, 62, 11, 10]
    assert not ws["B4"].alignment.wrap_text


def test_longer_text_wraps_and_its_row_grows():
    long = "已完成主体结构施工，正在进行室外配套管网铺设和道路硬化，" * 4  # 112 characters: 224 columns
    ws = _book({"表": pd.DataFrame({"名称": ["甲"], "主要实施情况": [long]})}, Export("甲", "", "表")).active
    assert _width(ws, "B") == MAX_WIDTH and ws["B4"].alignment.wrap_text
    assert ws.row_dimensions[4].height == pytest.approx(15 * 4 + 4, abs=0.75)  # 224 columns, lines of 60


def test_a_table_too_wide_for_the_page_narrows_its_long_text_first():
    long = "项目推进情况说明" * 20  # 320 columns
    frame = pd.DataFrame({"名称": [NAME_30], "说明甲": [long], "说明乙": [long], "金额": [1.5]})
    ws = _book({"表": frame}).active
    widths = [_width(ws, c) for c in "ABCD"]
    # 62 + 62 + 62 + 6 is 22 over the page: the first long text gives them up, the names stay whole.
    assert widths == [62, 62 - 22, 62, 6] and sum(widths) == PAGE_BUDGET
    many = _book({"表": pd.DataFrame({f"说明{n}": [long] for n in range(6)})}).active
    assert [_width(many, c) for c in "ABCDEF"] == [WRAP_WIDTH] * 6, "then the sheet prints smaller"


def test_a_narrow_table_widens_to_hold_its_title_and_the_line_under_it_on_a_line_each():
    ws = _book({"表": pd.DataFrame({"类型": ["行政复议"], "结果": ["维持"]})}).active
    info = "单位：青阳街道　期间：2018年12月　金额单位：万元　导出时间：2019-01-05 09:30"  # 76 columns
    # 10 (行政复议 + 2) and 6 (a minimum), widened by 64 to 76 + 4, evenly.
    assert display_width(info) == 76 and [_width(ws, c) for c in "AB"] == [10 + 32, 6 + 32]
    assert ws.row_dimensions[1].height == pytest.approx(15 * 16 / 11 + 4, abs=0.75)  # one line
    assert ws.row_dimensions[2].height == pytest.approx(15 + 4, abs=0.75)


def test_an_empty_table_reads_none_and_the_workbook_opens_on_one_with_rows():
    empty = pd.DataFrame({"编号": [], "答复期限": []})
    answered = pd.DataFrame({"编号": ["YSQ-2018-001"], "答复期限": [dt.date(2018, 8, 13)]})
    export = Export("青阳街道", period_text(2018), "依申请公开办理情况", "数量单位：件")
    book = _book({"未办结的申请": empty, "本年已答复的申请": answered}, export)
    first, second = book.worksheets
    assert first["A4"].value == "无" and "A4:B4" in {str(r) for r in first.merged_cells.ranges}
    assert first["A1"].value == "青阳街道2018年依申请公开办理情况——未办结的申请"
    assert book.active.title == "本年已答复的申请" and second["B4"].value == "2018-08-13"


def test_the_title_cannot_run_as_a_formula():
    ws = _book({"表": _projects()}, Export("=HYPERLINK(1)", "2018年", "表")).active
    assert ws["A1"].value == "'=HYPERLINK(1)2018年表"


@pytest.mark.parametrize(
    ("export", "name"),
    [
        (Export("青阳街道", period_text(2018, 12), "重点项目完成情况表"), "青阳街道2018年12月重点项目完成情况表.xlsx"),
        (Export("青阳街道", period_text(2018), "依申请公开办理情况"), "青阳街道2018年依申请公开办理情况.xlsx"),
        (Export("A/B:C*街道", period_text(2019), "表"), "A_B_C_街道2019年表.xlsx"),
        (Export("", "", "操作日志（2026年1月2日导出）"), "操作日志（2026年1月2日导出）.xlsx"),
    ],
)  # fmt: skip
def test_file_names_are_the_title_in_chinese(export, name):
    assert export.file_name() == name


@pytest.mark.parametrize(
    ("page", "key", "name", "sheets"),
    [
        ("pages/projects.py", "proj-xlsx", "青阳街道2018年12月重点项目完成情况表.xlsx", 1),
        ("pages/requests.py", "req-xlsx", "青阳街道2018年依申请公开办理情况.xlsx", 4),
        ("pages/duties.py", "duty-xlsx", "青阳街道2018年公开栏更新及送交两馆情况.xlsx", 2),
        ("pages/publications.py", "pub-xlsx", "青阳街道2018年主动公开信息分类统计表.xlsx", 1),
        ("pages/publications.py", "register-xlsx", "青阳街道2018年主动公开信息目录.xlsx", 1),
        ("pages/units.py", "units-xlsx", "青阳街道2018年所属单位政务公开情况对比.xlsx", 1),
    ],
)  # fmt: skip
def test_each_page_downloads_a_titled_workbook_under_a_chinese_name(
    monkeypatch, seeded_sqlite_url, page, key, name, sheets
):
    recorded = record_downloads(monkeypatch)
    at = run(monkeypatch, seeded_sqlite_url, page, query={"unit": "qingyang", "year": "2018"})
    file_name, data = download(at, recorded, key)
    assert file_name == name
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.worksheets) == sheets
    for ws in book.worksheets:
        assert str(ws["A1"].value).startswith(name.removesuffix(".xlsx"))
        assert str(ws["A2"].value).startswith("单位：青阳街道　期间：2018年")
        assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_title_rows) == (
            "landscape",
            9,
            "$3:$3",
        )
    if page == "pages/projects.py":
        assert "金额单位：万元" in book.active["A2"].value
    if page == "pages/requests.py":  # nothing open at the end of 2018: the file opens on the answered
        assert book.worksheets[0]["A4"].value == "无" and book.active.title == "本年已答复的申请"


def test_the_letter_downloads_under_the_units_chinese_name(monkeypatch, empty_sqlite):
    with db.write_session(empty_sqlite) as s:  # building a letter is audited: a database of its own
        qingyang2018.load(s)
    at = run(monkeypatch, url(empty_sqlite), "pages/requests.py", {"year": "2018"}, who=principal("staff"))
    next(s for s in at.selectbox if s.label == "文书").set_value("reply")
    next(b for b in at.button if b.label == "生成文书").click().run()
    [button] = [d for d in at.get("download_button") if "答复书" in d.proto.label]
    assert button.proto.label == "下载 青阳街道YSQ-2018-001政府信息公开申请答复书.docx"


def test_the_annual_report_downloads_under_the_units_chinese_name(monkeypatch, seeded_sqlite_url):
    recorded = record_downloads(monkeypatch)
    at = run(
        monkeypatch, seeded_sqlite_url, "pages/annual_report.py", query={"unit": "qingyang", "year": "2018"}
    )
    for key, extension in (("report-xlsx", "xlsx"), ("report-docx", "docx")):
        name, data = download(at, recorded, key)
        assert name == f"青阳街道2018年政府信息公开工作年度报告.{extension}" and data[:2] == b"PK"
