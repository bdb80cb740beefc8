"""Reading the running counts: summed per (dim, item) or per (dim, month) over a unit's months."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.store.models import StatTally

# A publication's attribute is part of the key; naming every value (and '' for the other
# sources) lets the primary key seek instead of scanning a unit's rows.
ANY_ATTRIBUTE = ("proactive", "on_request", "withheld", "")


def sums(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> dict[tuple[str, str], int]:
    """Summed counts per (dim, item) over months first..last (YYYYMM); zero sums left out."""
    t = StatTally.__table__.c
    rows = session.connection().execute(
        select(t.dim, t.item, func.sum(t.n))
        .where(t.unit_id.in_(ids), t.dim.in_(dims), t.attribute.in_(attributes), t.ym.between(first, last))
        .group_by(t.dim, t.item)
    )
    return {(dim, item): int(n) for dim, item, n in rows if n}


def monthly(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> list[tuple[str, int, int]]:
    """(dim, month, count) for months first..last with a non-zero count, by dim and month."""
    t = StatTally.__table__.c
    rows = session.connection().execute(
        select(t.dim, t.ym, func.sum(t.n))
        .where(t.unit_id.in_(ids), t.dim.in_(dims), t.attribute.in_(attributes), t.ym.between(first, last))
        .group_by(t.dim, t.ym)
        .order_by(t.dim, t.ym)
    )
    return [(dim, ym, int(n)) for dim, ym, n in rows if n]


def of_dim(counts: dict[tuple[str, str], int], dim: str) -> dict[str, int]:
    """The items of one dim of `sums`."""
    return {item: n for (d, item), n in counts.items() if d == dim}
