"""Reference data every installation needs: the default catalogue and the topics.

`ensure_reference_data` is idempotent: it adds what is missing and never
changes what an admin has edited. The catalogue it fills is the default scheme (no owner, all
years), which every unit without a catalogue of its own on its path uses
(data_access.store.catalogue).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.rules.vocab import CATALOGUE, TOPICS
from data_access.store.models import CatalogueScheme, Category, OrgUnit, Topic


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
    children: dict[int | None, list[int]] = {}
    for uid, parent in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent, []).append(uid)
    result, stack = [], [unit_id]
    while stack:
        uid = stack.pop()
        result.append(uid)
        stack.extend(children.get(uid, []))
    return sorted(result)


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


def unit_hotline(session: Session, unit: OrgUnit) -> str | None:
    """The unit's hotline, or the nearest ancestor's."""
    current: OrgUnit | None = unit
    while current is not None:
        if current.hotline:
            return current.hotline
        current = session.get(OrgUnit, current.parent_id) if current.parent_id else None
    return None


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
