"""Key projects (重点项目): the straight-line expectation, lagging, the monthly reconciliation of
1-N月累计, and the findings the 重点项目 page and the duty reports list. Pure functions: dates and
numbers in, answers out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from data_access import settings


def expected_share(month: int) -> Decimal:
    """Share of the annual plan expected by the end of a month on a straight line (N/12)."""
    return Decimal(month) / Decimal(12)


def lag_bound(month: int, threshold_pp: Decimal) -> Decimal:
    """The completion share below which a project lags at the end of a month: N/12 − threshold_pp %."""
    return expected_share(month) - Decimal(threshold_pp) / 100


def lags_below(ytd: Decimal, plan: Decimal | None, bound: Decimal) -> bool | None:
    """Whether ytd ÷ plan is below `lag_bound` (None without a plan: unknown, never a guess).
    For judging many projects of one month with the bound worked out once."""
    if plan is None or plan <= 0:
        return None
    return Decimal(ytd) / Decimal(plan) < bound


def lagging_share(ytd: Decimal, plan: Decimal | None, bound: Decimal) -> Decimal | None:
    """ytd ÷ plan when it is below `lag_bound` (a lagging project's progress, divided once), else None
    (on track, or no plan to divide by)."""
    if plan is None or plan <= 0:
        return None
    share = Decimal(ytd) / Decimal(plan)
    return share if share < bound else None


def is_lagging(ytd: Decimal, plan: Decimal | None, month: int, threshold_pp: Decimal) -> bool | None:
    """A key project lags when ytd ÷ plan is more than threshold_pp points below N/12.

    `plan_ytd` curves are a later refinement; without a plan the answer is None
    (unknown), never a guess.
    """
    return lags_below(ytd, plan, lag_bound(month, threshold_pp))


def reconciles(previous_ytd: Decimal | None, month_amount: Decimal, ytd: Decimal) -> bool:
    """1-N月累计 should equal last month's cumulative plus this month (January: this month)."""
    return Decimal(previous_ytd or 0) + Decimal(month_amount) == Decimal(ytd)


# --------------------------------------------------------------- key projects
@dataclass(frozen=True)
class ProjectMonth:
    """One project's line for one month (万元)."""

    project: str
    month: int
    month_invested: Decimal
    ytd_invested: Decimal
    annual_plan: Decimal | None


@dataclass(frozen=True)
class ProjectFinding:
    """Something wrong with a project in a month: kind lagging | mismatch | gap."""

    project: str
    month: int
    kind: str
    message: str


def lag_threshold() -> Decimal:
    """The LAG_THRESHOLD_PP setting (percentage points) as a Decimal."""
    raw = settings.get("LAG_THRESHOLD_PP")
    try:
        return Decimal(raw)
    except ArithmeticError as exc:
        raise ValueError(f"设置 LAG_THRESHOLD_PP 应为数字，实际为 {raw!r}") from exc


def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def lagging_finding(row: ProjectMonth, threshold_pp: Decimal) -> ProjectFinding | None:
    """A finding when the project's 1-N月累计 ÷ 年度计划 is more than threshold_pp below N/12."""
    if not is_lagging(row.ytd_invested, row.annual_plan, row.month, threshold_pp):
        return None
    assert row.annual_plan is not None  # is_lagging answers None (falsy) without a plan
    done, expected = Decimal(row.ytd_invested) / Decimal(row.annual_plan), expected_share(row.month)
    return ProjectFinding(
        row.project,
        row.month,
        "lagging",
        f"{row.month} 月完成进度 {_pct(done)}，低于序时进度 {_pct(expected)} 超过 {threshold_pp} 个百分点",
    )


def reconcile_findings(rows: Iterable[ProjectMonth]) -> list[ProjectFinding]:
    """Check each month: 1-N月累计 = last month's 累计 + 本月 (January: = 本月); a missing month is a gap."""
    by_month = {r.month: r for r in rows}
    out = []
    for month in sorted(by_month):
        row = by_month[month]
        prev = by_month.get(month - 1)
        if month > 1 and prev is None:
            out.append(
                ProjectFinding(row.project, month, "gap", f"缺少 {month - 1} 月数据，无法核对 {month} 月累计")
            )
            continue
        previous_ytd = prev.ytd_invested if prev else None
        if not reconciles(previous_ytd, row.month_invested, row.ytd_invested):
            expected = Decimal(previous_ytd or 0) + Decimal(row.month_invested)
            basis = (
                f"上月累计 {previous_ytd} + 本月 {row.month_invested}"
                if prev
                else f"本月 {row.month_invested}"
            )
            out.append(
                ProjectFinding(
                    row.project,
                    month,
                    "mismatch",
                    f"{month} 月：1-{month}月累计 {row.ytd_invested} 万元 ≠ {basis} = {expected} 万元",
                )
            )
    return out


def project_findings(
    rows: Iterable[ProjectMonth], threshold_pp: Decimal | None = None, month: int | None = None
) -> dict[str, list[ProjectFinding]]:
    """Per project: reconciliation findings up to `month` and lagging at `month` (default: its latest)."""
    threshold = lag_threshold() if threshold_pp is None else Decimal(threshold_pp)
    grouped: dict[str, list[ProjectMonth]] = defaultdict(list)
    for r in rows:
        if month is None or r.month <= month:
            grouped[r.project].append(r)
    out: dict[str, list[ProjectFinding]] = {}
    for project, lines in grouped.items():
        found = reconcile_findings(lines)
        latest = max(lines, key=lambda r: r.month)
        if month is None or latest.month == month:
            lag = lagging_finding(latest, threshold)
            if lag:
                found.append(lag)
        out[project] = sorted(found, key=lambda f: f.month)
    return out
