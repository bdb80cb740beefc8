"""公开时限: a catalogue item's time limit as offices write it, read into a machine-readable rule.

The 标准目录 writes each item's limit in words: 「信息形成（变更）之日起20个工作日内」, 「每季度」,
「每年」, 「实时」, 「长期公开」, 「1个月内」 … `parse_time_limit` reads them into a `TimeLimit`:
- `after_formed`: within N working days (`unit` 'workday'), calendar days ('day') or months
  ('month') of the information being formed or changed;
- `periodic`: once each `period` — 'month', 'quarter', 'half' (half-year) or 'year';
- `realtime`: 实时/即时/及时 — as many working days as the office states with it (`days` None
  until it does, and then judged by the statutory 20);
- `long_term`: 长期公开, no time limit.
Text it cannot read gives None: the item then says nothing, and its publications are judged
against the statutory 20 working days (`DEFAULT_LIMIT`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("after_formed", "periodic", "realtime", "long_term")
PERIODS = ("month", "quarter", "half", "year")
UNITS = ("workday", "day", "month")


@dataclass(frozen=True)
class TimeLimit:
    """A parsed 公开时限."""

    kind: str
    days: int | None = None
    unit: str | None = None
    period: str | None = None


STATUTORY_WORKDAYS = 20  # 《政府信息公开条例》第二十六条
DEFAULT_LIMIT = TimeLimit("after_formed", STATUTORY_WORKDAYS, "workday")

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_SPACE = re.compile(r"\s+")


def chinese_number(text: str) -> int | None:
    """An integer written in digits or Chinese numerals (二十, 十五, 一百二十); None if it is neither."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_AFTER = (
    (re.compile(_NUMBER + r"个?工作日"), "workday"),
    (re.compile(_NUMBER + r"个(?:自然)?月(?:内|之内|以内)"), "month"),
    (re.compile(_NUMBER + r"个?(?:自然日|日|天)(?:内|之内|以内)"), "day"),
)
_PERIODIC = (
    (re.compile(r"每月|按月|月度|每个月"), "month"),
    (re.compile(r"季度|每季"), "quarter"),
    (re.compile(r"半年"), "half"),
    (re.compile(r"每年|按年|每一年|一年一次|年度更新|每年度"), "year"),
)
_REALTIME = re.compile(r"实时|即时|及时|随时")
_LONG_TERM = re.compile(r"长期|常年|永久")


def _within(text: str) -> tuple[int, str] | None:
    """The first 'within N working days / days / months' the text states."""
    for pattern, unit in _AFTER:
        match = pattern.search(text)
        if match:
            n = chinese_number(match.group(1))
            if n is not None and n > 0:
                return n, unit
    return None


def parse_time_limit(text: str | None) -> TimeLimit | None:
    """The rule a 公开时限 text states, or None when it is blank or unreadable.

    A periodic item may state its due rule too (「每季度结束后10个工作日内」: `days` 10 after the
    period ends); a realtime one the working days the office allows (「实时，最迟5个工作日」).
    """
    if text is None:
        return None
    clean = _SPACE.sub("", str(text))
    if not clean:
        return None
    if _LONG_TERM.search(clean):
        return TimeLimit("long_term")
    within = _within(clean)
    for pattern, period in _PERIODIC:
        if pattern.search(clean):
            if within is None:
                return TimeLimit("periodic", period=period)
            return TimeLimit("periodic", within[0], within[1], period)
    if _REALTIME.search(clean):
        return TimeLimit("realtime", *(within or (None, None)))
    if within is not None:
        return TimeLimit("after_formed", *within)
    return None


_PERIOD_LABELS = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
_UNIT_LABELS = {"workday": "个工作日", "day": "日", "month": "个月"}


def describe(limit: TimeLimit | None) -> str:
    """The rule in short Chinese words, as the catalogue page shows it."""
    if limit is None:
        return "未注明（按20个工作日）"
    if limit.kind == "after_formed":
        return f"形成后{limit.days}{_UNIT_LABELS.get(limit.unit or 'workday', '')}内"
    if limit.kind == "periodic":
        after = (
            f"期末后{limit.days}{_UNIT_LABELS.get(limit.unit or 'workday', '')}内"
            if limit.days
            else "当期结束前"
        )
        return f"{_PERIOD_LABELS.get(limit.period or '', '定期')}（{after}）"
    if limit.kind == "realtime":
        return "实时" + (f"（{limit.days}个工作日内）" if limit.days else "（未写明天数，按20个工作日）")
    return "长期公开（不判断时限）"
