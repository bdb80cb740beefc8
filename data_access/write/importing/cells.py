"""What a converter reads a row with: the unit's reference data and the row's cells.

`load_context` reads the unit (UnknownUnit when its code names none), topics and boards into a
`Context`, which reads the unit's catalogue for a year when a row first needs it; `Cells` reads one row's cells for a converter (`convert`), recording an
issue at the exact cell for anything it cannot read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.store.catalogue import unit_items
from data_access.store.models import Board, OrgUnit, Topic
from data_access.store.reference import unit_and_descendants
from data_access.write.importing import synonyms as S
from data_access.write.importing.issues import ERROR, Issue
from data_access.write.importing.normalise import CellError, clean_text, fold, is_blank, shown
from data_access.write.importing.tables import Row, Table


class UnknownUnit(Exception):
    """The unit code names no org unit; message in Chinese."""


_CATEGORY_PUNCT = re.compile(r"[、,，/·]")


def category_key(name: object) -> str:
    """A category name as compared: folded, without 、 , / and a trailing 类."""
    return _CATEGORY_PUNCT.sub("", fold(name)).removesuffix("类")


@dataclass
class Catalogue:
    """The unit's catalogue for one year, as validation matches it."""

    categories: dict[str, tuple[int, int]] = field(default_factory=dict)  # key → (id, root_id)
    codes: dict[str, tuple[int, int]] = field(default_factory=dict)  # level-two code → (id, root_id)
    root_names: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # every item's name in force that year


@dataclass
class Context:
    """What validation needs from the database: the unit, its catalogue by year, topics and boards.

    A row is checked against the catalogue the unit uses in the row's year (its publication date's,
    else its formed date's, see `convert`), else in `year`, the chosen period's year.
    """

    unit_id: int
    unit_code: str
    unit_name: str
    unit_ids: list[int]
    year: int | None = None
    topics: dict[str, int] = field(default_factory=dict)
    boards: dict[str, tuple[int, str]] = field(default_factory=dict)  # folded name → (id, name)
    loader: Callable[[int], Catalogue] | None = None
    catalogues: dict[int, Catalogue] = field(default_factory=dict)
    # What the unit's profile calls its hotline (name, number): a complaint's source 热线 too.
    hotline_names: tuple[str, ...] = ()

    def catalogue(self, year: int | None) -> Catalogue:
        """The unit's catalogue for a row's year (else the period's year; else this year)."""
        chosen = year or self.year or dt.date.today().year
        if chosen not in self.catalogues:
            self.catalogues[chosen] = self.loader(chosen) if self.loader else Catalogue()
        return self.catalogues[chosen]


def catalogue_of(session: Session, unit_id: int, year: int) -> Catalogue:
    """The catalogue the unit uses in the year: names in force that year, items in force."""
    out = Catalogue()
    listed = unit_items(session, unit_id, year)
    for item in sorted(listed, key=lambda i: (i.level, i.sort_order)):
        out.categories.setdefault(category_key(item.name), (item.id, item.root_id))
    for item in listed:
        out.names[item.id] = item.name
        if item.level == 1:
            out.root_names[item.id] = item.name
        if item.level == 2:
            out.codes[item.code] = (item.id, item.root_id)
    return out


def load_context(session: Session, unit_code: str, year: int | None = None) -> Context:
    """Read the unit and the reference data validation needs (its catalogue lazily, per year)."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        known = "、".join(session.scalars(select(OrgUnit.code).order_by(OrgUnit.id))) or "（无）"
        raise UnknownUnit(f"未知单位代码：{unit_code}。可用的单位代码：{known}")
    ids = unit_and_descendants(session, unit.id)
    unit_id = unit.id
    ctx = Context(
        unit.id, unit.code, unit.name, ids, year, loader=lambda y: catalogue_of(session, unit_id, y)
    )
    ctx.hotline_names = tuple(n.strip() for n in (unit.hotline_name, unit.hotline) if n and n.strip())
    ctx.topics = {fold(name): tid for tid, name in session.execute(select(Topic.id, Topic.name))}
    for bid, name in session.execute(
        select(Board.id, Board.name).where(Board.unit_id.in_(ids)).order_by(Board.id)
    ):
        ctx.boards.setdefault(fold(name), (bid, name))
    return ctx


_ABSENT = (None, -1)


class Cells:
    """Reads one row's cells, collecting an issue at the cell for every value it cannot read."""

    def __init__(self, table: Table, row: Row, issues: list[Issue]) -> None:
        self.table, self.row, self.issues, self.ok = table, row, issues, True

    def raw(self, name: str) -> Any:
        """The cell's value as read (None when the column is absent)."""
        return self.row.cells.get(name, _ABSENT)[0]

    def present(self, name: str) -> bool:
        """Whether the file has the field's column at all (blank or not)."""
        return name in self.row.cells

    def error(self, name: str | None, message: str, level: str = ERROR) -> None:
        """Record an issue at this row (and the field's column)."""
        if level == ERROR:
            self.ok = False
        self.issues.append(self.table.issue(level, message, self.row.number, name))

    def get(
        self,
        name: str,
        parse: Callable[[Any], Any] = clean_text,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The parsed value of a field, the default when blank, or None with an error recorded."""
        value = self.row.cells.get(name, _ABSENT)[0]
        if value is None or is_blank(value):
            if required:
                self.error(name, f"“{self.table.header_of(name)}”不能为空")
            return default
        try:
            return parse(value)
        except CellError as exc:
            self.error(name, str(exc))
            return None

    def choose(
        self,
        name: str,
        table: dict[str, tuple[str, ...]],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        """A value from a fixed vocabulary (with synonyms); unknown values are errors listing the valid ones."""
        value = self.raw(name)
        if is_blank(value):
            if required:
                self.error(name, f"“{self.table.header_of(name)}”不能为空")
            return default
        found = S.lookup(value, table)
        if found is None:
            self.error(
                name,
                f"“{self.table.header_of(name)}”的值「{shown(value)}」无法识别，应为：{'、'.join(table)}",
            )
        return found
