"""What a register filter selects, as SQL: the filter, the period it covers, the visible matching
items, the columns shown and the newest-first order, and the query that scans and sorts every
matching item (the search path and the export)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from data_access.read.kpis import month_end
from data_access.store.id_lists import among
from data_access.store.models import Category, CategoryName, Publication


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows: a year, optionally a month, a category, an attribute and a search text."""

    year: int
    month: int | None = None
    category: str | None = None  # level-one category name
    attribute: str | None = None  # proactive | on_request | withheld
    search: str = ""


def period(f: RegisterFilter) -> tuple[dt.date, dt.date]:
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
        published, and_(Publication.published_year.is_(None), Publication.formed_date.between(*period(f)))
    )


def category_roots(name: str) -> Select[int]:
    """The level-one categories a register's category filter names: by their own name, a rename,
    or (for a roll-up grouped by 领域) their 领域 — in any unit's catalogue; the scope's units
    restrict it to theirs."""
    renamed = select(CategoryName.category_id).where(CategoryName.name == name)
    return select(Category.id).where(
        Category.level == 1, or_(Category.name == name, Category.domain == name, Category.id.in_(renamed))
    )


def conditions(
    ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> list[ColumnElement[bool]]:
    visible = Publication.attribute == "proactive"
    if personal_ids:
        visible = or_(visible, among(Publication.unit_id, personal_ids))
    clauses = [among(Publication.unit_id, ids), visible, _in_period(f)]
    if f.attribute:
        clauses.append(Publication.attribute == f.attribute)
    if f.category:
        clauses.append(Publication.category_root_id.in_(category_roots(f.category)))
    text = f.search.strip()
    if text:
        clauses.append(
            or_(
                Publication.title.icontains(text, autoescape=True),
                Publication.index_no.icontains(text, autoescape=True),
            )
        )
    return clauses


SELECTED = (
    Publication.index_no,
    Publication.title,
    Publication.category_root_id,  # named as in force in the register's year (register._frame)
    Publication.doc_no,
    Publication.formed_date,
    Publication.published_date,
    Publication.channel,
    Publication.full_text,
    Publication.attribute,
    Publication.withheld_reason,
)


PUBLISHED_ORDER = (Publication.published_date.desc(), Publication.formed_date.desc(), Publication.id.desc())


ORDER = (Publication.published_date.is_(None).desc(), *PUBLISHED_ORDER)


def scan_query(
    ids: tuple[int, ...], personal_ids: tuple[int, ...], f: RegisterFilter
) -> Select[*tuple[Any, ...]]:
    """Every matching item, newest first: one scan and sort of the period (the search path)."""
    return select(*SELECTED).where(*conditions(ids, personal_ids, f)).order_by(*ORDER)
