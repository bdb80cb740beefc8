"""Which units a question covers, what day it is judged on, and whose personal data may be shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.read.kpis import resolve_unit
from data_access.rules import permissions
from data_access.store import reference
from data_access.store.reference import unit_and_descendants


@dataclass(frozen=True)
class Scope:
    """A unit and every unit under it."""

    unit_id: int
    code: str
    name: str
    ids: tuple[int, ...]


def scope(session: Session, unit_code: str) -> Scope:
    """The scope of a unit code (KpiError with a Chinese message for an unknown code)."""
    unit = resolve_unit(session, unit_code)
    return Scope(unit.id, unit.code, unit.name, tuple(unit_and_descendants(session, unit.id)))


def judged_on(year: int, today: dt.date) -> dt.date:
    """The day a year's duties are judged on: today, or 1 January after a year that has ended
    (so the fourth quarter's duties count as overdue when they were not done by 31 December)."""
    return min(today, dt.date(year + 1, 1, 1))


def personal_unit_ids(
    session: Session, principal: permissions.Principal, ids: tuple[int, ...]
) -> tuple[int, ...]:
    """The units among `ids` whose withheld items and applicants' details the principal may see."""
    visible = reference.visible_unit_ids(session, principal)
    return tuple(u for u in ids if permissions.can_see_personal(principal, u, visible))


def unit_names(session: Session, ids: tuple[int, ...]) -> dict[int, str]:
    """Unit id → name for the given ids."""
    rows = reference.unit_rows(session)
    return {uid: rows[uid][3] for uid in ids if uid in rows}
