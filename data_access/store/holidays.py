"""The workday_override table: the office's own holidays and 调休 days, and the calendar built
from it over the chinese-calendar package (the pure calendar is data_access.rules.workdays).

Every write refreshes the stored publication due dates and bumps the data version in the
caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data_access.rules.workdays import Calendar, DayOverride
from data_access.store import db
from data_access.store.models import WorkdayOverride


def load_overrides(session: Session) -> list[DayOverride]:
    """Every row of the override table, by date."""
    rows = session.execute(
        select(WorkdayOverride.day, WorkdayOverride.is_workday, WorkdayOverride.name).order_by(
            WorkdayOverride.day
        )
    )
    return [DayOverride(day, bool(working), name) for day, working, name in rows]


def load_calendar(session: Session) -> Calendar:
    """The current calendar: the package overridden by the workday_override table."""
    return db.remembered(session, "calendar", lambda: _calendar(tuple(load_overrides(session))))


@functools.lru_cache(maxsize=8)
def _calendar(overrides: tuple[DayOverride, ...]) -> Calendar:
    """One calendar per set of overrides in this process: a calendar learns each year's working
    days once (a city's deadlines ask it thousands of times a page), and only fills its own caches."""
    return Calendar(overrides)


def set_overrides(session: Session, rows: Iterable[DayOverride]) -> int:
    """Insert or update override rows (one per day; the last given wins); return how many were written."""
    wanted: dict[dt.date, DayOverride] = {}
    for row in rows:
        name = (row.name or "").strip() or None
        if name is not None and len(name) > 60:
            raise ValueError(f"{row.day.isoformat()} 的名称过长（最多 60 字）：{name}")
        wanted[row.day] = DayOverride(row.day, bool(row.is_workday), name)
    if not wanted:
        return 0
    existing = {
        o.day: o
        for o in session.scalars(select(WorkdayOverride).where(WorkdayOverride.day.in_(list(wanted))))
    }
    for day, o in wanted.items():
        current = existing.get(day)
        if current is None:
            session.add(WorkdayOverride(day=day, is_workday=o.is_workday, name=o.name))
        else:
            current.is_workday, current.name = o.is_workday, o.name
    session.flush()
    _calendar_changed(session)
    return len(wanted)


def _calendar_changed(session: Session) -> None:
    """After a calendar write: the stored publication due dates follow, and the caches turn over."""
    from data_access.store import publication_due  # it reads this table

    publication_due.refresh(session.connection())
    db.bump_data_version(session)


def delete_overrides(session: Session, days: Iterable[dt.date]) -> int:
    """Remove the overrides of these days (they fall back to the package); return how many were removed."""
    targets = sorted(set(days))
    if not targets:
        return 0
    result = session.execute(delete(WorkdayOverride).where(WorkdayOverride.day.in_(targets)))
    _calendar_changed(session)
    return int(result.rowcount or 0)


def import_year_schedule(session: Session, year: int, rows: Iterable[DayOverride]) -> int:
    """Replace a year's overrides with the given schedule (its holidays and 调休 days); return rows written."""
    rows = list(rows)
    strays = [r.day.isoformat() for r in rows if r.day.year != year]
    if strays:
        raise ValueError(f"以下日期不属于 {year} 年：{'、'.join(strays)}")
    if not rows:
        raise ValueError(f"{year} 年的安排为空：至少录入一个节假日或调休日")
    session.execute(
        delete(WorkdayOverride).where(
            WorkdayOverride.day >= dt.date(year, 1, 1), WorkdayOverride.day <= dt.date(year, 12, 31)
        )
    )
    return set_overrides(session, rows)
