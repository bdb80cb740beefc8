"""依申请公开: statistics for a year, the open requests with their deadlines, appeals, and the
year's answered requests a page at a time.

Applicants' names, contacts and request summaries are returned only for units in
`personal_ids` (staff and admin of the unit); for everyone else those fields are None.

A city holds tens of thousands of requests a year: the statistics judge each distinct
(received day, channel, extension, reply day) once instead of each request, and load whole
rows only for the open requests, the requests with pauses, and one page of answered ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, literal, select
from sqlalchemy.orm import Session

from data_access.deadlines import (
    CHANNEL_RECEIPT,
    Deadline,
    DeadlineError,
    Pause,
    compute_deadline,
    effective_due,
    request_status,
)
from data_access.models import APPLICANT_TYPES, REQUEST_CHANNELS, Appeal, DisclosureRequest, RequestPause
from data_access.vocab import OLD_REPLIES, OUTCOMES_2021, old_reply
from data_access.workdays import Calendar, load_calendar

APPEAL_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼", "complaint": "申诉举报"}
OPEN_CODES = ("in_progress", "due_soon", "overdue", "awaiting_correction", "third_party", "invalid")


@dataclass(frozen=True)
class RequestLine:
    """One request as the page shows it; personal fields None unless the viewer may see them."""

    request_no: str
    unit_id: int
    received: dt.date
    channel: str
    applicant_type: str
    reply_date: dt.date | None
    outcome: str | None
    status: str  # a data_access.deadlines.STATUS_LABELS code, or 'invalid'
    status_label: str
    due: dt.date | None
    days_left: int | None
    days_late: int | None
    explanation: tuple[str, ...]  # filled by `explain` only: lists leave it empty
    applicant_name: str | None = None
    applicant_contact: str | None = None
    summary: str | None = None


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

    @property
    def on_time_rate(self) -> float | None:
        """Answered on time ÷ answered in the year (None when none was answered)."""
        return round(self.answered_on_time / self.answered, 4) if self.answered else None

    @property
    def overdue(self) -> int:
        """Open requests past their due date."""
        return sum(1 for r in self.open if r.status == "overdue")


_R = DisclosureRequest.__table__.c
_LINE_COLUMNS = (
    _R.id, _R.request_no, _R.unit_id, _R.received_date, _R.channel, _R.applicant_type, _R.reply_date,
    _R.outcome, _R.extension_approved, _R.extension_days, _R.applicant_name, _R.applicant_contact, _R.summary,
)  # fmt: skip
_HAS_PAUSE = exists().where(RequestPause.request_id == _R.id)


class _Deadlines:
    """Deadlines of requests judged on one day with one calendar, each distinct request shape once."""

    def __init__(self, session: Session, today: dt.date, cal: Calendar | None = None) -> None:
        self.today = today
        self.cal = cal or load_calendar(session)
        self._memo: dict[tuple, tuple[Deadline | None, str | None]] = {}

    def deadline(self, row: Any, pauses: tuple[Pause, ...]) -> tuple[Deadline | None, str | None]:
        """The request's deadline, or None and the reason it cannot be worked out."""
        key = (
            row.received_date,
            row.channel,
            bool(row.extension_approved),
            int(row.extension_days or 0),
            pauses,
        )
        found = self._memo.get(key)
        if found is None:
            try:
                found = (compute_deadline(key[0], channel=key[1], pauses=pauses, extension_approved=key[2],
                                          extension_days=key[3], calendar=self.cal), None)  # fmt: skip
            except DeadlineError as exc:
                found = (None, str(exc))
            self._memo[key] = found
        return found

    def line(self, row: Any, pauses: tuple[Pause, ...], personal: bool, explain: bool = False) -> RequestLine:
        """One request as the page shows it; the working-out of its due date only when `explain`."""
        deadline, error = self.deadline(row, pauses)
        if deadline is None:
            status, label, due, left, late, why = "invalid", f"无法计算期限：{error}", None, None, None, ()
        else:
            st = request_status(deadline, self.today, row.reply_date, self.cal)
            status, label, due = st.code, st.label, st.due
            left, late = st.working_days_left, st.working_days_late
            why = tuple(deadline.explanation()) if explain else ()
        return RequestLine(
            request_no=row.request_no,
            unit_id=row.unit_id,
            received=row.received_date,
            channel=row.channel,
            applicant_type=row.applicant_type,
            reply_date=row.reply_date,
            outcome=row.outcome,
            status=status,
            status_label=label,
            due=due,
            days_left=left,
            days_late=late,
            explanation=why,
            applicant_name=row.applicant_name if personal else None,
            applicant_contact=row.applicant_contact if personal else None,
            summary=row.summary if personal else None,
        )


def _pauses(session: Session, request_ids: list[int]) -> dict[int, tuple[Pause, ...]]:
    """The pauses of the given requests, by request id."""
    found: dict[int, list[Pause]] = defaultdict(list)
    for start in range(0, len(request_ids), 500):
        rows = session.execute(
            select(RequestPause.request_id, RequestPause.kind, RequestPause.start_date, RequestPause.end_date)
            .where(RequestPause.request_id.in_(request_ids[start : start + 500]))
            .order_by(RequestPause.request_id, RequestPause.start_date, RequestPause.id)
        )
        for rid, kind, begin, end in rows:
            found[rid].append(Pause(kind, begin, end))
    return {rid: tuple(p) for rid, p in found.items()}


def _lines(
    session: Session,
    where: tuple,
    personal_ids: tuple[int, ...],
    judge: _Deadlines,
    order: tuple,
    offset: int = 0,
    limit: int | None = None,
) -> list[RequestLine]:
    query = select(*_LINE_COLUMNS).where(*where).order_by(*order).offset(offset)
    rows = session.execute(query.limit(limit) if limit is not None else query).all()
    pauses = _pauses(session, [r.id for r in rows])
    return [judge.line(r, pauses.get(r.id, ()), r.unit_id in personal_ids) for r in rows]


def _answered_in(ids: tuple[int, ...], year: int, today: dt.date) -> tuple:
    return (
        _R.unit_id.in_(ids),
        _R.reply_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        _R.received_date <= today,
    )


def on_time_by_unit(
    session: Session,
    ids: tuple[int, ...],
    year: int,
    today: dt.date,
    cal: Calendar | None = None,
    by_unit: bool = True,
) -> dict[int | None, tuple[int, int]]:
    """unit id (None for all, when not `by_unit`) → (answered in the year, answered on time).

    Each distinct (received day, channel, extension, reply day) is judged once; requests
    with corrections or third-party pauses are judged one by one."""
    judge = _Deadlines(session, today, cal)
    found: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    unit = _R.unit_id if by_unit else literal(None).label("unit_id")
    shape = (_R.received_date, _R.channel, _R.extension_approved, _R.extension_days, _R.reply_date)
    plain = session.execute(
        select(unit, *shape, func.count())
        .where(*_answered_in(ids, year, today), ~_HAS_PAUSE)
        .group_by(*((_R.unit_id,) if by_unit else ()), *shape)
    )
    dues: dict[tuple, dt.date] = {}
    for uid, received, channel, approved, days, reply, n in plain:
        counter = found[uid]
        counter[0] += n
        if channel is not None and channel not in CHANNEL_RECEIPT:
            continue  # no deadline can be worked out: never counted as on time
        key = (received, bool(approved), int(days or 0))
        due = dues.get(key)
        if due is None:
            due = dues[key] = effective_due(received, key[1], key[2], judge.cal)
        counter[1] += n if reply <= due else 0
    paused = session.execute(select(*_LINE_COLUMNS).where(*_answered_in(ids, year, today), _HAS_PAUSE)).all()
    pauses = _pauses(session, [r.id for r in paused])
    for r in paused:
        counter = found[r.unit_id if by_unit else None]
        counter[0] += 1
        deadline, _error = judge.deadline(r, pauses.get(r.id, ()))
        if deadline is not None:
            due = deadline.effective_due
            counter[1] += due is None or r.reply_date <= due
    return {uid: (answered, on_time) for uid, (answered, on_time) in found.items()}


def stats(
    session: Session, ids: tuple[int, ...], personal_ids: tuple[int, ...], year: int, today: dt.date
) -> RequestStats:
    """The year's request figures and every open request of the units, judged on `today`."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    mine = DisclosureRequest.unit_id.in_(ids)
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
    judge = _Deadlines(session, today)
    still_open = (mine, _R.reply_date.is_(None), _R.received_date <= today)
    unanswered = sorted(
        _lines(session, still_open, personal_ids, judge, (_R.received_date, _R.id)),
        key=lambda ln: (ln.due or dt.date.max, ln.received),
    )
    on_time = on_time_by_unit(session, ids, year, today, judge.cal, by_unit=False)
    appeals = session.execute(
        select(
            Appeal.kind, Appeal.filed_date, DisclosureRequest.request_no, Appeal.result, Appeal.closed_date
        )
        .outerjoin(DisclosureRequest, DisclosureRequest.id == Appeal.request_id)
        .where(Appeal.unit_id.in_(ids), Appeal.filed_year == year)
        .order_by(Appeal.filed_date, Appeal.id)
    ).all()
    return RequestStats(
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
    query = select(func.count()).select_from(DisclosureRequest).where(*_answered_in(ids, year, today))
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
    judge = _Deadlines(session, today)
    return _lines(session, _answered_in(ids, year, today), personal_ids, judge, order, offset, limit)


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
        select(*_LINE_COLUMNS).where(_R.unit_id == unit_id, _R.request_no == request_no)
    ).first()
    if row is None:
        return None
    judge = _Deadlines(session, today)
    return judge.line(
        row, _pauses(session, [row.id]).get(row.id, ()), row.unit_id in personal_ids, explain=True
    )
