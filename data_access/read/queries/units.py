"""单位对比: the units directly under a unit (each with everything under it) ranked side by side."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from data_access.read.queries import publications, requests
from data_access.read.queries.scope import Scope
from data_access.rules.projects import lag_bound, lag_threshold, lags_below
from data_access.store.id_lists import among
from data_access.store.models import OrgUnit, ProjectProgress, StatTally
from data_access.store.reference import subtrees

COLUMNS = ("单位", "主动公开", "按时公开率", "依申请答复", "按期答复率", "项目完成进度", "滞后项目")
OWN = "（本级）"


def groups(session: Session, sc: Scope) -> list[tuple[str, tuple[int, ...]]]:
    """The unit itself (its own records only) and each unit directly under it with its descendants."""
    children = session.execute(
        select(OrgUnit.id, OrgUnit.name)
        .where(OrgUnit.parent_id == sc.unit_id)
        .order_by(OrgUnit.sort_order, OrgUnit.id)
    ).all()
    out: list[tuple[str, tuple[int, ...]]] = [(f"{sc.name}{OWN}", (sc.unit_id,))]
    under = subtrees(session, [uid for uid, _name in children])
    out += [(name, tuple(under[uid])) for uid, name in children]
    return out


def ranking(session: Session, sc: Scope, year: int, today: dt.date) -> pd.DataFrame:
    """One row per group, ranked by items published; the unit's own row only when it has records."""
    members = groups(session, sc)
    group_of = {uid: name for name, ids in members for uid in ids}
    t = StatTally.__table__.c
    published = dict(
        session.execute(  # the running counts (data_access.store.tally): one row per unit, month and category
            select(t.unit_id, func.sum(t.n))
            .where(among(t.unit_id, sc.ids), t.dim == "pc", t.attribute == "proactive",
                   t.ym.between(year * 100 + 1, year * 100 + 12))
            .group_by(t.unit_id)
        ).all()
    )  # fmt: skip
    _overall, per_unit = publications.timeliness_by(session, sc.ids, year, "unit")
    answered = requests.on_time_by_unit(session, sc.ids, year, today)
    latest = (
        select(ProjectProgress.unit_id, func.max(ProjectProgress.month).label("month"))
        .where(among(ProjectProgress.unit_id, sc.ids), ProjectProgress.year == year)
        .group_by(ProjectProgress.unit_id)
        .subquery()
    )
    lines = session.execute(
        select(
            ProjectProgress.unit_id,
            ProjectProgress.month,
            ProjectProgress.ytd_invested,
            ProjectProgress.annual_plan,
        )
        .join(
            latest, and_(latest.c.unit_id == ProjectProgress.unit_id, latest.c.month == ProjectProgress.month)
        )
        .where(ProjectProgress.year == year)
    ).all()
    threshold = lag_threshold()
    bounds = {month: lag_bound(month, threshold) for month in range(1, 13)}
    tally: dict[str, dict[str, Decimal | int]] = defaultdict(lambda: defaultdict(int))
    for uid, n in published.items():
        tally[group_of[uid]]["pub"] += n
    for uid, share in per_unit.items():
        tally[group_of[int(uid)]]["judged"] += share.judged
        tally[group_of[int(uid)]]["on_time"] += share.on_time
    for uid, (n, on_time) in answered.items():
        assert uid is not None  # counted by unit: every key is a unit id
        tally[group_of[uid]]["answered"] += n
        tally[group_of[uid]]["answered_on_time"] += on_time
    for uid, month, ytd, plan in lines:
        g = tally[group_of[uid]]
        g["ytd"] += Decimal(ytd)
        g["plan"] += Decimal(plan or 0)
        g["projects"] += 1
        g["lagging"] += bool(lags_below(ytd, plan, bounds[month]))

    def rate(part: Decimal | int, whole: Decimal | int) -> float | None:
        return round(float(Decimal(part) / Decimal(whole)), 4) if whole else None

    rows = [
        {
            "单位": name,
            "主动公开": int(t["pub"]),
            "按时公开率": rate(t["on_time"], t["judged"]),
            "依申请答复": int(t["answered"]),
            "按期答复率": rate(t["answered_on_time"], t["answered"]),
            "项目完成进度": rate(t["ytd"], t["plan"]),
            "滞后项目": int(t["lagging"]) if t["projects"] else None,
        }
        for name, ids in members
        for t in [tally[name]]
        if not name.endswith(OWN) or any(t.values())
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS)).astype({"滞后项目": "Int64"})
    return frame.sort_values("主动公开", ascending=False, kind="stable").reset_index(drop=True)
