"""What both report formats share: cell states, percentages, and whether a year has records.

A report cell is a number (0 included: counted, and there were none) or a `Missing`
marker: `BLANK` (未录入 — this kind of record is kept here but nothing was uploaded for
the year) or `NOT_APPLICABLE` (不适用 — the office marked the item as one it does not have). A marker is never turned into a guessed 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeGuard

from sqlalchemy import Exists, exists, or_, select
from sqlalchemy.orm import Session

from data_access.store.id_lists import among
from data_access.store.models import Appeal, Publication, StatTally, UploadBatch

TEMPLATES: tuple[str, ...] = ("old", "2021")
LAST_OLD_RULES_YEAR = 2018  # the 2019 revised 条例 and the 2021 form apply from 2019's report on


class Missing(StrEnum):
    """A cell without a counted number; its value is the text shown in exports and JSON."""

    BLANK = "未录入"
    NOT_APPLICABLE = "不适用"


Cell = int | float | Missing


def is_number(cell: object) -> TypeGuard[int | float]:
    """True for a counted number (0 included), False for a Missing marker or None."""
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def default_template(year: int) -> str:
    """The report format of a year: 'old' up to 2018, '2021' afterwards."""
    return "old" if year <= LAST_OLD_RULES_YEAR else "2021"


def share(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in percent, rounded half-up to two decimals (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None, places: int = 2) -> str:
    """A percentage as the reports print it, e.g. '22.15%'; '—' when undefined."""
    if value is None:
        return "—"
    return f"{value:.{places}f}%"


def _batch_for_year(ids: list[int], kinds: tuple[str, ...], year: int) -> Exists:
    return exists().where(
        among(UploadBatch.unit_id, ids),
        UploadBatch.kind.in_((*kinds, "seed")),
        UploadBatch.status == "active",
        UploadBatch.period_key.like(f"{year}%"),
    )


def requests_recorded(session: Session, ids: list[int], year: int) -> bool:
    """True when request records exist for the year: an active upload for it, or any row in it
    (a request received or answered in it, read from the running counts; an appeal filed in it)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    t = StatTally.__table__.c
    row_in_year = exists().where(
        among(t.unit_id, ids),
        t.dim.in_(("rr", "ra")),
        t.attribute == "",
        t.ym.between(year * 100 + 1, year * 100 + 12),
        t.n > 0,
    )
    appeal_in_year = exists().where(among(Appeal.unit_id, ids), Appeal.filed_date.between(start, end))
    query = select(or_(_batch_for_year(ids, ("requests",), year), row_in_year, appeal_in_year))
    return bool(session.scalar(query))


def publications_recorded(session: Session, ids: list[int], year: int) -> bool:
    """True when publication records exist for the year: an active upload for it, or any item in it."""
    row_in_year = exists().where(among(Publication.unit_id, ids), Publication.published_year == year)
    query = select(or_(_batch_for_year(ids, ("publications",), year), row_in_year))
    return bool(session.scalar(query))
