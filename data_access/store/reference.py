"""Reference data every installation needs (the default catalogue, the topics, the unit levels),
and the unit tree.

`ensure_reference_data` is idempotent: it adds what is missing and never
changes what an admin has edited. The catalogue it fills is the default scheme (no owner, all
years), which every unit without a catalogue of its own on its path uses
(data_access.store.catalogue). The unit tree has any depth; scope ("this unit and every unit
under it") is `unit_and_descendants`, and a unit's words (full name, archive, library, hotline
duty, phone, signature) are `unit_profile`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.rules.vocab import CATALOGUE, RECIPIENT_NAMES, TOPICS
from data_access.store import db
from data_access.store.models import CatalogueScheme, Category, OrgUnit, Topic, UnitLevel


def ensure_reference_data(session: Session) -> int:
    """Insert missing catalogue entries and topics; return how many rows were added."""
    added = 0
    scheme = default_scheme(session)
    assert scheme is not None
    by_code = {c.code: c for c in session.scalars(select(Category).where(Category.scheme_id == scheme.id))}

    def get_or_add(code: str, name: str, level: int, parent: Category | None, order: int) -> Category:
        nonlocal added
        existing = by_code.get(code)
        if existing is not None:
            return existing
        cat = Category(scheme_id=scheme.id, code=code, name=name, level=level, sort_order=order)
        if parent is not None:
            cat.parent_id = parent.id
        session.add(cat)
        session.flush()
        cat.root_id = parent.root_id if parent is not None else cat.id
        by_code[code] = cat
        added += 1
        return cat

    for i, (code1, name1, children) in enumerate(CATALOGUE):
        root = get_or_add(code1, name1, 1, None, i)
        for j, (code2, name2, leaves) in enumerate(children):
            mid = get_or_add(code2, name2, 2, root, j)
            for k, (code3, name3) in enumerate(leaves):
                get_or_add(code3, name3, 3, mid, k)

    topics = {t.code for t in session.scalars(select(Topic))}
    for i, (code, name) in enumerate(TOPICS):
        if code not in topics:
            session.add(Topic(code=code, name=name, sort_order=i))
            added += 1
    session.flush()
    return added


DEFAULT_SCHEME_NAME = "默认目录"


def default_scheme(session: Session, *, create: bool = True) -> CatalogueScheme | None:
    """The installation's default catalogue scheme (no owner, all years), created when missing
    (unless `create` is False: then None)."""
    scheme = session.scalar(
        select(CatalogueScheme)
        .where(CatalogueScheme.unit_id.is_(None), CatalogueScheme.from_year.is_(None))
        .order_by(CatalogueScheme.id)
        .limit(1)
    )
    if scheme is None and create:
        scheme = CatalogueScheme(unit_id=None, name=DEFAULT_SCHEME_NAME, from_year=None, to_year=None)
        session.add(scheme)
        session.flush()
    return scheme


def unit_by_code(session: Session, code: str) -> OrgUnit | None:
    """The org unit with this code, or None."""
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def unit_and_descendants(session: Session, unit_id: int) -> list[int]:
    """Ids of the unit and every unit under it (the hierarchy is small: read it whole)."""
    return subtrees(session, [unit_id])[unit_id]


UNIT_FIELDS = ("id", "parent_id", "code", "name", "hotline", "full_name", "archive_name", "library_name",
               "hotline_name", "signature")  # fmt: skip
_UNITS = select(*(OrgUnit.__table__.c[name] for name in UNIT_FIELDS))  # table columns: plain rows


def unit_rows(session: Session) -> dict[int, Any]:
    """Every unit's row (UNIT_FIELDS, in that order) by id: the tree, the names and the profiles, in
    one read of the small unit table, which a read session keeps (db.remembered)."""
    return db.remembered(session, "unit_rows", lambda: {r[0]: r for r in session.execute(_UNITS).all()})


def subtrees(session: Session, unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each unit's id → the ids of it and every unit under it, sorted, from one read of the hierarchy."""
    children: dict[int | None, list[int]] = {}
    for row in unit_rows(session).values():
        children.setdefault(row[1], []).append(row[0])
    out = {}
    for unit_id in unit_ids:
        result, stack = [], [unit_id]
        while stack:
            uid = stack.pop()
            result.append(uid)
            stack.extend(children.get(uid, []))
        out[unit_id] = sorted(result)
    return out


def list_units(session: Session) -> list[tuple[str, str, int]]:
    """All units as (code, name, depth), in hierarchy order, for pickers."""
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code, OrgUnit.name).order_by(
            OrgUnit.sort_order, OrgUnit.id
        )
    ).all()
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    result: list[tuple[str, str, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            result.append((row.code, row.name, depth))
            walk(row.id, depth + 1)

    walk(None, 0)
    return result


def scope_codes(session: Session, unit_code: str) -> list[str]:
    """Codes of the unit and every unit under it; empty for an unknown unit."""
    root = unit_by_code(session, unit_code)
    if root is None:
        return []
    ids = set(unit_and_descendants(session, root.id))
    return [code for uid, code in session.execute(select(OrgUnit.id, OrgUnit.code)) if uid in ids]


def visible_unit_ids(session: Session, principal: Principal) -> list[int]:
    """The user's unit and every unit under it (every unit for the operator)."""
    if principal.is_operator:
        return sorted(session.scalars(select(OrgUnit.id)))
    return unit_and_descendants(session, principal.unit_id)


# ------------------------------------------------------------------ levels and profiles
def unit_levels(session: Session) -> dict[str, str]:
    """Every unit level, code → label, from the top down (the built-in ones, then an office's own)."""
    rows = session.execute(
        select(UnitLevel.code, UnitLevel.label).order_by(UnitLevel.sort_order, UnitLevel.code)
    )
    return {code: label for code, label in rows}


@dataclass(frozen=True)
class UnitProfile:
    """The words a unit's reports, letters and screen print, with the neutral fallbacks filled in.

    full_name: its own, else the name; archive_name / library_name / phone: its own, else the
    nearest ancestor's, else 档案馆 / 图书馆 / None; hotline_name: its own only (None: the unit
    takes no hotline duty, and nothing is said about one); signature: its own, else the full name.
    """

    code: str
    name: str
    full_name: str
    archive_name: str
    library_name: str
    hotline_name: str | None
    phone: str | None
    signature: str

    @property
    def recipient_names(self) -> dict[str, str]:
        """What the unit calls the recipients of its deliveries, by recipient key."""
        return {"archive": self.archive_name, "library": self.library_name}


def unit_profiles(session: Session, ids: Iterable[int] | None = None) -> dict[int, UnitProfile]:
    """The profiles of the given units (default: all), by id; one read of the (small) unit table.
    What a unit inherits is looked up once a unit and field: a city's 400 units share their chains."""
    rows = unit_rows(session)
    wanted = rows.keys() if ids is None else [uid for uid in ids if uid in rows]
    archive, library, phone = (
        _Inherited(rows, field) for field in ("archive_name", "library_name", "hotline")
    )
    out: dict[int, UnitProfile] = {}
    for uid in wanted:
        _id, _parent, code, name, _hotline, full, _archive, _library, hotline_name, signature = rows[uid]
        full_name = (full or "").strip() or name
        out[uid] = UnitProfile(
            code=code,
            name=name,
            full_name=full_name,
            archive_name=archive.of(uid) or RECIPIENT_NAMES["archive"],
            library_name=library.of(uid) or RECIPIENT_NAMES["library"],
            hotline_name=(hotline_name or "").strip() or None,
            phone=phone.of(uid),
            signature=(signature or "").strip() or full_name,
        )
    return out


class _Inherited:
    """A unit's own value of a field, else its nearest ancestor's (None when no unit up the chain has
    one, or the chain loops first), each unit's found once: units met on the way up keep it too."""

    def __init__(self, rows: Mapping[int, Sequence[Any]], field: str) -> None:
        self.rows, self.index = rows, UNIT_FIELDS.index(field)
        self.found: dict[int, str | None] = {}

    def of(self, uid: int) -> str | None:
        path: list[int] = []
        current: int | None = uid
        value: str | None = None
        while current is not None and current in self.rows and current not in path:
            if current in self.found:
                value = self.found[current]
                break
            row = self.rows[current]
            path.append(current)
            value = (row[self.index] or "").strip() or None
            if value:
                break
            current = row[1]  # parent_id
        for unit in path:  # each unit on the way up has the value found above it, or its own
            self.found[unit] = value
        return value


def unit_profile(session: Session, unit: OrgUnit | int) -> UnitProfile:
    """One unit's profile (see UnitProfile)."""
    uid = unit if isinstance(unit, int) else unit.id
    return unit_profiles(session, [uid])[uid]
