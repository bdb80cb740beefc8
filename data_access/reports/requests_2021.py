"""Table 三 of the 2021 report (收到和处理政府信息公开申请情况) and its cross-check.

Per applicant column: 一 本年新收 = received in the year; 二 上年结转 = received in an
earlier year and unanswered on 1 January; 三 = answered in the year, by outcome;
四 结转下年度 = received by 31 December and unanswered on 31 December. Hence
一 + 二 = 三（七）+ 四 for every column, which `check_table_3` verifies.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from data_access.models import APPLICANT_TYPES, DisclosureRequest
from data_access.reports.common import LAST_OLD_RULES_YEAR, Cell, Missing, is_number
from data_access.vocab import OUTCOMES_2021, is_valid_outcome

TOTAL = "总计"
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPES, TOTAL)
TITLE = "三、收到和处理政府信息公开申请情况"
_NUMERALS = "一二三四五六七八九"
PARTIAL = "部分公开"
# The old (2008) reply names that have an exact 2021 row.
_OLD_EXACT = {"同意公开": "予以公开", "同意部分公开": PARTIAL}
# Several outcomes stored for one request ("予以公开；不予公开-个人隐私").
_SEPARATORS = re.compile(r"[;；|\n]+")


def _result_rows() -> list[dict]:
    rows: list[dict] = []
    for i, (group, items) in enumerate(OUTCOMES_2021):
        group_label = f"（{_NUMERALS[i]}）{group}"
        if group == PARTIAL:
            group_label += "（区分处理的，只计这一情形，不计其他情形）"
        if not items:
            rows.append(
                {"key": f"三（{_NUMERALS[i]}）", "group": group_label, "item": None, "outcome": group}
            )
        for j, item in enumerate(items, start=1):
            rows.append(
                {
                    "key": f"三（{_NUMERALS[i]}）{j}",
                    "group": group_label,
                    "item": f"{j}. {item}",
                    "outcome": f"{group}-{item}",
                }
            )
    return rows


RESULT_ROWS: list[dict] = _result_rows()
OUTCOME_ROW: dict[str, str] = {row["outcome"]: row["key"] for row in RESULT_ROWS}
TOTAL_ROW = f"三（{_NUMERALS[len(OUTCOMES_2021)]}）"
ROW_LABELS: dict[str, str] = {
    "一": "一、本年新收政府信息公开申请数量",
    "二": "二、上年结转政府信息公开申请数量",
    "三": "三、本年度办理结果",
    TOTAL_ROW: f"（{_NUMERALS[len(OUTCOMES_2021)]}）总计",
    "四": "四、结转下年度继续办理",
}
OTHER_FALLBACK = "其他处理-其他"


def classify_outcome(outcome: str | None, year: int) -> tuple[str | None, str | None]:
    """The table-三 row key of a stored outcome and a Chinese warning; key None when it has no row."""
    text = (outcome or "").strip()
    if not text:
        return None, "已答复但未录入办理结果，未计入（七）总计"
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) > 1:
        groups = [_OLD_EXACT.get(p, p).partition("-")[0] for p in parts]
        if PARTIAL in groups or ("予以公开" in groups and len(set(groups)) > 1):
            return OUTCOME_ROW[PARTIAL], None
        key, warning = classify_outcome(parts[0], year)
        note = f"登记了多项办理结果（{text}），按第一项统计"
        return key, f"{note}；{warning}" if warning else note
    text = _OLD_EXACT.get(text, text)
    old_rules = "（旧口径）" if year <= LAST_OLD_RULES_YEAR else ""
    if text == OTHER_FALLBACK and old_rules:
        # The importer stores the old reply 其他 as 其他处理-其他: it may belong to a more specific row.
        return OUTCOME_ROW[text], "旧口径“其他”类答复按“（六）其他处理 3. 其他”统计，请核实能否归入更具体的行"
    if is_valid_outcome(text):
        return OUTCOME_ROW[text], None
    if text in ("其他", "其他处理"):
        return OUTCOME_ROW[OTHER_FALLBACK], (
            f"办理结果“{text}”{old_rules}无对应的 2021 年细项，按“（六）其他处理 3. 其他”统计，请核实"
        )
    groups = {name for name, _items in OUTCOMES_2021}
    if text.partition("-")[0] in groups:
        return None, f"办理结果“{text}”{old_rules}未注明 2021 年格式的细项，无法归入表格行，未计入（七）总计"
    return None, f"无法识别的办理结果“{text}”，未计入（七）总计"


def _empty_row(
    key: str, label: str, group: str | None = None, item: str | None = None, value: Cell = 0
) -> dict:
    return {"key": key, "label": label, "group": group, "item": item, "cells": dict.fromkeys(COLUMNS, value)}


def blank_table_3() -> dict:
    """Table 三 with every cell 未录入 (no request records for the year)."""
    return _table([], Missing.BLANK)


def _table(rows_in: list[tuple[str, str]], value: Cell) -> dict:
    rows = [_empty_row("一", ROW_LABELS["一"], value=value), _empty_row("二", ROW_LABELS["二"], value=value)]
    for r in RESULT_ROWS:
        label = r["group"] if r["item"] is None else f"{r['group']} {r['item']}"
        rows.append(_empty_row(r["key"], label, r["group"], r["item"], value))
    rows.append(_empty_row(TOTAL_ROW, ROW_LABELS[TOTAL_ROW], value=value))
    rows.append(_empty_row("四", ROW_LABELS["四"], value=value))
    by_key = {row["key"]: row for row in rows}
    for key, column in rows_in:
        by_key[key]["cells"][column] += 1
    if value == 0:
        for row in rows:
            row["cells"][TOTAL] = sum(row["cells"][c] for c in APPLICANT_TYPES)
        total = by_key[TOTAL_ROW]["cells"]
        for column in COLUMNS:
            total[column] = sum(by_key[r["key"]]["cells"][column] for r in RESULT_ROWS)
    return {"title": TITLE, "columns": list(COLUMNS), "rows": rows}


def build_table_3(session: Session, ids: list[int], year: int) -> tuple[dict, list[str]]:
    """Table 三 for the units and year, with Chinese warnings about records it could not place."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = session.execute(
        select(
            DisclosureRequest.request_no,
            DisclosureRequest.received_date,
            DisclosureRequest.applicant_type,
            DisclosureRequest.reply_date,
            DisclosureRequest.outcome,
        )
        .where(
            DisclosureRequest.unit_id.in_(ids),
            DisclosureRequest.received_date <= end,
            or_(
                DisclosureRequest.received_date >= start,
                DisclosureRequest.reply_date.is_(None),
                DisclosureRequest.reply_date >= start,
            ),
        )
        .order_by(DisclosureRequest.received_date, DisclosureRequest.request_no)
    ).all()
    counted: list[tuple[str, str]] = []
    warnings: list[str] = []
    for no, received, applicant, replied, outcome in requests:
        column = applicant if applicant in APPLICANT_TYPES else "其他"
        counted.append(("一" if received >= start else "二", column))
        if replied is not None and replied < received:
            warnings.append(f"申请 {no}：答复日期 {replied} 早于收到日期 {received}，请核实")
        if replied is None or replied > end:
            counted.append(("四", column))
            if replied is None and outcome:
                warnings.append(f"申请 {no}：登记了办理结果“{outcome}”但没有答复日期，按未办结统计")
        elif replied >= start:
            key, warning = classify_outcome(outcome, year)
            if key is not None:
                counted.append((key, column))
            if warning:
                warnings.append(f"申请 {no}：{warning}")
    return _table(counted, 0), warnings


def _cells(table: dict, key: str) -> dict[str, Cell]:
    for row in table["rows"]:
        if row["key"] == key:
            return row["cells"]
    raise KeyError(key)


def check_table_3(table: dict) -> list[dict]:
    """The table's own checks, each with a Chinese message; `passed` is None when cells are 未录入."""
    checks: list[dict] = []
    first, carried, total, onward = (_cells(table, k) for k in ("一", "二", TOTAL_ROW, "四"))
    for column in table["columns"]:
        values = (first[column], carried[column], total[column], onward[column])
        if not all(is_number(v) for v in values):
            checks.append(
                {
                    "check": "一+二=三（七）+四",
                    "column": column,
                    "left": None,
                    "right": None,
                    "passed": None,
                    "message": f"{column}：数据未录入，无法校验 一 + 二 = 三（七）+ 四",
                }
            )
            continue
        left, right = values[0] + values[1], values[2] + values[3]
        verdict = "相符" if left == right else "不相符"
        checks.append(
            {
                "check": "一+二=三（七）+四",
                "column": column,
                "left": left,
                "right": right,
                "passed": left == right,
                "message": f"{column}：一 + 二 = {values[0]} + {values[1]} = {left}，三（七）+ 四 = {values[2]} + {values[3]} = {right}，{verdict}",
            }
        )
    for column in table["columns"]:
        parts = [_cells(table, r["key"])[column] for r in RESULT_ROWS]
        if is_number(total[column]) and all(is_number(p) for p in parts) and sum(parts) != total[column]:
            checks.append(
                {
                    "check": "（七）总计=（一）至（六）之和",
                    "column": column,
                    "left": total[column],
                    "right": sum(parts),
                    "passed": False,
                    "message": f"{column}：（七）总计 {total[column]} 不等于（一）至（六）各项之和 {sum(parts)}",
                }
            )
    for row in table["rows"]:
        cells = row["cells"]
        parts = [cells[c] for c in table["columns"] if c != TOTAL]
        if is_number(cells[TOTAL]) and all(is_number(p) for p in parts) and sum(parts) != cells[TOTAL]:
            checks.append(
                {
                    "check": "总计列=各类申请人之和",
                    "column": TOTAL,
                    "left": cells[TOTAL],
                    "right": sum(parts),
                    "passed": False,
                    "message": f"{row['label']}：总计 {cells[TOTAL]} 不等于各类申请人之和 {sum(parts)}",
                }
            )
    return checks


def findings(checks: list[dict]) -> list[str]:
    """The Chinese messages of the checks that failed."""
    return [f"校验未通过：{c['message']}" for c in checks if c["passed"] is False]
