"""Where a request stands on a given day (按期答复, 逾期答复, 办理中, 即将到期, 已逾期, 等待补正…),
from its effective due date and the working days counted outside its pauses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.rules.deadlines.explained import Deadline
from data_access.rules.deadlines.statute import counted_days
from data_access.rules.workdays import Calendar, package_calendar

DUE_SOON_WORKDAYS = 3


STATUS_LABELS = {
    "answered_on_time": "按期答复",
    "answered_late": "逾期答复",
    "in_progress": "办理中",
    "due_soon": "即将到期",
    "overdue": "已逾期",
    "awaiting_correction": "等待补正",
    "third_party": "征求第三方意见中",
}


@dataclass(frozen=True)
class RequestStatus:
    """Where a request stands on a given day."""

    code: str  # see STATUS_LABELS
    label: str
    due: dt.date | None  # the effective due date
    working_days_left: int | None = None
    working_days_late: int | None = None
    warnings: tuple[str, ...] = ()


def request_status(
    deadline: Deadline, today: dt.date, reply_date: dt.date | None = None, calendar: Calendar | None = None
) -> RequestStatus:
    """按期答复 / 逾期答复 / 办理中 / 即将到期 (≤3 working days left, today counted) / 已逾期 / 等待补正."""
    cal = calendar or package_calendar()
    return status_of(deadline.effective_due, deadline.warnings, deadline.waiting, deadline.third_party, today,
                   reply_date, cal, deadline.clock_start)  # fmt: skip


def status_of(
    due: dt.date | None,
    warnings: tuple[str, ...],
    waiting: str | None,
    third_party: tuple[tuple[dt.date, dt.date], ...],
    today: dt.date,
    reply_date: dt.date | None,
    cal: Calendar,
    clock_start: dt.date | None = None,
) -> RequestStatus:
    """request_status from what it reads of the deadline. The working days left are counted as the
    due date was: today included, but never a day on or before the clock's start (the day received
    is not counted), so on that day as many are left as the limit gives (剩 20 next to 第 20 个工作日)."""
    if reply_date is not None:
        if due is None or reply_date <= due:
            return RequestStatus(
                "answered_on_time", STATUS_LABELS["answered_on_time"], due, warnings=warnings
            )
        late = counted_days(cal, due, reply_date, third_party)
        label = f"{STATUS_LABELS['answered_late']}（逾期 {late} 个工作日）"
        warnings = tuple(dict.fromkeys(warnings + cal.warnings_between(due, reply_date)))
        return RequestStatus("answered_late", label, due, working_days_late=late, warnings=warnings)
    if due is None:
        code = "awaiting_correction" if waiting == "correction" else "third_party"
        return RequestStatus(code, STATUS_LABELS[code], None, warnings=warnings)
    warnings = tuple(dict.fromkeys(warnings + cal.warnings_between(min(today, due), max(today, due))))
    if today > due:
        late = counted_days(cal, due, today, third_party)
        label = f"{STATUS_LABELS['overdue']}（逾期 {late} 个工作日）"
        return RequestStatus("overdue", label, due, working_days_late=late, warnings=warnings)
    start = today - dt.timedelta(days=1)
    if clock_start is not None and start < clock_start:
        start = clock_start
    left = counted_days(cal, start, due, third_party)
    code = "due_soon" if left <= DUE_SOON_WORKDAYS else "in_progress"
    label = f"{STATUS_LABELS[code]}（剩 {left} 个工作日）"
    return RequestStatus(code, label, due, working_days_left=left, warnings=warnings)
