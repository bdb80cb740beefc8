"""目录事项按期公开: the periodic items of each unit's catalogue, judged period by period
(data_access.rules.coverage).

A unit owes the items of the catalogue it uses in the year (data_access.store.catalogue) whose own
公开时限 is periodic (每月/每季度/每半年/每年). It owes them only once it keeps a publications
register that year — it has a proactive item formed or published in the year, or an active
publications upload for a month of it; a unit with neither is 未录入 for the year and its periods
are not listed as missing (never a guessed zero). `coverage` is None when no unit in scope owes any.
An item counts for a periodic catalogue item when it is recorded under that item, under an item
below it, or under an item above it (offices that record only level-one categories).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from data_access.rules import coverage as rules
from data_access.rules.workdays import Calendar
from data_access.store import catalogue
from data_access.store.holidays import load_calendar
from data_access.store.id_lists import among
from data_access.store.models import Category, OrgUnit, Publication, StatTally, UploadBatch

PUBLICATIONS_KIND = "publications"
# A period's due date lies at most this long after the year (每年, plus the days its limit states).
_TAIL = dt.timedelta(days=400)


def keeping_register(session: Session, ids: tuple[int, ...] | list[int], year: int) -> set[int]:
    """The units of `ids` that keep a publications register in the year (see the module docstring).

    Published in the year: read from the running counts (a city's year is some hundred thousand
    items). Only the units without one are looked for among the items formed in the year."""
    t = StatTally.__table__.c
    found = set(
        session.scalars(
            select(t.unit_id)
            .where(
                among(t.unit_id, ids),
                t.dim == "pc",
                t.attribute == "proactive",
                t.ym.between(year * 100 + 1, year * 100 + 12),
                t.n > 0,
            )
            .distinct()
        )
    )
    rest = sorted(set(ids) - found)
    if rest:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        found |= set(
            session.scalars(
                select(Publication.unit_id)
                .where(
                    among(Publication.unit_id, rest),
                    Publication.attribute == "proactive",
                    Publication.formed_date.between(start, end),
                )
                .distinct()
            )
        )
    rest = sorted(set(ids) - found)
    if rest:
        found |= set(
            session.scalars(
                select(UploadBatch.unit_id)
                .where(
                    among(UploadBatch.unit_id, rest),
                    UploadBatch.kind == PUBLICATIONS_KIND,
                    UploadBatch.status == "active",
                    UploadBatch.period_key.like(f"{year}%"),
                )
                .distinct()
            )
        )
    return found


def _owed(
    session: Session, unit_ids: set[int], year: int, refs: dict[int, catalogue.SchemeRef | None]
) -> list[rules.Owed]:
    names = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(among(OrgUnit.id, unit_ids))).all())
    periodic: dict[int, list[catalogue.Item]] = {}
    owed: list[rules.Owed] = []
    for uid in sorted(unit_ids, key=lambda u: names.get(u, "")):
        ref = refs.get(uid)
        if ref is None:
            continue
        if ref.id not in periodic:
            periodic[ref.id] = [
                i
                for i in catalogue.items(session, ref.id, year)
                if i.limit is not None
                and i.limit.kind == "periodic"
                and i.limit.period in rules.MONTHS_PER_PERIOD
            ]
        owed += [
            rules.Owed(i.id, i.name, uid, names.get(uid, ""), i.limit) for i in periodic[ref.id] if i.limit
        ]
    return owed


def _counted_for(session: Session, roots: set[int]) -> dict[int, set[int]]:
    """Each category of `roots` → the categories whose items count for it: itself, every category
    under it, and the items above it (an office that records its items only under the level-one
    category cannot be told apart from one that published nothing, so such items count)."""
    children: dict[int, list[int]] = defaultdict(list)
    parents: dict[int, int | None] = {}
    for cid, parent in session.execute(select(Category.id, Category.parent_id)).all():
        parents[cid] = parent
        if parent is not None:
            children[parent].append(cid)
    out: dict[int, set[int]] = {}
    for root in roots:
        seen, stack = {root}, [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        above = parents.get(root)
        while above is not None and above not in seen:
            seen.add(above)
            above = parents.get(above)
        out[root] = seen
    return out


def coverage(
    session: Session,
    ids: tuple[int, ...] | list[int],
    year: int,
    today: dt.date,
    calendar: Calendar | None = None,
) -> rules.Coverage | None:
    """The scope's periodic catalogue items judged on `today`, or None when no unit owes any."""
    if not session.scalar(select(exists().where(Category.limit_kind == "periodic"))):
        return None  # no catalogue states a periodic 公开时限 (most don't): no unit's scheme to look up
    refs = catalogue.schemes_for(session, ids, year)
    schemes = sorted({ref.id for ref in refs.values() if ref is not None})
    periodic = exists().where(Category.scheme_id.in_(schemes), Category.limit_kind == "periodic")
    if not schemes or not session.scalar(select(periodic)):
        return None  # no catalogue in use states a periodic 公开时限 (most don't): nothing to look for
    owed = _owed(session, keeping_register(session, ids, year), year, refs)
    if not owed:
        return None
    subtrees = _counted_for(session, {o.item_id for o in owed})
    owner: dict[int, set[int]] = defaultdict(set)  # category → the owed items it counts for
    for item, members in subtrees.items():
        for cid in members:
            owner[cid].add(item)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    published: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for uid, cid, formed, day in session.execute(
        select(
            Publication.unit_id, Publication.category_id, Publication.formed_date, Publication.published_date
        ).where(
            among(Publication.unit_id, sorted({o.unit_id for o in owed})),
            Publication.attribute == "proactive",
            Publication.category_id.in_(sorted(owner)),
            or_(
                Publication.formed_date.between(start, end),
                and_(Publication.published_date >= start, Publication.published_date <= end + _TAIL),
            ),
        )
    ).all():
        for item in owner[cid]:
            published[(uid, item)].append((formed, day))
    return rules.coverage(owed, published, year, today, calendar or load_calendar(session))
