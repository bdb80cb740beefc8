"""The public read path: the only queries the lobby screen may run.

Everything here reads public fields only, and only items whose disclosure
attribute is 主动公开 and that are not withdrawn (撤回) as of the day asked for. It never selects a request's applicant, contact or
summary, nor a withheld document: the screen cannot show what this module
cannot return. A test checks every function against a canary that is not public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Float, Row, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from data_access.read import withdrawals
from data_access.read.entries import opening_balances
from data_access.rules.entered import counted_from
from data_access.rules.projects import lag_bound, lag_threshold, lags_below
from data_access.rules.vocab import OLD_REPLIES, RECIPIENT_NAMES, old_reply
from data_access.store import catalogue, tally
from data_access.store.built import built
from data_access.store.id_lists import among
from data_access.store.models import (
    Board,
    BoardUpdate,
    Delivery,
    Project,
    ProjectProgress,
    Publication,
    ScreenSlide,
)
from data_access.store.reference import unit_and_descendants, unit_by_code, unit_profile


@dataclass(frozen=True)
class PublicItem:
    """A published item as the public may see it."""

    title: str
    published: dt.date
    category: str


@dataclass(frozen=True)
class ProjectLine:
    """A key project's public progress."""

    name: str
    ytd: float
    plan: float
    rate: float
    lagging: bool = False  # by data_access.rules.projects with the LAG_THRESHOLD_PP setting


@dataclass(frozen=True)
class BoardLine:
    """A bulletin board's last update."""

    name: str
    last_update: dt.date | None
    last_kind: str | None


@dataclass(frozen=True)
class ScreenData:
    """Everything the screen shows for one unit, read in one go."""

    unit_code: str
    unit_name: str
    hotline: str | None  # the public phone: the unit's, else the nearest ancestor's
    year: int
    published_year: int
    published_cumulative: int
    month: int
    published_month: int
    by_category: dict[str, int]
    newest: tuple[PublicItem, ...]
    projects_month: int | None
    projects: tuple[ProjectLine, ...]  # furthest ahead first; see projects_count
    requests_received: int
    requests_replied: int
    replies: dict[str, int]
    boards: tuple[BoardLine, ...]
    deliveries: dict[str, int]
    read_at: dt.datetime
    # What the unit calls the recipients of its deliveries (its profile), by recipient key.
    recipient_names: dict[str, str] = field(default_factory=lambda: dict(RECIPIENT_NAMES))
    # The month's key projects with a plan: how many, and their year-to-date ÷ plan all together
    # (None: none). `projects` lists only the SHOWN_PROJECTS furthest ahead and furthest behind.
    projects_count: int = 0
    projects_rate: float | None = None


PUBLIC = ("proactive",)
# The screen shows this many key projects furthest ahead, and as many furthest behind.
SHOWN_PROJECTS = 5


def _year_detail(session: Session, ids: list[int], year: int) -> list[tuple[str, int, str, int]]:
    """The year's running counts per (dim, month, item): categories, key-project months, requests."""
    return tally.detail(
        session, ids, ("pc", "pp", "rr", "ra"), ("proactive", ""), year * 100 + 1, year * 100 + 12
    )


def screen_data(session: Session, unit_code: str, today: dt.date, newest: int = 12) -> ScreenData | None:
    """The unit's public figures for the current year (or its last year with data); None if unknown."""
    unit = unit_by_code(session, unit_code)
    if unit is None:
        return None
    ids = unit_and_descendants(session, unit.id)
    # Items published per year up to this one, then per month of this year and the last
    # (running counts, data_access.store.tally).
    years = [
        (ym // 100, n) for _d, ym, n in tally.monthly(session, ids, ("yf",), PUBLIC, 0, today.year * 100)
    ]
    last_year = years[-1][0] if years else None
    year = today.year if last_year is None or last_year == today.year else last_year
    this_month = year * 100 + (today.month if year == today.year else 12)
    months = [
        (ym, n)
        for _d, ym, n in tally.monthly(session, ids, ("pf",), PUBLIC, (year - 1) * 100 + 1, year * 100 + 12)
    ]
    total = sum(n for y, n in years if y == year)
    month_count = sum(n for ym, n in months if ym == this_month)
    cumulative = sum(n for y, n in years if y <= year)
    for balance in opening_balances(session, ids):  # 历年累计 before a unit's first recorded year
        if counted_from(balance.before_year, year):
            covered = sorted(balance.covers)
            before = tally.monthly(session, covered, ("yf",), PUBLIC, 0, (balance.before_year - 1) * 100)
            cumulative += (balance.figures["publications"] or 0) - sum(n for _d, _ym, n in before)
    detail = _year_detail(session, ids, year)
    counts: dict[int, int] = {}
    for dim, _ym, item, n in detail:
        if dim == "pc":
            counts[int(item)] = counts.get(int(item), 0) + n
    groups = catalogue.grouping(session, unit.id, ids, year, (cid for cid, n in counts.items() if n))
    found = list(_newest(session, ids, today, newest, months))
    names: dict[int, dict[int, str]] = {}  # year → level-one id → its name in force that year
    for _title, day, root in found:
        names.setdefault(day.year, {})[root] = ""
    for y, roots in names.items():
        names[y] = catalogue.names_in_year(session, roots, y)
    newest_rows = [PublicItem(title, day, names[day.year].get(root, "")) for title, day, root in found]
    project_months = [ym for dim, ym, _item, _n in detail if dim == "pp"]
    projects_month, projects, (projects_count, projects_rate) = _projects(
        session, ids, year, max(project_months) % 100 if project_months else None
    )
    received, replied, replies = _request_counts(detail)
    profile = unit_profile(session, unit)
    return ScreenData(
        unit_code=unit.code,
        unit_name=unit.name,
        hotline=profile.phone,
        year=year,
        published_year=total,
        published_cumulative=cumulative,
        month=this_month % 100,
        published_month=month_count,
        by_category=groups.count(counts),
        newest=tuple(newest_rows),
        projects_month=projects_month,
        projects=projects,
        requests_received=received,
        requests_replied=replied,
        replies=replies,
        boards=_boards(session, ids),
        deliveries=_deliveries(session, ids, year),
        read_at=dt.datetime.now(),
        recipient_names=profile.recipient_names,
        projects_count=projects_count,
        projects_rate=projects_rate,
    )


def _newest(
    session: Session, ids: list[int], today: dt.date, newest: int, months: list[tuple[int, int]]
) -> Sequence[Row[str, dt.date, int]]:
    """The newest published items up to today, newest first.

    Reads only a recent window: the months before today's month are walked back (running
    counts per month) until they hold `newest` items; the window from the first of that month
    to today then holds the same top items as the whole table, and the index seeks straight to it.
    No join: SQLite then reads at most `newest` index entries per unit (its IN-early-out plan).
    Items withdrawn (撤回) on or before today are never shown: as many more rows are read as the
    units have withdrawn items, and those are dropped here (data_access.read.withdrawals).
    """
    withdrawn = withdrawals.withdrawn_keys(session, ids, today)
    wanted = newest + len(withdrawn)
    today_ym = today.year * 100 + today.month
    first, seen = None, 0
    for ym, n in reversed([m for m in months if m[0] < today_ym]):
        first, seen = ym, seen + n
        if seen >= wanted:
            break
    since = dt.date(first // 100, first % 100, 1) if first and seen >= wanted else None
    rows = session.connection().execute(_newest_rows(tuple(ids), today, since, wanted)).all()
    # published_date <= today leaves out the items without a publication date.
    shown = [(r[0], r[1], r[2]) for r in rows if (r[3], r[4]) not in withdrawn][:newest]
    return cast(Sequence[Row[str, dt.date, int]], shown)


@built
def _newest_rows(ids: tuple[int, ...], today: dt.date, since: dt.date | None, wanted: int) -> Any:
    """The `wanted` newest proactive items published from `since` (None: any day) to today."""
    p = Publication.__table__.c
    window = [p.published_date >= since] if since is not None else []
    return (
        select(p.title, p.published_date, p.category_root_id, p.unit_id, p.index_no)
        .where(among(p.unit_id, ids), p.attribute == "proactive", p.published_date <= today, *window)
        .order_by(p.published_date.desc(), p.id.desc())
        .limit(wanted)
    )


def _projects(
    session: Session, ids: list[int], year: int, month: int | None
) -> tuple[int | None, tuple[ProjectLine, ...], tuple[int, float | None]]:
    """The month's key projects with a plan: the SHOWN_PROJECTS furthest ahead and furthest behind
    (by year-to-date ÷ plan, furthest ahead first), and (how many, their rate all together). A city
    has thousands: the database counts and orders them, and returns the few lines shown."""
    if month is None:
        return None, (), (0, None)
    summed, furthest_ahead, furthest_behind = _project_ends(tuple(ids), year, month)
    conn = session.connection()
    count, ytd, plan = conn.execute(summed).one()
    if not count:
        return month, (), (0, None)
    ahead = conn.execute(furthest_ahead).all()
    shown = {(r.unit_id, r.project_id) for r in ahead}
    behind = [
        r for r in reversed(conn.execute(furthest_behind).all()) if (r.unit_id, r.project_id) not in shown
    ]
    bound = lag_bound(month, lag_threshold())
    lines = tuple(
        ProjectLine(
            r.name,
            float(r.ytd_invested),
            float(r.annual_plan),
            float(Decimal(r.ytd_invested) / r.annual_plan),
            bool(lags_below(r.ytd_invested, r.annual_plan, bound)),
        )
        for r in (*ahead, *behind)
    )
    return month, lines, (int(count), float(Decimal(ytd) / Decimal(plan)) if plan else None)


@built
def _project_ends(ids: tuple[int, ...], year: int, month: int) -> tuple[Any, Any, Any]:
    """The month's projects with a plan summed, and the SHOWN_PROJECTS furthest ahead and behind."""
    pp = ProjectProgress.__table__.c
    mine = (among(pp.unit_id, ids), pp.year == year, pp.month == month, pp.annual_plan != 0)
    rate = sql_cast(pp.ytd_invested, Float) / sql_cast(pp.annual_plan, Float)

    def end(ahead: bool) -> Any:
        order = (
            (rate.desc(), pp.unit_id, pp.project_id)
            if ahead
            else (rate, pp.unit_id.desc(), pp.project_id.desc())
        )
        return (
            select(pp.unit_id, pp.project_id, Project.name, pp.ytd_invested, pp.annual_plan)
            .join(Project, Project.id == pp.project_id)
            .where(*mine)
            .order_by(*order)
            .limit(SHOWN_PROJECTS)
        )

    summed = select(func.count(), func.sum(pp.ytd_invested), func.sum(pp.annual_plan)).where(*mine)
    return summed, end(True), end(False)


def _request_counts(detail: list[tuple[str, int, str, int]]) -> tuple[int, int, dict[str, int]]:
    """Counts only: how many requests arrived and how they were answered (no names, no summaries)."""
    received = sum(n for dim, _ym, _item, n in detail if dim == "rr")
    replies = dict.fromkeys(OLD_REPLIES, 0)
    for dim, _ym, outcome, n in detail:
        kind = old_reply(outcome) if dim == "ra" else None
        if kind:
            replies[kind] += n
    return received, sum(replies.values()), replies


def _boards(session: Session, ids: list[int]) -> tuple[BoardLine, ...]:
    """Each board's last update (the latest recorded that day when several), one line a board name."""
    seen: dict[str, BoardLine] = {}
    for name, day, kind in session.connection().execute(_board_lasts(tuple(ids))).all():
        seen.setdefault(name, BoardLine(name, day, kind))
    return tuple(seen.values())


@built
def _board_lasts(ids: tuple[int, ...]) -> Any:
    u = BoardUpdate.__table__.alias("u")
    latest = (
        select(u.c.id)
        .where(u.c.board_id == Board.id)
        .order_by(u.c.update_date.desc(), u.c.id.desc())
        .limit(1)
        .correlate(Board)
        .scalar_subquery()
    )
    return (
        select(Board.name, BoardUpdate.update_date, BoardUpdate.kind)
        .outerjoin(BoardUpdate, BoardUpdate.id == latest)
        .where(among(Board.unit_id, ids))
        .order_by(Board.id)
    )


def _deliveries(session: Session, ids: list[int], year: int) -> dict[str, int]:
    rows = dict(session.connection().execute(_delivered(tuple(ids), year)).all())
    return {"archive": int(rows.get("archive") or 0), "library": int(rows.get("library") or 0)}


@built
def _delivered(ids: tuple[int, ...], year: int) -> Any:
    d = Delivery.__table__.c
    return (
        select(d.recipient, func.sum(d.item_count))
        .where(among(d.unit_id, ids), d.period_ym.between(year * 100 + 1, year * 100 + 12))
        .group_by(d.recipient)
    )


@dataclass(frozen=True)
class PlaylistEntry:
    """One slide of the screen's loop."""

    key: str
    seconds: int


def playlist(
    session: Session, unit_code: str, known: tuple[str, ...], default_seconds: int
) -> tuple[PlaylistEntry, ...]:
    """The unit's enabled slides in order; every known slide at the default length when none is set."""
    unit = unit_by_code(session, unit_code)
    rows: Sequence[Row[str, int, bool]] = []
    if unit is not None:
        rows = session.execute(
            select(ScreenSlide.slide_key, ScreenSlide.seconds, ScreenSlide.enabled)
            .where(ScreenSlide.unit_id == unit.id)
            .order_by(ScreenSlide.position)
        ).all()
    if not rows:
        return tuple(PlaylistEntry(key, default_seconds) for key in known)
    return tuple(PlaylistEntry(r.slide_key, r.seconds) for r in rows if r.enabled and r.slide_key in known)


def playlist_for_editing(
    session: Session, unit_code: str, known: tuple[str, ...], default_seconds: int
) -> list[tuple[str, int, bool]]:
    """Every known slide as (key, seconds, enabled): the stored order first, unlisted slides after."""
    unit = unit_by_code(session, unit_code)
    stored: Sequence[Row[str, int, bool]] = []
    if unit is not None:
        stored = session.execute(
            select(ScreenSlide.slide_key, ScreenSlide.seconds, ScreenSlide.enabled)
            .where(ScreenSlide.unit_id == unit.id)
            .order_by(ScreenSlide.position)
        ).all()
    rows = [(r.slide_key, r.seconds, bool(r.enabled)) for r in stored if r.slide_key in known]
    listed = {key for key, _s, _e in rows}
    return rows + [(key, default_seconds, not stored) for key in known if key not in listed]


def save_playlist(session: Session, unit_code: str, entries: list[tuple[str, int, bool]]) -> None:
    """Replace the unit's playlist with (key, seconds, enabled) in the given order."""
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise ValueError(f"未知单位代码：{unit_code}")
    for row in session.scalars(select(ScreenSlide).where(ScreenSlide.unit_id == unit.id)):
        session.delete(row)
    session.flush()
    for position, (key, seconds, enabled) in enumerate(entries):
        if not 3 <= seconds <= 600:
            raise ValueError(f"幻灯片 {key} 的播放时长应在 3–600 秒之间，实际为 {seconds}")
        session.add(
            ScreenSlide(unit_id=unit.id, slide_key=key, position=position, seconds=seconds, enabled=enabled)
        )
