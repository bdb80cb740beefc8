"""Withdrawn items (撤回): which to keep off the public read path, and how the register marks them.

A withdrawal is keyed by the item's unit and 索引号 (data_access.store.models.identity). It never
changes a figure: the item stays counted in the period it was published. What it changes is what
the public may see — from its withdrawal date on, the item is not on the lobby screen — and the
register, which lists it as 已撤回 with the date and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.store.id_lists import among
from data_access.store.models import Publication, PublicationWithdrawal

WITHDRAWN_LABEL = "已撤回"


@dataclass(frozen=True)
class WithdrawnItem:
    """A withdrawn item as the 主动公开 page lists it."""

    index_no: str
    title: str
    published_date: dt.date | None
    withdrawn_date: dt.date
    reason: str
    username: str


def withdrawn_count(session: Session, ids: Collection[int], today: dt.date) -> int:
    """How many of the units' items are withdrawn on `today` (withdrawal dated on or before it)."""
    if not ids:
        return 0
    w = PublicationWithdrawal
    return int(
        session.connection()
        .execute(select(func.count()).where(among(w.unit_id, list(ids)), w.withdrawn_date <= today))
        .scalar_one()
    )


def withdrawn_keys(session: Session, ids: Collection[int], today: dt.date) -> set[tuple[int, str]]:
    """(unit id, 索引号) of the units' items withdrawn on `today`."""
    if not ids:
        return set()
    w = PublicationWithdrawal
    rows = session.connection().execute(
        select(w.unit_id, w.index_no).where(among(w.unit_id, list(ids)), w.withdrawn_date <= today)
    )
    return {(unit_id, index_no) for unit_id, index_no in rows}


def marks(session: Session, ids: Collection[int], index_nos: Iterable[str]) -> dict[str, str]:
    """索引号 → 「已撤回（2018-05-02：原因）」 for the listed items of the units that are withdrawn."""
    wanted = sorted({n for n in index_nos if n})
    if not ids or not wanted:
        return {}
    w = PublicationWithdrawal
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(w.index_no, w.withdrawn_date, w.reason).where(
                among(w.unit_id, list(ids)), w.index_no.in_(wanted[start : start + 500])
            )
        )
        for index_no, day, reason in rows:
            found[index_no] = f"{WITHDRAWN_LABEL}（{day.isoformat()}：{reason}）"
    return found


def withdrawn_items(session: Session, ids: Collection[int], year: int) -> list[WithdrawnItem]:
    """The units' items published in `year` that are withdrawn, newest withdrawal first."""
    if not ids:
        return []
    w, p = PublicationWithdrawal, Publication
    rows = session.execute(
        select(w.index_no, p.title, p.published_date, w.withdrawn_date, w.reason, w.username)
        .join(p, (p.unit_id == w.unit_id) & (p.index_no == w.index_no))
        .where(among(w.unit_id, list(ids)), p.published_year == year)
        .order_by(w.withdrawn_date.desc(), w.id.desc())
    )
    return [WithdrawnItem(*row) for row in rows]


STATUS_COLUMN = "状态"


def mark_frame(session: Session, ids: Collection[int], frame: pd.DataFrame) -> pd.DataFrame:
    """The register frame with a 状态 column: 已撤回（date：reason） for withdrawn items, '' otherwise."""
    if "索引号" not in frame.columns:
        return frame
    found = marks(session, ids, frame["索引号"].tolist())
    marked = frame.copy()
    marked.insert(
        min(2, len(frame.columns)), STATUS_COLUMN, [found.get(n, "") for n in frame["索引号"].tolist()]
    )
    return marked
