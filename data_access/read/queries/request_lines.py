"""One disclosure request as the 依申请公开 page shows it, judged on a day.

`RequestLine` is the shown request (personal fields None unless the viewer may see them);
`Deadlines` judges the requests of one day with one calendar, each distinct request shape
once, by the fast paths of data_access.rules.deadlines unless the working-out is asked for;
`load_lines` reads requests with their pauses and judges each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from data_access.rules.deadlines import (
    CHANNEL_RECEIPT,
    Deadline,
    DeadlineError,
    Pause,
    compute_deadline,
    paused_status,
    plain_status,
    request_status,
)
from data_access.rules.workdays import Calendar
from data_access.store.holidays import load_calendar
from data_access.store.id_lists import among
from data_access.store.models import DisclosureRequest, RequestPart, RequestPause


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
    status: str  # a data_access.rules.deadlines.STATUS_LABELS code, or 'invalid'
    status_label: str
    due: dt.date | None
    days_left: int | None
    days_late: int | None
    explanation: tuple[str, ...]  # filled by `explain` only: lists leave it empty
    applicant_name: str | None = None
    applicant_contact: str | None = None
    summary: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. a year whose holiday schedule is not known yet
    parts: tuple[tuple[str, bool], ...] = ()  # each part's outcome and whether it is the main one

    @property
    def outcomes_text(self) -> str:
        """Every part's outcome, the main one marked when there are several; else the outcome."""
        if len(self.parts) < 2:
            return self.outcome or ""
        return "；".join(f"{o}（主要）" if main else o for o, main in self.parts)


_R = DisclosureRequest.__table__.c


LINE_COLUMNS = (
    _R.id, _R.request_no, _R.unit_id, _R.received_date, _R.channel, _R.applicant_type, _R.reply_date,
    _R.outcome, _R.extension_approved, _R.extension_days, _R.applicant_name, _R.applicant_contact, _R.summary,
    _R.extension_approved_on,
)  # fmt: skip


# What a request's deadline depends on: received day, channel, extension approved, days and date, pauses.
_Shape = tuple[dt.date, str | None, bool, int, tuple[Pause, ...], dt.date | None]


class Deadlines:
    """Deadlines of requests judged on one day with one calendar, each distinct request shape once."""

    def __init__(self, session: Session, today: dt.date, cal: Calendar | None = None) -> None:
        self.today = today
        self.cal = cal or load_calendar(session)
        self._memo: dict[_Shape, tuple[Deadline | None, str | None]] = {}

    def deadline(self, row: Any, pauses: tuple[Pause, ...]) -> tuple[Deadline | None, str | None]:
        """The request's deadline, or None and the reason it cannot be worked out."""
        key: _Shape = (
            row.received_date,
            row.channel,
            bool(row.extension_approved),
            int(row.extension_days or 0),
            pauses,
            getattr(row, "extension_approved_on", None),
        )
        found = self._memo.get(key)
        if found is None:
            try:
                found = (compute_deadline(key[0], channel=key[1], pauses=pauses, extension_approved=key[2],
                                          extension_days=key[3], extension_approved_on=key[5],
                                          calendar=self.cal), None)  # fmt: skip
            except DeadlineError as exc:
                found = (None, str(exc))
            self._memo[key] = found
        return found

    def line(self, row: Any, pauses: tuple[Pause, ...], personal: bool, explain: bool = False) -> RequestLine:
        """One request as the page shows it; the working-out of its due date only when `explain`."""
        dated = getattr(row, "extension_approved_on", None) is not None  # judged by compute_deadline
        if not pauses and not explain and not dated and _plain(row):
            st = plain_status(row.received_date, bool(row.extension_approved), int(row.extension_days or 0),
                              row.reply_date, self.today, self.cal)  # fmt: skip
            return _line(row, st.code, st.label, st.due, st.working_days_left, st.working_days_late, (), personal,
                         st.warnings)  # fmt: skip
        if pauses and not explain and not dated and row.received_date is not None:
            try:
                st = paused_status(row.received_date, row.channel, pauses, bool(row.extension_approved),
                                   int(row.extension_days or 0), row.reply_date, self.today, self.cal)  # fmt: skip
            except DeadlineError as exc:
                return _line(row, "invalid", f"无法计算期限：{exc}", None, None, None, (), personal)
            return _line(row, st.code, st.label, st.due, st.working_days_left, st.working_days_late, (), personal,
                         st.warnings)  # fmt: skip
        deadline, error = self.deadline(row, pauses)
        if deadline is None:
            status, label, due, left, late = "invalid", f"无法计算期限：{error}", None, None, None
            why: tuple[str, ...] = ()
            warnings: tuple[str, ...] = ()
        else:
            st = request_status(deadline, self.today, row.reply_date, self.cal)
            status, label, due = st.code, st.label, st.due
            left, late, warnings = st.working_days_left, st.working_days_late, st.warnings
            why = tuple(deadline.explanation()) if explain else ()
        return _line(row, status, label, due, left, late, why, personal, warnings)


def _plain(row: Any) -> bool:
    """A request whose deadline needs no working-out beyond the calendar (pauses aside)."""
    return row.received_date is not None and (row.channel is None or row.channel in CHANNEL_RECEIPT)


def _line(row: Any, status: str, label: str, due: dt.date | None, left: int | None, late: int | None,
          why: tuple[str, ...], personal: bool, warnings: tuple[str, ...] = ()) -> RequestLine:  # fmt: skip
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
        warnings=warnings,
    )


def request_pauses(session: Session, request_ids: list[int]) -> dict[int, tuple[Pause, ...]]:
    """The pauses of the given requests, by request id."""
    found: dict[int, list[Pause]] = defaultdict(list)
    p = RequestPause.__table__.c
    for start in range(0, len(request_ids), 5000):  # the ids are written into the SQL (id_lists)
        rows = session.execute(
            select(p.request_id, p.kind, p.start_date, p.end_date)
            .where(among(p.request_id, request_ids[start : start + 5000], once=True))
            .order_by(p.request_id, p.start_date, p.id)
        ).all()
        for rid, kind, begin, end in rows:
            found[rid].append(Pause(kind, begin, end))
    return {rid: tuple(p) for rid, p in found.items()}


def request_parts(session: Session, request_ids: list[int]) -> dict[int, tuple[tuple[str, bool], ...]]:
    """The parts of the given requests as (outcome, is_main) in order, by request id."""
    found: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for start in range(0, len(request_ids), 500):
        rows = session.execute(
            select(RequestPart.request_id, RequestPart.outcome, RequestPart.is_main)
            .where(RequestPart.request_id.in_(request_ids[start : start + 500]))
            .order_by(RequestPart.request_id, RequestPart.seq)
        )
        for rid, outcome, main in rows:
            found[rid].append((outcome, bool(main)))
    return {rid: tuple(p) for rid, p in found.items()}


def with_parts(session: Session, rows: Sequence[Any], lines: list[RequestLine]) -> list[RequestLine]:
    """The lines with their requests' parts (only those with several parts change)."""
    parts = request_parts(session, [r.id for r in rows if r.outcome is not None])
    return [
        replace(line, parts=parts[r.id]) if len(parts.get(r.id, ())) > 1 else line
        for r, line in zip(rows, lines, strict=True)
    ]


def load_lines(
    session: Session,
    where: tuple[ColumnElement[bool], ...],
    personal_ids: tuple[int, ...],
    judge: Deadlines,
    order: tuple[ColumnElement[Any], ...],
    offset: int = 0,
    limit: int | None = None,
) -> list[RequestLine]:
    query = select(*LINE_COLUMNS).where(*where).order_by(*order).offset(offset)
    return lines_of(session, query.limit(limit) if limit is not None else query, personal_ids, judge)


def lines_of(
    session: Session, query: Any, personal_ids: tuple[int, ...], judge: Deadlines
) -> list[RequestLine]:
    """The requests a select of LINE_COLUMNS finds, with their pauses and parts, each judged."""
    rows = session.execute(query).all()
    pauses = request_pauses(session, [r.id for r in rows])
    lines = [judge.line(r, pauses.get(r.id, ()), r.unit_id in personal_ids) for r in rows]
    return with_parts(session, rows, lines)
