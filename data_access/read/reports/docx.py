"""The annual report as a .docx draft: title, sections 一…六, the tables in place, ready to edit and sign.

The only prose is neutral sentences built from the figures; the parts that need the
office's own words (problems, other matters) carry a bracketed fill-in note. A 未录入
cell is left empty on a yellow shading, a 不适用 cell reads “不适用”.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from data_access.read.reports import AnnualReport, format_2021, requests_2021
from data_access.read.reports.common import Missing, is_number
from data_access.read.reports.format_2021 import Report2021, Table2, Table4
from data_access.read.reports.old_format import OldReport, narrative_sentences
from data_access.read.reports.requests_2021 import Table3
from data_access.read.reports.xlsx import BLANK_FILL, LEGEND
from data_access.rules.printing import A4_MM, OFFICIAL_MARGINS_MM

FILL_IN = "（此部分请结合本单位工作实际填写。）"
# A4 with the margins of official documents (GB/T 9704): 15.6 cm of text width for the tables.
PAGE_CM = (A4_MM[0] / 10, A4_MM[1] / 10)
MARGINS_CM = {f"{side}_margin": mm / 10 for side, mm in OFFICIAL_MARGINS_MM.items()}
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left_margin"] - MARGINS_CM["right_margin"]
# Column widths (cm) of each table, so the labels read in whole lines as on the printed form.
OLD_WIDTHS = (6.4, 2.0, 3.6, 3.6)
TABLE_2_WIDTHS = (3.9, 3.9, 3.9, 3.9)
TABLE_3_LABEL_WIDTHS = (1.6, 2.0, 4.2)  # 一/二/三 | （一）… group | item; 7 applicant columns share the rest
TABLE_4_WIDTH = 1.03  # 15 equal columns (15.45 cm)
OLD_SECTIONS: tuple[str, ...] = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、政府信息依申请公开办理情况",
    "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "五、政府信息公开工作存在的主要问题及改进措施",
    "六、需要说明的其他事项与附表",
)


def _font(run: Run, name: str = "宋体", size: float = 12, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(
    doc: Document,
    text: str,
    *,
    bold: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    font: str = "宋体",
    size: float = 12,
) -> Paragraph:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _heading(doc: Document, text: str) -> None:
    fmt = _para(doc, text, bold=True, font="黑体", size=14).paragraph_format
    fmt.keep_with_next = True
    fmt.space_before = Pt(12)  # apart from a table above it (a complete table has no legend after it)


def _set(cell: _Cell, value: object, bold: bool = False) -> bool:
    """Write a value into a table cell; True when it was 未录入 or 不适用."""
    if is_number(value):
        text = str(value)
    elif value == Missing.NOT_APPLICABLE:
        text = str(Missing.NOT_APPLICABLE)
    elif isinstance(value, str) and value != Missing.BLANK:
        text = value
    else:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), BLANK_FILL.lstrip("#"))
        cell._tc.get_or_add_tcPr().append(shading)
        cell.text = ""
        return True
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(text), size=10.5, bold=bold)
    return value == Missing.NOT_APPLICABLE


def _table(doc: Document, rows: int, widths: tuple[float, ...], header_rows: int = 1) -> Table:
    """A grid table with fixed column widths (cm), rows kept whole and the header repeated on each page."""
    table: Table = doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)  # the grid (LibreOffice) …
        for cell in col.cells:
            cell.width = Cm(width)  # … and each cell (Word), set before any merge adds them up
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
    return table


def _row_cells(table: Table, row: int) -> tuple[_Cell, ...]:
    """The cells of one row, one per grid column (a merged cell repeated): `Table.cell` reads every
    cell of the table on each call, which made a 2021 report's table 三 take seconds to write."""
    return table.rows[row].cells


def _merge(table: Table, r1: int, c1: int, r2: int, c2: int, text: str) -> None:
    cell = _row_cells(table, r1)[c1]
    if (r1, c1) != (r2, c2):
        cell = cell.merge(_row_cells(table, r2)[c2])
    _set(cell, text, bold=True)


def _old_table(doc: Document, report: OldReport) -> bool:
    rows = report["rows"]
    table = _table(doc, len(rows) + 1, OLD_WIDTHS)
    missing = False
    for col, name in enumerate(report["columns"]):
        _set(table.cell(0, col), f"{report['year']}年度" if name == "本年度" else name, bold=True)
    for i, row in enumerate(rows, start=1):
        values: Mapping[str, object] = row  # looked up by the report's column names
        cells = _row_cells(table, i)
        for col, name in enumerate(report["columns"]):
            missing |= _set(cells[col], values[name])
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    return missing


def _table_2(doc: Document, table_2: Table2) -> bool:
    count = sum(2 + len(section["rows"]) for section in table_2["sections"])
    table = _table(doc, count, TABLE_2_WIDTHS, header_rows=0)
    row, missing = 0, False
    for section in table_2["sections"]:
        _merge(table, row, 0, row, 3, section["title"])
        names = section["columns"]
        _set(table.cell(row + 1, 0), names[0], bold=True)
        if len(names) == 2:
            _merge(table, row + 1, 1, row + 1, 3, names[1])
        else:
            for col, name in enumerate(names[1:], start=1):
                _set(table.cell(row + 1, col), name, bold=True)
        row += 2
        for line in section["rows"]:
            _set(table.cell(row, 0), line["label"])
            if len(line["cells"]) == 1:
                missing |= _set(table.cell(row, 1).merge(table.cell(row, 3)), line["cells"][0])
            else:
                for col, value in enumerate(line["cells"], start=1):
                    missing |= _set(table.cell(row, col), value)
            row += 1
    return missing


def _table_3(doc: Document, table_3: Table3) -> bool:
    columns, rows = table_3["columns"], table_3["rows"]
    last = 2 + len(columns)
    rest = TEXT_WIDTH_CM - sum(TABLE_3_LABEL_WIDTHS)
    widths = TABLE_3_LABEL_WIDTHS + (int(rest / len(columns) * 100) / 100,) * len(columns)
    table = _table(doc, 3 + len(rows), widths, header_rows=3)
    _merge(table, 0, 0, 2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    _merge(table, 0, 3, 0, last, "申请人情况")
    _merge(table, 1, 3, 2, 3, columns[0])
    _merge(table, 1, 4, 1, last - 1, "法人或其他组织")
    _merge(table, 1, last, 2, last, columns[-1])
    for col, name in enumerate(columns[1:-1], start=4):
        _set(table.cell(2, col), name, bold=True)
    start, missing = 3, False
    first = next(i for i, r in enumerate(rows) if r["key"].startswith("三"))
    total = next(i for i, r in enumerate(rows) if r["key"] == requests_2021.TOTAL_ROW)
    _merge(table, start + first, 0, start + total, 0, requests_2021.ROW_LABELS["三"])
    done_groups: set[str] = set()
    for i, r in enumerate(rows):
        at = start + i
        if r["key"] in ("一", "二", "四"):
            _merge(table, at, 0, at, 2, r["label"])
        elif r["item"] is None:
            _merge(table, at, 1, at, 2, r["group"] or r["label"])
        else:
            group = r["group"]
            assert group is not None  # a result row with an item belongs to a group
            if group not in done_groups:
                span = sum(1 for other in rows if other["group"] == group)
                _merge(table, at, 1, at + span - 1, 1, group)
                done_groups.add(group)
        cells = _row_cells(table, at)  # after this row's merges
        if r["key"] not in ("一", "二", "四") and r["item"] is not None:
            _set(cells[2], r["item"])
            cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        for col, name in enumerate(columns, start=3):
            missing |= _set(cells[col], r["cells"][name])
    return missing


def _table_4(doc: Document, table_4: Table4) -> bool:
    n = len(format_2021.APPEAL_RESULTS)
    table = _table(doc, 4, (TABLE_4_WIDTH,) * (3 * n), header_rows=3)
    _merge(table, 0, 0, 0, n - 1, "行政复议")
    _merge(table, 0, n, 0, 3 * n - 1, "行政诉讼")
    for b, name in enumerate(table_4["行政诉讼"], start=1):
        _merge(table, 1, b * n, 1, b * n + n - 1, name)
    missing = False
    for b, block in enumerate([table_4["行政复议"], *table_4["行政诉讼"].values()]):
        for k, result in enumerate(format_2021.APPEAL_RESULTS):
            col = b * n + k
            if b == 0:
                _merge(table, 1, col, 2, col, result)
            else:
                _set(table.cell(2, col), result, bold=True)
            missing |= _set(table.cell(3, col), block[result])
    return missing


def _legend(doc: Document, missing: bool) -> None:
    if missing:
        _para(doc, LEGEND, size=10.5)


def _sign(doc: Document, report: AnnualReport) -> None:
    _para(doc, "")
    _para(doc, report["profile"]["signature"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "年    月    日", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _old_body(doc: Document, report: OldReport) -> None:
    sentences = narrative_sentences(report)
    for title in OLD_SECTIONS:
        _heading(doc, title)
        key = title[0]
        if key in sentences:
            for sentence in sentences[key]:
                _para(doc, sentence)
        elif key == "五":
            _para(doc, FILL_IN)
        else:
            _para(doc, "（一）需要说明的其他事项")
            _para(doc, FILL_IN)
            _para(doc, "（二）附表")
            _legend(doc, _old_table(doc, report))


def _body_2021(doc: Document, report: Report2021) -> None:
    tables = report["tables"]
    writers: dict[str, Callable[[], bool]] = {
        "二": lambda: _table_2(doc, tables["二"]),
        "三": lambda: _table_3(doc, tables["三"]),
        "四": lambda: _table_4(doc, tables["四"]),
    }
    for title in format_2021.SECTION_TITLES:
        _heading(doc, title)
        key = title[0]
        if key == "一":
            for sentence in format_2021.overview_sentences(report):
                _para(doc, sentence)
        elif key in writers:
            _legend(doc, writers[key]())
            if key == "三":
                for finding in report["findings"]:
                    _para(doc, finding, bold=True)
        else:
            _para(doc, FILL_IN)


def write_docx(report: AnnualReport, target: str | Path | IO[bytes]) -> None:
    """Write the report as a .docx draft to a path or a binary stream."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Cm(x) for x in PAGE_CM)
    for name, cm in MARGINS_CM.items():
        setattr(section, name, Cm(cm))
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    _para(doc, report["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font="黑体", size=18)
    if report["template"] == "old":
        _old_body(doc, report)
    else:
        _body_2021(doc, report)
    _sign(doc, report)
    doc.save(str(target) if isinstance(target, str | Path) else target)


def docx_bytes(report: AnnualReport) -> bytes:
    """The report's .docx draft as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_docx(report, buffer)
    return buffer.getvalue()
