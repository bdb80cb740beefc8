"""What the forms read: the units a user may register for, a unit's requests with their due dates, boards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data_access.rules.deadlines import (
    Deadline,
    DeadlineError,
    Pause,
    compute_deadline,
    deadline_for_request,
    request_status,
)
from data_access.rules.permissions import Principal
from data_access.rules.request_numbers import next_request_no as following
from data_access.store.holidays import load_calendar
from data_access.store.models import Board, DisclosureRequest, OrgUnit
from data_access.store.reference import list_units, unit_and_descendants, visible_unit_ids
from data_access.write.records.batches import Stamp, stamp_of


def units_in_scope(session: Session, principal: Principal) -> list[tuple[str, str, int]]:
    """The user's unit and every unit under it, as (code, name, depth) in hierarchy order."""
    ids = set(visible_unit_ids(session, principal))
    codes = set(session.scalars(select(OrgUnit.code).where(OrgUnit.id.in_(ids)))) if ids else set()
    return [u for u in list_units(session) if u[0] in codes]


@dataclass(frozen=True)
class RequestRow:
    """One request as the forms list it: its state, its due date and where it stands today."""

    request_no: str
    received_date: dt.date
    channel: str
    applicant_type: str
    summary: str
    extension_days: int
    reply_date: dt.date | None
    outcome: str | None
    pauses: tuple[tuple[str, dt.date, dt.date | None], ...]
    due: dt.date | None
    status: str
    stamp: Stamp  # what the progress form carries to its save (optimistic concurrency)
    extension_approved_on: dt.date | None = None
    other_outcomes: tuple[str, ...] = ()  # the outcomes of the parts other than the main one


def list_requests(session: Session, unit_code: str, today: dt.date, limit: int = 200) -> list[RequestRow]:
    """The unit's requests, unanswered first, then newest received (at most `limit`)."""
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    if unit_id is None:
        return []
    calendar = load_calendar(session)
    rows = session.scalars(
        select(DisclosureRequest)
        .options(selectinload(DisclosureRequest.pauses), selectinload(DisclosureRequest.parts))
        .where(DisclosureRequest.unit_id == unit_id)
        .order_by(DisclosureRequest.reply_date.is_not(None), DisclosureRequest.received_date.desc())
        .limit(limit)
    )
    out = []
    for r in rows:
        try:
            deadline = deadline_for_request(r, calendar)
            status = request_status(deadline, today, r.reply_date, calendar)
            due, label = status.due, status.label
        except DeadlineError as exc:
            due, label = None, str(exc)
        pauses = tuple(sorted((p.kind, p.start_date, p.end_date) for p in r.pauses))
        out.append(
            RequestRow(
                r.request_no,
                r.received_date,
                r.channel,
                r.applicant_type,
                r.summary,
                r.extension_days,
                r.reply_date,
                r.outcome,
                pauses,
                due,
                label,
                stamp_of(r),
                r.extension_approved_on,
                tuple(p.outcome for p in r.parts if not p.is_main),
            )
        )
    return out


def deadline_preview(
    session: Session,
    received: dt.date,
    channel: str | None,
    pauses: tuple[tuple[str, dt.date, dt.date | None], ...] = (),
    extension_days: int = 0,
    extension_approved_on: dt.date | None = None,
) -> Deadline:
    """The due date a request with these facts has on the office's calendar (DeadlineError if it has none)."""
    return compute_deadline(
        received,
        channel=channel,
        pauses=[Pause(kind, start, end) for kind, start, end in pauses],
        extension_approved=bool(extension_days) or extension_approved_on is not None,
        extension_days=extension_days,
        extension_approved_on=extension_approved_on,
        calendar=load_calendar(session),
    )


def next_request_no(session: Session, unit_code: str, year: int) -> str:
    """The unit's next free 编号 of the year: YSQ-{year}-{one more than the highest used}."""
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    used = session.scalars(
        select(DisclosureRequest.request_no).where(
            DisclosureRequest.unit_id == unit_id, DisclosureRequest.request_no.like(f"%{year}%")
        )
    )
    return following(used, year)


def board_names(session: Session, unit_code: str) -> list[str]:
    """The names of the unit's bulletin boards (and those of the units under it)."""
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    if unit_id is None:
        return []
    ids = unit_and_descendants(session, unit_id)
    return list(session.scalars(select(Board.name).where(Board.unit_id.in_(ids)).order_by(Board.id)))
