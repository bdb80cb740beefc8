"""The publication register (主动公开信息目录), searched, filtered and paged in SQL.

Items other than 主动公开 (依申请公开, 不公开) are returned only for the units in
`personal_ids` (staff and admin of that unit: data_access.auth.can_see_personal);
everyone else sees proactive items only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from data_access.kpis import month_end
from data_access.models import Category, Publication

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


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows: a year, optionally a month, a category, an attribute and a search text."""

    year: int
    month: int | None = None
    category: str | None = None  # level-one category name
    attribute: str | None = None  # proactive | on_request | withheld
    search: str = ""


def _in_period(f: RegisterFilter):  # type: ignore[no-untyped-def]
    """Published in the period; an unpublished item (不公开) counts in the period it was formed."""
    if f.month is None:
        published = Publication.published_year == f.year
        start, end = dt.date(f.year, 1, 1), dt.date(f.year, 12, 31)
    else:
        published = Publication.published_ym == f.year * 100 + f.month
        start, end = dt.date(f.year, f.month, 1), month_end(f.year, f.month)
    return or_(
        published, and_(Publication.published_year.is_(None), Publication.formed_date.between(start, end))
    )


def _where(ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter) -> list:
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


def count(session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter) -> int:
    """How many items the filter matches."""
    return session.scalar(select(func.count()).select_from(Publication).where(*_where(ids, personal_ids, f)))


def _query(ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter):  # type: ignore[no-untyped-def]
    return (
        select(
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
        .join(Category, Category.id == Publication.category_root_id)
        .where(*_where(ids, personal_ids, f))
        .order_by(
            Publication.published_date.is_(None).desc(),
            Publication.published_date.desc(),
            Publication.formed_date.desc(),
            Publication.id.desc(),
        )
    )


def _frame(rows: list, with_reason: bool) -> pd.DataFrame:
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
    rows = session.execute(_query(ids, personal_ids, f).limit(limit).offset(offset)).all()
    return _frame(rows, bool(personal_ids))


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
