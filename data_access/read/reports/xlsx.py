"""The annual report as an .xlsx workbook laid out like the official forms (one sheet per table).

Numbers are written as numbers; a 未录入 cell stays empty on a yellow fill and a
不适用 cell reads “不适用” in grey, so neither can be mistaken for 0. Every text goes
through `safe_text` so nothing the records contain can run as a formula.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from data_access.read.reports import AnnualReport, format_2021, requests_2021
from data_access.read.reports.common import Missing, is_number
from data_access.read.reports.format_2021 import Table2, Table4
from data_access.read.reports.old_format import OldReport
from data_access.read.reports.requests_2021 import Table3
from data_access.rules.printing import wrapped_lines

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
BLANK_FILL = "#FFF2CC"
LEGEND = "注：黄色空白单元格为本系统未录入数据的项目，请核实后填写；“不适用”为本单位标明没有该类事项的项目。"


ITEM_WIDTH = 44  # characters: the 2021 items of table 三 (a Chinese character takes two)


def print_setup(ws: Any, repeat_rows: str) -> None:
    """Set an openpyxl worksheet to print as every export does: landscape A4, one page wide (as many
    tall as it takes), centred, with rows `repeat_rows` (e.g. "1:2") on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = repeat_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def safe_text(value: str) -> str:
    """Text that a spreadsheet will not run as a formula: a leading = + - @ tab CR or LF gets an apostrophe."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


class _Sheet:
    """A worksheet with the report's formats and a writer that keeps zero, 未录入 and 不适用 apart."""

    def __init__(
        self, book: xlsxwriter.Workbook, name: str, formats: dict[str, Any], landscape: bool = False
    ) -> None:
        self.ws = book.add_worksheet(name)
        self.f = formats
        self.has_missing = False
        # Printed as the form is: on A4, one page wide, centred.
        self.ws.set_paper(9)
        if landscape:
            self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.center_horizontally()
        self.ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)

    def text(self, row: int, col: int, value: str, fmt: str = "label") -> None:
        self.ws.write_string(row, col, safe_text(value), self.f[fmt])

    def merge(
        self, first_row: int, first_col: int, last_row: int, last_col: int, value: str, fmt: str = "head"
    ) -> None:
        if (first_row, first_col) == (last_row, last_col):
            self.text(first_row, first_col, value, fmt)
        else:
            self.ws.merge_range(first_row, first_col, last_row, last_col, safe_text(value), self.f[fmt])

    def cell(self, row: int, col: int, value: object, money: bool = False) -> None:
        if is_number(value):
            self.ws.write_number(row, col, value, self.f["money" if money else "num"])
        elif value == Missing.NOT_APPLICABLE:
            self.has_missing = True
            self.ws.write_string(row, col, str(Missing.NOT_APPLICABLE), self.f["na"])
        else:  # Missing.BLANK (or nothing): left empty for the office to fill in
            self.has_missing = True
            self.ws.write_blank(row, col, None, self.f["blank"])

    def title(self, last_col: int, value: str) -> None:
        self.ws.merge_range(0, 0, 0, last_col, safe_text(value), self.f["title"])
        self.ws.set_row(0, 30)

    def legend(self, row: int, last_col: int) -> None:
        if self.has_missing:
            self.ws.merge_range(row, 0, row, last_col, LEGEND, self.f["note"])
            self.ws.set_row(row, 32)


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "title": book.add_format(
            {"font_name": "宋体", "font_size": 14, "bold": True, "align": "center", "valign": "vcenter"}
        ),
        "head": book.add_format({**base, "bold": True, "align": "center"}),
        "label": book.add_format({**base, "align": "left"}),
        "num": book.add_format({**base, "align": "center", "num_format": "0"}),
        "money": book.add_format({**base, "align": "center", "num_format": "0.00"}),
        "na": book.add_format({**base, "align": "center", "font_color": "#808080"}),
        "blank": book.add_format({**base, "bg_color": BLANK_FILL}),
        "note": book.add_format({"font_name": "宋体", "font_size": 10, "text_wrap": True, "valign": "top"}),
        "plain": book.add_format({"font_name": "宋体", "font_size": 11, "text_wrap": True, "valign": "top"}),
    }


def _old_sheets(book: xlsxwriter.Workbook, f: dict[str, Any], report: OldReport) -> None:
    s = _Sheet(book, "附表", f)
    s.title(3, f"{report['title']} 附表")
    for col, name in enumerate(report["columns"]):
        s.text(1, col, f"{report['year']}年度" if name == "本年度" else name, "head")
    for i, row in enumerate(report["rows"], start=2):
        s.text(i, 0, row["指标名称"])
        s.text(i, 1, row["计量单位"], "head")
        s.cell(i, 2, row["本年度"])
        s.cell(i, 3, row["历年累计"])
    s.legend(len(report["rows"]) + 3, 3)
    s.ws.set_column(0, 0, 34)
    s.ws.set_column(1, 1, 10)
    s.ws.set_column(2, 3, 14)

    c = _Sheet(book, "主动公开分类", f)
    c.title(2, f"{report['year']}年度主动公开政府信息分类统计")
    for col, name in enumerate(("类别", "数量（条）", "占比")):
        c.text(1, col, name, "head")
    pub = report["narrative"]["publications"]
    for i, cat in enumerate(pub["by_category"], start=2):
        c.text(i, 0, cat["name"])
        c.cell(i, 1, cat["count"])
        c.text(i, 2, cat["share_text"], "head")
    total_row = len(pub["by_category"]) + 2
    c.text(total_row, 0, "合计", "head")
    c.cell(total_row, 1, pub["total"])
    c.text(total_row, 2, "100.00%" if pub["total"] else "—", "head")
    c.ws.set_column(0, 0, 32)
    c.ws.set_column(1, 2, 14)


def _table_2(book: xlsxwriter.Workbook, f: dict[str, Any], table: Table2) -> None:
    s = _Sheet(book, "二、主动公开", f)
    s.title(3, table["title"])
    row = 1
    for section in table["sections"]:
        s.merge(row, 0, row, 3, section["title"])
        row += 1
        wide = len(section["columns"]) == 2  # one figure per line: it spans the three value columns
        s.text(row, 0, section["columns"][0], "head")
        if wide:
            s.merge(row, 1, row, 3, section["columns"][1])
        else:
            for col, name in enumerate(section["columns"][1:], start=1):
                s.text(row, col, name, "head")
        row += 1
        money = "万元" in section["columns"][-1]
        for line in section["rows"]:
            s.text(row, 0, line["label"], "head")
            if wide:
                s.ws.merge_range(row, 1, row, 3, None, f["label"])
            for col, value in enumerate(line["cells"], start=1):
                s.cell(row, col, value, money)
            row += 1
    s.legend(row + 1, 3)
    s.ws.set_column(0, 0, 22)
    s.ws.set_column(1, 3, 18)


def _table_3(book: xlsxwriter.Workbook, f: dict[str, Any], table: Table3) -> None:
    s = _Sheet(book, "三、依申请公开", f, landscape=True)
    s.ws.repeat_rows(0, 3)  # the title and the applicant headers on every printed page
    columns = table["columns"]
    last = 2 + len(columns)
    s.title(last, table["title"])
    s.merge(1, 0, 3, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    s.merge(1, 3, 1, last, "申请人情况")
    s.merge(2, 3, 3, 3, columns[0])
    s.merge(2, 4, 2, last - 1, "法人或其他组织")
    s.merge(2, last, 3, last, columns[-1])
    for col, name in enumerate(columns[1:-1], start=4):
        s.text(3, col, name, "head")
    rows = table["rows"]
    first_result = next(i for i, r in enumerate(rows) if r["key"].startswith("三"))
    total_index = next(i for i, r in enumerate(rows) if r["key"] == requests_2021.TOTAL_ROW)
    start = 4
    s.merge(start + first_result, 0, start + total_index, 0, requests_2021.ROW_LABELS["三"])
    i = 0
    while i < len(rows):
        r, excel_row = rows[i], start + i
        if r["key"] in ("一", "二", "四"):
            s.merge(excel_row, 0, excel_row, 2, r["label"], "label")
        elif r["item"] is None:
            s.merge(excel_row, 1, excel_row, 2, r["group"] or r["label"], "label")
        else:
            group = r["group"]
            assert group is not None  # a result row with items: all of its group's rows have one
            span = sum(1 for other in rows if other["group"] == group)
            s.merge(excel_row, 1, excel_row + span - 1, 1, group, "label")
            for j in range(span):
                item = rows[i + j]["item"]
                assert item is not None
                s.text(excel_row + j, 2, item)
                lines = wrapped_lines(item, ITEM_WIDTH)
                if lines > 1:  # a spreadsheet does not grow a row for wrapped text by itself
                    s.ws.set_row(excel_row + j, 15 * lines)
                for col, name in enumerate(columns, start=3):
                    s.cell(excel_row + j, col, rows[i + j]["cells"][name])
            i += span
            continue
        for col, name in enumerate(columns, start=3):
            s.cell(excel_row, col, r["cells"][name])
        i += 1
    s.legend(start + len(rows) + 1, last)
    s.ws.set_column(0, 0, 12)
    s.ws.set_column(1, 1, 18)
    s.ws.set_column(2, 2, ITEM_WIDTH)
    s.ws.set_column(3, last, 11)


def _table_4(book: xlsxwriter.Workbook, f: dict[str, Any], table: Table4) -> None:
    s = _Sheet(book, "四、复议诉讼", f, landscape=True)
    n = len(format_2021.APPEAL_RESULTS)
    s.title(3 * n - 1, table["title"])
    s.merge(1, 0, 1, n - 1, "行政复议")
    s.merge(1, n, 1, 3 * n - 1, "行政诉讼")
    blocks = [table["行政复议"], *table["行政诉讼"].values()]
    for b, name in enumerate(table["行政诉讼"], start=1):
        s.merge(2, b * n, 2, b * n + n - 1, name)
    for b, block in enumerate(blocks):
        for k, result in enumerate(format_2021.APPEAL_RESULTS):
            col = b * n + k
            if b == 0:
                s.merge(2, col, 3, col, result)
            else:
                s.text(3, col, result, "head")
            s.cell(4, col, block[result])
    s.legend(6, 3 * n - 1)
    s.ws.set_column(0, 3 * n - 1, 10)
    s.ws.set_row(2, 30)


def _notes(book: xlsxwriter.Workbook, f: dict[str, Any], report: AnnualReport) -> None:
    s = _Sheet(book, "校验与提示", f, landscape=True)
    s.title(1, f"{report['title']} 校验与提示")
    if report["template"] == "old":  # no checks, findings or table notes
        checks, findings, notes = [], [], []
    else:
        checks = [c["message"] for c in report["checks"]]
        findings, notes = report["findings"], report["tables"]["二"]["notes"]
    sections = (
        ("校验结果", checks),
        ("发现的问题", findings),
        ("提示", report["warnings"] + notes),
        ("图例", [LEGEND]),
    )
    row = 1
    for heading, lines in sections:
        lines = lines or ["无"]
        s.merge(row, 0, row + len(lines) - 1, 0, heading)
        for line in lines:
            s.text(row, 1, line)
            row += 1
    s.ws.set_column(0, 0, 14)
    s.ws.set_column(1, 1, 100)


def write_xlsx(report: AnnualReport, target: str | Path | IO[bytes]) -> None:
    """Write the report as an .xlsx workbook to a path or a binary stream."""
    book = xlsxwriter.Workbook(str(target) if isinstance(target, str | Path) else target, {"in_memory": True})
    formats = _formats(book)
    if report["template"] == "old":
        _old_sheets(book, formats, report)
        _notes(book, formats, report)
    else:
        tables = report["tables"]
        _table_2(book, formats, tables["二"])
        _table_3(book, formats, tables["三"])
        _table_4(book, formats, tables["四"])
        _notes(book, formats, report)
    book.close()


def xlsx_bytes(report: AnnualReport) -> bytes:
    """The report's .xlsx workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return buffer.getvalue()
