"""The reply deadline check of imported requests, on the office's working-day calendar."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules.deadlines import DeadlineError, Pause, compute_deadline
from data_access.rules.workdays import Calendar
from data_access.store.holidays import load_calendar
from data_access.store.models import DisclosureRequest, RequestPause


def _file_pauses(record: dict) -> list[Pause]:
    """The pauses the file gives the request (its columns replace those entered before)."""
    return [Pause(kind, start, end) for kind, start, end in record["_pauses"]]


def late_replies(session: Session, unit_id: int, records: list[dict]) -> list[tuple[dict, dt.date, int]]:
    """(record, due date, working days allowed) for every record replied after its due date."""
    answered = [r for r in records if r["reply_date"] and r["received_date"] and r["channel"]]
    if not answered:
        return []
    calendar: Calendar = load_calendar(session)
    pauses: dict[str, list[Pause]] = {}
    rows = session.execute(
        select(
            DisclosureRequest.request_no, RequestPause.kind, RequestPause.start_date, RequestPause.end_date
        )
        .join(RequestPause, RequestPause.request_id == DisclosureRequest.id)
        .where(
            DisclosureRequest.unit_id == unit_id,
            DisclosureRequest.request_no.in_([r["request_no"] for r in answered]),
        )
    )
    for request_no, kind, start, end in rows:
        pauses.setdefault(request_no, []).append(Pause(kind, start, end))
    late = []
    for r in answered:
        try:
            deadline = compute_deadline(
                r["received_date"],
                channel=r["channel"],
                pauses=_file_pauses(r) if r.get("_pauses") is not None else pauses.get(r["request_no"], ()),
                extension_approved=bool(r.get("extension_approved", r["extension_days"])),
                extension_days=r["extension_days"],
                extension_approved_on=r.get("extension_approved_on"),
                calendar=calendar,
            )
        except DeadlineError:
            continue
        due = deadline.effective_due
        if due is not None and r["reply_date"] > due:
            days = deadline.limit_days + (deadline.extension_days if deadline.extension_approved else 0)
            late.append((r, due, days))
    return late
