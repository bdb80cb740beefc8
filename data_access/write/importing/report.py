"""The issue report as an .xlsx a clerk can act on: a list of problems and the sheet with bad cells marked."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string

from data_access.read.reports.xlsx import print_setup, safe_text
from data_access.rules.printing import wrapped_lines
from data_access.write.importing.issues import ERROR, LEVEL_NAMES, WARNING, Issue, sort_issues
from data_access.write.importing.reading import FileRejected, read_sheets

FILLS = {ERROR: PatternFill("solid", fgColor="FFC7CE"), WARNING: PatternFill("solid", fgColor="FFEB9C")}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(_ILLEGAL.sub("", value))
    return value


HEADINGS = ("级别", "工作表", "行", "列", "列名", "说明")
WIDTHS = (8, 14, 6, 6, 18, 90)


def issues_workbook(data: bytes | None, issues: list[Issue], title: str = "上传文件问题清单") -> bytes:
    """An .xlsx with sheet 问题清单 (row 1 `title`, e.g. the file's name and 问题清单, then the
    problems under their headings; printed landscape on A4, one page wide) and, when the file can be
    read, a copy of each sheet with problem cells coloured."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append([_safe(title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(HEADINGS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    ordered = sort_issues(issues)
    for issue in ordered:
        ws.append(
            [
                LEVEL_NAMES.get(issue.level, issue.level),
                issue.sheet,
                issue.row,
                issue.column_letter,
                _safe(issue.column),
                _safe(issue.message),
            ]
        )
        fill = FILLS.get(issue.level)
        if fill:
            ws.cell(ws.max_row, 1).fill = fill
        message = ws.cell(ws.max_row, len(HEADINGS))
        message.alignment = Alignment(wrap_text=True, vertical="top")
        lines = wrapped_lines(str(message.value or ""), WIDTHS[-1])
        if lines > 1:  # a spreadsheet does not grow a row for wrapped text by itself
            ws.row_dimensions[ws.max_row].height = 15 * lines
    for letter, width in zip("ABCDEF", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    print_setup(ws, "2:2")
    sheets = []
    if data:
        try:
            sheets = read_sheets(data)[1]
        except FileRejected:
            sheets = []
    for sheet in sheets:
        mine = [i for i in ordered if i.sheet == sheet.name and i.row]
        if not mine:
            continue
        copy = wb.create_sheet(f"标注-{sheet.name}"[:31])
        for row in sheet.rows:
            copy.append([_safe(v) for v in row])
        for issue in reversed(mine):  # errors last, so their colour wins
            fill = FILLS.get(issue.level)
            if issue.column_letter:
                cell = copy.cell(issue.row, column_index_from_string(issue.column_letter))
                if fill:
                    cell.fill = fill
                text = f"{LEVEL_NAMES.get(issue.level)}：{issue.message}"
                cell.comment = Comment(
                    text if cell.comment is None else cell.comment.text + "\n" + text, "政务公开看板"
                )
            elif fill:
                for cell in copy[issue.row]:
                    cell.fill = fill
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
