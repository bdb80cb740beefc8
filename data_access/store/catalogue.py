"""Which catalogue a unit uses in a year, and its items with the names in force that year.

A unit's catalogue for year Y is the `CatalogueScheme` valid in Y owned by the nearest unit on
its path to the root (the unit itself first); when no unit on the path has one, the default
scheme (no owner) valid in Y. An item is listed for Y while `valid_from <= Y <= valid_to` (NULL:
open), under the name of its latest rename from Y or before (`CategoryName`), else its own name.
Every read that lists or names categories (uploads, templates, figures, reports, the screen)
asks here, so a rename or a retirement from a year leaves every earlier year as it was.

For a scope of several units (a leader's roll-up): when every unit with data uses the same
scheme the figures keep its level-one names; otherwise they group by the standard 领域 each
level-one item maps to (`Category.domain`), `OTHER_DOMAIN` for items that map to none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from data_access.rules.coverage import effective_limit, is_default
from data_access.rules.time_limits import TimeLimit
from data_access.store import reference
from data_access.store.built import built
from data_access.store.id_lists import among
from data_access.store.models import CatalogueScheme, Category, CategoryName

OTHER_DOMAIN = "其他"


@dataclass(frozen=True)
class SchemeRef:
    """The scheme a unit uses in a year and where it comes from."""

    id: int
    name: str
    owner_id: int | None  # None: the installation's default
    owner_code: str | None
    owner_name: str | None
    from_year: int | None
    to_year: int | None
    own: bool  # owned by the unit asked about


@dataclass(frozen=True)
class Item:
    """A catalogue item as it reads in one year."""

    id: int
    code: str
    name: str  # the name in force that year
    level: int
    parent_id: int | None
    root_id: int
    sort_order: int
    domain: str | None
    valid: bool  # in force that year (not retired, not yet to come)
    limit: TimeLimit | None = None
    fields: dict[str, str | None] = field(default_factory=dict, compare=False)


def _in_year(start: int | None, end: int | None, year: int) -> bool:
    return (start is None or start <= year) and (end is None or year <= end)


def _paths(session: Session) -> tuple[dict[int, int | None], dict[int, tuple[str, str]]]:
    parents: dict[int, int | None] = {}
    names: dict[int, tuple[str, str]] = {}
    for uid, parent, code, name, *_profile in reference.unit_rows(session).values():
        parents[uid] = parent
        names[uid] = (code, name)
    return parents, names


def _schemes(session: Session) -> Sequence[Row[Any]]:
    """Every scheme as a plain row (id, unit_id, name, from_year, to_year): only read here."""
    c = CatalogueScheme.__table__.c
    return session.execute(select(c.id, c.unit_id, c.name, c.from_year, c.to_year).order_by(c.id)).all()


def _by_owner(schemes: Sequence[Row[Any]], year: int) -> dict[int | None, Row[Any]]:
    """Per owner (None: the default), the scheme it has in force in the year: the latest to start."""
    found: dict[int | None, Row[Any]] = {}
    for s in schemes:
        if _in_year(s.from_year, s.to_year, year):
            best = found.get(s.unit_id)
            if best is None or (s.from_year or 0, s.id) > (best.from_year or 0, best.id):
                found[s.unit_id] = s
    return found


def _resolve(
    unit_id: int,
    parents: dict[int, int | None],
    names: dict[int, tuple[str, str]],
    by_owner: dict[int | None, Row[Any]],
) -> SchemeRef | None:
    current: int | None = unit_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        s = by_owner.get(current)
        if s is not None:
            code, name = names.get(current, (None, None))
            return SchemeRef(s.id, s.name, current, code, name, s.from_year, s.to_year, current == unit_id)
        current = parents.get(current)
    return _default(by_owner)


def _default(by_owner: dict[int | None, Row[Any]]) -> SchemeRef | None:
    """The installation's default scheme in force (no owner), or None."""
    s = by_owner.get(None)
    if s is not None:
        return SchemeRef(s.id, s.name, None, None, None, s.from_year, s.to_year, False)
    return None


def scheme_for(session: Session, unit_id: int, year: int) -> SchemeRef | None:
    """The scheme the unit uses in the year, or None when there is none at all."""
    parents, names = _paths(session)
    return _resolve(unit_id, parents, names, _by_owner(_schemes(session), year))


def schemes_for(session: Session, unit_ids: Iterable[int], year: int) -> dict[int, SchemeRef | None]:
    """The scheme each unit uses in the year (one read of the units and schemes). The units that
    inherit from the same owner share one reference (a city's 400 units mostly inherit one)."""
    parents, names = _paths(session)
    by_owner = _by_owner(_schemes(session), year)
    inherited: dict[int | None, SchemeRef | None] = {}  # per unit, what the units under it inherit
    out: dict[int, SchemeRef | None] = {}
    for uid in unit_ids:
        if uid in by_owner:
            out[uid] = _resolve(uid, parents, names, by_owner)
            continue
        parent = parents.get(uid)  # owning none, the unit uses what its parent uses (a root: the default)
        if parent not in inherited:
            ref = _resolve(parent, parents, names, by_owner) if parent is not None else _default(by_owner)
            inherited[parent] = replace(ref, own=False) if ref is not None and ref.own else ref
        out[uid] = inherited[parent]
    return out


def names_in_year(session: Session, category_ids: Iterable[int], year: int) -> dict[int, str]:
    """The name in force in the year of each category (its own name when never renamed by then)."""
    ids = sorted(set(category_ids))
    if not ids:
        return {}
    own, renamed = _names(tuple(ids), year)
    out = dict(session.execute(own).all())
    for cid, name in session.execute(renamed).all():
        out[cid] = name  # the latest rename from the year or before wins
    return out


@built
def _names(ids: tuple[int, ...], year: int) -> tuple[Any, Any]:
    """The categories' own names, and their renames from the year or before in order."""
    c, n = Category.__table__.c, CategoryName.__table__.c
    own = select(c.id, c.name).where(among(c.id, ids))
    renamed = (
        select(n.category_id, n.name)
        .where(among(n.category_id, ids), n.from_year <= year)
        .order_by(n.category_id, n.from_year)
    )
    return own, renamed


def items(session: Session, scheme_id: int, year: int, *, retired: bool = False) -> list[Item]:
    """The scheme's items as they read in the year, each after its parent (tree order); items not
    in force that year only with `retired`."""
    rows = session.execute(_ITEMS, {"scheme": scheme_id}).all()  # plain rows: only read here
    names = names_in_year(session, (c.id for c in rows), year) if rows else {}
    children: dict[int | None, list[Row[Any]]] = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out: list[Item] = []

    def walk(parent: int | None, parent_valid: bool) -> None:
        for c in children.get(parent, []):
            valid = parent_valid and _in_year(c.valid_from, c.valid_to, year)
            if valid or retired:
                out.append(_item(c, names.get(c.id, c.name), valid))
            walk(c.id, valid)

    walk(None, True)
    return out


_C = Category.__table__.c
_ITEMS = select(*_C).where(_C.scheme_id == bindparam("scheme")).order_by(_C.sort_order, _C.code)


def _item(c: Row[Any], name: str, valid: bool) -> Item:
    limit = _limit(c.limit_kind, c.limit_days, c.limit_unit, c.limit_period)
    return Item(
        id=c.id,
        code=c.code,
        name=name,
        level=c.level,
        parent_id=c.parent_id,
        root_id=c.root_id or c.id,
        sort_order=c.sort_order,
        domain=c.domain,
        valid=valid,
        limit=limit,
        fields={
            "content": c.content,
            "basis": c.basis,
            "time_limit": c.time_limit,
            "subject": c.subject,
            "channels": c.channels,
            "audience": c.audience,
            "manner": c.manner,
        },
    )


def _limit(kind: str | None, days: int | None, unit: str | None, period: str | None) -> TimeLimit | None:
    return TimeLimit(kind, days, unit, period) if kind else None


def effective_limits(session: Session) -> dict[int, TimeLimit | None]:
    """Every category's time limit as its publications are judged: its own 公开时限, else the
    nearest item above it that states one, else None (the statutory 20 working days)."""
    rows = session.execute(
        select(Category.id, Category.parent_id, Category.limit_kind, Category.limit_days,
               Category.limit_unit, Category.limit_period)
    ).all()  # fmt: skip
    parent = {cid: pid for cid, pid, *_rest in rows}
    own = {cid: _limit(*rest) for cid, _pid, *rest in rows}
    out: dict[int, TimeLimit | None] = {}
    for cid in own:
        chain, seen, current = [], set(), cid
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(own.get(current))
            current = parent.get(current)
        out[cid] = effective_limit(chain)
    return out


def custom_limits(session: Session) -> dict[int, TimeLimit | None]:
    """The categories whose publications are judged otherwise than by the statutory 20 working days
    (the running counts judge every item by those; readers correct these few)."""
    return {cid: limit for cid, limit in effective_limits(session).items() if not is_default(limit)}


def unit_items(session: Session, unit_id: int, year: int) -> list[Item]:
    """The items in force in the year of the catalogue the unit uses then (empty when none)."""
    ref = scheme_for(session, unit_id, year)
    return items(session, ref.id, year) if ref is not None else []


def unit_roots(session: Session, unit_id: int, year: int) -> list[tuple[int, str]]:
    """(id, name in force) of the level-one items the unit's catalogue has in the year, in order."""
    return [(i.id, i.name) for i in unit_items(session, unit_id, year) if i.level == 1]


@dataclass(frozen=True)
class Grouping:
    """How a scope's publications are grouped by category in a year.

    `by` is 'catalogue' (one scheme: its level-one names, in order) or 'domain' (several: the
    领域 of each level-one item, `OTHER_DOMAIN` for none). `groups` lists the group names in order;
    `of_root` maps a level-one category id to its group; `other_units` names the units (in
    domain mode) whose catalogue has items with counts that map to no 领域.
    """

    by: str
    groups: tuple[str, ...]
    of_root: dict[int, str]
    other_units: tuple[str, ...] = ()

    def count(self, by_root: dict[int, int]) -> dict[str, int]:
        """Counts per group from counts per level-one category id (unknown ids: by their name)."""
        out = dict.fromkeys(self.groups, 0)
        for root, n in by_root.items():
            group = self.of_root.get(root)
            if group is None:
                continue
            out[group] = out.get(group, 0) + n
        return out


def grouping(
    session: Session, unit_id: int, unit_ids: Sequence[int], year: int, extra_roots: Iterable[int] = ()
) -> Grouping:
    """The grouping of a scope's figures for the year (unit_id: the unit asked about, unit_ids
    its scope). `extra_roots`: level-one ids that have counts; one outside the catalogue (an item
    retired that year, or a scheme replaced after the upload) is listed after the others under its
    own name for the year, so the groups always add up to the total."""
    refs = schemes_for(session, set(unit_ids) | {unit_id}, year)
    used = {r.id for r in refs.values() if r is not None}
    extra = set(extra_roots)
    if len(used) <= 1:
        listed = (
            [(i.id, i.name) for i in items(session, next(iter(used)), year) if i.level == 1] if used else []
        )
        known = {cid for cid, _ in listed}
        missing = sorted(extra - known)
        if missing:
            names = names_in_year(session, missing, year)
            listed += [(cid, names.get(cid, str(cid))) for cid in missing]
        of_root: dict[int, str] = {}
        groups: list[str] = []
        for cid, name in listed:
            of_root[cid] = name
            if name not in groups:
                groups.append(name)
        return Grouping("catalogue", tuple(groups), of_root)
    roots = session.execute(
        select(Category.id, Category.domain, Category.scheme_id, Category.sort_order)
        .where(Category.level == 1, Category.scheme_id.in_(sorted(used)))
        .order_by(Category.domain, Category.sort_order)
    ).all()
    extra_rows = session.execute(
        select(Category.id, Category.domain, Category.scheme_id, Category.sort_order).where(
            Category.id.in_(sorted(extra - {r.id for r in roots}))
        )
    ).all()
    of_root = {}
    unmapped_schemes: set[int] = set()  # schemes with counted items mapped to no 领域
    for cid, domain, scheme_id, _order in [*roots, *extra_rows]:
        of_root[cid] = domain or OTHER_DOMAIN
        if not domain and cid in extra:
            unmapped_schemes.add(scheme_id)
    named = sorted({g for g in of_root.values() if g != OTHER_DOMAIN})
    groups_t = tuple(named + ([OTHER_DOMAIN] if OTHER_DOMAIN in of_root.values() else []))
    _parents, names = _paths(session)
    other = tuple(
        names[uid][1]
        for uid in sorted(refs, key=lambda u: names.get(u, ("", ""))[0])
        if (ref := refs[uid]) is not None
        and ref.id in unmapped_schemes
        and uid in names
        and uid in set(unit_ids)
    )
    return Grouping("domain", groups_t, of_root, other)


def root_ids_named(
    session: Session, unit_id: int, unit_ids: Sequence[int], year: int, name: str
) -> list[int]:
    """The level-one category ids a group name stands for in the scope's grouping for the year."""
    g = grouping(session, unit_id, unit_ids, year)
    return sorted(cid for cid, group in g.of_root.items() if group == name)
