"""What the regulations say: which rules apply, how each channel fixes the day received, when the
clock starts and stops (corrections, third-party consultations), how far an extension goes, and
how many working days a span counts outside the pauses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from data_access.rules.workdays import Calendar

RULE_2019_START = dt.date(2019, 5, 15)


# How each channel fixes the day a request counts as received.
CHANNEL_RECEIPT = {
    "当面": "当面提交之日",
    "信函": "本机关签收之日",
    "网络": "系统收到申请之日",
    "传真": "双方确认之日",
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


def day_text(day: dt.date | None) -> str:
    """A date as YYYY-MM-DD in a message, — when there is none."""
    return day.isoformat() if day else "—"


def counted_days(
    cal: Calendar, start: dt.date, end: dt.date, ranges: tuple[tuple[dt.date, dt.date], ...]
) -> int:
    """Counted days in start < day <= end."""
    total = cal.count_workdays(start, end)
    covered = start  # the paused working days in start < day <= end, each counted once
    for a, b in sorted(ranges):
        low, high = max(a - dt.timedelta(days=1), covered), min(b, end)
        if high > low:
            total -= cal.count_workdays(low, high)
            covered = high
    return total


def extension(rule: RuleSet, approved: bool, days: int) -> tuple[int, list[str]]:
    """The extension's working days (the rule's maximum unless fewer were approved) and a warning
    when more than the maximum was approved."""
    if approved and days:
        if days > rule.max_extension_days:
            return rule.max_extension_days, [
                f"批准延长 {days} 个工作日超过法定上限，按 {rule.max_extension_days} 个工作日计算"
            ]
        return days, []
    return rule.max_extension_days, []


def extension_counts(
    approved: bool, approved_on: dt.date | None, received: dt.date, due: dt.date | None
) -> tuple[bool, list[str]]:
    """Whether an approved extension moves the due date, given the day it was approved, and the note
    saying why not. 条例第三十三条: the extension is approved (and the applicant told) within the
    time limit, so one approved after the original due date does not move it; an approval before
    the request was received cannot be (DeadlineError). No approval date: the extension counts."""
    if not approved or approved_on is None:
        return approved, []
    if approved_on < received:
        raise DeadlineError(f"延期批准日期 {day_text(approved_on)} 早于收到申请日期 {day_text(received)}")
    if due is not None and approved_on > due:
        return False, [
            f"延期批准日期 {day_text(approved_on)} 晚于答复期限 {day_text(due)}：延期应在答复期限内批准并告知申请人，"
            "按原答复期限计算"
        ]
    return True, []


def clock(
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
            raise DeadlineError(f"暂停开始日期 {day_text(p.start)} 早于收到申请日期 {day_text(received)}")
        if p.end is not None and p.end < p.start:
            raise DeadlineError(f"暂停结束日期 {day_text(p.end)} 早于开始日期 {day_text(p.start)}")
    clock_start, restarted, waiting = received, False, None
    corrections = [p for p in pauses if p.kind == "correction"]
    if corrections:
        last = corrections[-1]
        if last.end is None:
            waiting = "correction"
            notes.append(f"补正：{day_text(last.start)} 通知申请人补正，尚未收到补正后的申请，期限暂停计算")
        else:
            clock_start, restarted = last.end, True
            notes.append(
                f"补正：{day_text(last.start)} 通知申请人补正，{day_text(last.end)} 收到补正后的申请，期限自该日重新计算"
            )
    ranges: list[tuple[dt.date, dt.date]] = []
    for p in pauses:
        if p.kind != "third_party" or (p.end is not None and p.end <= clock_start):
            continue
        if p.end is None:
            waiting = waiting or "third_party"
            notes.append(f"征求第三方意见：{day_text(p.start)} 起，尚未结束，期限暂停计算")
        else:
            ranges.append((p.start, p.end))
    return rule, (clock_start, restarted, waiting, tuple(ranges), notes)
