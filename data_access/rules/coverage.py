"""Each catalogue item's own 公开时限 applied: a publication's due date, and periodic items' coverage.

Timeliness (`due_date`): a published item is judged against the time limit of its catalogue item
(`effective_limit`: the item's own 公开时限, else the nearest item above it that states one, else
the statutory 20 working days after the information was formed, 《政府信息公开条例》第二十六条):
- 形成后 N 个工作日 / 日 / 个月: N working days / calendar days / months after the day formed;
- 每月 / 每季度 / 每半年 / 每年: by the end of the period the information was formed in, plus the
  days the limit states after it (「每季度结束后10个工作日内」);
- 实时 / 即时: the working days the office states with it (「实时，最迟5个工作日」); until it
  states them, the statutory 20;
- 长期公开: no due date; such items are not judged.

Coverage (`coverage`): an item whose own 公开时限 is periodic is owed once in every period of the
year. A period is **on time** when an item counted for it was published between the period's
start and its due date, **late** when none was but one formed in the period was published after
the due date, and **missing** (目录事项未按期公开) when neither; each publication meets one period
at most (`judge_periods`). A period is judged once its due date has passed (or once it is met on
time); later ones are not due yet.
"""

from __future__ import annotations

import calendar as _month_days
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from data_access.rules.time_limits import DEFAULT_LIMIT, STATUTORY_WORKDAYS, TimeLimit
from data_access.rules.workdays import Calendar

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "half": 6, "year": 12}
STATUS_LABELS = {"on_time": "按期公开", "late": "逾期公开", "missing": "未按期公开"}


def effective_limit(chain: Iterable[TimeLimit | None]) -> TimeLimit | None:
    """The first stated limit along an item's chain (the item first, then each item above it)."""
    for limit in chain:
        if limit is not None:
            return limit
    return None


def is_default(limit: TimeLimit | None) -> bool:
    """True when the limit judges exactly as the statutory 20 working days after formed."""
    if limit is None:
        return True
    if limit.kind == "realtime" and limit.days is None:
        return True
    return limit == DEFAULT_LIMIT or (
        limit.kind == "realtime" and (limit.days, limit.unit) == (20, "workday")
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (1-31 + 1 month → 2-28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _month_days.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _after(day: dt.date, n: int, unit: str | None, cal: Calendar) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "month":
        return add_months(day, n)
    return cal.add_workdays(day, n)


def period_of(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the month / quarter / half-year / year `day` falls in."""
    size = MONTHS_PER_PERIOD[period]
    first_month = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first_month, 1)
    return start, add_months(start, size) - dt.timedelta(days=1)


def period_label(start: dt.date, period: str) -> str:
    """「2018年3月」, 「2018年第2季度」, 「2018年上半年」, 「2018年」."""
    if period == "month":
        return f"{start.year}年{start.month}月"
    if period == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if period == "half":
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年"


def period_due(end: dt.date, limit: TimeLimit, cal: Calendar) -> dt.date:
    """A periodic item's due date for the period ending on `end`."""
    return _after(end, limit.days, limit.unit, cal) if limit.days else end


def due_date(formed: dt.date, limit: TimeLimit | None, cal: Calendar) -> dt.date | None:
    """When an item formed on `formed` must be published under `limit` (None: 长期公开, no limit)."""
    if limit is None or limit.kind not in ("after_formed", "periodic", "realtime", "long_term"):
        return cal.add_workdays(formed, STATUTORY_WORKDAYS)
    if limit.kind == "long_term":
        return None
    if limit.kind == "periodic" and limit.period in MONTHS_PER_PERIOD:
        return period_due(period_of(formed, limit.period)[1], limit, cal)
    if limit.days:
        return _after(formed, limit.days, limit.unit, cal)
    return cal.add_workdays(formed, STATUTORY_WORKDAYS)


def on_time(
    formed: dt.date, published: dt.date | None, limit: TimeLimit | None, cal: Calendar
) -> bool | None:
    """True / False for a published item; None when it cannot be judged (unpublished, published
    before formed, or an item with no time limit)."""
    if published is None or published < formed:
        return None
    due = due_date(formed, limit, cal)
    return None if due is None else published <= due


# ------------------------------------------------------------------ coverage
@dataclass(frozen=True)
class Owed:
    """A periodic catalogue item one unit owes in a year."""

    item_id: int
    item_name: str
    unit_id: int
    unit_name: str
    limit: TimeLimit


@dataclass(frozen=True)
class CoverageLine:
    """One period of one owed item, judged."""

    owed: Owed
    label: str  # 2018年第1季度
    start: dt.date
    end: dt.date
    due: dt.date
    status: str  # on_time | late | missing
    published: dt.date | None  # the publication that met it (on time or late)

    @property
    def text(self) -> str:
        """The line the 主动公开 page and roll-ups show, naming the unit."""
        return self.sentence(with_unit=True)

    def sentence(self, *, with_unit: bool) -> str:
        """「甲街道「财政预决算」2018年第3季度未公开（应于2018-10-19前公开）」; without the unit when
        the reader looks at that unit alone."""
        who = self.owed.unit_name if with_unit else ""
        if self.status == "missing":
            return f"{who}「{self.owed.item_name}」{self.label}未公开（应于{self.due:%Y-%m-%d}前公开）"
        when = f"{self.published:%Y-%m-%d}" if self.published else ""
        return f"{who}「{self.owed.item_name}」{self.label}于{when}公开，晚于{self.due:%Y-%m-%d}"


@dataclass(frozen=True)
class Coverage:
    """Periods due, met on time, met late and missing; the lines that were not on time."""

    due: int
    on_time: int
    late: int
    missing: int
    lines: tuple[CoverageLine, ...]  # late and missing, in item order then period order

    def as_dict(self) -> dict[str, int]:
        """{"due", "on_time", "late", "missing"} as `kpis --json` prints it."""
        return {"due": self.due, "on_time": self.on_time, "late": self.late, "missing": self.missing}


def judging_day(year: int, month: int, today: dt.date) -> dt.date:
    """The day figures "as of the end of `month`" judge coverage on: `today`, or the day after the
    month ends when that is earlier (December: `today`, so that periods due in the next January count)."""
    if month >= 12:
        return today
    return min(today, add_months(dt.date(year, month, 1), 1))


def periods(year: int, period: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of a year, in order."""
    size = MONTHS_PER_PERIOD[period]
    return [period_of(dt.date(year, month, 1), period) for month in range(1, 13, size)]


def judge_periods(
    windows: Sequence[tuple[dt.date, dt.date, dt.date]], published: Sequence[tuple[dt.date, dt.date | None]]
) -> list[tuple[str, dt.date | None]]:
    """on_time / late / missing, and the day it was met, for each (start, end, due) window in
    order, from the (formed, published) pairs of the item. Each publication meets one period at
    most: the earliest one still open that it fits (published between the start and the due date;
    failing that, formed in the period and published after the due date: late)."""
    pairs = sorted((p, f) for f, p in published if p is not None)
    used = [False] * len(pairs)
    out: list[tuple[str, dt.date | None]] = []
    for start, end, due in windows:
        found = next(
            (i for i, (p, f) in enumerate(pairs) if not used[i] and start <= p <= due and f <= due), None
        )
        status = "on_time"
        if found is None:
            found = next(
                (i for i, (p, f) in enumerate(pairs) if not used[i] and start <= f <= end and p > due), None
            )
            status = "late"
        if found is None:
            out.append(("missing", None))
            continue
        used[found] = True
        out.append((status, pairs[found][0]))
    return out


def coverage(
    owed: Iterable[Owed],
    published: Mapping[tuple[int, int], Sequence[tuple[dt.date, dt.date | None]]],
    year: int,
    today: dt.date,
    cal: Calendar,
) -> Coverage:
    """Judge every period of the year of every owed item on `today`. `published` maps (unit id,
    item id) to the (formed, published) dates of the unit's items under that catalogue item."""
    counts = {"on_time": 0, "late": 0, "missing": 0}
    lines: list[CoverageLine] = []
    for o in owed:
        if o.limit.kind != "periodic" or o.limit.period not in MONTHS_PER_PERIOD:
            continue
        pairs = published.get((o.unit_id, o.item_id), ())
        windows = [
            (start, end, period_due(end, o.limit, cal)) for start, end in periods(year, o.limit.period)
        ]
        for (start, end, due), (status, when) in zip(windows, judge_periods(windows, pairs), strict=True):
            if status != "on_time" and due >= today:
                continue  # not due yet
            counts[status] += 1
            if status != "on_time":
                lines.append(
                    CoverageLine(o, period_label(start, o.limit.period), start, end, due, status, when)
                )
    return Coverage(sum(counts.values()), counts["on_time"], counts["late"], counts["missing"], tuple(lines))
