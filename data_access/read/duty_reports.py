"""Duty reports: read the database with `select()` and apply the pure rules of data_access.rules.duties."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from data_access.rules.deadlines import (
    Deadline,
    DeadlineError,
    RequestStatus,
    deadline_for_request,
    request_status,
)
from data_access.rules.duties import (
    DONE_BY,
    DUTY_KINDS,
    BoardEvent,
    BoardStatus,
    DeliveryCheck,
    DeliveryMonth,
    DeliveryRecord,
    DeliveryTally,
    PublicationItem,
    TimelinessReport,
    board_status,
    check_deliveries,
    delivery_month,
    duty_periods,
    months_ended,
    tally_units,
    timeliness_report,
)
from data_access.rules.projects import ProjectFinding, ProjectMonth, _dec, project_findings
from data_access.rules.workdays import Calendar
from data_access.store import catalogue
from data_access.store.built import built, each_bound
from data_access.store.holidays import load_calendar
from data_access.store.id_lists import among
from data_access.store.models import (
    Board,
    BoardUpdate,
    Category,
    Delivery,
    DisclosureRequest,
    OrgUnit,
    Project,
    ProjectProgress,
    Publication,
    StatTally,
    ZeroReport,
)
from data_access.store.reference import UnitProfile, unit_profiles


def publication_timeliness_report(
    session: Session, year: int, unit_ids: list[int], calendar: Calendar | None = None
) -> TimelinessReport:
    """Timeliness of the units' proactive items published in a year (each against its catalogue
    item's 公开时限), by level-one category and unit."""
    rows = session.execute(
        select(
            Publication.formed_date,
            Publication.published_date,
            Category.id,
            OrgUnit.name,
            Publication.index_no,
            Publication.category_id,
        )
        .join(Category, Category.id == Publication.category_root_id)
        .join(OrgUnit, OrgUnit.id == Publication.unit_id)
        .where(
            among(Publication.unit_id, unit_ids),
            Publication.attribute == "proactive",
            Publication.published_year == year,
        )
        .order_by(Category.sort_order, Publication.published_date, Publication.id)
    ).all()
    names = catalogue.names_in_year(session, {row[2] for row in rows}, year)  # in force that year
    limits = catalogue.effective_limits(session)  # each item judged by its catalogue item's 公开时限
    items = [
        PublicationItem(formed, published, names[root], unit, index_no, limits.get(category))
        for formed, published, root, unit, index_no, category in rows
    ]
    return timeliness_report(items, calendar or load_calendar(session))


def delivery_reports(
    session: Session, unit_ids: list[int], year: int, today: dt.date, calendar: Calendar | None = None
) -> dict[int, list[DeliveryCheck]]:
    """Every ended month of the year, per unit that entered its deliveries for the year (a delivery
    record of a month of it, or a 零报告 of deliveries): delivery status per recipient against its
    publications. A unit that entered none is 未录入 for the year (data_access.rules.entered), not
    "未送交" twelve times. A few statements whatever the number of units; the month's items come
    from stat_tally."""
    return _DeliveryInputs.read(session, unit_ids, year, today, calendar).checks(today)


def delivery_tallies(
    session: Session, unit_ids: list[int], year: int, today: dt.date, calendar: Calendar | None = None
) -> dict[int, DeliveryTally]:
    """delivery_reports, with each unit's plainly on-time deliveries counted instead of checked
    (data_access.rules.duties.tally_units): what a city's overview needs of its 2,000."""
    inputs = _DeliveryInputs.read(session, unit_ids, year, today, calendar)
    names = {uid: inputs.profiles[uid].recipient_names for uid in inputs.uids}
    return tally_units(inputs.rows, inputs.counts, inputs.ended, inputs.uids, today, inputs.cal, names)


@dataclass(frozen=True)
class _DeliveryInputs:
    """What the year's deliveries are judged from: the rows and the month's proactive items per
    unit, the ended months' frames, and the units that entered deliveries with their profiles."""

    rows: Sequence[Any]  # (unit id, month, recipient, delivered, items) rows
    counts: dict[int, dict[int, int]]
    ended: list[DeliveryMonth]
    uids: list[int]
    profiles: dict[int, UnitProfile]
    cal: Calendar

    @classmethod
    def read(
        cls, session: Session, unit_ids: list[int], year: int, today: dt.date, calendar: Calendar | None
    ) -> _DeliveryInputs:
        conn = session.connection()
        reads = _delivery_reads(tuple(unit_ids), year)
        rows = conn.execute(reads.records).all()
        counts: dict[int, dict[int, int]] = defaultdict(dict)
        for uid, ym, n in conn.execute(reads.published).all():
            if n:
                counts[uid][ym] = int(n)
        cal = calendar or load_calendar(session)
        ended = [delivery_month(ym, cal) for ym in months_ended(year, today)]  # once for every unit
        zero = set(conn.scalars(reads.zero).all())
        uids = sorted({row[0] for row in rows} | zero)
        return cls(rows, counts, ended, uids, unit_profiles(session, uids), cal)

    def checks(self, today: dt.date) -> dict[int, list[DeliveryCheck]]:
        """Each unit's deliveries, every month and recipient checked (check_deliveries)."""
        records: dict[int, list[DeliveryRecord]] = defaultdict(list)
        for uid, period_ym, recipient, delivered, item_count in self.rows:
            records[uid].append(DeliveryRecord(period_ym, recipient, delivered, item_count))
        return {
            uid: check_deliveries(
                records.get(uid, []), self.counts.get(uid, {}), self.ended, today, self.cal,
                names=self.profiles[uid].recipient_names,
            )
            for uid in self.uids
        }  # fmt: skip


class _DeliveryReads(NamedTuple):
    records: Any  # the year's delivery rows
    published: Any  # the month's proactive items per unit
    zero: Any  # the units with a 零报告 of deliveries for the year


@built
def _delivery_reads(unit_ids: tuple[int, ...], year: int) -> _DeliveryReads:
    """What _DeliveryInputs reads, for these units and year. The month's proactive items come from
    dim 'pf' (full text or not: two items a month, where 'pc' has one per category; the same
    items, each counted once in either)."""
    lo, hi = year * 100 + 1, year * 100 + 12
    d, t, z = Delivery.__table__.c, StatTally.__table__.c, ZeroReport.__table__.c
    return _DeliveryReads(
        select(d.unit_id, d.period_ym, d.recipient, d.delivered_date, d.item_count).where(
            among(d.unit_id, unit_ids), d.period_ym.between(lo, hi)
        ),
        select(t.unit_id, t.ym, func.sum(t.n))
        .where(among(t.unit_id, unit_ids), t.dim == "pf", t.attribute == "proactive", t.ym.between(lo, hi))
        .group_by(t.unit_id, t.ym),
        select(z.unit_id).where(among(z.unit_id, unit_ids), z.kind == "deliveries", z.year == year),
    )


class BoardRow(NamedTuple):
    """A board as the duty reports read it."""

    id: int
    unit_id: int
    name: str
    location: str | None
    kind: str


def board_report(
    session: Session, unit_ids: list[int], today: dt.date, since: dt.date | None = None
) -> list[tuple[BoardRow, BoardStatus]]:
    """Each bulletin board of the units with its status (the LED screen owes no renewals and is left out).
    With `since`, duties are judged from then on and earlier updates are not read (a city holds
    ten years of them)."""
    boards, events, first = board_records(session, unit_ids, today, since)
    return [(b, board_status(events[b.id], today, since, first.get(b.unit_id, dt.date.max))) for b in boards]


def board_records(
    session: Session,
    unit_ids: list[int],
    today: dt.date,
    since: dt.date | None = None,
) -> tuple[list[BoardRow], dict[int, list[BoardEvent]], dict[int, dt.date]]:
    """What board_report judges: the boards (not the LED screen), their updates up to `today` (from
    `since` on) in date order, and each unit's first board update ever (before it, 未登记)."""
    b = Board.__table__.c
    listed = (
        select(b.id, b.unit_id, b.name, b.location, b.kind)
        .where(among(b.unit_id, unit_ids), b.kind != "led")
        .order_by(b.unit_id, b.id)
    )
    # plain rows: a city's 400 boards are only read, never changed
    boards = [BoardRow(*row) for row in session.connection().execute(listed).all()]
    events: dict[int, list[BoardEvent]] = defaultdict(list)
    first: dict[int, dt.date] = {}
    if boards:
        first = _first_updates(session, unit_ids)
        # The boards' updates by a join (not a list of a city's 400 board ids, which SQLAlchemy
        # would send as 400 parameters, each named and rendered anew at every view).
        query = (
            select(BoardUpdate.board_id, BoardUpdate.update_date, BoardUpdate.kind, BoardUpdate.note)
            .join(Board, Board.id == BoardUpdate.board_id)
            .where(among(Board.unit_id, unit_ids), Board.kind != "led", BoardUpdate.update_date <= today)
            .order_by(BoardUpdate.update_date, BoardUpdate.id)
        )
        if since is not None:
            query = query.where(BoardUpdate.update_date >= since)
        for board_id, day, kind, note in session.connection().execute(query).all():
            events[board_id].append(BoardEvent(day, kind, note))
    return boards, events, first


def _first_updates(session: Session, unit_ids: list[int]) -> dict[int, dt.date]:
    """Each unit's first board update ever, of any kind (before it, its boards are 未登记): each
    board's by one index seek, not by reading all its years of updates."""
    board_first = (
        select(func.min(BoardUpdate.update_date)).where(BoardUpdate.board_id == Board.id).scalar_subquery()
    )
    return {
        unit_id: day
        for unit_id, day in session.execute(
            select(Board.unit_id, func.min(board_first))
            .where(among(Board.unit_id, unit_ids), Board.kind != "led")
            .group_by(Board.unit_id)
        )
        if day is not None
    }


class BoardDone(NamedTuple):
    """A board and the periods whose duty it did ((kind, start) of rules.duties.duty_periods)."""

    id: int
    unit_id: int
    name: str
    done: frozenset[tuple[str, dt.date]]


def board_duty_periods(
    session: Session, unit_ids: list[int], since: dt.date, today: dt.date
) -> tuple[list[BoardDone], dict[int, dt.date]]:
    """The boards of the units (not the LED screen), each with the periods from `since` to `today`
    whose duty one of its updates did (rules.duties.done_periods, worked out by the database: one
    row a board, not a city's 1,700 updates of the year), and each unit's first board update ever."""
    periods = duty_periods(since, today)
    rows = session.connection().execute(_per_board(tuple(unit_ids), periods, since, today)).all()
    patterns: dict[tuple[int, ...], frozenset[tuple[str, dt.date]]] = {}  # a few among a city's boards
    boards: list[BoardDone] = []
    first: dict[int, dt.date] = {}
    for bid, uid, name, day, *flags in rows:
        key = tuple(flags)
        if key not in patterns:
            patterns[key] = frozenset((k, s) for (k, s, _e), f in zip(periods, key, strict=True) if f)
        boards.append(BoardDone(bid, uid, name, patterns[key]))
        if day is not None and day < first.get(uid, dt.date.max):
            first[uid] = day
    return boards, first


@built
def _per_board(
    unit_ids: tuple[int, ...],
    periods: tuple[tuple[str, dt.date, dt.date], ...],
    since: dt.date,
    today: dt.date,
) -> Any:
    """One row a board: id, unit, name, its first update ever, and per period whether its updates
    (joined) did the period's duty (1) or not (0)."""
    b, u, f = Board.__table__.c, BoardUpdate.__table__.c, BoardUpdate.__table__.alias("f").c
    first_start = min((start for _k, start, _e in periods), default=since)  # of the quarter holding `since`
    updates = and_(
        u.board_id == b.id, u.kind.in_(each_bound(DUTY_KINDS)), u.update_date.between(first_start, today)
    )
    first_ever = select(func.min(f.update_date)).where(f.board_id == b.id).scalar_subquery()  # one seek
    did = [
        func.max(
            case((and_(u.kind.in_(each_bound(DONE_BY[kind])), u.update_date.between(start, end)), 1), else_=0)
        )
        for kind, start, end in periods
    ]
    return (
        select(b.id, b.unit_id, b.name, first_ever, *did)
        .select_from(Board.__table__.outerjoin(BoardUpdate.__table__, updates))
        .where(among(b.unit_id, unit_ids), b.kind != "led")
        .group_by(b.id, b.unit_id, b.name)
        .order_by(b.unit_id, b.id)
    )


def project_report(
    session: Session,
    year: int,
    unit_ids: list[int],
    month: int | None = None,
    threshold_pp: Decimal | None = None,
) -> dict[str, list[ProjectFinding]]:
    """Lagging and reconciliation findings for the units' key projects of a year (key: project name)."""
    rows = session.execute(
        select(
            Project.name,
            OrgUnit.name,
            ProjectProgress.month,
            ProjectProgress.month_invested,
            ProjectProgress.ytd_invested,
            ProjectProgress.annual_plan,
        )
        .join(Project, Project.id == ProjectProgress.project_id)
        .join(OrgUnit, OrgUnit.id == ProjectProgress.unit_id)
        .where(among(ProjectProgress.unit_id, unit_ids), ProjectProgress.year == year)
        .order_by(Project.seq, ProjectProgress.month)
    ).all()
    several = len({unit for _, unit, *_ in rows}) > 1
    lines = [
        ProjectMonth(f"{unit}·{name}" if several else name, m, Decimal(mi), Decimal(ytd), _dec(plan))
        for name, unit, m, mi, ytd, plan in rows
    ]
    return project_findings(lines, threshold_pp, month)


def request_report(
    session: Session, unit_ids: list[int], today: dt.date, calendar: Calendar | None = None
) -> list[tuple[DisclosureRequest, Deadline | None, RequestStatus]]:
    """Every request of the units with its deadline and status on `today` (bad data: status 'invalid')."""
    cal = calendar or load_calendar(session)
    requests = session.scalars(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses))
        .where(among(DisclosureRequest.unit_id, unit_ids))
        .order_by(DisclosureRequest.received_date, DisclosureRequest.id)
    ).all()
    out: list[tuple[DisclosureRequest, Deadline | None, RequestStatus]] = []
    for req in requests:
        try:
            deadline = deadline_for_request(req, cal)
        except DeadlineError as exc:
            out.append((req, None, RequestStatus("invalid", f"无法计算期限：{exc}", None)))
            continue
        out.append((req, deadline, request_status(deadline, today, req.reply_date, cal)))
    return out
