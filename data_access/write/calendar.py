"""The holiday schedule as the admin page edits it: a year's days, the text form, audited writes.

`workdays` owns the calendar and its table (and bumps the data version on every write, so
every open request's due date is recomputed the next time it is shown); this module adds
the audit entry and the views the 节假日安排 page needs. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules import workdays
from data_access.rules.permissions import Principal, require
from data_access.store import audit, holidays
from data_access.store.models import WorkdayOverride
from data_access.write.admin import check, year_problem

SOURCE_NAMES = {
    workdays.SOURCE_OVERRIDE: "本单位录入",
    workdays.SOURCE_PACKAGE: "国务院办公厅通知（chinese-calendar）",
    workdays.SOURCE_RULE: "周末及固定节日",
    workdays.SOURCE_FALLBACK: "推算（该年安排未录入）",
}


def year_days(calendar: workdays.Calendar, year: int, weekends: bool = False) -> list[workdays.DayInfo]:
    """A year's holidays, 调休 working days and admin-entered days (and plain weekends when asked)."""
    out, day = [], dt.date(year, 1, 1)
    entered = calendar.overrides
    while day.year == year:
        info = calendar.info(day)
        makeup = info.is_workday and day.weekday() >= 5
        holiday = not info.is_workday and (weekends or info.holiday or day.weekday() < 5)
        if makeup or holiday or day in entered:
            out.append(info)
        day += dt.timedelta(days=1)
    return out


def schedule_text(rows: Iterable[workdays.DayOverride]) -> str:
    """Rows as the lines `parse_schedule` reads: "YYYY-MM-DD 休|班 名称"."""
    return "\n".join(
        f"{r.day.isoformat()} {'班' if r.is_workday else '休'}{' ' + r.name if r.name else ''}" for r in rows
    )


def save_year_schedule(
    session: Session,
    year: int,
    rows: Iterable[workdays.DayOverride],
    *,
    actor: Principal,
    source: str | None = None,
) -> int:
    """Replace a year's entered schedule (the data version moves, so due dates are recomputed)."""
    require(actor, "admin_holidays")
    check(year_problem(year))
    rows = list(rows)
    written = holidays.import_year_schedule(session, year, rows)
    off = sum(1 for r in rows if not r.is_workday)
    detail = f"录入 {year} 年节假日安排：共 {written} 天（休息 {off} 天，调休上班 {written - off} 天）"
    audit.record(session, "settings_change", user=actor, detail=detail, source=source)
    return written


def remove_overrides(
    session: Session, days: Iterable[dt.date], *, actor: Principal, source: str | None = None
) -> int:
    """Delete entered days (they fall back to chinese-calendar or the weekend rule); return how many."""
    require(actor, "admin_holidays")
    wanted = sorted(set(days))
    entered = sorted(
        session.scalars(select(WorkdayOverride.day).where(WorkdayOverride.day.in_(wanted))) if wanted else []
    )
    removed = holidays.delete_overrides(session, entered)
    if removed:
        shown = "、".join(d.isoformat() for d in entered[:20]) + ("等" if len(entered) > 20 else "")
        detail = f"删除本单位录入的 {removed} 个日期：{shown}"
        audit.record(session, "settings_change", user=actor, detail=detail, source=source)
    return removed
