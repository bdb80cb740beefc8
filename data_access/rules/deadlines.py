"""Reply deadlines of disclosure requests (依申请公开), as pure functions that explain themselves.

- Received before 2019-05-15: the 2008 条例, 15 working days, extendable by at most 15.
  Received from 2019-05-15: the 2019 修订条例, 20 working days, extendable by at most 20.
- The day of receipt (当面: handed in; 信函: signed for; 网络: the system receives it;
  传真: both sides confirm — the caller passes that date) is not counted: day 1 is the
  next working day.
- A correction request (补正, pause kind 'correction') restarts the clock from the day
  the corrected application arrives (the pause's end date; the latest correction
  counts). Without an end date the clock is stopped: status 等待补正.
- Third-party consultation (kind 'third_party', start..end inclusive) is not counted;
  an open consultation stops the clock.
- An approved extension adds its days (at most 15 / 20; an approval without a
  number of days means the maximum). `extended_due` is always worked out (with the
  approved days, else the maximum) so the page can show how far the date could go.

Nothing here stores a due date: every date comes from the calendar passed in, so a
change of the calendar changes every open request's due date at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from data_access.rules.workdays import WEEKDAY_NAMES, Calendar, package_calendar

RULE_2019_START = dt.date(2019, 5, 15)
DUE_SOON_WORKDAYS = 3
THIRD_PARTY_REASON = "征求第三方意见（不计入期限）"

# How each channel fixes the day a request counts as received.
CHANNEL_RECEIPT = {
    "当面": "当面提交之日",
    "信函": "本机关签收之日",
    "网络": "系统收到申请之日",
    "传真": "双方确认之日",
}

STATUS_LABELS = {
    "answered_on_time": "按期答复",
    "answered_late": "逾期答复",
    "in_progress": "办理中",
    "due_soon": "即将到期",
    "overdue": "已逾期",
    "awaiting_correction": "等待补正",
    "third_party": "征求第三方意见中",
}


class DeadlineError(ValueError):
    """Request data a deadline cannot be worked out from (message in Chinese)."""


@dataclass(frozen=True)
class RuleSet:
    """The time limits of one version of the regulations."""

    code: str
    title: str
    limit_days: int
    max_extension_days: int


RULE_2008 = RuleSet("2008", "《政府信息公开条例》（2008 年施行）", 15, 15)
RULE_2019 = RuleSet("2019", "《政府信息公开条例》（2019 年修订，2019-05-15 起施行）", 20, 20)


def rule_for(received: dt.date) -> RuleSet:
    """The rules that apply to a request received on that day."""
    return RULE_2019 if received >= RULE_2019_START else RULE_2008


@dataclass(frozen=True)
class Pause:
    """Time not counted: kind 'correction' (补正) or 'third_party' (征求第三方意见)."""

    kind: str
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class SkippedDay:
    """A day the clock did not count, and why (周六, 国庆节, 征求第三方意见…)."""

    day: dt.date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A request's due dates and how they were worked out."""

    rule: str
    rule_title: str
    received: dt.date
    channel: str | None
    clock_start: dt.date  # day 0: the day received, or the day the corrected application arrived
    restarted_by_correction: bool
    limit_days: int
    max_extension_days: int
    extension_approved: bool
    extension_days: int  # what the extension adds: the approved days, else the maximum
    first_day: dt.date | None
    due: dt.date | None
    extended_due: dt.date | None
    skipped: tuple[SkippedDay, ...]  # clock start .. due
    extension_skipped: tuple[SkippedDay, ...]  # due .. extended due
    makeup_workdays: tuple[dt.date, ...]  # 调休 weekends counted, clock start .. extended due
    waiting: str | None  # 'correction' / 'third_party' while the clock is stopped
    third_party: tuple[tuple[dt.date, dt.date], ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def effective_due(self) -> dt.date | None:
        """The date that binds: the extended one once an extension is approved."""
        return self.extended_due if self.extension_approved else self.due

    def skipped_until_effective(self) -> tuple[SkippedDay, ...]:
        """Skipped days up to the effective due date."""
        return self.skipped + self.extension_skipped if self.extension_approved else self.skipped

    def makeup_until_effective(self) -> tuple[dt.date, ...]:
        """The 调休 weekends counted up to the effective due date (as `skipped_until_effective`)."""
        end = self.effective_due
        return tuple(d for d in self.makeup_workdays if end is not None and d <= end)

    def explanation(self) -> list[str]:
        """The working-out, one Chinese line each."""
        lines = [
            f"适用规则：{self.rule_title}，{self.limit_days} 个工作日内答复，"
            f"经批准可延长不超过 {self.max_extension_days} 个工作日"
        ]
        how = f"（{self.channel}：以{CHANNEL_RECEIPT[self.channel]}为收到申请之日）" if self.channel else ""
        lines.append(f"收到申请：{_d(self.received)}{how}")
        lines.extend(self.notes)
        if self.first_day is not None:
            lines.append(f"起算：{_d(self.clock_start)} 当日不计，第 1 个工作日为 {_d(self.first_day)}")
        if self.due is None:
            lines.append("答复期限：期限暂停计算，恢复计算后才能确定")
        else:
            lines.append(f"答复期限：{_d(self.due)}（第 {self.limit_days} 个工作日）")
            if self.extension_approved:
                lines.append(f"已批准延长 {self.extension_days} 个工作日：延长后期限 {_d(self.extended_due)}")
            else:
                lines.append(
                    f"如经批准延长 {self.extension_days} 个工作日：延长后期限 {_d(self.extended_due)}"
                )
        lines.extend(f"跳过 {_day_reason(s)}" for s in self.skipped)
        lines.extend(f"延长期内跳过 {_day_reason(s)}" for s in self.extension_skipped)
        for day in self.makeup_workdays:
            within = "计入" if self.due is None or day <= self.due else "延长期内计入"
            lines.append(f"{within} {_d(day)}（{WEEKDAY_NAMES[day.weekday()]}）：调休上班")
        lines.extend(f"注意：{w}" for w in self.warnings)
        return lines

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by `python -m data_access deadline --json`."""
        return {
            "rule": self.rule,
            "received": self.received.isoformat(),
            "channel": self.channel,
            "clock_start": self.clock_start.isoformat(),
            "first_day": _iso(self.first_day),
            "limit_days": self.limit_days,
            "extension_days": self.extension_days,
            "extension_approved": self.extension_approved,
            "due": _iso(self.due),
            "extended_due": _iso(self.extended_due),
            "effective_due": _iso(self.effective_due),
            "skipped": [
                {"date": s.day.isoformat(), "reason": s.reason} for s in self.skipped_until_effective()
            ],
            "makeup_workdays": [d.isoformat() for d in self.makeup_until_effective()],
            "waiting": self.waiting,
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _day_reason(s: SkippedDay) -> str:
    weekday = WEEKDAY_NAMES[s.day.weekday()]
    return f"{_d(s.day)}：{s.reason}" if s.reason == weekday else f"{_d(s.day)}（{weekday}）：{s.reason}"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _paused(day: dt.date, ranges: tuple[tuple[dt.date, dt.date], ...]) -> bool:
    return any(a <= day <= b for a, b in ranges)


def _walk(
    cal: Calendar, start: dt.date, n: int, ranges: tuple[tuple[dt.date, dt.date], ...]
) -> tuple[dt.date, list[SkippedDay], list[dt.date]]:
    """The n-th counted day after start, the days skipped on the way and the 调休 days counted."""
    if not ranges:  # no pauses: the calendar's indexes answer without stepping through the days
        due = cal.add_workdays(start, n)
        special = cal.special_days(start + dt.timedelta(days=1), due)
        skipped = [SkippedDay(i.day, i.reason) for i in special if not i.is_workday]
        return due, skipped, [i.day for i in special if i.is_workday]
    day, counted, skipped, makeup = start, 0, [], []
    while counted < n:
        day += dt.timedelta(days=1)
        info = cal.info(day)
        if not info.is_workday:
            skipped.append(SkippedDay(day, info.reason))
        elif _paused(day, ranges):
            skipped.append(SkippedDay(day, THIRD_PARTY_REASON))
        else:
            counted += 1
            if day.weekday() >= 5:
                makeup.append(day)
    return day, skipped, makeup


def _count(cal: Calendar, start: dt.date, end: dt.date, ranges: tuple[tuple[dt.date, dt.date], ...]) -> int:
    """Counted days in start < day <= end."""
    total = cal.count_workdays(start, end)
    covered = start  # the paused working days in start < day <= end, each counted once
    for a, b in sorted(ranges):
        low, high = max(a - dt.timedelta(days=1), covered), min(b, end)
        if high > low:
            total -= cal.count_workdays(low, high)
            covered = high
    return total


def _extension(rule: RuleSet, approved: bool, days: int) -> tuple[int, list[str]]:
    """The extension's working days (the rule's maximum unless fewer were approved) and a warning
    when more than the maximum was approved."""
    if approved and days:
        if days > rule.max_extension_days:
            return rule.max_extension_days, [
                f"批准延长 {days} 个工作日超过法定上限，按 {rule.max_extension_days} 个工作日计算"
            ]
        return days, []
    return rule.max_extension_days, []


def _clock(
    received: dt.date, channel: str | None, pauses: Iterable[Pause]
) -> tuple[RuleSet, tuple[dt.date, bool, str | None, tuple[tuple[dt.date, dt.date], ...], list[str]]]:
    """The rule, and when the clock starts (restarted by the last ended correction), what it waits
    for (an open correction or third-party pause), the ended third-party ranges not counted, and the
    notes saying so; raises DeadlineError for an unknown channel or a pause that cannot be."""
    notes: list[str] = []
    if channel is not None and channel not in CHANNEL_RECEIPT:
        raise DeadlineError(f"未知的申请渠道：{channel}（应为 当面、网络、信函 或 传真）")
    rule = rule_for(received)
    pauses = sorted(pauses, key=lambda p: p.start)
    for p in pauses:
        if p.kind not in ("correction", "third_party"):
            raise DeadlineError(f"未知的暂停类型：{p.kind}")
        if p.start < received:
            raise DeadlineError(f"暂停开始日期 {_d(p.start)} 早于收到申请日期 {_d(received)}")
        if p.end is not None and p.end < p.start:
            raise DeadlineError(f"暂停结束日期 {_d(p.end)} 早于开始日期 {_d(p.start)}")
    clock_start, restarted, waiting = received, False, None
    corrections = [p for p in pauses if p.kind == "correction"]
    if corrections:
        last = corrections[-1]
        if last.end is None:
            waiting = "correction"
            notes.append(f"补正：{_d(last.start)} 通知申请人补正，尚未收到补正后的申请，期限暂停计算")
        else:
            clock_start, restarted = last.end, True
            notes.append(
                f"补正：{_d(last.start)} 通知申请人补正，{_d(last.end)} 收到补正后的申请，期限自该日重新计算"
            )
    ranges: list[tuple[dt.date, dt.date]] = []
    for p in pauses:
        if p.kind != "third_party" or (p.end is not None and p.end <= clock_start):
            continue
        if p.end is None:
            waiting = waiting or "third_party"
            notes.append(f"征求第三方意见：{_d(p.start)} 起，尚未结束，期限暂停计算")
        else:
            ranges.append((p.start, p.end))
    return rule, (clock_start, restarted, waiting, tuple(ranges), notes)


class _DeadlineBase(TypedDict):
    """The fields of a Deadline that do not depend on whether the clock is running."""

    rule: str
    rule_title: str
    received: dt.date
    channel: str | None
    clock_start: dt.date
    restarted_by_correction: bool
    limit_days: int
    max_extension_days: int
    extension_approved: bool
    extension_days: int
    third_party: tuple[tuple[dt.date, dt.date], ...]


def compute_deadline(
    received: dt.date,
    *,
    channel: str | None = None,
    pauses: Iterable[Pause] = (),
    extension_approved: bool = False,
    extension_days: int = 0,
    calendar: Calendar | None = None,
) -> Deadline:
    """Work out a request's due date and extended due date, with every skipped day explained."""
    cal = calendar or package_calendar()
    rule, (clock_start, restarted, waiting, paused, notes) = _clock(received, channel, pauses)
    ext, warnings = _extension(rule, extension_approved, extension_days)

    base = _DeadlineBase(
        rule=rule.code,
        rule_title=rule.title,
        received=received,
        channel=channel,
        clock_start=clock_start,
        restarted_by_correction=restarted,
        limit_days=rule.limit_days,
        max_extension_days=rule.max_extension_days,
        extension_approved=extension_approved,
        extension_days=ext,
        third_party=paused,
    )
    if waiting is not None:
        warnings.extend(cal.warnings_between(received, clock_start))
        return Deadline(
            **base,
            first_day=None,
            due=None,
            extended_due=None,
            skipped=(),
            extension_skipped=(),
            makeup_workdays=(),
            waiting=waiting,
            notes=tuple(notes),
            warnings=tuple(dict.fromkeys(warnings)),
        )

    for a, b in paused:
        n = _count(cal, max(a - dt.timedelta(days=1), clock_start), b, ())
        notes.append(f"征求第三方意见：{_d(a)} 至 {_d(b)}，其间 {n} 个工作日不计入期限")
    first_day, _, _ = _walk(cal, clock_start, 1, paused)
    due, skipped, makeup = _walk(cal, clock_start, rule.limit_days, paused)
    extended_due, ext_skipped, ext_makeup = _walk(cal, due, ext, paused)
    warnings.extend(cal.warnings_between(received, extended_due))
    return Deadline(
        **base,
        first_day=first_day,
        due=due,
        extended_due=extended_due,
        skipped=tuple(skipped),
        extension_skipped=tuple(ext_skipped),
        makeup_workdays=tuple(makeup + ext_makeup),
        waiting=None,
        notes=tuple(notes),
        warnings=tuple(dict.fromkeys(warnings)),
    )


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


def deadline_for_request(request: Any, calendar: Calendar | None = None) -> Deadline:
    """The deadline of a DisclosureRequest row (or anything with the same attributes)."""
    pauses = [Pause(p.kind, p.start_date, p.end_date) for p in getattr(request, "pauses", ()) or ()]
    return compute_deadline(
        request.received_date,
        channel=request.channel,
        pauses=pauses,
        extension_approved=bool(request.extension_approved),
        extension_days=int(request.extension_days or 0),
        calendar=calendar,
    )


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
    return _status(deadline.effective_due, deadline.warnings, deadline.waiting, deadline.third_party, today,
                   reply_date, cal)  # fmt: skip


def _status(
    due: dt.date | None,
    warnings: tuple[str, ...],
    waiting: str | None,
    third_party: tuple[tuple[dt.date, dt.date], ...],
    today: dt.date,
    reply_date: dt.date | None,
    cal: Calendar,
) -> RequestStatus:
    """request_status from what it reads of the deadline."""
    if reply_date is not None:
        if due is None or reply_date <= due:
            return RequestStatus(
                "answered_on_time", STATUS_LABELS["answered_on_time"], due, warnings=warnings
            )
        late = _count(cal, due, reply_date, third_party)
        label = f"{STATUS_LABELS['answered_late']}（逾期 {late} 个工作日）"
        warnings = tuple(dict.fromkeys(warnings + cal.warnings_between(due, reply_date)))
        return RequestStatus("answered_late", label, due, working_days_late=late, warnings=warnings)
    if due is None:
        code = "awaiting_correction" if waiting == "correction" else "third_party"
        return RequestStatus(code, STATUS_LABELS[code], None, warnings=warnings)
    warnings = tuple(dict.fromkeys(warnings + cal.warnings_between(min(today, due), max(today, due))))
    if today > due:
        late = _count(cal, due, today, third_party)
        label = f"{STATUS_LABELS['overdue']}（逾期 {late} 个工作日）"
        return RequestStatus("overdue", label, due, working_days_late=late, warnings=warnings)
    left = _count(cal, today - dt.timedelta(days=1), due, third_party)
    code = "due_soon" if left <= DUE_SOON_WORKDAYS else "in_progress"
    label = f"{STATUS_LABELS[code]}（剩 {left} 个工作日）"
    return RequestStatus(code, label, due, working_days_left=left, warnings=warnings)


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
    rule, (clock_start, _restarted, waiting, ranges, _notes) = _clock(received, channel, pauses)
    ext, warnings = _extension(rule, extension_approved, extension_days)
    if waiting is not None:
        warnings.extend(calendar.warnings_between(received, clock_start))
        return _status(None, _once(warnings), waiting, ranges, today, reply_date, calendar)
    due = _nth_counted(calendar, clock_start, rule.limit_days, list(ranges))
    extended = _nth_counted(calendar, due, ext, list(ranges))
    warnings.extend(calendar.warnings_between(received, extended))
    effective = extended if extension_approved else due
    return _status(effective, _once(warnings), None, ranges, today, reply_date, calendar)


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
            raise DeadlineError(f"暂停记录有误：{p.kind} {_d(p.start)}")
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
