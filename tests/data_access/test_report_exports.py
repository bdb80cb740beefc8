"""The annual report's .xlsx and .docx files, the formula guard, and the `report` command."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from data_access.read import reports
from data_access.read.reports.docx import write_docx
from data_access.read.reports.xlsx import safe_text, write_xlsx, xlsx_bytes
from data_access.store import db
from tests.helpers.figures import EXPECTED_2018
from tests.helpers.requests_2021 import EXPECTED_3, enter_table_2, populate_2021

ROOT = Path(__file__).resolve().parents[2]
YELLOW = "FFFFF2CC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800000000", "'+8613800000000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("青阳街道", "青阳街道"),
        ("1=1", "1=1"),
        ("", ""),
    ],
)
def test_safe_text(text, expected):
    assert safe_text(text) == expected


@pytest.fixture(scope="module")
def seeded_engine(seeded_sqlite_url):
    engine = db.make_engine(seeded_sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def old_report(seeded_engine):
    with db.read_session(seeded_engine) as s:
        return reports.build(s, 2018, "qingyang")


@pytest.fixture
def report_2021(empty_sqlite):
    populate_2021(empty_sqlite)
    enter_table_2(empty_sqlite)
    with db.read_session(empty_sqlite) as s:
        return reports.build(s, 2021, "test")


def _values(ws, row: int, first_col: int, last_col: int) -> list:
    return [ws.cell(row, c).value for c in range(first_col, last_col + 1)]


def test_old_xlsx_is_the_annex(old_report, tmp_path):
    path = tmp_path / "old.xlsx"
    write_xlsx(old_report, path)
    ws = openpyxl.load_workbook(path)["附表"]
    assert ws["A1"].value == "青阳街道 2018 年政府信息公开工作年度报告 附表"
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert _values(ws, 2, 1, 4) == ["指标名称", "计量单位", "2018年度", "历年累计"]
    assert [tuple(_values(ws, r, 1, 4)) for r in range(3, 3 + len(EXPECTED_2018))] == EXPECTED_2018
    assert ws["C3"].border.left.style == "thin" and ws["C3"].data_type == "n"
    assert ws.column_dimensions["A"].width > 30
    shares = openpyxl.load_workbook(path)["主动公开分类"]
    assert _values(shares, 3, 1, 3) == ["机构职能类", 35, "22.15%"]


def test_2021_xlsx_tables(report_2021, tmp_path):
    path = tmp_path / "2021.xlsx"
    write_xlsx(report_2021, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼", "校验与提示"]
    ws = book["三、依申请公开"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "E3:I3", "D3:D4", "J3:J4", "A5:C5"} <= merged
    assert _values(ws, 4, 5, 9) == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert ws["A5"].value == "一、本年新收政府信息公开申请数量"
    assert _values(ws, 5, 4, 10) == [
        EXPECTED_3["一"].get(c, 0) for c in report_2021["tables"]["三"]["columns"]
    ]
    assert ws["B9"].value == "（三）不予公开" and ws["C9"].value == "1. 属于国家秘密"
    assert ws["A7"].value == "三、本年度办理结果"
    last = 5 + len(report_2021["tables"]["三"]["rows"]) - 1
    assert ws.cell(last, 1).value == "四、结转下年度继续办理"
    assert _values(ws, last, 4, 10) == [1, 2, 0, 0, 0, 0, 3]

    two = book["二、主动公开"]
    assert _values(two, 4, 1, 4) == ["规章", "不适用", "不适用", "不适用"]
    assert two["C4"].font.color.rgb == "FF808080"
    assert _values(two, 5, 1, 4) == ["行政规范性文件", 1, None, 5]  # 废止 not entered: empty, yellow
    assert two["C5"].fill.fgColor.rgb == YELLOW
    four = book["四、复议诉讼"]
    assert _values(four, 5, 1, 15) == [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]
    assert four["F3"].value == "未经复议直接起诉" and four["K3"].value == "复议后起诉"
    notes = [c.value for c in book["校验与提示"]["B"] if c.value]
    assert any("自然人：一 + 二 = 3 + 1 = 4" in v for v in notes)


def test_blank_cells_are_empty_and_yellow_zero_is_zero(report_2021):
    report = json.loads(json.dumps(report_2021, ensure_ascii=False))  # JSON round trip keeps the markers
    report["tables"]["二"]["sections"][0]["rows"][1]["cells"][0] = reports.Missing.BLANK.value
    path_bytes = xlsx_bytes(report)
    ws = openpyxl.load_workbook(io.BytesIO(path_bytes))["二、主动公开"]
    assert ws["B5"].value is None and ws["B5"].fill.fgColor.rgb == YELLOW
    three = openpyxl.load_workbook(io.BytesIO(path_bytes))["三、依申请公开"]
    assert three["F6"].value == 0 and three["F6"].data_type == "n"  # 二、上年结转 × 科研机构: counted, none
    buffer = io.BytesIO()
    write_docx(report, buffer)
    table_2 = docx.Document(io.BytesIO(buffer.getvalue())).tables[0]
    blank, not_applicable = table_2.cell(3, 1), table_2.cell(2, 2)
    assert blank.text == "" and 'w:fill="FFF2CC"' in blank._tc.xml
    assert not_applicable.text == "不适用" and "w:shd" not in not_applicable._tc.xml
    legend = [
        p.text for p in docx.Document(io.BytesIO(buffer.getvalue())).paragraphs if p.text.startswith("注：")
    ]
    assert legend and "黄色空白单元格" in legend[0]


def test_texts_starting_a_formula_are_neutralised(old_report, tmp_path):
    report = dict(old_report, title='=HYPERLINK("http://x")', warnings=["+1 条未核实", "@提示"])
    path = tmp_path / "evil.xlsx"
    write_xlsx(report, path)
    book = openpyxl.load_workbook(path)
    assert book["附表"]["A1"].value == '\'=HYPERLINK("http://x") 附表'
    assert book["附表"]["A1"].data_type == "s"
    notes = [c.value for c in book["校验与提示"]["B"] if c.value]
    assert "'+1 条未核实" in notes and "'@提示" in notes


def _docx_text(path: Path) -> tuple[list[str], list]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs], document.tables


def test_old_docx(old_report, tmp_path):
    path = tmp_path / "old.docx"
    write_docx(old_report, path)
    paragraphs, tables = _docx_text(path)
    assert paragraphs[0] == "青阳街道 2018 年政府信息公开工作年度报告"
    headings = [p for p in paragraphs if p[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}]
    assert [h[0] for h in headings] == list("一二三四五六")
    text = "\n".join(paragraphs)
    assert "机构职能类信息35条，占22.15%" in text and "安全生产、应急管理类信息30条，占18.99%" in text
    assert "历年主动公开信息累计总量达954条" in text
    assert "轮值接听市长专线2次" in text
    assert paragraphs[-2:] == ["青阳街道", "年    月    日"]
    assert len(tables) == 1
    rows = [[c.text for c in row.cells] for row in tables[0].rows]
    assert rows[0] == ["指标名称", "计量单位", "2018年度", "历年累计"]
    assert rows[1:] == [[name, unit, str(a), str(b)] for name, unit, a, b in EXPECTED_2018]


def test_2021_docx(report_2021, tmp_path):
    path = tmp_path / "2021.docx"
    write_docx(report_2021, path)
    paragraphs, tables = _docx_text(path)
    assert paragraphs[0] == "测试街道 2021 年政府信息公开工作年度报告"
    for title in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "六、其他需要报告的事项",
    ):
        assert title in paragraphs
    text = "\n".join(paragraphs)
    assert "本年新收政府信息公开申请8件，上年结转2件，本年办结7件，结转下年度继续办理3件。" in text
    assert len(tables) == 3
    table_2, table_3, table_4 = tables
    assert [c.text for c in table_2.rows[2].cells] == ["规章", "不适用", "不适用", "不适用"]
    row_one = [c.text for c in table_3.rows[3].cells]
    assert row_one[0] == "一、本年新收政府信息公开申请数量"
    assert row_one[3:] == ["3", "1", "1", "1", "1", "1", "8"]
    assert [c.text for c in table_3.rows[-1].cells][3:] == ["1", "2", "0", "0", "0", "0", "3"]
    assert [c.text for c in table_4.rows[3].cells] == [
        str(v) for v in (1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1)
    ]


def test_xlsx_prints_each_table_one_page_wide_on_a4(report_2021, tmp_path):
    path = tmp_path / "2021.xlsx"
    write_xlsx(report_2021, path)
    book = openpyxl.load_workbook(path)
    orientation = {}
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1)  # absent means 1 page wide
        assert ws.page_setup.fitToHeight == 0 and ws.print_options.horizontalCentered  # as many pages long
        orientation[ws.title] = ws.page_setup.orientation
    assert orientation == {"二、主动公开": "portrait", "三、依申请公开": "landscape", "四、复议诉讼": "landscape",
                           "校验与提示": "landscape"}  # fmt: skip
    table_3 = book["三、依申请公开"]
    assert table_3.print_title_rows == "$1:$4"
    long_items = [r for r in range(5, table_3.max_row + 1) if len(str(table_3.cell(r, 3).value or "")) > 21]
    assert long_items and all(table_3.row_dimensions[r].height == 30 for r in long_items)


def test_docx_is_laid_out_like_the_printed_form(report_2021, tmp_path):
    """A4 with official margins, fixed column widths within the text width, headers repeated, rows whole."""
    path = tmp_path / "2021.docx"
    write_docx(report_2021, path)
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        widths = [column.width for column in table.columns]
        assert all(w is not None for w in widths) and sum(widths) <= text_width
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    _table_2, table_3, table_4 = document.tables
    assert round(table_3.columns[2].width.cm, 1) == 4.2  # the 2021 items read in one or two lines
    header = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table_3.rows]
    assert header[:4] == [True, True, True, False] and not any(header[4:])
    assert [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table_4.rows] == [True] * 3 + [False]


def _cli(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "data_access", "--database-url", url, "report", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_cli_json_old_and_2021(seeded_sqlite_url, tmp_path):
    done = _cli(seeded_sqlite_url, "--year", "2018", "--unit", "qingyang", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["template"], data["year"], data["unit"]) == ("old", 2018, "qingyang")
    assert [tuple(r.values()) for r in data["rows"]] == EXPECTED_2018
    assert data["narrative"]["publications"]["by_category"][0]["share_text"] == "22.15%"

    done = _cli(seeded_sqlite_url, "--year", "2018", "--template", "2021", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["template"] == "2021" and set(data["tables"]) == {"二", "三", "四"}
    assert all(c["passed"] for c in data["checks"]) and data["warnings"]
    assert data["tables"]["二"]["sections"][1]["rows"][0]["cells"] == ["未录入"]  # nothing entered
    assert any(w.startswith("2018 年表二未录入：规章、行政规范性文件") for w in data["warnings"])


def test_cli_files(seeded_sqlite_url, tmp_path):
    target = tmp_path / "out" / "附表.xlsx"
    target.parent.mkdir()
    done = _cli(seeded_sqlite_url, "--year", "2018", "--format", "xlsx", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == target.resolve()
    assert openpyxl.load_workbook(target)["附表"]["C3"].value == 158

    done = _cli(seeded_sqlite_url, "--year", "2018", "--format", "docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    default = tmp_path / "qingyang-2018-年度报告-old.docx"
    assert Path(done.stdout.strip()) == default.resolve() and default.exists()
    assert docx.Document(str(default)).paragraphs[0].text.endswith("2018 年政府信息公开工作年度报告")


def test_cli_errors(seeded_sqlite_url, tmp_path):
    done = _cli(seeded_sqlite_url, "--year", "2018", "--unit", "nowhere", cwd=tmp_path)
    assert done.returncode == 1 and "错误：未知单位代码：nowhere" in done.stderr, done.stderr
    done = _cli(seeded_sqlite_url, "--year", "2025", cwd=tmp_path)
    assert done.returncode == 1 and "2025 年没有任何数据" in done.stderr, done.stderr
    done = _cli(seeded_sqlite_url, "--year", "2018", "--format", "pdf", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
