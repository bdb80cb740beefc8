"""What the upload preview shows beside the rows: each row's 所属类别 (and how a variant was
mapped), the rows a re-upload removes, and for key projects the 合计 check and the lagging count.

Chinese sentences built here so the page only displays them.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from data_access.rules.projects import is_lagging, lag_threshold
from data_access.write.importing.cells import Context
from data_access.write.importing.tables import Table


def name_removed_categories(ctx: Context, removed: list[dict]) -> None:
    """Give each stored publication about to be removed its 所属类别 as the catalogue names it."""
    for row in removed:
        year = row.get("published_year") or getattr(row.get("formed_date"), "year", None)
        names = ctx.catalogue(year).names
        root, item = row.get("category_root_id"), row.get("category_id")
        name = names.get(root, "") if root is not None else ""
        row["_category"] = name if item in (None, root) else f"{name}（{names.get(item, '')}）"


def category_mappings(records: list[dict]) -> list[str]:
    """Each category written differently from the catalogue, once: 「安全生产应急管理类」→「安全生产、应急管理类」（3 行）."""
    counts = Counter(r["_category"] for r in records if " → " in (r.get("_category") or ""))
    lines = []
    for shown, n in counts.items():
        written, stored = shown.split(" → ", 1)
        lines.append(f"「{written}」按「{stored}」导入（{n} 行）")
    return lines


def _money(value: Decimal) -> str:
    return f"{value.normalize():f}"


def project_checks(table: Table, records: list[dict], period: str) -> list[str]:
    """The 合计 check (stated against summed) and how many projects lag, in sentences."""
    if not records or len(period) != 7:
        return []
    fields = (
        ("month_invested", "本月完成投资"),
        ("ytd_invested", "累计完成投资"),
        ("annual_plan", "年度计划投资"),
    )
    sums = "，".join(
        f"{label} {_money(sum((Decimal(r.get(f) or 0) for r in records), Decimal(0)))} 万元"
        for f, label in fields
    )
    if table.totals:
        lines = [f"合计行与各行相加一致：{sums}"]
    else:
        lines = [f"文件没有合计行，各行相加：{sums}"]
    month = int(period[5:])
    threshold = lag_threshold()
    lagging = [
        r.get("name") or r.get("_name") or ""
        for r in records
        if r.get("ytd_invested") is not None
        and is_lagging(Decimal(r["ytd_invested"]), r.get("annual_plan"), month, threshold)
    ]
    unknown = sum(1 for r in records if not r.get("annual_plan"))
    if lagging:
        named = "、".join(f"「{n}」" for n in lagging[:5]) + ("等" if len(lagging) > 5 else "")
        lines.append(
            f"按 1-{month} 月进度（落后时序进度 {_money(threshold)} 个百分点以上）滞后 {len(lagging)} 个：{named}"
        )
    else:
        lines.append(f"按 1-{month} 月进度，没有滞后的项目")
    if unknown:
        lines.append(f"{unknown} 个项目没有年度计划投资，无法判断是否滞后")
    return lines
