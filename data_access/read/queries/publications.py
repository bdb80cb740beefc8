"""主动公开 for one unit and year: targets, monthly trend, shares, timeliness per category."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from data_access.read.queries import coverage
from data_access.read.queries import registers as register_counts
from data_access.read.queries.registers import RegisterCounts
from data_access.read.queries.scope import Scope
from data_access.rules.coverage import Coverage
from data_access.rules.duties import TimelinessShare, publication_timing
from data_access.rules.workdays import Calendar
from data_access.store import catalogue, publication_due, tally
from data_access.store.holidays import load_calendar
from data_access.store.id_lists import among
from data_access.store.models import AnnualTarget, Category, Publication, StatTally, Topic

TARGET_METRIC = "publications"


@dataclass(frozen=True)
class CategoryLine:
    """One level-one category: items this year, share, annual target and timeliness."""

    name: str
    count: int
    share: float | None
    target: float | None
    timeliness: TimelinessShare

    @property
    def progress(self) -> float | None:
        """count ÷ target, or None without a target."""
        return round(self.count / self.target, 4) if self.target else None


@dataclass(frozen=True)
class PublicationSummary:
    """The year's proactive publications of a unit (and those under it)."""

    year: int
    total: int
    last_year_total: int
    target: float | None  # the unit's total target (category NULL), None when none is set
    categories: tuple[CategoryLine, ...]
    topics: tuple[tuple[str, int], ...]
    monthly: tuple[tuple[int, int, int], ...]  # (year, month, count) for this year and last
    timeliness: TimelinessShare
    other_units: tuple[str, ...] | None = None  # grouped by 领域: the units with items mapped to none
    coverage: Coverage | None = None  # periodic catalogue items by period; None: none owed
    # The year's items per register (政府网站, 政务新媒体, …) and counted once (queries.registers).
    registers: RegisterCounts | None = None

    @property
    def has_targets(self) -> bool:
        """Whether any target is set for the year."""
        return self.target is not None or any(c.target is not None for c in self.categories)


def proactive(ids: tuple[int, ...] | list[int]) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The WHERE clause of proactively published items of the units."""
    return (among(Publication.unit_id, ids), Publication.attribute == "proactive")


def targets(session: Session, unit_id: int, year: int) -> dict[str | None, float]:
    """The unit's publication targets for the year: level-one category name in force that year
    (None = total) → target."""
    rows = session.execute(
        select(AnnualTarget.category_id, AnnualTarget.target).where(
            AnnualTarget.unit_id == unit_id,
            AnnualTarget.year == year,
            AnnualTarget.metric == TARGET_METRIC,
        )
    ).all()
    names = catalogue.names_in_year(session, (cid for cid, _t in rows if cid is not None), year)
    return {names.get(cid) if cid is not None else None: float(Decimal(target)) for cid, target in rows}


def monthly_counts(
    session: Session, ids: tuple[int, ...], years: tuple[int, ...]
) -> dict[tuple[int, int], int]:
    """(year, month) → items published, from the running counts (data_access.store.tally)."""
    found: dict[tuple[int, int], int] = {}
    for year in years:
        for _dim, ym, n in tally.monthly(
            session, list(ids), ("pc",), ("proactive",), year * 100 + 1, year * 100 + 12
        ):
            found[divmod(ym, 100)] = n
    return found


def timeliness_by(
    session: Session,
    ids: tuple[int, ...],
    year: int,
    key: str = "category",
    calendar: Calendar | None = None,
    groups: catalogue.Grouping | None = None,
) -> tuple[TimelinessShare, dict[str, TimelinessShare]]:
    """On-time shares overall and per category ('category') or unit id ('unit').

    Categories are named as `groups` names them (the scope's grouping for the year), else by
    each level-one category's name in force in the year.

    Read from the running counts (data_access.store.tally, dim 'pl', judged against the stored
    publication due dates); items the counts could not judge (formed outside the stored
    range) are judged here, each distinct (formed, published) pair once, and so are the items of
    catalogue items whose 公开时限 is not the statutory 20 working days (`catalogue.custom_limits`).
    """
    t = StatTally.__table__.c
    counts: dict[str, list[int]] = {}

    def count(group: object, on_time: bool | None, n: int) -> None:
        for slot in ("", str(group)):
            counter = counts.setdefault(slot, [0, 0, 0])
            if on_time is None:
                counter[2] += n
            else:
                counter[0] += n
                counter[1] += n if on_time else 0

    outside = False
    names: dict[int, str] = {}
    months = (year * 100 + 1, year * 100 + 12)
    if key == "category":  # all the units' counts together (a city's from its roll-up)
        found = tally.sums(session, list(ids), ("pl",), ("proactive",), *months)
        if groups is not None:
            names = dict(groups.of_root)
        else:
            roots = {int(item.partition("|")[0]) for (_d, item) in found if item.partition("|")[0].isdigit()}
            roots |= set(session.scalars(select(Category.id).where(Category.level == 1)))
            names = catalogue.names_in_year(session, roots, year)
        for (_dim, item), n in found.items():
            if not n:
                continue
            category, _, flag = item.partition("|")
            if flag == "?":
                outside = True
                continue
            count(names.get(int(category), category), {"1": True, "0": False}.get(flag), int(n))
    else:  # per unit, the database sums each unit's flags over its categories (items 'category|flag')

        def flagged(flag: str) -> Any:
            return func.sum(case((t.item.like(f"%|{flag}"), t.n), else_=0))

        for unit_id, on_time, late, unknown, total in session.execute(
            select(t.unit_id, flagged("1"), flagged("0"), flagged("?"), func.sum(t.n))
            .where(among(t.unit_id, ids), t.dim == "pl", t.attribute == "proactive", t.ym.between(*months))
            .group_by(t.unit_id)
        ).all():
            on_time, late, unknown = int(on_time or 0), int(late or 0), int(unknown or 0)
            outside = outside or unknown > 0
            for judged, n in (
                (True, on_time),
                (False, late),
                (None, int(total or 0) - on_time - late - unknown),
            ):
                if n:
                    count(unit_id, judged, n)
    custom = catalogue.custom_limits(session)
    if not outside and not custom:
        return _shares(counts)
    cal = calendar or load_calendar(session)
    column = Publication.category_root_id if key == "category" else Publication.unit_id
    in_range = Publication.formed_date.between(publication_due.FIRST, publication_due.LAST)
    # Items the counts could not judge (formed outside the stored range), by their own limits, and
    # items of catalogue items with limits of their own: the counts judged those by the statutory
    # 20 working days, so take that judgement back and judge them by their own.
    wanted = ~in_range if not custom else or_(~in_range, Publication.category_id.in_(sorted(custom)))
    for group_id, category_id, formed, published, n in session.execute(
        select(column, Publication.category_id, Publication.formed_date, Publication.published_date, func.count())
        .where(*proactive(ids), Publication.published_year == year, wanted)
        .group_by(column, Publication.category_id, Publication.formed_date, Publication.published_date)
    ).all():  # fmt: skip
        group = names.get(group_id, group_id) if key == "category" else group_id
        counted = publication_due.FIRST <= formed <= publication_due.LAST
        if counted:
            count(group, publication_timing(formed, published, cal).on_time, -n)
        count(group, publication_timing(formed, published, cal, custom.get(category_id)).on_time, n)
    return _shares(counts)


def _shares(counts: dict[str, list[int]]) -> tuple[TimelinessShare, dict[str, TimelinessShare]]:
    def share(slot: str) -> TimelinessShare:
        judged, on_time, unjudged = counts.get(slot, [0, 0, 0])
        return TimelinessShare(slot or "合计", judged, on_time, unjudged)

    return share(""), {slot: share(slot) for slot in counts if slot}


def summary(session: Session, sc: Scope, year: int, today: dt.date) -> PublicationSummary:
    """Everything the 主动公开 page shows above the register."""
    counts = tally.sums(session, list(sc.ids), ("pc", "pt"), ("proactive",), year * 100 + 1, year * 100 + 12)
    by_cat = {int(item): n for item, n in tally.of_dim(counts, "pc").items()}
    groups = catalogue.grouping(session, sc.unit_id, list(sc.ids), year, (c for c, n in by_cat.items() if n))
    by_group = groups.count(by_cat)
    topic_ids = {int(item): n for item, n in tally.of_dim(counts, "pt").items() if item}
    by_topic = {
        name: topic_ids[tid]
        for tid, name in session.execute(select(Topic.id, Topic.name))
        if tid in topic_ids
    }
    topic_order = session.scalars(select(Topic.name).order_by(Topic.sort_order)).all()
    monthly = monthly_counts(session, sc.ids, (year - 1, year))
    overall, per_category = timeliness_by(session, sc.ids, year, "category", groups=groups)
    goal = targets(session, sc.unit_id, year)
    total = sum(by_cat.values())
    categories = tuple(
        CategoryLine(
            name,
            n,
            round(n / total, 4) if total else None,
            goal.get(name),
            per_category.get(name, TimelinessShare(name, 0, 0)),
        )
        for name, n in by_group.items()
    )
    last_month = 12 if year < today.year else max([today.month] + [m for (y, m) in monthly if y == year])
    trend = tuple(
        (y, m, monthly.get((y, m), 0))
        for y in (year - 1, year)
        for m in range(1, (12 if y < year else last_month) + 1)
    )
    return PublicationSummary(
        year=year,
        total=total,
        last_year_total=sum(n for (y, _m), n in monthly.items() if y == year - 1),
        target=goal.get(None),
        categories=categories,
        topics=tuple((name, by_topic[name]) for name in topic_order if by_topic.get(name)),
        monthly=trend,
        timeliness=overall,
        other_units=groups.other_units if groups.by == "domain" else None,
        coverage=coverage.coverage(session, sc.ids, year, today),
        registers=register_counts.year_counts(session, sc.ids, year),
    )
