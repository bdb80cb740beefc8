"""重点项目: the monthly completion table in the office's shape, one project's history, findings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Float, and_, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from data_access.read.duty_reports import project_report
from data_access.rules.projects import (
    ProjectFinding,
    expected_share,
    is_lagging,
    lag_bound,
    lag_threshold,
    lagging_share,
)
from data_access.store import tally
from data_access.store.built import built
from data_access.store.id_lists import among
from data_access.store.models import OrgUnit, Project, ProjectProgress

# The office's column names (重大项目完成情况表); the month-dependent one is filled in by `label`.
COLUMNS = (
    "序号",
    "项目名称",
    "总投资",
    "本月完成投资",
    "1-{n}月累计完成投资",
    "年度计划完成投资",
    "完成进度",
    "主要实施情况",
)


def ytd_column(month: int) -> str:
    """'1-10月累计完成投资' for October."""
    return COLUMNS[4].format(n=month)


@dataclass(frozen=True)
class ProjectTable:
    """The key projects' lines for one month (money in 万元) with the totals row's figures."""

    year: int
    month: int
    rows: pd.DataFrame  # id, 序号, 单位, 项目名称, 总投资, 本月, 累计, 年度计划, 完成进度, 主要实施情况, 滞后
    total_investment: float
    month_invested: float
    ytd_invested: float
    annual_plan: float
    lag_threshold_pp: float

    @property
    def completion(self) -> float | None:
        """Σ 累计 ÷ Σ 年度计划."""
        return round(self.ytd_invested / self.annual_plan, 4) if self.annual_plan else None

    @property
    def lagging(self) -> int:
        """How many projects lag."""
        return int(self.rows["滞后"].sum()) if len(self.rows) else 0


def months(session: Session, ids: tuple[int, ...], year: int) -> list[int]:
    """Months of the year with a key-project table, in order: from the running counts (dim 'pp', the
    lines of a unit and month; a city reads its roll-up's twelve rows, not its 23,000 lines)."""
    found = tally.monthly(session, list(ids), ("pp",), ("",), year * 100 + 1, year * 100 + 12)
    return [ym % 100 for _dim, ym, _n in found]


def _f(value: Decimal | None) -> float:
    return float(value or 0)


def table(session: Session, ids: tuple[int, ...], year: int, month: int) -> ProjectTable:
    """Each project's line for the month, in 序号 order, lagging rows flagged."""
    threshold = lag_threshold()
    rows = session.execute(
        select(
            Project.id,
            Project.seq,
            OrgUnit.name,
            Project.name,
            func.coalesce(ProjectProgress.total_investment, Project.total_investment),
            ProjectProgress.month_invested,
            ProjectProgress.ytd_invested,
            ProjectProgress.annual_plan,
            ProjectProgress.notes,
        )
        .join(Project, Project.id == ProjectProgress.project_id)
        .join(OrgUnit, OrgUnit.id == ProjectProgress.unit_id)
        .where(
            among(ProjectProgress.unit_id, ids), ProjectProgress.year == year, ProjectProgress.month == month
        )
        .order_by(OrgUnit.sort_order, ProjectProgress.unit_id, Project.seq)
    ).all()
    records = [
        {
            "id": pid,
            "序号": seq,
            "单位": unit,
            "项目名称": name,
            "总投资": _f(total),
            "本月完成投资": _f(m),
            "累计完成投资": _f(ytd),
            "年度计划完成投资": _f(plan),
            "完成进度": round(float(Decimal(ytd) / Decimal(plan)), 4) if plan else None,
            "主要实施情况": notes or "",
            "滞后": bool(is_lagging(ytd, plan, month, threshold)),
        }
        for pid, seq, unit, name, total, m, ytd, plan, notes in rows
    ]
    frame = pd.DataFrame.from_records(
        records,
        columns=["id", "序号", "单位", "项目名称", "总投资", "本月完成投资", "累计完成投资", "年度计划完成投资", "完成进度", "主要实施情况", "滞后"],
    )  # fmt: skip
    return ProjectTable(
        year=year,
        month=month,
        rows=frame,
        total_investment=round(float(frame["总投资"].sum()), 2),
        month_invested=round(float(frame["本月完成投资"].sum()), 2),
        ytd_invested=round(float(frame["累计完成投资"].sum()), 2),
        annual_plan=round(float(frame["年度计划完成投资"].sum()), 2),
        lag_threshold_pp=float(threshold),
    )


def lagging(
    session: Session, ids: tuple[int, ...], year: int, month: int
) -> list[tuple[int, str, str, float]]:
    """(project id, unit name, project name, progress) of the projects lagging in the month, in the order of
    `table` — what the overview lists, without building the whole table (a city has thousands)."""
    bound = lag_bound(month, lag_threshold())
    rows = session.connection().execute(_may_lag(tuple(ids), year, month, bound)).all()  # plain rows
    shares = ((pid, unit, name, lagging_share(ytd, plan, bound)) for pid, unit, name, ytd, plan in rows)
    return [
        (pid, unit, name, round(float(share), 4)) for pid, unit, name, share in shares if share is not None
    ]


@built
def _may_lag(ids: tuple[int, ...], year: int, month: int, bound: Decimal) -> Any:
    """The month's lines that may lag (`may_lag`), in the order of `table`."""
    return (
        select(
            Project.id, OrgUnit.name, Project.name, ProjectProgress.ytd_invested, ProjectProgress.annual_plan
        )
        .join(Project, Project.id == ProjectProgress.project_id)
        .join(OrgUnit, OrgUnit.id == ProjectProgress.unit_id)
        .where(
            among(ProjectProgress.unit_id, ids),
            ProjectProgress.year == year,
            ProjectProgress.month == month,
            may_lag(bound),
        )
        .order_by(OrgUnit.sort_order, ProjectProgress.unit_id, Project.seq)
    )


def may_lag(bound: Decimal) -> ColumnElement[bool]:
    """The month's lines that may lag (`lag_bound`): a plan, and year-to-date below the bound with a
    margin (a millionth of the plan) far wider than floating point's error. The database picks these
    few of a city's thousands; `lags_below` then judges each exactly."""
    near = sql_cast(ProjectProgress.annual_plan, Float) * (float(bound) + 1e-6)
    return and_(ProjectProgress.annual_plan > 0, sql_cast(ProjectProgress.ytd_invested, Float) < near)


def history(session: Session, project_id: int, ids: tuple[int, ...]) -> pd.DataFrame:
    """One project month by month: 本月, 累计, its plan-to-date (the curve where given, else N/12 of the plan)."""
    rows = session.execute(
        select(
            ProjectProgress.month,
            ProjectProgress.month_invested,
            ProjectProgress.ytd_invested,
            ProjectProgress.annual_plan,
            ProjectProgress.plan_ytd,
        )
        .where(ProjectProgress.project_id == project_id, among(ProjectProgress.unit_id, ids))
        .order_by(ProjectProgress.month)
    ).all()
    return pd.DataFrame.from_records(
        [
            {
                "月份": m,
                "本月完成投资": _f(mi),
                "累计完成投资": _f(ytd),
                "序时计划": _f(plan_ytd)
                if plan_ytd is not None
                else round(_f(plan) * float(expected_share(m)), 2),
                "年度计划完成投资": _f(plan),
            }
            for m, mi, ytd, plan, plan_ytd in rows
        ],
        columns=["月份", "本月完成投资", "累计完成投资", "序时计划", "年度计划完成投资"],
    )


def findings(session: Session, ids: tuple[int, ...], year: int, month: int) -> tuple[ProjectFinding, ...]:
    """Reconciliation findings (累计 ≠ 上月累计 + 本月, missing months) up to the month; lagging left out."""
    report = project_report(session, year, list(ids), month)
    return tuple(f for found in report.values() for f in found if f.kind != "lagging")
