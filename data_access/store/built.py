"""`built`: keep the statements a builder makes, per arguments.

Building a large select in SQLAlchemy (its CASEs, joins and id lists) and working out its cache key
cost more than running it does on a city's indexed data: the overview's requests read spends about
as long building its statements as the database spends answering them. A builder decorated here
makes each statement once per set of arguments (a unit's ids, a year, a day) and hands out the same
object after that, whose compiled form SQLAlchemy then finds at once. The arguments must be hashable
and fix the statement entirely; the statement holds no data, and nobody changes it after."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import literal

P = ParamSpec("P")
T = TypeVar("T")

# Enough for every unit and year a process's users look at in a day; each entry is a statement.
KEPT = 256


def built(builder: Callable[P, T]) -> Callable[P, T]:
    """The builder, keeping its statements (see the module)."""
    return lru_cache(maxsize=KEPT)(builder)  # type: ignore[return-value]


def each_bound(values: Iterable[Any]) -> list[Any]:
    """A fixed list of values for `in_()` as one bound parameter each. Given plain values, in_()
    makes one "expanding" parameter that SQLAlchemy writes out anew at every execution; these are
    written once, when the statement is compiled. For the code's own constants (dims, kinds)."""
    return [literal(v) for v in values]
