"""Reminders (`python -m data_access remind`): what is due on a day, and how it is told.

Pure functions on dates, a `Calendar` and plain values; data_access.read.reminders reads the
records and applies them, data_access.write.reminders sends and records.

- a request is reminded when its due date is at most REMIND_WORKDAYS working days away, today
  counted (the same ≤ 3 as the page's 即将到期, data_access.rules.deadlines), or past;
- a periodic catalogue item's period (每月/每季度/…) is reminded when nothing was published for
  it and its due date is at most REMIND_WORKDAYS working days away, and after it, overdue;
- a month's delivery to the archive and library is reminded during the first
  DELIVERY_LIMIT_WORKDAYS (3) working days of the next month, while it is still due;
- a bulletin board's quarterly update (or yearly renewal) is reminded during the last
  BOARD_NOTICE_WORKDAYS working days of its period while not done, and after it, overdue;
- lagging key projects are reminded during the last MONTH_END_WORKDAYS working days of a month;
- overdue items go to the unit's staff and its leaders, the others to its staff only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from data_access.rules.deadlines import DUE_SOON_WORKDAYS
from data_access.rules.duties import BoardDuty, delivery_due
from data_access.rules.workdays import Calendar

REMIND_WORKDAYS = DUE_SOON_WORKDAYS
BOARD_NOTICE_WORKDAYS = 10
MONTH_END_WORKDAYS = 3

# Item kinds in the order a message lists them, with their headings.
KIND_HEADINGS = {
    "request_overdue": "依申请公开：已逾期",
    "request_due": "依申请公开：即将到期",
    "correction": "依申请公开：等待补正",
    "delivery": "送交两馆",
    "board": "公开栏更新",
    "coverage": "目录事项应公开",
    "project": "重点项目滞后",
}
# The page of the app each kind points at (its address under PUBLIC_BASE_URL).
KIND_PAGES = {
    "request_overdue": "requests",
    "request_due": "requests",
    "correction": "requests",
    "delivery": "duties",
    "board": "duties",
    "coverage": "publications",
    "project": "projects",
}


@dataclass(frozen=True)
class Item:
    """One thing to remind: `key` names it across runs (one reminder per item, recipient and day);
    `unit_id` is the unit whose people answer for it; `overdue` items also go to its leaders."""

    key: str
    kind: str
    unit_id: int
    unit_name: str
    text: str
    due: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class Person:
    """Someone reminders may reach: their username, name, role, unit and e-mail address."""

    username: str
    display_name: str
    role: str  # leader | staff | admin
    unit_id: int
    email: str | None


def workdays_left(today: dt.date, due: dt.date, cal: Calendar) -> int:
    """Working days from today to the due date, both counted when worked (0 once it has passed)."""
    return cal.count_workdays(today - dt.timedelta(days=1), due)


def due_within(today: dt.date, due: dt.date, cal: Calendar, workdays: int = REMIND_WORKDAYS) -> bool:
    """True when the due date has not passed and is at most `workdays` working days away."""
    return today <= due and workdays_left(today, due, cal) <= workdays


def horizon(today: dt.date, cal: Calendar, workdays: int = REMIND_WORKDAYS) -> dt.date:
    """The first day past the reminder window: a due date before it is at most `workdays`
    working days away (today counted) or past."""
    return cal.add_workdays(today - dt.timedelta(days=1), workdays) + dt.timedelta(days=1)


def previous_month(today: dt.date) -> int:
    """The month before today's, as YYYYMM."""
    return today.year * 100 + today.month - 1 if today.month > 1 else (today.year - 1) * 100 + 12


def delivery_month_due(today: dt.date, cal: Calendar) -> int | None:
    """The month (YYYYMM) whose delivery is due now: last month's, during the first
    DELIVERY_LIMIT_WORKDAYS working days of this month (its due date not passed); else None."""
    ym = previous_month(today)
    return ym if today <= delivery_due(ym, cal) else None


def board_duty_due(
    duty: BoardDuty, today: dt.date, cal: Calendar, workdays: int = BOARD_NOTICE_WORKDAYS
) -> bool:
    """A board's current quarterly update or renewal not done yet, its period ending within
    `workdays` working days (today counted)."""
    return duty.status == "due" and due_within(today, duty.end, cal, workdays)


def is_month_end(today: dt.date, cal: Calendar, workdays: int = MONTH_END_WORKDAYS) -> bool:
    """True on the last `workdays` working days of today's month (and the days off between them)."""
    first_next = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    last = first_next - dt.timedelta(days=1)
    return workdays_left(today, last, cal) <= workdays


def recipients_for(item: Item, people: Sequence[Person], parents: Mapping[int, int | None]) -> list[Person]:
    """Who is reminded of an item: the staff of its unit (else of the nearest unit above it that
    has staff) and, for an overdue item, the leaders of its unit (else the nearest above it)."""

    def nearest(role: str) -> list[Person]:
        unit: int | None = item.unit_id
        seen: set[int] = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            found = [p for p in people if p.role == role and p.unit_id == unit]
            if found:
                return found
            unit = parents.get(unit)
        return []

    chosen = nearest("staff") + (nearest("leader") if item.overdue else [])
    return list({p.username: p for p in chosen}.values())


def by_recipient(
    items: Iterable[Item], people: Sequence[Person], parents: Mapping[int, int | None]
) -> dict[str, tuple[Person, list[Item]]]:
    """username → (the person, their items in message order), for every item's recipients."""
    found: dict[str, tuple[Person, list[Item]]] = {}
    for item in items:
        for person in recipients_for(item, people, parents):
            found.setdefault(person.username, (person, []))[1].append(item)
    order = list(KIND_HEADINGS)
    for _person, mine in found.values():
        mine.sort(key=lambda i: (order.index(i.kind), i.due or dt.date.max, i.key))
    return found


def subject(today: dt.date, items: Sequence[Item]) -> str:
    """The e-mail subject: 【政务公开提醒】2026-12-03：3 项待办（1 项已逾期）."""
    late = sum(1 for i in items if i.overdue)
    extra = f"（{late} 项已逾期）" if late else ""
    return f"【政务公开提醒】{today.isoformat()}：{len(items)} 项待办{extra}"


def message(person: Person, today: dt.date, items: Sequence[Item], base_url: str, *, markdown: bool) -> str:
    """One recipient's message grouping their items by kind, each with its due date and a link."""
    base = base_url.rstrip("/")
    grouped: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        grouped[item.kind].append(item)
    head = f"{person.display_name}，您好：{today.isoformat()} 有以下 {len(items)} 项政务公开工作需要处理。"
    lines = [f"### {subject(today, items)}" if markdown else subject(today, items), "", head]
    for kind, heading in KIND_HEADINGS.items():
        if not grouped.get(kind):
            continue
        link = f"{base}/{KIND_PAGES[kind]}"
        lines += ["", f"**{heading}**（[打开页面]({link})）" if markdown else f"【{heading}】 {link}"]
        for item in grouped[kind]:
            due = f"（期限 {item.due.isoformat()}）" if item.due else ""
            lines.append(f"- {item.text}{due}")
    lines += ["", "本消息由政务公开看板自动发送，同一事项每天只提醒一次。"]
    return "\n".join(lines)
