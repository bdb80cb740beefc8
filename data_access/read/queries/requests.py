"""依申请公开: statistics for a year, the open requests with their deadlines, appeals, and the
year's answered requests a page at a time.

Applicants' names, contacts and request summaries are returned only for units in
`personal_ids` (staff and admin of the unit); for everyone else those fields are None.

A city holds tens of thousands of requests a year: the statistics judge each distinct
(received day, channel, extension, reply day) once instead of each request, and load whole
rows only for the open requests, the requests with pauses, and one page of answered ones
(each judged as a `RequestLine` by module `request_lines`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal_column, not_, or_, select
from sqlalchemy.orm import Session

from data_access.read.queries.request_lines import (
    LINE_COLUMNS,
    Deadlines,
    RequestLine,
    lines_of,
    load_lines,
    request_pauses,
    with_parts,
)
from data_access.rules.deadlines import (
    CHANNEL_RECEIPT,
    DUE_SOON_WORKDAYS,
    DeadlineError,
    Pause,
    compute_deadline,
    paused_effective_due,
)
from data_access.rules.vocab import (
    APPLICANT_TYPES,
    COMPLAINT_SOURCES,
    OLD_REPLIES,
    OUTCOMES_2021,
    REQUEST_CHANNELS,
    old_reply,
)
from data_access.rules.workdays import Calendar
from data_access.store import publication_due, tally
from data_access.store.built import built, each_bound
from data_access.store.holidays import load_calendar
from data_access.store.id_lists import among
from data_access.store.models import Appeal, DisclosureRequest, RequestPause, StatTally, WorkdayCount

__all__ = [
    "APPEAL_LABELS",
    "OPEN_CODES",
    "OpenFigures",
    "RequestLine",
    "RequestStats",
    "answered",
    "answered_count",
    "explain",
    "on_time_by_unit",
    "open_figures",
    "stats",
]

APPEAL_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼", "complaint": "申诉举报"}
OPEN_CODES = ("in_progress", "due_soon", "overdue", "awaiting_correction", "third_party", "invalid")


@dataclass(frozen=True)
class RequestStats:
    """A year's requests: received by channel and applicant, replies by outcome, timeliness, open ones."""

    year: int
    received: int
    by_channel: tuple[tuple[str, int], ...]
    by_applicant: tuple[tuple[str, int], ...]
    answered: int
    by_old_reply: tuple[tuple[str, int], ...]
    by_outcome: tuple[tuple[str, int], ...]  # the 2021 outcome (group-item), as stored
    answered_on_time: int
    open: tuple[RequestLine, ...]  # every unanswered request, soonest due first
    appeals: tuple[tuple[str, dt.date, str | None, str | None, dt.date | None], ...]
    # The year's complaints (申诉举报) by source, in COMPLAINT_SOURCES order (未注明: none given).
    complaints_by_source: tuple[tuple[str, int], ...] = ()

    @property
    def on_time_rate(self) -> float | None:
        """Answered on time ÷ answered in the year (None when none was answered)."""
        return round(self.answered_on_time / self.answered, 4) if self.answered else None

    @property
    def overdue(self) -> int:
        """Open requests past their due date."""
        return sum(1 for r in self.open if r.status == "overdue")


_R = DisclosureRequest.__table__.c


def _answered_in(ids: tuple[int, ...], year: int) -> tuple[ColumnElement[bool], ...]:
    return (among(_R.unit_id, ids), _R.reply_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))


def _outside_table() -> Any:
    first, last = publication_due.FIRST, publication_due.LAST
    return or_(_R.received_date.is_(None), _R.received_date < first, _R.received_date > last,
               _R.reply_date < first, _R.reply_date > last)  # fmt: skip


def on_time_by_unit(
    session: Session,
    ids: tuple[int, ...],
    year: int,
    today: dt.date,
    cal: Calendar | None = None,
    by_unit: bool = True,
) -> dict[int | None, tuple[int, int]]:
    """unit id (None for all, when not `by_unit`) → (answered in the year, answered on time).

    Read from the running counts (dim 'rt', judged in the database against workday_count),
    then corrected for the few requests the counts judge without their pauses (corrections,
    third-party consultations) or could not judge (days outside the table)."""
    ids = tuple(ids)
    counted: Sequence[Any]
    if by_unit:
        counted = session.execute(_counted_on_time(ids, year)).all()
    else:  # all together: a city reads its roll-up's few rows, not each unit's
        summed = tally.sums(session, list(ids), ("rt",), ("",), year * 100 + 1, year * 100 + 12)
        counted = [(None, item, n) for (_dim, item), n in summed.items()]
    found: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    unjudged = False
    for uid, item, n in counted:
        counter = found[uid if by_unit else None]
        counter[0] += int(n)
        counter[1] += int(n) if item == "1" else 0
        unjudged = unjudged or (item == "?" and n > 0)
    odd = set()
    # One row per pause that may change the count: a request with one pause the database could judge
    # is corrected here; the others (several pauses, or one it could not judge) are judged in Python below.
    for rid, of_request in groupby(session.execute(_paused(ids, year)).all(), key=lambda row: row[1]):
        each = list(of_request)
        uid, _rid, change = each[0]
        if len(each) == 1 and change is not None:
            found[uid if by_unit else None][1] += int(change)
        else:
            odd.add(rid)
    cal = cal or load_calendar(session)
    pause = RequestPause.__table__.alias("pause")
    p = pause.c
    rows: list[Any] = []
    for chunk in _chunks(sorted(odd | _odd_requests(session, ids, year, unjudged)), 5000):
        rows += session.execute(  # each odd request once per pause (or once, without), with the flag it was counted with
            select(_R.id, _R.unit_id, _R.received_date, _R.channel, _R.reply_date, _R.extension_approved,
                   _R.extension_days, _R.extension_approved_on,
                   literal_column(tally.answered_flag("disclosure_request")).label("counted"), p.kind, p.start_date, p.end_date)
            .select_from(DisclosureRequest.__table__.outerjoin(pause, p.request_id == _R.id))
            .where(_R.id.in_(chunk))
            .order_by(_R.id, p.start_date, p.id)
        ).all()  # fmt: skip
    for _rid, group in groupby(rows, key=lambda row: row.id):
        lines = list(group)
        r = lines[0]
        pauses = tuple(Pause(x.kind, x.start_date, x.end_date) for x in lines if x.kind is not None)
        try:
            if r.extension_approved_on is not None:
                due = compute_deadline(
                    r.received_date,
                    channel=r.channel,
                    pauses=pauses,
                    extension_approved=bool(r.extension_approved),
                    extension_days=int(r.extension_days or 0),
                    extension_approved_on=r.extension_approved_on,
                    calendar=cal,
                ).effective_due
            else:
                due = paused_effective_due(r.received_date, r.channel, pauses, bool(r.extension_approved),
                                           int(r.extension_days or 0), cal)  # fmt: skip
            really = due is None or r.reply_date <= due
        except (DeadlineError, TypeError):  # no deadline can be worked out (TypeError: no received day)
            really = False
        counter = found[r.unit_id if by_unit else None]
        counter[1] += int(really) - int(r.counted == "1")
    return {uid: (answered, on_time) for uid, (answered, on_time) in found.items() if answered}


@built
def _counted_on_time(ids: tuple[int, ...], year: int) -> Any:
    """The running counts' answered requests of the year per unit, on time or not (dim 'rt')."""
    t = StatTally.__table__.c
    return (
        select(t.unit_id, t.item, func.sum(t.n))
        .where(
            among(t.unit_id, ids),
            t.dim == "rt",
            t.attribute == "",
            t.ym.between(year * 100 + 1, year * 100 + 12),
        )
        .group_by(t.unit_id, t.item)
    )


_P = RequestPause.__table__.c


def _single_pause() -> ColumnElement[bool]:
    """A pause (`_P`) the database can judge its request (`_R`) with when it is the request's only one:
    an ended correction or third-party consultation on or after the day received, a known channel, no
    extension approval date, and every day involved inside workday_count. Most paused requests have
    one such pause (the caller sees which have one pause only)."""
    first, last = publication_due.FIRST, publication_due.LAST
    return and_(
        _P.kind.in_(each_bound(("correction", "third_party"))),
        _P.end_date.is_not(None),
        _P.start_date >= _R.received_date,
        _P.end_date >= _P.start_date,
        _P.end_date <= last,
        _R.received_date >= first,
        _R.reply_date <= last,
        or_(_R.channel.is_(None), _R.channel.in_(each_bound(CHANNEL_RECEIPT))),
        _R.extension_approved_on.is_(None),
        func.coalesce(_R.extension_days, 0) >= 0,
    )


@built
def _paused(ids: tuple[int, ...], year: int) -> Any:
    """The pauses of the requests answered in the year that may change their count, one row (unit id,
    request id, change) a pause, by request: for a request whose only pause the database can judge
    (`_single_pause`), how many more times it is on time than the running counts say (1 or 0: they
    judged it without the pause, which can only have given it more time); None for a pause it cannot
    judge. A request with several pauses, or with one it cannot judge, is judged in Python by
    deadlines.paused_effective_due. (Seeing in Python which requests have one pause spares the
    database a test of every pause for another of the same request.) The paused requests are found
    by their flag (`paused`, kept by triggers) in a partial index of theirs, which holds what fixes
    their deadlines (migration 0027).

    The database judges a single-pause request against workday_count as paused_effective_due does: it
    is on time when fewer than its working days (limit plus extension) are counted from the day its
    clock starts to the day before the reply. After a correction the clock starts the day it ended; a
    third-party consultation's working days, from the day after receipt, do not count."""
    received, reply = (WorkdayCount.__table__.alias(n) for n in ("rc", "rp"))
    days = WorkdayCount.__table__.alias("wd")

    def count_of(day: Any, column: str) -> Any:  # a pause day's count, looked up only where asked for
        return select(days.c[column]).where(days.c.day == day).scalar_subquery()

    def smaller(a: Any, b: Any) -> Any:
        return case((a < b, a), else_=b)

    def larger(a: Any, b: Any) -> Any:
        return case((a > b, a), else_=b)

    end_through = count_of(_P.end_date, "through_n")
    paused = larger(
        smaller(end_through, reply.c.before_n)
        - larger(count_of(_P.start_date, "before_n"), received.c.through_n),
        0,
    )
    counted = case(
        (_P.kind == "correction", reply.c.before_n - end_through),
        else_=reply.c.before_n - received.c.through_n - paused,
    )
    limit: Any = literal_column(tally.request_limit("disclosure_request"))
    # What the running counts said (tally.answered_flag '1'), from the days already joined: where
    # `simple` holds (a known channel) it is '1' exactly when fewer than the limit's working days lie
    # between receipt and reply; a day outside workday_count ('?') joins no count and is not '1'.
    # A pause that `simple` admits only takes working days out of that span, so a request the counts
    # found on time stays on time (change 0) and only the others look up their pause's days (118 of a
    # city's 4,092 paused requests at 5M).
    on_time_before = reply.c.before_n - received.c.through_n < limit
    change = case((on_time_before, 0), (counted < limit, 1), else_=0)
    simple = _single_pause()
    joined = (
        RequestPause.__table__.join(DisclosureRequest.__table__, _P.request_id == _R.id)
        .outerjoin(received, received.c.day == _R.received_date)
        .outerjoin(reply, reply.c.day == _R.reply_date)
    )
    # Left out: the pauses that change nothing, admitted pauses of a request found on time. Each
    # request keeps all its rows (found late) or only those of pauses it was not admitted with
    # (found on time), which send it to Python with all its pauses.
    changes = case((and_(simple, on_time_before), False), else_=True)
    return (
        select(_R.unit_id, _R.id, case((simple, change), else_=None))
        .select_from(joined)
        .where(_R.paused, *_answered_in(ids, year), changes)
        .order_by(_R.id)
    )


def _odd_requests(session: Session, ids: tuple[int, ...], year: int, unjudged: bool) -> set[int]:
    """The requests answered in the year, beside those with pauses (`_paused`), that the running
    counts judged without all they depend on: those whose extension has an approval date (one
    approved late does not count), and, when the counts say some could not be judged, those dated
    outside the working-day table."""
    found = set(session.scalars(_odd(ids, year, "dated")).all())
    if unjudged:
        found |= set(session.scalars(_odd(ids, year, "outside")).all())
    return found


@built
def _odd(ids: tuple[int, ...], year: int, which: str) -> Any:
    """The ids of the requests answered in the year with an extension approval date ('dated'), or
    dated outside the working-day table ('outside')."""
    odd = _R.extension_approved_on.is_not(None) if which == "dated" else _outside_table()
    return select(_R.id).where(*_answered_in(ids, year), odd)


def _chunks(values: list[int], size: int) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


@dataclass(frozen=True)
class OpenFigures:
    """The unanswered requests of some units on a day: how many, how many overdue or due soon,
    and the first of those (soonest due first) as lines."""

    open: int
    overdue: int
    due_soon: int
    first: tuple[RequestLine, ...]


def open_figures(
    session: Session, ids: tuple[int, ...], today: dt.date, first: int, received_by: dt.date | None = None
) -> OpenFigures:
    """Counts of the open requests (received by `received_by` when given: a view of a past year
    leaves out the requests received after it) and the first `first` overdue or due-soon ones, without
    loading every open request: the due date of a plain request (no pauses, a known channel,
    received inside workday_count) is its received day's working-day count plus its limit,
    compared in the database with today's; the others (few) are judged in Python: the paused ones,
    found in their own index, and, when the count says there are any, the odd ones."""
    last = today if received_by is None else min(today, received_by)
    w = WorkdayCount.__table__.c
    now = session.execute(select(w.before_n, w.through_n).where(w.day == today)).first()
    judge = Deadlines(session, today)
    lines: list[RequestLine] = []
    open_n = overdue = soon = 0
    statements = _open_statements(tuple(ids), last, None if now is None else now.before_n, first)
    if statements.counted is not None:
        counted = session.execute(statements.counted).one()
        open_n, overdue, soon, odd = (int(x or 0) for x in counted)
        if first and overdue + soon:
            lines = [judge.line(r, (), False) for r in session.execute(statements.first).all()]
        rest = lines_of(session, statements.paused, (), judge)
        if odd:
            rest += lines_of(session, statements.odd, (), judge)
    else:
        rest = lines_of(session, statements.odd, (), judge)
    open_n += len(rest)
    for ln in rest:
        overdue += ln.status == "overdue"
        soon += ln.status == "due_soon"
        if ln.status in ("overdue", "due_soon"):
            lines.append(ln)
    lines.sort(key=lambda ln: (ln.due or dt.date.max, ln.received))
    return OpenFigures(open_n, overdue, soon, tuple(lines[:first]))


@dataclass(frozen=True)
class _OpenStatements:
    """open_figures' statements: the open requests without pauses counted, with how many of them are
    odd (None when today lies outside workday_count, and every open request is judged in Python);
    the first `first` plain ones overdue or due soon; the paused ones' lines; the odd ones' lines (a
    channel no deadline can be worked out for, an extension approval date, received outside
    workday_count: all open requests when `counted` is None)."""

    counted: Any
    first: Any
    paused: Any
    odd: Any


@built
def _open_statements(
    ids: tuple[int, ...], last: dt.date, before_n: int | None, first: int
) -> _OpenStatements:
    still_open = (among(_R.unit_id, ids), _R.reply_date.is_(None), _R.received_date <= last)
    by_received = (_R.received_date, _R.id)
    if before_n is None:  # today outside the table: judge everything in Python
        every = select(*LINE_COLUMNS).where(*still_open).order_by(*by_received)
        return _OpenStatements(None, None, None, every)
    valid = or_(_R.channel.is_(None), _R.channel.in_(each_bound(CHANNEL_RECEIPT)))
    known = and_(valid, _R.received_date >= publication_due.FIRST, _R.extension_approved_on.is_(None))
    # Working days left, today counted: through(due) − before(today), due = through(received) + limit.
    due_n = WorkdayCount.through_n + literal_column(tally.request_limit("disclosure_request"))
    left = due_n - before_n
    plain = and_(known, WorkdayCount.day.is_not(None))  # inside the table: its day's count joined
    counted = (
        select(
            func.sum(case((plain, 1), else_=0)),
            func.sum(case((and_(plain, left <= 0), 1), else_=0)),
            func.sum(case((and_(plain, left.between(1, DUE_SOON_WORKDAYS)), 1), else_=0)),
            func.sum(case((plain, 0), else_=1)),
        )
        .select_from(DisclosureRequest)
        .outerjoin(WorkdayCount, WorkdayCount.day == _R.received_date)
        .where(*still_open, not_(_R.paused))
    )
    first_rows = (
        select(*LINE_COLUMNS)
        .join(WorkdayCount, WorkdayCount.day == _R.received_date)
        .where(*still_open, not_(_R.paused), known, left <= DUE_SOON_WORKDAYS)
        .order_by(due_n, _R.received_date, _R.id)
        .limit(first)
    )
    odd = or_(not_(known), ~exists().where(WorkdayCount.day == _R.received_date))
    return _OpenStatements(
        counted,
        first_rows,
        select(*LINE_COLUMNS).where(*still_open, _R.paused).order_by(*by_received),
        select(*LINE_COLUMNS).where(*still_open, not_(_R.paused), odd).order_by(*by_received),
    )


def stats(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], year: int, today: dt.date
) -> RequestStats:
    """The year's request figures and every open request of the units, judged on `today`."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    mine = among(DisclosureRequest.unit_id, ids)
    channel = dict(
        session.execute(
            select(DisclosureRequest.channel, func.count())
            .where(mine, DisclosureRequest.received_year == year)
            .group_by(DisclosureRequest.channel)
        ).all()
    )
    applicant = dict(
        session.execute(
            select(DisclosureRequest.applicant_type, func.count())
            .where(mine, DisclosureRequest.received_year == year)
            .group_by(DisclosureRequest.applicant_type)
        ).all()
    )
    outcomes = dict(
        session.execute(
            select(DisclosureRequest.outcome, func.count())
            .where(mine, DisclosureRequest.reply_date.between(start, end))
            .group_by(DisclosureRequest.outcome)
        ).all()
    )
    old = dict.fromkeys(OLD_REPLIES, 0)
    for outcome, n in outcomes.items():
        old[old_reply(outcome) or "其他"] += n
    order = [g for g, items in OUTCOMES_2021 for g in ([g] if not items else [f"{g}-{i}" for i in items])]
    judge = Deadlines(session, today)
    still_open = (mine, _R.reply_date.is_(None), _R.received_date <= today)
    unanswered = sorted(
        load_lines(session, still_open, personal_ids, judge, (_R.received_date, _R.id)),
        key=lambda ln: (ln.due or dt.date.max, ln.received),
    )
    on_time = on_time_by_unit(session, ids, year, today, judge.cal, by_unit=False)
    appeals = session.execute(
        select(
            Appeal.kind, Appeal.filed_date, DisclosureRequest.request_no, Appeal.result, Appeal.closed_date
        )
        .outerjoin(DisclosureRequest, DisclosureRequest.id == Appeal.request_id)
        .where(among(Appeal.unit_id, ids), Appeal.filed_year == year)
        .order_by(Appeal.filed_date, Appeal.id)
    ).all()
    sources = dict(
        session.execute(
            select(Appeal.source, func.count())
            .where(among(Appeal.unit_id, ids), Appeal.filed_year == year, Appeal.kind == "complaint")
            .group_by(Appeal.source)
        ).all()
    )
    return RequestStats(
        complaints_by_source=tuple(
            (code or "未注明", int(sources[code])) for code in (*COMPLAINT_SOURCES, None) if sources.get(code)
        ),
        year=year,
        received=sum(channel.values()),
        by_channel=tuple((c, channel.get(c, 0)) for c in REQUEST_CHANNELS),
        by_applicant=tuple((a, applicant.get(a, 0)) for a in APPLICANT_TYPES),
        answered=sum(outcomes.values()),
        by_old_reply=tuple(old.items()),
        by_outcome=tuple(
            sorted(
                ((o or "未录入办理结果", n) for o, n in outcomes.items()),
                key=lambda p: order.index(p[0]) if p[0] in order else len(order),
            )
        ),
        answered_on_time=sum(t for _a, t in on_time.values()),
        open=tuple(unanswered),
        appeals=tuple(
            (APPEAL_LABELS.get(k, k), filed, no, result, closed) for k, filed, no, result, closed in appeals
        ),
    )


def answered_count(session: Session, ids: tuple[int, ...], year: int, today: dt.date) -> int:
    """How many requests of the units were answered in the year (received by `today`)."""
    query = select(func.count()).select_from(DisclosureRequest).where(*_answered_in(ids, year))
    return int(session.scalar(query) or 0)


def answered(
    session: Session,
    ids: tuple[int, ...],
    personal_ids: tuple[int, ...],
    year: int,
    today: dt.date,
    offset: int = 0,
    limit: int | None = None,
) -> list[RequestLine]:
    """The requests answered in the year, by reply date then received date: a page, or all (limit None)."""
    order = (_R.reply_date, _R.received_date, _R.id)
    judge = Deadlines(session, today)
    return load_lines(session, _answered_in(ids, year), personal_ids, judge, order, offset, limit)


def explain(
    session: Session,
    ids: tuple[int, ...],
    personal_ids: tuple[int, ...],
    unit_id: int,
    request_no: str,
    today: dt.date,
) -> RequestLine | None:
    """One request with the working-out of its due date (None unless its unit is among `ids`)."""
    if unit_id not in ids:
        return None
    row = session.execute(
        select(*LINE_COLUMNS).where(_R.unit_id == unit_id, _R.request_no == request_no)
    ).first()
    if row is None:
        return None
    judge = Deadlines(session, today)
    line = judge.line(
        row, request_pauses(session, [row.id]).get(row.id, ()), row.unit_id in personal_ids, explain=True
    )
    return with_parts(session, [row], [line])[0]
