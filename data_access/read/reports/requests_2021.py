"""Table 三 of the 2021 report (收到和处理政府信息公开申请情况) and its cross-check.

Per applicant column: 一 本年新收 = received in the year; 二 上年结转 = received in an
earlier year and unanswered on 1 January; 三 = answered in the year, by outcome;
四 结转下年度 = received by 31 December and unanswered on 31 December. Hence
一 + 二 = 三（七）+ 四 for every column, which `check_table_3` verifies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from data_access.read.reports.common import LAST_OLD_RULES_YEAR, Cell, Missing, is_number
from data_access.rules.vocab import APPLICANT_TYPES, OUTCOMES_2021, is_valid_outcome
from data_access.store.id_lists import among
from data_access.store.models import DisclosureRequest

TOTAL = "总计"
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPES, TOTAL)
TITLE = "三、收到和处理政府信息公开申请情况"
_NUMERALS = "一二三四五六七八九"
PARTIAL = "部分公开"
# The old (2008) reply names that have an exact 2021 row.
_OLD_EXACT = {"同意公开": "予以公开", "同意部分公开": PARTIAL}
# Several outcomes stored for one request ("予以公开；不予公开-个人隐私").
_SEPARATORS = re.compile(r"[;；|\n]+")


class ResultRow(TypedDict):
    """A row of 三 本年度办理结果: its key, its group and item as printed, the stored outcome."""

    key: str
    group: str
    item: str | None  # None for a group without items
    outcome: str


class Table3Row(TypedDict):
    """A printed row of table 三: a cell per applicant column and the total."""

    key: str
    label: str
    group: str | None  # the result group; None outside 三
    item: str | None
    cells: dict[str, Cell]


class Table3(TypedDict):
    title: str
    columns: list[str]
    rows: list[Table3Row]


class Check(TypedDict):
    """One cross-check of table 三; left, right and passed are None when its cells are 未录入."""

    check: str
    column: str
    left: int | float | None
    right: int | float | None
    passed: bool | None
    message: str


def _result_rows() -> list[ResultRow]:
    rows: list[ResultRow] = []
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


RESULT_ROWS: list[ResultRow] = _result_rows()
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
    group_names = {name for name, _items in OUTCOMES_2021}
    if text.partition("-")[0] in group_names:
        return None, f"办理结果“{text}”{old_rules}未注明 2021 年格式的细项，无法归入表格行，未计入（七）总计"
    return None, f"无法识别的办理结果“{text}”，未计入（七）总计"


def _empty_row(
    key: str, label: str, group: str | None = None, item: str | None = None, value: Cell = 0
) -> Table3Row:
    return {"key": key, "label": label, "group": group, "item": item, "cells": dict.fromkeys(COLUMNS, value)}


def blank_table_3() -> Table3:
    """Table 三 with every cell 未录入 (no request records for the year)."""
    return _table({}, Missing.BLANK)


def _table(counted: Mapping[tuple[str, str], int], value: Cell) -> Table3:
    """The table from counts per (row key, applicant column); totals added when `value` is 0."""
    rows = [_empty_row("一", ROW_LABELS["一"], value=value), _empty_row("二", ROW_LABELS["二"], value=value)]
    for r in RESULT_ROWS:
        label = r["group"] if r["item"] is None else f"{r['group']} {r['item']}"
        rows.append(_empty_row(r["key"], label, r["group"], r["item"], value))
    rows.append(_empty_row(TOTAL_ROW, ROW_LABELS[TOTAL_ROW], value=value))
    rows.append(_empty_row("四", ROW_LABELS["四"], value=value))
    # The cells by row key. Counts come only with value 0 (blank_table_3 passes none), and the
    # totals are added only then: the cells summed here are all numbers.
    by_key = cast(dict[str, dict[str, int]], {row["key"]: row["cells"] for row in rows})
    for (key, column), n in counted.items():
        by_key[key][column] += n
    if value == 0:
        for row in rows:
            cells = cast(dict[str, int], row["cells"])
            cells[TOTAL] = sum(cells[c] for c in APPLICANT_TYPES)
        total = by_key[TOTAL_ROW]
        for column in COLUMNS:
            total[column] = sum(by_key[r["key"]][column] for r in RESULT_ROWS)
    return {"title": TITLE, "columns": list(COLUMNS), "rows": rows}


_R = DisclosureRequest.__table__.c


def _parts(
    ids: list[int], year: int
) -> tuple[tuple[ColumnElement[bool], ...], tuple[ColumnElement[bool], ...]]:
    """The requests table 三 counts, in two parts each read through an index: received in the
    year (一; received_year, the stored year of received_date, picks the index range), and
    received before it and unanswered on 1 January (二)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    received = (among(_R.unit_id, ids), _R.received_year == year, _R.received_date.between(start, end))
    carried = (
        among(_R.unit_id, ids),
        _R.received_date < start,
        or_(_R.reply_date.is_(None), _R.reply_date >= start),
    )
    return received, carried


def _odd() -> ColumnElement[bool]:
    """A request that gets a warning whatever its outcome: answered before it was received, or
    an outcome recorded without a reply date."""
    return or_(_R.reply_date < _R.received_date, and_(_R.reply_date.is_(None), func.length(_R.outcome) > 0))


def _groups(session: Session, ids: list[int], year: int) -> Sequence[Row[*tuple[Any, ...]]]:
    """Per part (0: received in the year, 1: carried over), applicant type and outcome: how many
    requests, how many of them answered in the year, carried on past 31 December, and odd — a few
    hundred groups at any size. The outcome is compared byte for byte (MariaDB's collation would
    merge spellings that table 三 tells apart)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    outcome: ColumnElement[Any] = _R.outcome
    if session.get_bind().dialect.name in ("mysql", "mariadb"):
        outcome = outcome.collate("utf8mb4_bin")

    def counted(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((condition, 1), else_=0))

    def part(carried: int, where: tuple[ColumnElement[bool], ...]) -> Select[*tuple[Any, ...]]:
        return (
            select(
                literal_column(str(carried)),
                _R.applicant_type,
                outcome,
                func.count(),
                counted(_R.reply_date.between(start, end)),
                counted(or_(_R.reply_date.is_(None), _R.reply_date > end)),
                counted(_odd()),
            )
            .where(*where)
            .group_by(_R.applicant_type, outcome)
        )

    received, carried = _parts(ids, year)
    return session.execute(union_all(part(0, received), part(1, carried))).all()


def _warnings(session: Session, ids: list[int], year: int, outcomes: set[str]) -> list[str]:
    """The Chinese warnings about single requests, in the order of their received date and number:
    read only for the requests that get one (odd ones, and those answered in the year with an
    outcome in `outcomes`, the ones `classify_outcome` warns about)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    warned = _odd()
    if outcomes:
        outcome = func.coalesce(_R.outcome, literal_column("''"))
        warned = or_(warned, and_(_R.reply_date.between(start, end), outcome.in_(sorted(outcomes))))
    columns = (_R.request_no, _R.received_date, _R.reply_date, _R.outcome)
    rows = union_all(*(select(*columns).where(*where, warned) for where in _parts(ids, year))).subquery()
    found = session.execute(select(rows).order_by(rows.c.received_date, rows.c.request_no))
    warnings: list[str] = []
    for no, received, replied, outcome in found:
        if replied is not None and replied < received:
            warnings.append(f"申请 {no}：答复日期 {replied} 早于收到日期 {received}，请核实")
        if replied is None or replied > end:
            if replied is None and outcome:
                warnings.append(f"申请 {no}：登记了办理结果“{outcome}”但没有答复日期，按未办结统计")
        elif replied >= start:
            _key, warning = classify_outcome(outcome, year)
            if warning:
                warnings.append(f"申请 {no}：{warning}")
    return warnings


def build_table_3(session: Session, ids: list[int], year: int) -> tuple[Table3, list[str]]:
    """Table 三 for the units and year, with Chinese warnings about records it could not place.

    Counted in the database per applicant type and outcome (each distinct outcome classified
    once); single requests are read only when they get a warning."""
    counted: Counter[tuple[str, str]] = Counter()
    warned: set[str] = set()
    odd = False
    for carried, applicant, outcome, n, answered, onward, odd_n in _groups(session, ids, year):
        column = applicant if applicant in APPLICANT_TYPES else "其他"
        counted[("二" if int(carried) else "一", column)] += int(n)
        counted[("四", column)] += int(onward)
        if answered:
            key, warning = classify_outcome(outcome, year)
            if key is not None:
                counted[(key, column)] += int(answered)
            if warning:
                warned.add(outcome or "")
        odd = odd or bool(odd_n)
    warnings = _warnings(session, ids, year, warned) if odd or warned else []
    return _table(counted, 0), warnings


def _cells(table: Table3, key: str) -> dict[str, Cell]:
    for row in table["rows"]:
        if row["key"] == key:
            return row["cells"]
    raise KeyError(key)


def check_table_3(table: Table3) -> list[Check]:
    """The table's own checks, each with a Chinese message; `passed` is None when cells are 未录入."""
    checks: list[Check] = []
    first, carried, total, onward = (_cells(table, k) for k in ("一", "二", TOTAL_ROW, "四"))
    for column in table["columns"]:
        values = [v for v in (first[column], carried[column], total[column], onward[column]) if is_number(v)]
        if len(values) < 4:
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
        cells = [_cells(table, r["key"])[column] for r in RESULT_ROWS]
        parts = [p for p in cells if is_number(p)]
        column_total = total[column]
        if is_number(column_total) and len(parts) == len(cells) and sum(parts) != column_total:
            checks.append(
                {
                    "check": "（七）总计=（一）至（六）之和",
                    "column": column,
                    "left": column_total,
                    "right": sum(parts),
                    "passed": False,
                    "message": f"{column}：（七）总计 {column_total} 不等于（一）至（六）各项之和 {sum(parts)}",
                }
            )
    for row in table["rows"]:
        row_cells = row["cells"]
        cells = [row_cells[c] for c in table["columns"] if c != TOTAL]
        parts = [p for p in cells if is_number(p)]
        row_total = row_cells[TOTAL]
        if is_number(row_total) and len(parts) == len(cells) and sum(parts) != row_total:
            checks.append(
                {
                    "check": "总计列=各类申请人之和",
                    "column": TOTAL,
                    "left": row_total,
                    "right": sum(parts),
                    "passed": False,
                    "message": f"{row['label']}：总计 {row_total} 不等于各类申请人之和 {sum(parts)}",
                }
            )
    return checks


def findings(checks: list[Check]) -> list[str]:
    """The Chinese messages of the checks that failed."""
    return [f"校验未通过：{c['message']}" for c in checks if c["passed"] is False]
