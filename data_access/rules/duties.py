"""Duty rules: publication timeliness, 送交两馆, bulletin boards (key projects: rules.projects).

Each rule is a pure function on plain values and a `Calendar`; data_access.read.duty_reports
reads the database with `select()` and calls them. Nothing is
stored: every answer comes from the current data and calendar.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from data_access.rules.coverage import due_date
from data_access.rules.time_limits import STATUTORY_WORKDAYS, TimeLimit
from data_access.rules.vocab import RECIPIENT_NAMES, RECIPIENTS
from data_access.rules.workdays import Calendar, package_calendar

PUBLICATION_LIMIT_WORKDAYS = STATUTORY_WORKDAYS
DELIVERY_LIMIT_WORKDAYS = 3
DELIVERY_LABELS = {"on_time": "按时送交", "late": "逾期送交", "missing": "未送交", "pending": "待送交"}
RENEWAL, QUARTERLY, REPAIR = "年度换新", "季度更新", "修缮"
# The updates a board's duties are judged from: given the day judging starts, board_status's duties
# (and so what is overdue, due next or 未登记) depend on these alone, not on repairs or 即时更新.
DUTY_KINDS = (RENEWAL, QUARTERLY)


# ------------------------------------------------------- publication timeliness
@dataclass(frozen=True)
class PublicationItem:
    """One proactive item as the timeliness rule sees it (`limit`: its catalogue item's 公开时限)."""

    formed: dt.date
    published: dt.date | None
    category: str = ""
    unit: str = ""
    ref: str = ""  # 索引号, for drill-down
    limit: TimeLimit | None = None


@dataclass(frozen=True)
class PublicationTiming:
    """Whether one item was published by its due date."""

    due: dt.date | None  # None: 长期公开, no time limit
    on_time: bool | None  # None: cannot be judged (not published, dates inconsistent, no limit)
    workdays_taken: int | None
    note: str | None = None
    warnings: tuple[str, ...] = ()


def publication_timing(
    formed: dt.date,
    published: dt.date | None,
    calendar: Calendar | None = None,
    limit: TimeLimit | None = None,
) -> PublicationTiming:
    """Judge one item against its catalogue item's time limit (data_access.rules.coverage.due_date):
    by default due on the 20th working day after the day formed (that day not counted)."""
    cal = calendar or package_calendar()
    due = due_date(formed, limit, cal)
    if due is None:
        return PublicationTiming(None, None, None, "长期公开，无公开时限")
    if published is None:
        return PublicationTiming(due, None, None, "尚未公开", cal.warnings_between(formed, due))
    if published < formed:
        return PublicationTiming(due, None, None, "公开日期早于形成日期，请核对")
    warnings = cal.warnings_between(formed, max(due, published))
    return PublicationTiming(due, published <= due, cal.count_workdays(formed, published), None, warnings)


@dataclass(frozen=True)
class TimelinessShare:
    """Items judged, on time and late for one group; `share` is None when nothing was judged."""

    key: str
    judged: int
    on_time: int
    unjudged: int = 0

    @property
    def late(self) -> int:
        """Items published after their due date."""
        return self.judged - self.on_time

    @property
    def share(self) -> float | None:
        """On-time share of the judged items (never a guessed zero)."""
        return round(self.on_time / self.judged, 4) if self.judged else None


@dataclass(frozen=True)
class TimelinessReport:
    """On-time shares overall, per category and per unit, with the late and unjudged items."""

    overall: TimelinessShare
    by_category: tuple[TimelinessShare, ...]
    by_unit: tuple[TimelinessShare, ...]
    exceptions: tuple[tuple[PublicationItem, PublicationTiming], ...]
    warnings: tuple[str, ...]


def timeliness_report(items: Iterable[PublicationItem], calendar: Calendar | None = None) -> TimelinessReport:
    """Share of items published on time, overall and per category and unit (groups in first-seen order)."""
    cal = calendar or package_calendar()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    exceptions: list[tuple[PublicationItem, PublicationTiming]] = []
    warnings: list[str] = []
    for item in items:
        timing = publication_timing(item.formed, item.published, cal, item.limit)
        warnings.extend(timing.warnings)
        slot = 2 if timing.on_time is None else 0
        for key in (("", ""), ("category", item.category), ("unit", item.unit)):
            counts[key][slot] += 1
            counts[key][1] += 1 if timing.on_time else 0
        if timing.on_time is not True:
            exceptions.append((item, timing))

    def share(kind: str, key: str) -> TimelinessShare:
        judged, on_time, unjudged = counts[(kind, key)]
        return TimelinessShare(key or "合计", judged, on_time, unjudged)

    return TimelinessReport(
        overall=share("", ""),
        by_category=tuple(share(k, n) for k, n in counts if k == "category"),
        by_unit=tuple(share(k, n) for k, n in counts if k == "unit"),
        exceptions=tuple(exceptions),
        warnings=tuple(dict.fromkeys(warnings)),
    )


# ------------------------------------------------------------- 送交两馆
@dataclass(frozen=True)
class DeliveryRecord:
    """One delivery row: the month covered (YYYYMM), to whom, when, how many items."""

    period_ym: int
    recipient: str
    delivered: dt.date | None
    item_count: int


@dataclass(frozen=True)
class DeliveryCheck:
    """One month's delivery to one recipient, judged on a given day."""

    period_ym: int
    recipient: str
    due: dt.date
    status: str  # on_time | late | missing | pending
    label: str
    delivered: dt.date | None
    workday_no: int | None  # which working day of the following month it was delivered on
    item_count: int | None
    published_count: int
    findings: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    recipient_name: str = ""  # what the unit calls it (its profile), e.g. 区档案馆


def _next_month(ym: int) -> tuple[int, int]:
    year, month = divmod(ym, 100)
    return (year + 1, 1) if month == 12 else (year, month + 1)


def delivery_due(period_ym: int, calendar: Calendar | None = None) -> dt.date:
    """The last day for month M's delivery: the 3rd working day of month M+1."""
    cal = calendar or package_calendar()
    return cal.nth_workday_of_month(*_next_month(period_ym), DELIVERY_LIMIT_WORKDAYS)


@dataclass(frozen=True)
class DeliveryMonth:
    """What every unit's delivery of one month is judged against: worked out once per month, not
    once per unit and recipient (a city judges a hundred units' months)."""

    period_ym: int
    first: dt.date  # the first day of the following month
    due: dt.date
    text: str  # e.g. "2018 年 7 月"
    warnings: tuple[str, ...]  # the calendar's missing-schedule warnings from `first` to `due`


def delivery_month(period_ym: int, calendar: Calendar | None = None) -> DeliveryMonth:
    """The month's delivery frame: its due date and what a line about it says."""
    cal = calendar or package_calendar()
    first, due = dt.date(*_next_month(period_ym), 1), delivery_due(period_ym, cal)
    text = f"{period_ym // 100} 年 {period_ym % 100} 月"
    return DeliveryMonth(period_ym, first, due, text, cal.warnings_between(first, due))


def check_delivery(
    period_ym: int,
    recipient: str,
    record: DeliveryRecord | None,
    published_count: int,
    today: dt.date,
    calendar: Calendar | None = None,
    names: Mapping[str, str] | None = None,
) -> DeliveryCheck:
    """Judge one month's delivery: on time, late (which working day), missing or pending; counts must match.
    `names` are what the unit calls its archive and library (default: 档案馆, 图书馆)."""
    cal = calendar or package_calendar()
    return _judge(delivery_month(period_ym, cal), recipient, record, published_count, today, cal, names)


def _judge(
    month: DeliveryMonth,
    recipient: str,
    record: DeliveryRecord | None,
    published_count: int,
    today: dt.date,
    cal: Calendar,
    names: Mapping[str, str] | None,
) -> DeliveryCheck:
    due, first, ym = month.due, month.first, month.text
    to = (names or RECIPIENT_NAMES).get(recipient) or RECIPIENT_NAMES.get(recipient, recipient)
    findings: list[str] = []
    delivered, workday_no = (record.delivered if record else None), None
    if record is not None and record.item_count != published_count:
        findings.append(f"{ym}送交{to} {record.item_count} 份，与当月主动公开 {published_count} 条不符")
    if record is not None and delivered is None:
        findings.append(f"{ym}送交{to}的记录缺少送交日期")
    if delivered is None and today <= due:
        status, label = "pending", f"{DELIVERY_LABELS['pending']}（期限 {due.isoformat()}）"
    elif delivered is None:
        status, label = "missing", f"{DELIVERY_LABELS['missing']}（应于 {due.isoformat()} 前送交）"
        if record is None:
            zero = "；当月无主动公开信息，也应报送数量为 0 的记录" if published_count == 0 else ""
            findings.append(f"{ym}未见送交{to}的记录{zero}")
    else:
        if delivered >= first:
            workday_no = cal.count_workdays(first - dt.timedelta(days=1), delivered)
        else:
            findings.append(f"{ym}送交{to}的日期 {delivered.isoformat()} 早于该月结束，请核对")
        if delivered <= due:
            status, label = "on_time", DELIVERY_LABELS["on_time"]
            label += f"（次月第 {workday_no} 个工作日）" if workday_no else ""
        else:
            status, label = "late", f"{DELIVERY_LABELS['late']}（次月第 {workday_no} 个工作日送交）"
    warnings = month.warnings  # the calendar's warnings up to the due day, or to a later delivery
    if delivered is not None and delivered > due:
        warnings = cal.warnings_between(first, delivered)
    return DeliveryCheck(
        period_ym=month.period_ym,
        recipient=recipient,
        due=due,
        status=status,
        label=label,
        delivered=delivered,
        workday_no=workday_no,
        item_count=record.item_count if record else None,
        published_count=published_count,
        findings=tuple(findings),
        warnings=warnings,
        recipient_name=to,
    )


def months_ended(year: int, today: dt.date) -> list[int]:
    """The months (YYYYMM) of a year that have ended by today: those whose delivery is due."""
    return [year * 100 + m for m in range(1, 13) if dt.date(*_next_month(year * 100 + m), 1) <= today]


def check_deliveries(
    records: Iterable[DeliveryRecord],
    published_counts: Mapping[int, int],
    months: Iterable[int | DeliveryMonth],
    today: dt.date,
    calendar: Calendar | None = None,
    recipients: Iterable[str] = RECIPIENTS,
    names: Mapping[str, str] | None = None,
) -> list[DeliveryCheck]:
    """Judge every (month, recipient) pair; a month without a record is missing even with zero items.
    `months` are YYYYMM numbers or their frames (delivery_month), which a caller judging many units
    works out once."""
    cal = calendar or package_calendar()
    by_key = {(r.period_ym, r.recipient): r for r in records}
    frames = [m if isinstance(m, DeliveryMonth) else delivery_month(m, cal) for m in months]
    return [
        _judge(
            m, rcp, by_key.get((m.period_ym, rcp)), published_counts.get(m.period_ym, 0), today, cal, names
        )
        for m in frames
        for rcp in recipients
    ]


def plainly_on_time(
    month: DeliveryMonth, delivered: dt.date | None, item_count: int, published_count: int
) -> bool:
    """Whether a month's delivery (its day and count) is on time with nothing to note: delivered
    between the month's end and its due day, with as many items as the month published. Its check
    would say 按时 with no findings, so a caller judging a city's deliveries can count it without
    building the check."""
    return delivered is not None and month.first <= delivered <= month.due and item_count == published_count


@dataclass(frozen=True)
class DeliveryTally:
    """Many deliveries judged at once: the plainly on-time ones (`plainly_on_time`) counted, the
    checks of the rest (late, missing, pending, or on time with something to note) kept."""

    plain: int
    others: tuple[DeliveryCheck, ...]

    @property
    def judged(self) -> int:
        """Deliveries that were due (not pending)."""
        return self.plain + sum(1 for c in self.others if c.status != "pending")

    @property
    def on_time(self) -> int:
        return self.plain + sum(1 for c in self.others if c.status == "on_time")


def tally_units(
    rows: Iterable[tuple[int, int, str, dt.date | None, int]],
    published: Mapping[int, Mapping[int, int]],
    months: Iterable[DeliveryMonth],
    units: Iterable[int],
    today: dt.date,
    calendar: Calendar,
    names: Mapping[int, Mapping[str, str]],
    recipients: Iterable[str] = RECIPIENTS,
) -> dict[int, DeliveryTally]:
    """check_deliveries for each of many units, with the plainly on-time deliveries counted instead of
    checked, in one pass over all their rows (`rows`: unit id, month, recipient, delivered, items;
    `published`: each unit's month → items; `names`: what each calls its recipients, default 档案馆,
    图书馆): a plainly on-time row is only noted, and only the others become records to check."""
    frames = {m.period_ym: m for m in months}
    plain: dict[int, set[tuple[int, str]]] = defaultdict(set)
    kept: dict[int, dict[tuple[int, str], DeliveryRecord]] = defaultdict(dict)
    nothing: Mapping[int, int] = {}
    for uid, ym, rcp, delivered, item_count in rows:
        month = frames.get(ym)
        if month is not None and plainly_on_time(
            month, delivered, item_count, published.get(uid, nothing).get(ym, 0)
        ):
            plain[uid].add((ym, rcp))
        else:
            kept[uid][(ym, rcp)] = DeliveryRecord(ym, rcp, delivered, item_count)
    pairs = [(m, rcp) for m in frames.values() for rcp in recipients]
    out: dict[int, DeliveryTally] = {}
    for uid in units:
        on_time, records, counts = plain.get(uid, set()), kept.get(uid, {}), published.get(uid, nothing)
        others = [
            _judge(m, rcp, records.get((m.period_ym, rcp)), counts.get(m.period_ym, 0), today, calendar,
                   names.get(uid))
            for m, rcp in pairs
            if (m.period_ym, rcp) not in on_time
        ]  # fmt: skip
        out[uid] = DeliveryTally(len(pairs) - len(others), tuple(others))
    return out


# ------------------------------------------------------------ bulletin boards
@dataclass(frozen=True)
class BoardEvent:
    """One update of a board: date, kind (年度换新 / 季度更新 / 即时更新 / 修缮), note."""

    day: dt.date
    kind: str
    note: str | None = None


@dataclass(frozen=True)
class BoardDuty:
    """One renewal or quarterly update a board owes for a period."""

    kind: str  # 年度换新 | 季度更新
    period: str  # e.g. "2018 年", "2018 年第 2 季度"
    start: dt.date
    end: dt.date
    status: str  # done | overdue | due (current period, not done yet) | upcoming | unrecorded
    done_on: dt.date | None = None

    @property
    def label(self) -> str:
        """One Chinese line, e.g. "2018 年第 2 季度季度更新：已逾期"."""
        text = {"done": f"已完成（{self.done_on}）", "overdue": "已逾期", "due": f"待完成（{self.end} 前）",
                "unrecorded": "未登记"}  # fmt: skip
        return f"{self.period}{self.kind}：{text.get(self.status, f'{self.start} 起')}"


@dataclass(frozen=True)
class BoardStatus:
    """A board's duties up to today: what is overdue, what is due next, and its repairs."""

    duties: tuple[BoardDuty, ...]  # every period up to the current one
    overdue: tuple[BoardDuty, ...]
    next_due: tuple[BoardDuty, ...]
    repairs: tuple[BoardEvent, ...]
    last_update: dt.date | None

    @property
    def unrecorded(self) -> bool:
        """Whether every period judged so far ended before the unit recorded any board update (未登记)."""
        return _all_unrecorded(self.duties)


def _all_unrecorded(duties: tuple[BoardDuty, ...]) -> bool:
    ended = [d for d in duties if d.status != "due"]
    return bool(ended) and all(d.status == "unrecorded" for d in ended)


def _quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


_DAY = attrgetter("day")


@lru_cache(maxsize=64)
def _periods(kind: str, since: dt.date, today: dt.date) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """Every period from the one containing `since` to the one after today's (the same for every
    board judged alike: a city's 400 boards share one list)."""
    year, q = since.year, (since.month - 1) // 3 + 1
    out = []
    while True:
        if kind == RENEWAL:
            start, end, name = dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year} 年"
            year += 1
        else:
            (start, end), name = _quarter(year, q), f"{year} 年第 {q} 季度"
            year, q = (year + 1, 1) if q == 4 else (year, q + 1)
        out.append((name, start, end))
        if start > today:
            return tuple(out)


def board_status(
    updates: Iterable[BoardEvent],
    today: dt.date,
    since: dt.date | None = None,
    recorded_from: dt.date | None = None,
) -> BoardStatus:
    """Renewal each year, an update each quarter (a renewal counts as its quarter's update), from `since`.

    Nothing recorded is not a failure: a period that ended before `recorded_from` (the day the unit
    first recorded a board update; dt.date.max when it never has) and holds no update is
    "unrecorded" (未登记), not overdue. None: every period is judged."""
    events = sorted((e for e in updates if e.day <= today), key=_DAY)
    since = since or (dt.date(events[0].day.year, 1, 1) if events else dt.date(today.year, 1, 1))
    days = [e.day for e in events]  # sorted: each period finds its events by bisection

    def done_in(kind: str, start: dt.date, end: dt.date) -> dt.date | None:
        counts = DONE_BY[kind]
        for i in range(bisect.bisect_left(days, start), bisect.bisect_right(days, end)):
            if events[i].kind in counts:
                return days[i]
        return None

    duties, overdue, next_due = _judge_periods(done_in, today, since, recorded_from)
    return BoardStatus(
        duties=duties,
        overdue=overdue,
        next_due=next_due,
        repairs=tuple(e for e in events if e.kind == REPAIR),
        last_update=events[-1].day if events else None,
    )


# What does a period's duty: a renewal the year's, a renewal or a quarterly update the quarter's.
DONE_BY = {RENEWAL: (RENEWAL,), QUARTERLY: (RENEWAL, QUARTERLY)}


def _judge_periods(
    done_in: Callable[[str, dt.date, dt.date], dt.date | None],
    today: dt.date,
    since: dt.date,
    recorded_from: dt.date | None,
) -> tuple[tuple[BoardDuty, ...], tuple[BoardDuty, ...], tuple[BoardDuty, ...]]:
    """Every period's duty from `since` up to the current one (renewals first), the overdue ones and
    the next due per kind, given on which day (or None) each period's duty was done."""
    duties: list[BoardDuty] = []
    overdue: list[BoardDuty] = []
    pending: dict[str, BoardDuty] = {}  # per kind, the first period not yet done and not yet over
    for kind in (RENEWAL, QUARTERLY):
        for name, start, end in _periods(kind, since, today):
            done = done_in(kind, start, end)
            if done:
                status = "done"
            elif recorded_from is not None and end < recorded_from and end < today:
                status = "unrecorded"
            elif end < today:
                status = "overdue"
            else:
                status = "due" if start <= today else "upcoming"
            duty = BoardDuty(kind, name, start, end, status, done)
            if status != "upcoming":
                duties.append(duty)
            if status == "overdue":
                overdue.append(duty)
            elif status in ("due", "upcoming") and kind not in pending:
                pending[kind] = duty
    return (
        tuple(duties),
        tuple(overdue),
        tuple(pending[kind] for kind in (QUARTERLY, RENEWAL) if kind in pending),
    )


def duty_periods(since: dt.date, today: dt.date) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """(kind, start, end) of every period whose duty can have been done by `today`, judged from
    `since`: the periods a board's overdue duties and 未登记 depend on (see `judge_duties`)."""
    return tuple(
        (kind, start, end) for kind in (RENEWAL, QUARTERLY) for _n, start, end in _periods(kind, since, today)
        if start <= today
    )  # fmt: skip


def done_periods(
    updates: Iterable[BoardEvent], since: dt.date, today: dt.date
) -> frozenset[tuple[str, dt.date]]:
    """The (kind, start) of the periods of `duty_periods` whose duty one of the updates did: what a
    database read per board (data_access.read.duty_reports.board_duty_periods) returns."""
    days = [(e.day, e.kind) for e in updates if e.day <= today]
    return frozenset(
        (kind, start)
        for kind, start, end in duty_periods(since, today)
        if any(start <= day <= end and k in DONE_BY[kind] for day, k in days)
    )


class DutyJudgment(NamedTuple):
    """What a board owes, as the overview counts it: its overdue duties, and whether its unit had
    recorded nothing over the periods judged (未登记)."""

    overdue: tuple[BoardDuty, ...]
    unrecorded: bool


def judge_duties(
    done: frozenset[tuple[str, dt.date]], today: dt.date, since: dt.date, recorded_from: dt.date | None
) -> DutyJudgment:
    """board_status's overdue duties and 未登记 for a board whose duty was done in the periods `done`
    ((kind, start) of `duty_periods`, e.g. from `done_periods`), judged from `since` on `today`.

    The judgment depends on which periods were done, not on the days: a city's 400 boards fall into
    a few patterns, each judged once (only how `recorded_from` falls among the periods' ends
    matters, so it is first brought between `since` and `today`)."""
    if recorded_from is not None:
        recorded_from = min(max(recorded_from, since), today)
    return _judged(done, today, since, recorded_from)


@lru_cache(maxsize=4096)
def _judged(
    done: frozenset[tuple[str, dt.date]], today: dt.date, since: dt.date, recorded_from: dt.date | None
) -> DutyJudgment:
    duties, overdue, _next = _judge_periods(
        lambda kind, start, _end: start if (kind, start) in done else None, today, since, recorded_from
    )
    return DutyJudgment(overdue, _all_unrecorded(duties))
