"""The year's key figures for one unit (and the units under it), from SQL aggregates.

`compute(session, year, month, unit_code)` returns the dict that
`python -m data_access kpis --json` prints; the overview page shows the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from data_access import settings
from data_access.models import (
    Appeal,
    Category,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    OrgUnit,
    PolicyInterpretation,
    Project,
    ProjectProgress,
    Publication,
    Topic,
)
from data_access.reference import unit_and_descendants, unit_by_code
from data_access.rules import is_lagging
from data_access.vocab import OLD_REPLIES, OLD_REQUEST_CHANNELS, old_reply, old_request_channel


class KpiError(Exception):
    """A question the data cannot answer (unknown unit, a year without data); message in Chinese."""


def _num(value: Any) -> int | float:
    """A JSON number: integral values as int, others as float with two decimals."""
    d = Decimal(value or 0)
    return int(d) if d == d.to_integral_value() else float(round(d, 2))


def _rate(part: Any, whole: Any, places: int = 4) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by (never a guessed zero)."""
    if not whole:
        return None
    return round(float(Decimal(part) / Decimal(whole)), places)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def resolve_unit(session: Session, code: str | None) -> OrgUnit:
    """The unit for a code (default: the configured default unit), or a KpiError listing valid codes."""
    code = code or settings.get("DEFAULT_UNIT")
    unit = unit_by_code(session, code)
    if unit is None:
        known = "、".join(session.scalars(select(OrgUnit.code).order_by(OrgUnit.id))) or "（无）"
        raise KpiError(f"未知单位代码：{code}。可用的单位代码：{known}")
    return unit


def last_month_with_data(session: Session, year: int, unit_ids: list[int]) -> int | None:
    """The last month of the year for which any record exists, or None."""
    candidates = [
        session.scalar(
            select(func.max(Publication.published_ym)).where(
                Publication.unit_id.in_(unit_ids), Publication.published_year == year
            )
        ),
        session.scalar(
            select(func.max(ProjectProgress.ym)).where(
                ProjectProgress.unit_id.in_(unit_ids), ProjectProgress.year == year
            )
        ),
        session.scalar(
            select(func.max(Delivery.period_ym)).where(
                Delivery.unit_id.in_(unit_ids), Delivery.period_ym.between(year * 100 + 1, year * 100 + 12)
            )
        ),
    ]
    received = session.scalar(
        select(func.max(DisclosureRequest.received_date)).where(
            DisclosureRequest.unit_id.in_(unit_ids), DisclosureRequest.received_year == year
        )
    )
    months = [ym % 100 for ym in candidates if ym] + ([received.month] if received else [])
    return max(months) if months else None


def compute(session: Session, year: int, month: int | None = None, unit_code: str | None = None) -> dict:
    """Key figures of a unit for a year, as of the end of `month` (default: last month with data)."""
    unit = resolve_unit(session, unit_code)
    ids = unit_and_descendants(session, unit.id)
    if month is not None and not 1 <= month <= 12:
        raise KpiError(f"月份应在 1–12 之间，实际为 {month}")
    last = last_month_with_data(session, year, ids)
    if last is None:
        raise KpiError(f"{unit.name}（{unit.code}）{year} 年没有任何数据")
    month = month or last
    ym_end = year * 100 + month
    start, end = dt.date(year, 1, 1), month_end(year, month)
    return {
        "year": year,
        "month": month,
        "unit": unit.code,
        "unit_name": unit.name,
        "publications": _publications(session, ids, year, ym_end),
        "requests": _requests(session, ids, year, month),
        "deliveries": _deliveries(session, ids, year, ym_end),
        "interpretations": session.scalar(
            select(func.count()).where(
                PolicyInterpretation.unit_id.in_(ids),
                PolicyInterpretation.published_date.between(start, end),
            )
        ),
        "hotline_duties": session.scalar(
            select(func.count()).where(
                HotlineDuty.unit_id.in_(ids),
                HotlineDuty.duty_date.between(start, end),
            )
        ),
        "projects": _projects(session, ids, year, month),
    }


def _proactive(ids: list[int]):  # type: ignore[no-untyped-def]
    return and_(Publication.unit_id.in_(ids), Publication.attribute == "proactive")


def _publications(session: Session, ids: list[int], year: int, ym_end: int) -> dict:
    in_year = and_(_proactive(ids), Publication.published_year == year, Publication.published_ym <= ym_end)
    total, full_text = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Publication.full_text, 1), else_=0)), 0)).where(
            in_year
        )
    ).one()
    cumulative = session.scalar(
        select(func.count()).where(_proactive(ids), Publication.published_ym <= ym_end)
    )
    by_cat = dict(
        session.execute(
            select(Publication.category_root_id, func.count())
            .where(in_year)
            .group_by(Publication.category_root_id)
        ).all()
    )
    roots = session.execute(
        select(Category.id, Category.name).where(Category.level == 1).order_by(Category.sort_order)
    ).all()
    by_topic_id = dict(
        session.execute(
            select(Publication.topic_id, func.count()).where(in_year).group_by(Publication.topic_id)
        ).all()
    )
    topics = session.execute(select(Topic.id, Topic.name, Topic.code).order_by(Topic.sort_order)).all()
    by_channel = dict(
        session.execute(
            select(Publication.channel, func.count()).where(in_year).group_by(Publication.channel)
        ).all()
    )
    cum_channel = dict(
        session.execute(
            select(Publication.channel, func.count())
            .where(_proactive(ids), Publication.published_ym <= ym_end)
            .group_by(Publication.channel)
        ).all()
    )
    return {
        "total": total,
        "cumulative": cumulative,
        "full_text_rate": _rate(full_text, total),
        "by_category": {name: by_cat.get(cid, 0) for cid, name in roots},
        "by_topic": {
            name: by_topic_id.get(tid, 0)
            for tid, name, code in topics
            if code != "other" or by_topic_id.get(tid)
        },
        "by_channel": {
            "政府门户网站": by_channel.pop("政府门户网站", 0),
            "政府公报": by_channel.pop("政府公报", 0),
            **by_channel,
        },
        "cumulative_by_channel": {
            "政府门户网站": cum_channel.pop("政府门户网站", 0),
            "政府公报": cum_channel.pop("政府公报", 0),
            **cum_channel,
        },
    }


def _requests(session: Session, ids: list[int], year: int, month: int) -> dict:
    start, end = dt.date(year, 1, 1), month_end(year, month)
    mine = DisclosureRequest.unit_id.in_(ids)

    def channels(where) -> dict[str, int]:  # type: ignore[no-untyped-def]
        counts = dict.fromkeys(OLD_REQUEST_CHANNELS, 0)
        for channel, n in session.execute(
            select(DisclosureRequest.channel, func.count())
            .where(mine, where)
            .group_by(DisclosureRequest.channel)
        ):
            counts[old_request_channel(channel)] += n
        return counts

    def replies(where) -> dict[str, int]:  # type: ignore[no-untyped-def]
        counts = dict.fromkeys(OLD_REPLIES, 0)
        for outcome, n in session.execute(
            select(DisclosureRequest.outcome, func.count())
            .where(mine, DisclosureRequest.reply_date.is_not(None), where)
            .group_by(DisclosureRequest.outcome)
        ):
            kind = old_reply(outcome)
            if kind:
                counts[kind] += n
        return counts

    def appeals(kind: str, where) -> int:  # type: ignore[no-untyped-def]
        return session.scalar(select(func.count()).where(Appeal.unit_id.in_(ids), Appeal.kind == kind, where))

    received_in = DisclosureRequest.received_date.between(start, end)
    replied_in = DisclosureRequest.reply_date.between(start, end)
    filed_in = Appeal.filed_date.between(start, end)
    by_channel = channels(received_in)
    by_reply = replies(replied_in)
    cum_channel = channels(DisclosureRequest.received_date <= end)
    cum_reply = replies(DisclosureRequest.reply_date <= end)
    return {
        "received": sum(by_channel.values()),
        "by_channel": by_channel,
        "replied": sum(by_reply.values()),
        "replies": by_reply,
        "reconsiderations": appeals("reconsideration", filed_in),
        "litigations": appeals("litigation", filed_in),
        "complaints": appeals("complaint", filed_in),
        "cumulative": {
            "received": sum(cum_channel.values()),
            "by_channel": cum_channel,
            "replied": sum(cum_reply.values()),
            "replies": cum_reply,
            "reconsiderations": appeals("reconsideration", Appeal.filed_date <= end),
            "litigations": appeals("litigation", Appeal.filed_date <= end),
            "complaints": appeals("complaint", Appeal.filed_date <= end),
        },
    }


def _deliveries(session: Session, ids: list[int], year: int, ym_end: int) -> dict:
    rows = dict(
        session.execute(
            select(Delivery.recipient, func.sum(Delivery.item_count))
            .where(Delivery.unit_id.in_(ids), Delivery.period_ym.between(year * 100 + 1, ym_end))
            .group_by(Delivery.recipient)
        ).all()
    )
    return {"archive": int(rows.get("archive") or 0), "library": int(rows.get("library") or 0)}


def _projects(session: Session, ids: list[int], year: int, month: int) -> dict:
    threshold = Decimal(settings.get("LAG_THRESHOLD_PP"))
    rows = session.execute(
        select(Project.seq, Project.name, ProjectProgress.ytd_invested, ProjectProgress.annual_plan)
        .join(Project, Project.id == ProjectProgress.project_id)
        .where(ProjectProgress.unit_id.in_(ids), ProjectProgress.year == year, ProjectProgress.month == month)
        .order_by(ProjectProgress.unit_id, Project.seq)
    ).all()
    ytd = sum((Decimal(r.ytd_invested) for r in rows), Decimal(0))
    plan = sum((Decimal(r.annual_plan) for r in rows), Decimal(0))
    return {
        "month": month,
        "count": len(rows),
        "ytd_invested": _num(ytd),
        "annual_plan": _num(plan),
        "completion_rate": _rate(ytd, plan),
        "lag_threshold_pp": _num(threshold),
        "lagging": [r.name for r in rows if is_lagging(r.ytd_invested, r.annual_plan, month, threshold)],
    }


def years_with_data(session: Session, unit_code: str | None = None) -> list[int]:
    """Years in which the unit (and those under it) published items or reported projects, newest first."""
    unit = resolve_unit(session, unit_code)
    ids = unit_and_descendants(session, unit.id)
    years = set(
        session.scalars(
            select(Publication.published_year)
            .where(Publication.unit_id.in_(ids), Publication.published_year.is_not(None))
            .distinct()
        )
    )
    years |= set(
        session.scalars(select(ProjectProgress.year).where(ProjectProgress.unit_id.in_(ids)).distinct())
    )
    years |= set(
        session.scalars(
            select(DisclosureRequest.received_year).where(DisclosureRequest.unit_id.in_(ids)).distinct()
        )
    )
    return sorted(years, reverse=True)
