"""Reading the running counts: summed per (dim, item) or per (dim, month) over a unit's months.

Units that are one unit and all those under it (a city, a district) read that unit's roll-up and
its own rows instead of every unit's rows (see `rollup`); any other list of units reads theirs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import Session

from data_access.store.built import built, each_bound
from data_access.store.id_lists import among
from data_access.store.models import StatRollup, StatTally
from data_access.store.tally import rollup

# A publication's attribute is part of the key; naming every value (and '' for the other
# sources) lets the primary key seek instead of scanning a unit's rows.
ANY_ATTRIBUTE = ("proactive", "on_request", "withheld", "")


def _source(session: Session, ids: list[int]) -> tuple[str, tuple[int, ...]]:
    """Which rows to sum for these units: ('rollup', (root,)) for a unit and all those under it,
    else ('units', ids) (see `rows_of`)."""
    root = rollup.root_of(session, ids)
    return ("units", tuple(ids)) if root is None else ("rollup", (root,))


def rows_of(source: tuple[str, tuple[int, ...]]) -> list[tuple[Any, ColumnElement[bool]]]:
    """(the columns of a table of counts, which of its rows) to add up for a `source`: the units'
    own rows, or a root's roll-up and its own rows."""
    t = StatTally.__table__.c
    kind, ids = source
    if kind == "units":
        return [(t, among(t.unit_id, ids))]
    r = StatRollup.__table__.c
    return [(r, r.unit_id == ids[0]), (t, t.unit_id == ids[0])]


@built
def _statement(
    source: tuple[str, tuple[int, ...]],
    keys: tuple[str, ...],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> Any:
    """The sums per `keys`: a roll-up and the root's own rows in one statement (each summed)."""
    parts = [
        select(*(c[k] for k in keys), func.sum(c.n))
        .where(
            mine,
            c.dim.in_(each_bound(dims)),
            c.attribute.in_(each_bound(attributes)),
            c.ym.between(first, last),
        )
        .group_by(*(c[k] for k in keys))
        for c, mine in rows_of(source)
    ]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _summed(
    session: Session,
    ids: list[int],
    keys: tuple[str, ...],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> dict[tuple[Any, ...], int]:
    """Counts summed per `keys` (columns of the counts) over months first..last; zero sums left out.
    A roll-up and the root's own rows are read in one statement (each summed), added up here."""
    statement = _statement(_source(session, ids), tuple(keys), tuple(dims), tuple(attributes), first, last)
    found: dict[tuple[Any, ...], int] = defaultdict(int)
    for *key, n in session.connection().execute(statement).all():
        found[tuple(key)] += int(n or 0)
    return {key: n for key, n in found.items() if n}


def sums(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> dict[tuple[str, str], int]:
    """Summed counts per (dim, item) over months first..last (YYYYMM); zero sums left out."""
    return _summed(session, ids, ("dim", "item"), dims, attributes, first, last)  # type: ignore[return-value]


def monthly(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> list[tuple[str, int, int]]:
    """(dim, month, count) for months first..last with a non-zero count, by dim and month."""
    found = _summed(session, ids, ("dim", "ym"), dims, attributes, first, last)
    return [(dim, ym, n) for (dim, ym), n in sorted(found.items())]


def detail(
    session: Session,
    ids: list[int],
    dims: tuple[str, ...],
    attributes: tuple[str, ...],
    first: int,
    last: int,
) -> list[tuple[str, int, str, int]]:
    """(dim, month, item, count) for months first..last with a non-zero count."""
    found = _summed(session, ids, ("dim", "ym", "item"), dims, attributes, first, last)
    return [(dim, ym, item, n) for (dim, ym, item), n in sorted(found.items())]


def of_dim(counts: dict[tuple[str, str], int], dim: str) -> dict[str, int]:
    """The items of one dim of `sums`."""
    return {item: n for (d, item), n in counts.items() if d == dim}
