"""The `annual-figures` import (table 二 of the 2021 report): converting a row, the file's checks,
and what an upload replaces.

One row per item of table 二 (data_access.rules.annual_figures.ITEMS) with its figures, or marked
不适用 (the 不适用 column, or 不适用 written in a figure cell). The file is for one unit and one
chosen year and replaces that year's entry whole: an item left out of the file goes back to
未录入. 行政规范性文件's 本年制发件数 is compared with the catalogue's count of items in the
规范性文件 category (a warning in the preview when they differ).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.read.reports.common import is_number, publications_recorded
from data_access.read.reports.format_2021 import normative_issued
from data_access.rules import annual_figures as AF
from data_access.store.models import AnnualFigure
from data_access.write.importing.cells import Cells, Context
from data_access.write.importing.issues import ERROR, WARNING, Issue
from data_access.write.importing.normalise import CellError, clean_text, fold, is_blank, parse_bool, shown
from data_access.write.importing.tables import Table

KIND = "annual-figures"
COMPARE = (*AF.FIGURES, "not_applicable")


def _marked(value: Any) -> bool:
    return not is_blank(value) and fold(clean_text(value)) == AF.NOT_APPLICABLE


def convert(ctx: Context, c: Cells) -> dict | None:
    """One item's row: its key, figures (None where blank) and 不适用 mark."""
    raw = c.raw("item")
    item = None
    if is_blank(raw):
        c.error("item", "“信息内容”不能为空")
    elif (item := AF.item_of(clean_text(raw))) is None:
        c.error(
            "item",
            f"信息内容「{shown(raw)}」无法识别，应为：{'、'.join(i.label for i in AF.ITEMS)}",
        )
    marked = False
    mark = c.raw("not_applicable")
    if not is_blank(mark):
        if _marked(mark):
            marked = True
        else:
            try:
                marked = parse_bool(mark)
            except CellError:
                c.error("not_applicable", f"“不适用”应填“是”或留空：{shown(mark)}")
    figures: dict[str, int | Decimal | None] = {}
    for figure in AF.FIGURES:
        value = c.raw(figure)
        if value is None or is_blank(value):
            figures[figure] = None
        elif _marked(value):
            marked, figures[figure] = True, None
        else:
            try:
                figures[figure] = AF.parse_figure(figure, str(value))
            except ValueError as exc:
                c.error(figure, str(exc))
                figures[figure] = None
    if item is None or not c.ok:
        return None
    for field, message in AF.entry_problems(item, figures, marked):
        c.error(field, message)
    if not c.ok:
        return None
    return {"item": item.key, **figures, "not_applicable": marked}


def checks(session: Session, ctx: Context, table: Table, period: str, records: list[dict]) -> list[Issue]:
    """The file's checks: a year must be chosen; 行政规范性文件 本年制发 against the catalogue."""
    if not period:
        return [table.issue(ERROR, "年报表二按年度上传，请指定年份（YYYY，如 2024）")]
    year = int(period)
    for r in records:
        r["year"] = year
    issues: list[Issue] = []
    if not publications_recorded(session, ctx.unit_ids, year):
        return issues  # no catalogue items recorded for the year: nothing to compare with
    for r in records:
        if r["item"] == "normative" and r["issued"] is not None:
            counted = normative_issued(session, ctx.unit_ids, year)
            if is_number(counted) and counted != r["issued"]:
                issues.append(
                    table.issue(
                        WARNING,
                        f"行政规范性文件本年制发 {r['issued']} 件，主动公开目录“规范性文件”类 {year} 年形成的条目为 "
                        f"{counted} 条，数量不一致，请核对",
                        r["_row"],
                        "issued",
                    )
                )
    return issues


def scope(session: Session, ctx: Context, period: str, previous: list[int]) -> list[dict]:
    """The unit's entered items of the year (and any row of the previous batch)."""
    t = AnnualFigure.__table__
    where = (t.c.unit_id == ctx.unit_id) & (t.c.year == int(period)) if period else t.c.id.is_(None)
    if previous:
        where = where | t.c.batch_id.in_(previous)
    result = session.execute(select(t).where(where))
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]
