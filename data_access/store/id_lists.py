"""`among(column, ids)`: a column in a list of unit ids, for the reads that ask about a unit and
every unit under it.

SQLAlchemy sends a list given to `in_()` as one bound parameter per value, named and rendered
anew at every execution: for a city's hundred sub-districts that is a few hundred names per
statement and a dozen statements per view, about a fifth of a city's uncached overview in Python.
The ids are integers, so they are written into the SQL text instead: a unit's statements then
compile once (the text is part of SQLAlchemy's statement cache key) and run as before. A single
id stays a bound parameter, so the statements of every sub-district share one compiled form.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, false, literal_column


def among(column: Any, ids: Iterable[int], *, once: bool = False) -> ColumnElement[bool]:
    """`column IN (ids)` with the ids (made integers, so only digits reach the SQL) in the text.
    `once`: a list asked for once (the requests of one view), not kept with the units' lists."""
    wanted = _written(tuple(ids)) if once else _listed(tuple(ids))
    if wanted is None:
        return false()
    if isinstance(wanted, int):
        return column == wanted  # type: ignore[no-any-return]
    return column.op("IN")(literal_column(wanted))  # type: ignore[no-any-return]


@lru_cache(maxsize=256)
def _listed(ids: tuple[int, ...]) -> str | int | None:
    """_written, kept: a view asks a dozen times about the same hundreds of units, so each list is
    written once."""
    return _written(ids)


def _written(ids: tuple[int, ...]) -> str | int | None:
    """The SQL list `(1,2,3)` of the ids, the id itself when there is one, None for none."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return None
    if len(wanted) == 1:
        return wanted[0]
    return "(" + ",".join(map(str, wanted)) + ")"
