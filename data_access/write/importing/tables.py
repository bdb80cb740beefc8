"""Finding the table in a sheet: the header row (or two merged rows), columns, data rows.

Title rows above the header, merged cells, blank rows, 合计/小计 rows, repeated
header rows and notes or signature lines below the table are recognised here;
the sheet that holds the best header is chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from data_access.write.importing.issues import ERROR, INFO, Issue, col_letter
from data_access.write.importing.kinds import KindSpec, header_key
from data_access.write.importing.normalise import BLANK_CHARS, clean_text, fold, is_blank
from data_access.write.importing.reading import Sheet

HEADER_SCAN_ROWS = 40
_TOTAL = re.compile(r"^(合计|小计|总计|共计|总合计)")
_NOTE = re.compile(r"^(注|备注|说明|填报|填表|审核|制表|联系|负责人|签字|签名|盖章|单位负责人|分管领导)")


@dataclass
class Row:
    """One data row: its Excel row number and cell value per field (with the column index)."""

    number: int
    cells: dict[str, tuple[Any, int]]


@dataclass
class Table:
    """A located table: header position, the column of each field, rows, totals and notes."""

    sheet: Sheet
    header_rows: tuple[int, ...]
    columns: dict[str, int]
    headers: dict[int, str]
    title: str
    rows: list[Row] = field(default_factory=list)
    totals: list[Row] = field(default_factory=list)
    skipped_notes: list[int] = field(default_factory=list)

    def header_of(self, field_name: str) -> str:
        """The header text the file uses for a field."""
        return self.headers.get(self.columns.get(field_name, -1), field_name)

    def issue(self, level: str, message: str, row: int | None = None, field_name: str | None = None) -> Issue:
        """An issue located in this table (row is the Excel row number)."""
        col = self.columns.get(field_name) if field_name else None
        return Issue(
            level,
            message,
            self.sheet.name,
            row,
            self.headers.get(col) if col is not None else None,
            col_letter(col) if col is not None else None,
        )


def _match(spec: KindSpec, labels: list[list[str]]) -> tuple[list[str], dict[str, list[int]]]:
    """Map each column (given its alternative labels) to a field; return the labels used."""
    found: dict[str, list[int]] = {}
    used: list[str] = []
    for index, alternatives in enumerate(labels):
        chosen = next((a for a in alternatives if a), "")
        for label in alternatives:
            key = header_key(label)
            column = next((c for c in spec.columns if key and c.matches(key)), None)
            if column is not None:
                found.setdefault(column.field, []).append(index)
                chosen = label
                break
        used.append(chosen)
    return used, found


def _candidates(rows: list[list[Any]], r: int) -> list[tuple[tuple[int, ...], list[list[str]]]]:
    """The header read from row r alone, and from rows r and r+1 (a merged parent over sub-headers)."""
    first = [clean_text(v) for v in rows[r]]
    out: list[tuple[tuple[int, ...], list[list[str]]]] = [((r,), [[f] for f in first])]
    if r + 1 < len(rows):
        second = [clean_text(v) for v in rows[r + 1]]
        width = max(len(first), len(second))
        first += [""] * (width - len(first))
        second += [""] * (width - len(second))
        parent, labels = "", []
        for j in range(width):
            parent = first[j] or parent
            child = second[j]
            labels.append([child, parent + child, child + parent] if child else [first[j]])
        out.append(((r, r + 1), labels))
    return out


def _score(spec: KindSpec, mapped: dict[str, list[int]], rows_used: tuple[int, ...]) -> tuple[int, int, int]:
    required = sum(1 for c in spec.columns if c.required and c.field in mapped)
    return required, len(mapped), -len(rows_used)


def locate(spec: KindSpec, sheets: list[Sheet]) -> tuple[Table | None, list[Issue]]:
    """Find the best header among the sheets; errors when none or required columns are missing."""
    best: tuple[tuple[int, int, int], Sheet, tuple[int, ...], list[str], dict[str, list[int]]] | None = None
    for sheet in sheets:
        for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
            for rows_used, alternatives in _candidates(sheet.rows, r):
                labels, found = _match(spec, alternatives)
                score = _score(spec, found, rows_used)
                if best is None or score > best[0]:
                    best = (score, sheet, rows_used, labels, found)
    expected = "、".join(c.label for c in spec.columns if c.required)
    # Two required columns, or (a kind with one, as annual-figures) it and another column.
    need = min(2, sum(1 for c in spec.columns if c.required))
    if best is None or best[0][0] < need or best[0][1] < 2:
        seen = _nonblank_texts(sheets)
        return None, [
            Issue(ERROR, f"找不到{spec.title}的表头。应有的列：{expected}。文件中看到的内容：{seen}")
        ]
    (_score_value, sheet, rows_used, labels, found) = best
    issues: list[Issue] = []
    headers = {j: label for j, label in enumerate(labels) if label}
    for f, cols in found.items():
        if len(cols) > 1:
            letters = "、".join(col_letter(c) for c in cols)
            issues.append(
                Issue(
                    ERROR,
                    f"“{spec.column(f).label}”列出现了多次（{letters} 列），请只保留一列",
                    sheet.name,
                    rows_used[-1] + 1,
                )
            )
    columns = {f: cols[0] for f, cols in found.items()}
    missing = [c.label for c in spec.columns if c.required and c.field not in columns]
    if missing:
        present = "、".join(headers.values())
        issues.append(
            Issue(
                ERROR,
                f"缺少必填列：{'、'.join(missing)}。文件中找到的列：{present}；本表应有的列：{expected}",
                sheet.name,
                rows_used[0] + 1,
            )
        )
    unknown = [f"{col_letter(j)} 列“{h}”" for j, h in headers.items() if j not in columns.values()]
    if unknown:
        issues.append(
            Issue(INFO, f"以下列不属于本表，已忽略：{'、'.join(unknown)}", sheet.name, rows_used[0] + 1)
        )
    title = " ".join(clean_text(v) for row in sheet.rows[: rows_used[0]] for v in row if not is_blank(v))
    table = Table(sheet, rows_used, columns, headers, title)
    if len(sheets) > 1:
        others = "、".join(f"「{s.name}」" for s in sheets if s is not sheet)
        issues.append(Issue(INFO, f"读取了工作表「{sheet.name}」，其他工作表（{others}）未读取", sheet.name))
    _split_rows(spec, table)
    return table, issues


def _nonblank_texts(sheets: list[Sheet]) -> str:
    texts = []
    for sheet in sheets:
        for row in sheet.rows[:5]:
            texts += [clean_text(v) for v in row if not is_blank(v)]
    shown = "、".join(texts[:12])
    return shown or "（空白）"


def _split_rows(spec: KindSpec, table: Table) -> None:
    start = table.header_rows[-1] + 1
    header_keys = {header_key(h) for h in table.headers.values()}
    columns = list(table.columns.items())
    for r in range(start, len(table.sheet.rows)):
        values = table.sheet.rows[r]
        filled = [
            (j, v)
            for j, v in enumerate(values)
            if v is not None and (v.strip(BLANK_CHARS) != "" if type(v) is str else not is_blank(v))
        ]
        if not filled:
            continue
        width = len(values)
        row = Row(r + 1, {f: (values[j] if j < width else None, j) for f, j in columns})
        first = filled[0][1]
        if _TOTAL.match(fold(first)) and any(
            _TOTAL.match(fold(v)) for v in [v for _j, v in filled if isinstance(v, str)][:2]
        ):
            table.totals.append(row)
        elif len(filled) <= 2 and isinstance(first, str) and _NOTE.match(fold(first)):
            table.skipped_notes.append(r + 1)
        elif _repeats_header(filled, header_keys):
            table.skipped_notes.append(r + 1)  # a repeated header row (e.g. after a page break)
        else:
            table.rows.append(row)


def _repeats_header(filled: list[tuple[int, Any]], header_keys: set[str]) -> bool:
    """True when all filled cells but at most one (and at least two) are the table's headers."""
    needed = max(2, len(filled) - 1)
    misses_allowed = len(filled) - needed
    if misses_allowed < 0:
        return False
    misses = 0
    for _j, v in reversed(filled):  # the last columns repeat (dates, yes/no): folded once, then cached
        if header_key(v) not in header_keys:
            misses += 1
            if misses > misses_allowed:
                return False
    return True
