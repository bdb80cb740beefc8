"""A request's deadline worked out day by day and explained: `compute_deadline` walks the
calendar from the clock's start, keeps every day it skipped and why, and returns a `Deadline`
that can say it in Chinese (`explanation`) or as JSON (`to_dict`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from data_access.rules.deadlines.statute import (
    CHANNEL_RECEIPT,
    Pause,
    clock,
    counted_days,
    day_text,
    extension,
    extension_counts,
)
from data_access.rules.workdays import WEEKDAY_NAMES, Calendar, package_calendar

THIRD_PARTY_REASON = "征求第三方意见（不计入期限）"


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
    extension_approved_on: dt.date | None = None  # 延期批准日期, when recorded

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
        lines.append(f"收到申请：{day_text(self.received)}{how}")
        lines.extend(self.notes)
        if self.first_day is not None:
            lines.append(
                f"起算：{day_text(self.clock_start)} 当日不计，第 1 个工作日为 {day_text(self.first_day)}"
            )
        if self.due is None:
            lines.append("答复期限：期限暂停计算，恢复计算后才能确定")
        else:
            lines.append(f"答复期限：{day_text(self.due)}（第 {self.limit_days} 个工作日）")
            if self.extension_approved:
                on = f"（{day_text(self.extension_approved_on)} 批准）" if self.extension_approved_on else ""
                lines.append(
                    f"已批准延长 {self.extension_days} 个工作日{on}：延长后期限 {day_text(self.extended_due)}"
                )
            else:
                lines.append(
                    f"如经批准延长 {self.extension_days} 个工作日：延长后期限 {day_text(self.extended_due)}"
                )
        lines.extend(f"跳过 {_day_reason(s)}" for s in self.skipped)
        lines.extend(f"延长期内跳过 {_day_reason(s)}" for s in self.extension_skipped)
        for day in self.makeup_workdays:
            within = "计入" if self.due is None or day <= self.due else "延长期内计入"
            lines.append(f"{within} {day_text(day)}（{WEEKDAY_NAMES[day.weekday()]}）：调休上班")
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
            "extension_approved_on": _iso(self.extension_approved_on),
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


def _day_reason(s: SkippedDay) -> str:
    weekday = WEEKDAY_NAMES[s.day.weekday()]
    return (
        f"{day_text(s.day)}：{s.reason}"
        if s.reason == weekday
        else f"{day_text(s.day)}（{weekday}）：{s.reason}"
    )


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
    extension_approved_on: dt.date | None = None,
    calendar: Calendar | None = None,
) -> Deadline:
    """Work out a request's due date and extended due date, with every skipped day explained.
    An extension approved after the (unextended) due date does not move it (`extension_counts`)."""
    cal = calendar or package_calendar()
    rule, (clock_start, restarted, waiting, paused, notes) = clock(received, channel, pauses)
    ext, warnings = extension(rule, extension_approved, extension_days)
    extension_counts(extension_approved, extension_approved_on, received, None)  # an impossible date raises

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
            extension_approved_on=extension_approved_on,
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
        n = counted_days(cal, max(a - dt.timedelta(days=1), clock_start), b, ())
        notes.append(f"征求第三方意见：{day_text(a)} 至 {day_text(b)}，其间 {n} 个工作日不计入期限")
    first_day, _, _ = _walk(cal, clock_start, 1, paused)
    due, skipped, makeup = _walk(cal, clock_start, rule.limit_days, paused)
    extended_due, ext_skipped, ext_makeup = _walk(cal, due, ext, paused)
    warnings.extend(cal.warnings_between(received, extended_due))
    counts, late_notes = extension_counts(extension_approved, extension_approved_on, received, due)
    warnings.extend(late_notes)
    base["extension_approved"] = counts
    return Deadline(
        **base,
        extension_approved_on=extension_approved_on,
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


def deadline_for_request(request: Any, calendar: Calendar | None = None) -> Deadline:
    """The deadline of a DisclosureRequest row (or anything with the same attributes)."""
    pauses = [Pause(p.kind, p.start_date, p.end_date) for p in getattr(request, "pauses", ()) or ()]
    return compute_deadline(
        request.received_date,
        channel=request.channel,
        pauses=pauses,
        extension_approved=bool(request.extension_approved),
        extension_days=int(request.extension_days or 0),
        extension_approved_on=getattr(request, "extension_approved_on", None),
        calendar=calendar,
    )
