"""The fast paths: a request's effective due date and status without walking the days for an
explanation, for statistics and lists over thousands of requests. Each equals what
`compute_deadline` and `request_status` give (tests/data_access/queries/test_request_counts.py
checks them against the day-by-day walk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from data_access.rules.deadlines.status import RequestStatus, status_of
from data_access.rules.deadlines.statute import (
    CHANNEL_RECEIPT,
    DeadlineError,
    Pause,
    clock,
    day_text,
    extension,
    rule_for,
)
from data_access.rules.workdays import Calendar


def effective_due(
    received: dt.date, extension_approved: bool, extension_days: int, calendar: Calendar
) -> dt.date:
    """The binding due date of a request without corrections or third-party pauses.

    Equal to compute_deadline(...).effective_due for such a request, without the explanation:
    statistics over thousands of requests judge each distinct (received, extension) once."""
    rule = rule_for(received)
    due = calendar.add_workdays(received, rule.limit_days)
    if not extension_approved:
        return due
    ext = extension_days if 0 < extension_days <= rule.max_extension_days else rule.max_extension_days
    return calendar.add_workdays(due, ext)


def plain_status(
    received: dt.date,
    extension_approved: bool,
    extension_days: int,
    reply_date: dt.date | None,
    today: dt.date,
    calendar: Calendar,
) -> RequestStatus:
    """request_status of a request without corrections or third-party pauses (and with a known
    channel), without working out the explanation: lists of thousands of requests use it.
    Equal to request_status(compute_deadline(...), ...), warnings included."""
    return paused_status(received, None, (), extension_approved, extension_days, reply_date, today, calendar)


def _once(warnings: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(warnings))


def _nth_counted(cal: Calendar, start: dt.date, n: int, ranges: list[tuple[dt.date, dt.date]]) -> dt.date:
    """_walk's day without the walk: the n-th working day after start outside the paused ranges."""
    if n <= 0:
        return start
    current = start
    for a, b in sorted(ranges):
        if b <= current:
            continue
        free = cal.count_workdays(current, max(a, current + dt.timedelta(days=1)) - dt.timedelta(days=1))
        if free >= n:
            return cal.add_workdays(current, n)
        n -= free
        current = b
    return cal.add_workdays(current, n)


def paused_status(
    received: dt.date,
    channel: str | None,
    pauses: Iterable[Pause],
    extension_approved: bool,
    extension_days: int,
    reply_date: dt.date | None,
    today: dt.date,
    calendar: Calendar,
) -> RequestStatus:
    """request_status(compute_deadline(...), today, reply_date) of a request with corrections or
    third-party pauses, without walking the days for the explanation: lists and counts of a city's
    requests use it. Raises DeadlineError where compute_deadline does, with the same message."""
    rule, (clock_start, _restarted, waiting, ranges, _notes) = clock(received, channel, pauses)
    ext, warnings = extension(rule, extension_approved, extension_days)
    if waiting is not None:
        warnings.extend(calendar.warnings_between(received, clock_start))
        return status_of(None, _once(warnings), waiting, ranges, today, reply_date, calendar)
    due = _nth_counted(calendar, clock_start, rule.limit_days, list(ranges))
    extended = _nth_counted(calendar, due, ext, list(ranges))
    warnings.extend(calendar.warnings_between(received, extended))
    effective = extended if extension_approved else due
    return status_of(effective, _once(warnings), None, ranges, today, reply_date, calendar, clock_start)


def paused_effective_due(
    received: dt.date,
    channel: str | None,
    pauses: Iterable[Pause],
    extension_approved: bool,
    extension_days: int,
    calendar: Calendar,
) -> dt.date | None:
    """compute_deadline(...).effective_due without the explanation, for statistics over every
    request with corrections or third-party pauses: None while a pause has not ended; raises
    DeadlineError where compute_deadline does."""
    if channel is not None and channel not in CHANNEL_RECEIPT:
        raise DeadlineError(f"未知的申请渠道：{channel}")
    rule = rule_for(received)
    pauses = sorted(pauses, key=lambda p: p.start)
    for p in pauses:
        if (
            p.kind not in ("correction", "third_party")
            or p.start < received
            or (p.end is not None and p.end < p.start)
        ):
            raise DeadlineError(f"暂停记录有误：{p.kind} {day_text(p.start)}")
    clock_start = received
    corrections = [p for p in pauses if p.kind == "correction"]
    if corrections:
        if corrections[-1].end is None:
            return None
        clock_start = corrections[-1].end
    ranges = []
    for p in pauses:
        if p.kind != "third_party" or (p.end is not None and p.end <= clock_start):
            continue
        if p.end is None:
            return None
        ranges.append((p.start, p.end))
    due = _nth_counted(calendar, clock_start, rule.limit_days, ranges)
    if not extension_approved:
        return due
    ext = (
        extension_days
        if extension_days and extension_days <= rule.max_extension_days
        else rule.max_extension_days
    )
    return _nth_counted(calendar, due, ext, ranges)
