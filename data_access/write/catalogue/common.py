"""What the catalogue writes share: an entry as it reads in a year (`CategoryRow`), the catalogue a
unit uses in a year (`CatalogueView`, `catalogue_view`, `list_category_rows`), and the helpers the
edits use — find the unit, whether the actor may edit a scheme, the scheme an edit applies to
(locked), an entry by code, a name already in force, and the parsed 公开时限 columns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.rules.time_limits import describe, parse_time_limit
from data_access.store import catalogue
from data_access.store.catalogue import SchemeRef
from data_access.store.models import CatalogueScheme, Category, OrgUnit
from data_access.store.reference import default_scheme, visible_unit_ids
from data_access.write.importing.cells import category_key


@dataclass(frozen=True)
class CategoryRow:
    """One catalogue entry as it reads in a year, in tree order."""

    code: str
    name: str
    level: int
    parent_code: str | None
    domain: str | None = None
    time_limit: str | None = None
    limit: str = ""  # the parsed time limit in short words
    valid_from: int | None = None
    valid_to: int | None = None
    in_force: bool = True


@dataclass(frozen=True)
class CatalogueView:
    """The catalogue a unit uses in a year: which scheme (own, a parent's, the default) and its items."""

    unit_code: str
    unit_name: str
    year: int
    scheme: SchemeRef | None
    rows: list[CategoryRow]

    @property
    def source(self) -> str:
        """'own', 'inherited' (a unit above), 'default' (the installation's) or 'none'."""
        if self.scheme is None:
            return "none"
        if self.scheme.own:
            return "own"
        return "inherited" if self.scheme.owner_id is not None else "default"


def _rows(session: Session, scheme_id: int, year: int | None) -> list[CategoryRow]:
    listed = catalogue.items(session, scheme_id, year if year is not None else 9999, retired=True)
    if year is None:  # every item under its own name
        own = dict(
            session.execute(select(Category.id, Category.name).where(Category.scheme_id == scheme_id)).all()
        )
        listed = [replace(i, name=own[i.id], valid=True) for i in listed]
    codes = {i.id: i.code for i in listed}
    valid = {
        c.id: (c.valid_from, c.valid_to)
        for c in session.scalars(select(Category).where(Category.scheme_id == scheme_id))
    }
    return [
        CategoryRow(
            i.code,
            i.name,
            i.level,
            codes.get(i.parent_id) if i.parent_id else None,
            i.domain,
            i.fields.get("time_limit"),
            describe(i.limit) if i.limit or i.fields.get("time_limit") else "",
            *valid.get(i.id, (None, None)),
            i.valid,
        )
        for i in listed
    ]


def list_category_rows(
    session: Session, unit_code: str | None = None, year: int | None = None
) -> list[CategoryRow]:
    """The catalogue's entries, each after its parent: the unit's for the year (retired ones marked),
    or without a unit the default catalogue under the items' own names."""
    if unit_code is None:
        scheme = default_scheme(session, create=False)
        return _rows(session, scheme.id, year) if scheme is not None else []
    view = catalogue_view(session, unit_code, year or dt.date.today().year)
    return view.rows


def catalogue_view(session: Session, unit_code: str, year: int) -> CatalogueView:
    """Which catalogue the unit uses in the year, and its entries as they read that year."""
    unit = _unit(session, unit_code)
    ref = catalogue.scheme_for(session, unit.id, year)
    return CatalogueView(unit.code, unit.name, year, ref, _rows(session, ref.id, year) if ref else [])


def _unit(session: Session, code: str) -> OrgUnit:
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise ValueError(f"单位代码 {code} 不存在")
    return unit


def _may_edit(session: Session, actor: Principal, owner_id: int | None) -> bool:
    """The default catalogue: anyone who may administer catalogues; a unit's: its administrators
    and those of the units above it."""
    return owner_id is None or actor.is_operator or owner_id in visible_unit_ids(session, actor)


def _scheme(session: Session, actor: Principal, unit_code: str | None, year: int | None) -> CatalogueScheme:
    """The scheme an edit applies to, locked: the unit's catalogue in the year (the default
    catalogue without a unit)."""
    if unit_code is None:
        scheme = default_scheme(session)
        assert scheme is not None
    else:
        unit = _unit(session, unit_code)
        when = year or dt.date.today().year
        ref = catalogue.scheme_for(session, unit.id, when)
        if ref is None:
            raise ValueError(f"{unit.name}{when}年没有公开目录，请先新建、复制或导入目录")
        if not _may_edit(session, actor, ref.owner_id):
            raise ValueError(
                f"{unit.name}{when}年使用的是{ref.owner_name}的公开目录，您无权修改；可先为本单位复制一份再修改"
            )
        scheme = session.get(CatalogueScheme, ref.id)
        assert scheme is not None
    locked = session.scalar(select(CatalogueScheme).where(CatalogueScheme.id == scheme.id).with_for_update())
    assert locked is not None
    return locked


def _category(session: Session, scheme_id: int, code: str) -> Category:
    cat = session.scalar(
        select(Category).where(Category.scheme_id == scheme_id, Category.code == code).with_for_update()
    )
    if cat is None:
        raise ValueError(f"目录编码 {code} 不存在")
    return cat


def _name_taken(
    session: Session, scheme_id: int, name: str, year: int | None, except_code: str | None = None
) -> str | None:
    """The code of another entry in force that year whose name reads the same (uploads match
    categories by name)."""
    key = category_key(name)
    for row in _rows(session, scheme_id, year):
        if row.in_force and row.code != except_code and category_key(row.name) == key:
            return row.code
    return None


def _limit_columns(text: str | None) -> dict[str, object]:
    limit = parse_time_limit(text)
    return {
        "time_limit": text or None,
        "limit_kind": limit.kind if limit else None,
        "limit_days": limit.days if limit else None,
        "limit_unit": limit.unit if limit else None,
        "limit_period": limit.period if limit else None,
    }
