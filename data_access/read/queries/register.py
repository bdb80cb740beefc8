"""The publication register (主动公开信息目录), searched, filtered and paged in SQL.

Items other than 主动公开 (依申请公开, 不公开) are returned only for the units in
`personal_ids` (staff and admin of that unit: data_access.write.permissions.can_see_personal);
everyone else sees proactive items only.

Newest first: items without a publication date (counted in the period they were formed) come
first, then the published ones by publication date, formed date and id, all descending.

Without a search text nothing counts or sorts every matching row (a city holds 500,000 items a
year). The published items are counted by the running counts (data_access.store.tally: dim 'pf', or
'pc' for a category; unit × attribute × publication month), the unpublished ones (never 主动公开,
so only for viewers with personal units) directly. A page finds from those monthly counts the
month(s) its rows fall in and reads only those: a month of at most DIRECT_ROWS items is sorted
whole; a larger one is first counted per publication day — without a category only the days at
the window's nearer end of the month, as many as should hold it, in the order of
ix_publication_newest; with one, the category's month in ix_publication_stats — and then only
the day(s) the window covers are sorted. The page's rows are read by id at the end.

This relies on what every writer keeps: published_year and published_ym are the year and month
of published_date, and all three are NULL together. With a search text every matching item of
the period is counted and sorted (`count_by_scan`, `page_by_scan`), which the tests also take as
the reference for the fast path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from sqlalchemy import ColumnElement, Result, Select, SQLColumnExpression, and_, func, or_, select
from sqlalchemy.orm import Session

from data_access.read.kpis import month_end
from data_access.rules.vocab import ATTRIBUTES
from data_access.store.models import Category, Publication, StatTally

ATTRIBUTE_LABELS = {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不公开"}
COLUMNS = (
    "索引号",
    "信息名称",
    "所属类别",
    "文号",
    "形成日期",
    "公开日期",
    "公开方式",
    "全文电子化",
    "公开属性",
)
REASON_COLUMN = "不公开理由"
PAGE_SIZES = (20, 50, 100)
# A month with at most this many items is sorted whole; a larger one is first counted per day.
DIRECT_ROWS = 1000


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows: a year, optionally a month, a category, an attribute and a search text."""

    year: int
    month: int | None = None
    category: str | None = None  # level-one category name
    attribute: str | None = None  # proactive | on_request | withheld
    search: str = ""


def _period(f: RegisterFilter) -> tuple[dt.date, dt.date]:
    if f.month is None:
        return dt.date(f.year, 1, 1), dt.date(f.year, 12, 31)
    return dt.date(f.year, f.month, 1), month_end(f.year, f.month)


def _in_period(f: RegisterFilter) -> ColumnElement[bool]:
    """Published in the period; an unpublished item (不公开) counts in the period it was formed."""
    if f.month is None:
        published = Publication.published_year == f.year
    else:
        published = Publication.published_ym == f.year * 100 + f.month
    return or_(
        published, and_(Publication.published_year.is_(None), Publication.formed_date.between(*_period(f)))
    )


def _where(
    ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> list[ColumnElement[bool]]:
    visible = Publication.attribute == "proactive"
    if personal_ids:
        visible = or_(visible, Publication.unit_id.in_(personal_ids))
    clauses = [Publication.unit_id.in_(ids), visible, _in_period(f)]
    if f.attribute:
        clauses.append(Publication.attribute == f.attribute)
    if f.category:
        root = select(Category.id).where(Category.level == 1, Category.name == f.category).scalar_subquery()
        clauses.append(Publication.category_root_id == root)
    text = f.search.strip()
    if text:
        clauses.append(
            or_(
                Publication.title.icontains(text, autoescape=True),
                Publication.index_no.icontains(text, autoescape=True),
            )
        )
    return clauses


_SELECTED = (
    Publication.index_no,
    Publication.title,
    Category.name,
    Publication.doc_no,
    Publication.formed_date,
    Publication.published_date,
    Publication.channel,
    Publication.full_text,
    Publication.attribute,
    Publication.withheld_reason,
)
_PUBLISHED_ORDER = (Publication.published_date.desc(), Publication.formed_date.desc(), Publication.id.desc())
_ORDER = (Publication.published_date.is_(None).desc(), *_PUBLISHED_ORDER)


def _query(
    ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> Select[*tuple[Any, ...]]:
    """Every matching item, newest first: one scan and sort of the period (the search path)."""
    return (
        select(*_SELECTED)
        .join(Category, Category.id == Publication.category_root_id)
        .where(*_where(ids, personal_ids, f))
        .order_by(*_ORDER)
    )


def count_by_scan(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> int:
    """`count` by counting every matching item (the search path)."""
    return session.execute(
        select(func.count()).select_from(Publication).where(*_where(ids, personal_ids, f))
    ).scalar_one()


def page_by_scan(
    session: Session,
    ids: tuple[int, ...],
    personal_ids: tuple[int, ...],
    f: RegisterFilter,
    limit: int,
    offset: int,
) -> pd.DataFrame:
    """`page` by sorting every matching item (the search path)."""
    rows = session.execute(_query(ids, personal_ids, f).limit(limit).offset(offset)).all()
    return _frame(rows, bool(personal_ids))


# ------------------------------------------------------------------ without a search text
@dataclass(frozen=True)
class _Listed:
    """A filter without a search text, resolved once per call: `published` and `tallied` filter
    publication and stat_tally rows by what is visible (units outside personal_ids: proactive
    only), the attribute and the category (`root`, its id)."""

    f: RegisterFilter
    root: int | None
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
            Publication.formed_date.between(*_period(self.f)),
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


def _resolve(
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
        root = session.scalar(select(Category.id).where(Category.level == 1, Category.name == f.category))
        if root is None:
            return None
        published = and_(published, Publication.category_root_id == root)
        tallied = and_(t.dim == "pc", _visible(groups, t.unit_id, t.attribute), t.item == str(root))
    any_unpublished = any(a != "proactive" for _units, attrs in groups for a in attrs)
    return _Listed(f, root, published, tallied, any_unpublished)


def _monthly(session: Session, listed: _Listed) -> list[tuple[int, int]]:
    """(month, published items) from the running counts, newest month first, empty months left out."""
    t = StatTally.__table__.c
    stmt = (
        select(t.ym, func.sum(t.n))
        .where(listed.tallied, t.ym.between(*listed.months()))
        .group_by(t.ym)
        .order_by(t.ym.desc())
    )
    return [(int(ym), int(n)) for ym, n in session.execute(stmt) if n]


def _unpublished_count(session: Session, listed: _Listed) -> int:
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
            .order_by(*_PUBLISHED_ORDER)
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
    stmt = select(Publication.id).where(*listed.unpublished()).order_by(*_ORDER).limit(limit)
    if offset == 0:
        return list(session.scalars(stmt)), 0
    unpublished = _unpublished_count(session, listed)
    return (list(session.scalars(stmt.offset(offset))) if offset < unpublished else []), unpublished


def _page_ids(session: Session, listed: _Listed, limit: int, offset: int) -> list[int]:
    """The ids of the items offset .. offset + limit, in register order."""
    found, unpublished = _unpublished_ids(session, listed, limit, offset)
    skip = max(0, offset - unpublished)
    for ym, items in _monthly(session, listed):
        need = limit - len(found)
        if need <= 0:
            break
        if skip >= items:
            skip -= items
            continue
        found.extend(_month_ids(session, listed, ym, items, skip, need))
        skip = 0
    return found


def _rows_by_id(session: Session, ids: list[int]) -> list[tuple[Any, ...]]:
    if not ids:
        return []
    stmt = (
        select(Publication.id, *_SELECTED)
        .join(Category, Category.id == Publication.category_root_id)
        .where(Publication.id.in_(ids))
    )
    by_id = {row[0]: tuple(row[1:]) for row in session.execute(stmt)}
    return [by_id[i] for i in ids]


# ------------------------------------------------------------------ public
def count(session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter) -> int:
    """How many items the filter matches."""
    if f.search.strip():
        return count_by_scan(session, ids, personal_ids, f)
    listed = _resolve(session, ids, personal_ids, f)
    if listed is None:
        return 0
    return sum(n for _ym, n in _monthly(session, listed)) + _unpublished_count(session, listed)


def _frame(rows: Iterable[tuple[Any, ...]], with_reason: bool) -> pd.DataFrame:
    records = [
        (
            index_no,
            title,
            category,
            doc_no or "",
            formed,
            published,
            channel,
            "是" if full_text else "否",
            ATTRIBUTE_LABELS.get(attribute, attribute),
            reason or "",
        )
        for index_no, title, category, doc_no, formed, published, channel, full_text, attribute, reason in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS, REASON_COLUMN])
    return frame if with_reason else frame.drop(columns=[REASON_COLUMN])


def page(
    session: Session,
    ids: tuple[int, ...],
    personal_ids: tuple[int, ...],
    f: RegisterFilter,
    limit: int,
    offset: int,
) -> pd.DataFrame:
    """One page of the register (newest first), LIMIT/OFFSET in the database."""
    if f.search.strip():
        return page_by_scan(session, ids, personal_ids, f, limit, offset)
    listed = _resolve(session, ids, personal_ids, f)
    found = [] if listed is None else _page_ids(session, listed, limit, offset)
    return _frame(_rows_by_id(session, found), bool(personal_ids))


def chunks(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter, size: int = 5000
) -> Iterator[pd.DataFrame]:
    """Every matching item, a chunk at a time (for the .xlsx export), streamed from the database."""
    result = session.execute(_query(ids, personal_ids, f).execution_options(yield_per=size))
    for rows in result.partitions(size):
        yield _frame(list(rows), bool(personal_ids))


def attributes_for(personal_ids: tuple[int, ...]) -> tuple[str, ...]:
    """The attributes a viewer can filter by."""
    return tuple(ATTRIBUTE_LABELS) if personal_ids else ("proactive",)
