"""The issue report as an .xlsx a clerk can act on: a list of problems and the sheet with bad cells marked."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string

from data_access.read.reports.xlsx import safe_text
from data_access.write.importing.issues import ERROR, LEVEL_NAMES, WARNING, Issue, sort_issues
from data_access.write.importing.reading import FileRejected, read_sheets

FILLS = {ERROR: PatternFill("solid", fgColor="FFC7CE"), WARNING: PatternFill("solid", fgColor="FFEB9C")}
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(_ILLEGAL.sub("", value))
    return value


def issues_workbook(data: bytes | None, issues: list[Issue]) -> bytes:
    """An .xlsx with sheet 问题清单 and, when the file can be read, a copy of each sheet with problem cells coloured."""
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["级别", "工作表", "行", "列", "列名", "说明"])
    for cell in ws[1]:
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
    for letter, width in zip("ABCDEF", (8, 14, 6, 6, 18, 90), strict=True):
        ws.column_dimensions[letter].width = width
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
