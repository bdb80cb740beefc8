"""依申请公开: statistics for a year, the open requests with their deadlines, appeals.

Applicants' names, contacts and request summaries are returned only for units in
`personal_ids` (staff and admin of the unit); for everyone else those fields are None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from data_access.deadlines import DeadlineError, deadline_for_request, request_status
from data_access.models import APPLICANT_TYPES, REQUEST_CHANNELS, Appeal, DisclosureRequest
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
    explanation: tuple[str, ...]
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
    answered_lines: tuple[RequestLine, ...]  # answered in the year
    appeals: tuple[tuple[str, dt.date, str | None, str | None, dt.date | None], ...]

    @property
    def on_time_rate(self) -> float | None:
        """Answered on time ÷ answered in the year (None when none was answered)."""
        return round(self.answered_on_time / self.answered, 4) if self.answered else None

    @property
    def overdue(self) -> int:
        """Open requests past their due date."""
        return sum(1 for r in self.open if r.status == "overdue")


def _line(req: DisclosureRequest, personal: bool, today: dt.date, cal: Calendar) -> RequestLine:
    try:
        deadline = deadline_for_request(req, cal)
    except DeadlineError as exc:
        status, label, due, left, late, why = "invalid", f"无法计算期限：{exc}", None, None, None, ()
    else:
        st = request_status(deadline, today, req.reply_date, cal)
        status, label, due = st.code, st.label, st.due
        left, late, why = st.working_days_left, st.working_days_late, tuple(deadline.explanation())
    return RequestLine(
        request_no=req.request_no,
        unit_id=req.unit_id,
        received=req.received_date,
        channel=req.channel,
        applicant_type=req.applicant_type,
        reply_date=req.reply_date,
        outcome=req.outcome,
        status=status,
        status_label=label,
        due=due,
        days_left=left,
        days_late=late,
        explanation=why,
        applicant_name=req.applicant_name if personal else None,
        applicant_contact=req.applicant_contact if personal else None,
        summary=req.summary if personal else None,
    )


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
    cal = load_calendar(session)
    rows = session.scalars(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses))
        .where(
            mine,
            or_(DisclosureRequest.reply_date.between(start, end), DisclosureRequest.reply_date.is_(None)),
            DisclosureRequest.received_date <= today,
        )
        .order_by(DisclosureRequest.received_date, DisclosureRequest.id)
    ).all()
    lines = [_line(r, r.unit_id in personal_ids, today, cal) for r in rows]
    answered = [ln for ln in lines if ln.reply_date is not None]
    unanswered = sorted(
        (ln for ln in lines if ln.reply_date is None),
        key=lambda ln: (ln.due or dt.date.max, ln.received),
    )
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
        answered_on_time=sum(1 for ln in answered if ln.status == "answered_on_time"),
        open=tuple(unanswered),
        answered_lines=tuple(answered),
        appeals=tuple(
            (APPEAL_LABELS.get(k, k), filed, no, result, closed) for k, filed, no, result, closed in appeals
        ),
    )
