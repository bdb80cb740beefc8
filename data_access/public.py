"""The public read path: the only queries the lobby screen may run.

Everything here reads public fields only, and only items whose disclosure
attribute is 主动公开. It never selects a request's applicant, contact or
summary, nor a withheld document: the screen cannot show what this module
cannot return. A test checks every function against a canary that is not public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.models import (
    Board,
    BoardUpdate,
    Category,
    Delivery,
    DisclosureRequest,
    OrgUnit,
    Project,
    ProjectProgress,
    Publication,
    ScreenSlide,
)
from data_access.reference import unit_and_descendants, unit_by_code
from data_access.vocab import OLD_REPLIES, old_reply


@dataclass(frozen=True)
class PublicItem:
    """A published item as the public may see it."""

    title: str
    published: dt.date
    category: str


@dataclass(frozen=True)
class ProjectLine:
    """A key project's public progress."""

    name: str
    ytd: float
    plan: float
    rate: float


@dataclass(frozen=True)
class BoardLine:
    """A bulletin board's last update."""

    name: str
    last_update: dt.date | None
    last_kind: str | None


@dataclass(frozen=True)
class ScreenData:
    """Everything the screen shows for one unit, read in one go."""

    unit_code: str
    unit_name: str
    hotline: str | None
    year: int
    published_year: int
    published_cumulative: int
    month: int
    published_month: int
    by_category: dict[str, int]
    newest: tuple[PublicItem, ...]
    projects_month: int | None
    projects: tuple[ProjectLine, ...]
    requests_received: int
    requests_replied: int
    replies: dict[str, int]
    boards: tuple[BoardLine, ...]
    deliveries: dict[str, int]
    read_at: dt.datetime


def _public(ids: list[int]):  # type: ignore[no-untyped-def]
    return (Publication.unit_id.in_(ids), Publication.attribute == "proactive")


def screen_data(session: Session, unit_code: str, today: dt.date, newest: int = 12) -> ScreenData | None:
    """The unit's public figures for the current year (or its last year with data); None if unknown."""
    unit = unit_by_code(session, unit_code)
    if unit is None:
        return None
    ids = unit_and_descendants(session, unit.id)
    last_year = session.scalar(
        select(func.max(Publication.published_year)).where(
            *_public(ids), Publication.published_year <= today.year
        )
    )
    year = today.year if last_year is None or last_year == today.year else last_year
    this_month = year * 100 + (today.month if year == today.year else 12)
    in_year = (*_public(ids), Publication.published_year == year)

    total = session.scalar(select(func.count()).where(*in_year)) or 0
    month_count = (
        session.scalar(select(func.count()).where(*in_year, Publication.published_ym == this_month)) or 0
    )
    cumulative = (
        session.scalar(select(func.count()).where(*_public(ids), Publication.published_year <= year)) or 0
    )
    counts = dict(
        session.execute(
            select(Publication.category_root_id, func.count())
            .where(*in_year)
            .group_by(Publication.category_root_id)
        ).all()
    )
    roots = session.execute(
        select(Category.id, Category.name).where(Category.level == 1).order_by(Category.sort_order)
    ).all()
    newest_rows = session.execute(
        select(Publication.title, Publication.published_date, Category.name)
        .join(Category, Category.id == Publication.category_root_id)
        .where(*_public(ids), Publication.published_date <= today)
        .order_by(Publication.published_date.desc(), Publication.id.desc())
        .limit(newest)
    ).all()
    projects_month, projects = _projects(session, ids, year)
    received, replied, replies = _request_counts(session, ids, year)
    return ScreenData(
        unit_code=unit.code,
        unit_name=unit.name,
        hotline=_hotline(session, unit),
        year=year,
        published_year=total,
        published_cumulative=cumulative,
        month=this_month % 100,
        published_month=month_count,
        by_category={name: counts.get(cid, 0) for cid, name in roots},
        newest=tuple(PublicItem(r.title, r.published_date, r.name) for r in newest_rows),
        projects_month=projects_month,
        projects=projects,
        requests_received=received,
        requests_replied=replied,
        replies=replies,
        boards=_boards(session, ids),
        deliveries=_deliveries(session, ids, year),
        read_at=dt.datetime.now(),
    )


def _hotline(session: Session, unit: OrgUnit) -> str | None:
    """The unit's hotline, or the nearest ancestor's."""
    while unit is not None:
        if unit.hotline:
            return unit.hotline
        unit = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None  # type: ignore[assignment]
    return None


def _projects(session: Session, ids: list[int], year: int) -> tuple[int | None, tuple[ProjectLine, ...]]:
    month = session.scalar(
        select(func.max(ProjectProgress.month)).where(
            ProjectProgress.unit_id.in_(ids), ProjectProgress.year == year
        )
    )
    if month is None:
        return None, ()
    rows = session.execute(
        select(Project.name, ProjectProgress.ytd_invested, ProjectProgress.annual_plan)
        .join(Project, Project.id == ProjectProgress.project_id)
        .where(ProjectProgress.unit_id.in_(ids), ProjectProgress.year == year, ProjectProgress.month == month)
    ).all()
    lines = [
        ProjectLine(
            r.name,
            float(r.ytd_invested),
            float(r.annual_plan),
            float(Decimal(r.ytd_invested) / r.annual_plan),
        )
        for r in rows
        if r.annual_plan
    ]
    return month, tuple(sorted(lines, key=lambda p: p.rate, reverse=True))


def _request_counts(session: Session, ids: list[int], year: int) -> tuple[int, int, dict[str, int]]:
    """Counts only: how many requests arrived and how they were answered (no names, no summaries)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    received = session.scalar(
        select(func.count(DisclosureRequest.id)).where(
            DisclosureRequest.unit_id.in_(ids), DisclosureRequest.received_date.between(start, end)
        )
    )
    replies = dict.fromkeys(OLD_REPLIES, 0)
    for outcome, n in session.execute(
        select(DisclosureRequest.outcome, func.count(DisclosureRequest.id))
        .where(DisclosureRequest.unit_id.in_(ids), DisclosureRequest.reply_date.between(start, end))
        .group_by(DisclosureRequest.outcome)
    ):
        kind = old_reply(outcome)
        if kind:
            replies[kind] += n
    return received or 0, sum(replies.values()), replies


def _boards(session: Session, ids: list[int]) -> tuple[BoardLine, ...]:
    last = (
        select(BoardUpdate.board_id, func.max(BoardUpdate.update_date).label("day"))
        .group_by(BoardUpdate.board_id)
        .subquery()
    )
    rows = session.execute(
        select(Board.name, last.c.day, BoardUpdate.kind)
        .outerjoin(last, last.c.board_id == Board.id)
        .outerjoin(BoardUpdate, (BoardUpdate.board_id == Board.id) & (BoardUpdate.update_date == last.c.day))
        .where(Board.unit_id.in_(ids))
        .order_by(Board.id)
    ).all()
    seen: dict[str, BoardLine] = {}
    for name, day, kind in rows:
        seen.setdefault(name, BoardLine(name, day, kind))
    return tuple(seen.values())


def _deliveries(session: Session, ids: list[int], year: int) -> dict[str, int]:
    rows = dict(
        session.execute(
            select(Delivery.recipient, func.sum(Delivery.item_count))
            .where(Delivery.unit_id.in_(ids), Delivery.period_ym.between(year * 100 + 1, year * 100 + 12))
            .group_by(Delivery.recipient)
        ).all()
    )
    return {"archive": int(rows.get("archive") or 0), "library": int(rows.get("library") or 0)}


@dataclass(frozen=True)
class PlaylistEntry:
    """One slide of the screen's loop."""

    key: str
    seconds: int


def playlist(
    session: Session, unit_code: str, known: tuple[str, ...], default_seconds: int
) -> tuple[PlaylistEntry, ...]:
    """The unit's enabled slides in order; every known slide at the default length when none is set."""
    unit = unit_by_code(session, unit_code)
    rows = []
    if unit is not None:
        rows = session.execute(
            select(ScreenSlide.slide_key, ScreenSlide.seconds, ScreenSlide.enabled)
            .where(ScreenSlide.unit_id == unit.id)
            .order_by(ScreenSlide.position)
        ).all()
    if not rows:
        return tuple(PlaylistEntry(key, default_seconds) for key in known)
    return tuple(PlaylistEntry(r.slide_key, r.seconds) for r in rows if r.enabled and r.slide_key in known)


def playlist_for_editing(
    session: Session, unit_code: str, known: tuple[str, ...], default_seconds: int
) -> list[tuple[str, int, bool]]:
    """Every known slide as (key, seconds, enabled): the stored order first, unlisted slides after."""
    unit = unit_by_code(session, unit_code)
    stored = []
    if unit is not None:
        stored = session.execute(
            select(ScreenSlide.slide_key, ScreenSlide.seconds, ScreenSlide.enabled)
            .where(ScreenSlide.unit_id == unit.id)
            .order_by(ScreenSlide.position)
        ).all()
    rows = [(r.slide_key, r.seconds, bool(r.enabled)) for r in stored if r.slide_key in known]
    listed = {key for key, _s, _e in rows}
    return rows + [(key, default_seconds, not stored) for key in known if key not in listed]


def save_playlist(session: Session, unit_code: str, entries: list[tuple[str, int, bool]]) -> None:
    """Replace the unit's playlist with (key, seconds, enabled) in the given order."""
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise ValueError(f"未知单位代码：{unit_code}")
    for row in session.scalars(select(ScreenSlide).where(ScreenSlide.unit_id == unit.id)):
        session.delete(row)
    session.flush()
    for position, (key, seconds, enabled) in enumerate(entries):
        if not 3 <= seconds <= 600:
            raise ValueError(f"幻灯片 {key} 的播放时长应在 3–600 秒之间，实际为 {seconds}")
        session.add(
            ScreenSlide(unit_id=unit.id, slide_key=key, position=position, seconds=seconds, enabled=enabled)
        )
