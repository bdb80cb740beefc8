"""The register paged without a search text, from the running counts (see data_access.read.queries.register).

`resolve` turns a filter into what publication and stat_tally rows it matches; `monthly` and
`unpublished_count` count them; `page_ids` finds the months and, in a large month, the days a
page's window falls in and sorts only those; `rows_by_id` reads the page's rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Result, SQLColumnExpression, and_, func, or_, select
from sqlalchemy.orm import Session

from data_access.read.kpis import month_end
from data_access.read.queries.register_query import (
    ORDER,
    PUBLISHED_ORDER,
    SELECTED,
    RegisterFilter,
    category_roots,
    period,
)
from data_access.rules.vocab import ATTRIBUTES
from data_access.store.models import Publication, StatTally

# A month with at most this many items is sorted whole; a larger one is first counted per day.
DIRECT_ROWS = 1000


@dataclass(frozen=True)
class _Listed:
    """A filter without a search text, resolved once per call: `published` and `tallied` filter
    publication and stat_tally rows by what is visible (units outside personal_ids: proactive
    only), the attribute and the category (`root`, the ids of the level-one categories it names)."""

    f: RegisterFilter
    root: tuple[int, ...] | None
    published: ColumnElement[bool]
    tallied: ColumnElement[bool]
    # Only items other than 主动公开 can lack a publication date (ck_publication_proactive_published).
    any_unpublished: bool

    def unpublished(self) -> tuple[ColumnElement[bool], ...]:
        """The matching items without a publication date, formed in the period."""
        return (
            self.published,
            Publication.published_year.is_(None),
            Publication.published_ym.is_(None),
            Publication.formed_date.between(*period(self.f)),
        )

    def months(self) -> tuple[int, int]:
        """The first and last month (YYYYMM) of the period."""
        f = self.f
        if f.month is None:
            return f.year * 100 + 1, f.year * 100 + 12
        return f.year * 100 + f.month, f.year * 100 + f.month


_Groups = list[tuple[tuple[int, ...], tuple[str, ...]]]  # (units, their visible attributes)


def _visible(
    groups: _Groups, unit: SQLColumnExpression[int], attribute: SQLColumnExpression[str]
) -> ColumnElement[bool]:
    parts = [
        and_(unit.in_(units), attribute == attrs[0] if len(attrs) == 1 else attribute.in_(attrs))
        for units, attrs in groups
    ]
    return parts[0] if len(parts) == 1 else or_(*parts)


def resolve(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> _Listed | None:
    """None when nothing can match: nothing visible, or no level-one category of that name."""
    wanted = (f.attribute,) if f.attribute else ATTRIBUTES
    personal = set(personal_ids)
    units = tuple(dict.fromkeys(ids))
    groups = [
        (tuple(u for u in units if u not in personal), tuple(a for a in wanted if a == "proactive")),
        (tuple(u for u in units if u in personal), wanted),
    ]
    groups = [(u, a) for u, a in groups if u and a]
    if not groups:
        return None
    root = None
    published = _visible(groups, Publication.unit_id, Publication.attribute)
    t = StatTally.__table__.c
    # Any dim that counts each published item once will do: 'pf' (full text or not) has the
    # fewest rows, 'pc' the category.
    tallied = and_(t.dim == "pf", _visible(groups, t.unit_id, t.attribute))
    if f.category:
        root = tuple(session.scalars(category_roots(f.category)))
        if not root:
            return None
        published = and_(published, Publication.category_root_id.in_(root))
        tallied = and_(
            t.dim == "pc", _visible(groups, t.unit_id, t.attribute), t.item.in_([str(r) for r in root])
        )
    any_unpublished = any(a != "proactive" for _units, attrs in groups for a in attrs)
    return _Listed(f, root, published, tallied, any_unpublished)


def monthly(session: Session, listed: _Listed) -> list[tuple[int, int]]:
    """(month, published items) from the running counts, newest month first, empty months left out."""
    t = StatTally.__table__.c
    stmt = (
        select(t.ym, func.sum(t.n))
        .where(listed.tallied, t.ym.between(*listed.months()))
        .group_by(t.ym)
        .order_by(t.ym.desc())
    )
    return [(int(ym), int(n)) for ym, n in session.execute(stmt) if n]


def unpublished_count(session: Session, listed: _Listed) -> int:
    if not listed.any_unpublished:
        return 0
    return session.execute(
        select(func.count()).select_from(Publication).where(*listed.unpublished())
    ).scalar_one()


def _day_counts(
    session: Session, listed: _Listed, ym: int, days: tuple[dt.date, dt.date] | None
) -> dict[dt.date, int]:
    """Published items per publication day of one month, within `days` (first, last) or the whole month."""
    year, month = divmod(ym, 100)
    if listed.root is not None:  # the month's index entries of ix_publication_stats, category included
        stmt = (
            select(Publication.published_date, func.count())
            .where(listed.published, Publication.published_year == year, Publication.published_ym == ym)
            .group_by(Publication.published_date)
        )
    else:  # grouped in the order of ix_publication_newest (unit, attribute, day), then summed per day
        first, last = days or (dt.date(year, month, 1), month_end(year, month))
        per_unit = (
            select(Publication.published_date.label("day"), func.count().label("n"))
            .where(listed.published, Publication.published_date.between(first, last))
            .group_by(Publication.unit_id, Publication.attribute, Publication.published_date)
            .subquery()
        )
        stmt = select(per_unit.c.day, func.sum(per_unit.c.n)).group_by(per_unit.c.day)
    # Both statements keep to the month's publication dates: no day comes back NULL.
    return {day: int(n) for day, n in cast("Result[dt.date, int]", session.execute(stmt))}


def _located_days(
    session: Session, listed: _Listed, ym: int, items: int, skip: int, need: int
) -> list[tuple[dt.date, int, int]]:
    """(day, items, position of its first item in the month) for days that include the month's
    items skip .. skip + need, newest first.

    Without a category only the days at the nearer end of the month are counted first, as many as
    would hold the window if the month's items were spread evenly (with a margin); when they turn
    out not to reach the window the rest of the month is counted too.
    """
    year, month = divmod(ym, 100)
    first, last = dt.date(year, month, 1), month_end(year, month)
    span = (last - first).days + 1
    newest = skip + need <= items - skip  # the window lies nearer the month's newest day
    reach = skip + need if newest else items - skip
    width = min(span, math.ceil(reach * span * 1.25 / items) + 2)
    if listed.root is not None or width == span:
        counts, above = _day_counts(session, listed, ym, None), 0
    elif newest:
        counts, above = _day_counts(session, listed, ym, (last - dt.timedelta(days=width - 1), last)), 0
        if sum(counts.values()) < skip + need:
            counts.update(_day_counts(session, listed, ym, (first, last - dt.timedelta(days=width))))
    else:
        counts = _day_counts(session, listed, ym, (first, first + dt.timedelta(days=width - 1)))
        above = items - sum(counts.values())  # the items of the later days, not counted
        if above > skip:
            counts.update(_day_counts(session, listed, ym, (first + dt.timedelta(days=width), last)))
            above = 0
    located, position = [], above
    for day in sorted(counts, reverse=True):
        located.append((day, counts[day], position))
        position += counts[day]
    return located


def _month_ids(session: Session, listed: _Listed, ym: int, items: int, skip: int, need: int) -> list[int]:
    """The ids of the month's published items skip .. skip + need, in register order."""
    if items <= DIRECT_ROWS:
        stmt = (
            select(Publication.id)
            .where(listed.published, Publication.published_year == ym // 100, Publication.published_ym == ym)
            .order_by(*PUBLISHED_ORDER)
            .limit(need)
            .offset(skip)
        )
        return list(session.scalars(stmt))
    found: list[int] = []
    for day, n, position in _located_days(session, listed, ym, items, skip, need):
        if position + n <= skip:
            continue
        if len(found) >= need:
            break
        stmt = (
            select(Publication.id)
            .where(listed.published, Publication.published_date == day)
            .order_by(Publication.formed_date.desc(), Publication.id.desc())
            .limit(need - len(found))
            .offset(max(0, skip - position))
        )
        found.extend(session.scalars(stmt))
    return found


def _unpublished_ids(session: Session, listed: _Listed, limit: int, offset: int) -> tuple[list[int], int]:
    """The page's items without a publication date, and how many such items come before the
    published ones (on a first page no count is needed: the published items then start at the first)."""
    if not listed.any_unpublished or limit <= 0:
        return [], 0
    stmt = select(Publication.id).where(*listed.unpublished()).order_by(*ORDER).limit(limit)
    if offset == 0:
        return list(session.scalars(stmt)), 0
    unpublished = unpublished_count(session, listed)
    return (list(session.scalars(stmt.offset(offset))) if offset < unpublished else []), unpublished


def page_ids(session: Session, listed: _Listed, limit: int, offset: int) -> list[int]:
    """The ids of the items offset .. offset + limit, in register order."""
    found, unpublished = _unpublished_ids(session, listed, limit, offset)
    skip = max(0, offset - unpublished)
    for ym, items in monthly(session, listed):
        need = limit - len(found)
        if need <= 0:
            break
        if skip >= items:
            skip -= items
            continue
        found.extend(_month_ids(session, listed, ym, items, skip, need))
        skip = 0
    return found


def rows_by_id(session: Session, ids: list[int]) -> list[tuple[Any, ...]]:
    if not ids:
        return []
    stmt = select(Publication.id, *SELECTED).where(Publication.id.in_(ids))
    by_id = {row[0]: tuple(row[1:]) for row in session.execute(stmt)}
    return [by_id[i] for i in ids]
