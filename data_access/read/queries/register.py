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

from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.read.queries.register_months import monthly, page_ids, resolve, rows_by_id, unpublished_count
from data_access.read.queries.register_query import RegisterFilter, conditions, scan_query
from data_access.store import catalogue
from data_access.store.models import Category, Publication

__all__ = [
    "ATTRIBUTE_LABELS",
    "COLUMNS",
    "PAGE_SIZES",
    "REASON_COLUMN",
    "RegisterFilter",
    "attributes_for",
    "chunks",
    "count",
    "count_by_scan",
    "page",
    "page_by_scan",
]

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


def count_by_scan(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> int:
    """`count` by counting every matching item (the search path)."""
    return session.execute(
        select(func.count()).select_from(Publication).where(*conditions(ids, personal_ids, f))
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
    rows = session.execute(scan_query(ids, personal_ids, f).limit(limit).offset(offset)).all()
    return _frame(rows, bool(personal_ids), _names(session, f.year))


# ------------------------------------------------------------------ public
def count(session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter) -> int:
    """How many items the filter matches."""
    if f.search.strip():
        return count_by_scan(session, ids, personal_ids, f)
    listed = resolve(session, ids, personal_ids, f)
    if listed is None:
        return 0
    return sum(n for _ym, n in monthly(session, listed)) + unpublished_count(session, listed)


def _names(session: Session, year: int) -> dict[int, str]:
    """Every level-one category's name in force in the year (read before a stream starts: MariaDB
    takes no other statement while it streams)."""
    roots = session.scalars(select(Category.id).where(Category.level == 1)).all()
    return catalogue.names_in_year(session, roots, year)


def _frame(rows: Iterable[tuple[Any, ...]], with_reason: bool, names: dict[int, str]) -> pd.DataFrame:
    """The rows as the register shows them: each category under its name in force in the year."""
    records = [
        (
            index_no,
            title,
            names.get(category, ""),
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
    listed = resolve(session, ids, personal_ids, f)
    found = [] if listed is None else page_ids(session, listed, limit, offset)
    return _frame(rows_by_id(session, found), bool(personal_ids), _names(session, f.year))


def chunks(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter, size: int = 5000
) -> Iterator[pd.DataFrame]:
    """Every matching item, a chunk at a time (for the .xlsx export), streamed from the database."""
    names = _names(session, f.year)
    result = session.execute(scan_query(ids, personal_ids, f).execution_options(yield_per=size))
    for rows in result.partitions(size):
        yield _frame(list(rows), bool(personal_ids), names)


def attributes_for(personal_ids: tuple[int, ...]) -> tuple[str, ...]:
    """The attributes a viewer can filter by."""
    return tuple(ATTRIBUTE_LABELS) if personal_ids else ("proactive",)
