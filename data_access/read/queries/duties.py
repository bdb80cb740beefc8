"""公开栏与两馆: each bulletin board's schedule for a year and the monthly deliveries to the archive and library."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.read.duty_reports import (
    board_duty_periods,
    board_records,
    delivery_reports,
    delivery_tallies,
)
from data_access.read.queries.scope import judged_on, unit_names
from data_access.rules.duties import BoardDuty, BoardEvent, DeliveryCheck, board_status, judge_duties


@dataclass(frozen=True)
class BoardLine:
    """One board's year: what it owed, what was done, what is overdue or due next."""

    unit: str
    name: str
    location: str | None
    last_renewal: dt.date | None
    quarterly: tuple[dt.date, ...]  # dates of 季度更新 in the year
    events: tuple[BoardEvent, ...]  # every update in the year, in date order
    repairs: tuple[BoardEvent, ...]
    overdue: tuple[BoardDuty, ...]
    next_due: tuple[BoardDuty, ...]
    unrecorded: bool = False  # nothing recorded yet for the unit's boards over the year's periods (未登记)


@dataclass(frozen=True)
class DeliveryLine:
    """One unit's delivery of one month to one recipient, judged."""

    unit: str
    check: DeliveryCheck

    @property
    def count_mismatch(self) -> bool:
        """A delivery whose count differs from the month's proactive items."""
        return self.check.item_count is not None and self.check.item_count != self.check.published_count


def overdue_line(duties: tuple[BoardDuty, ...]) -> str:
    """What a board still owes, in one short line, e.g. '2018 年第 2、3 季度更新'."""
    parts = []
    renewals = [d.period for d in duties if d.kind == "年度换新"]
    if renewals:
        parts.append("、".join(renewals) + "换新")
    quarters: dict[str, list[str]] = defaultdict(list)
    for d in duties:
        if d.kind == "季度更新":
            year, _, quarter = d.period.partition("第 ")
            quarters[year].append(quarter.removesuffix(" 季度"))
    parts += [f"{year}第 {'、'.join(qs)} 季度更新" for year, qs in quarters.items()]
    return "；".join(parts)


@dataclass(frozen=True)
class JudgedBoard:
    """One board's duties for a year (what the overview counts): what is overdue, and whether its
    unit had recorded nothing over the periods judged (未登记)."""

    unit: str
    name: str
    overdue: tuple[BoardDuty, ...]
    unrecorded: bool


def judged_boards(
    session: Session, ids: tuple[int, ...], year: int, today: dt.date
) -> tuple[JudgedBoard, ...]:
    """Every board of the units (not the LED screen) judged for the year as boards() judges it,
    from the periods whose duty its updates did (rules.duties.judge_duties: a board's overdue
    duties and 未登记 depend on those alone, so the database counts them per board and a city's
    400 boards are judged in a few patterns)."""
    as_of, start = judged_on(year, today), dt.date(year, 1, 1)
    names = unit_names(session, ids)
    boards_, first = board_duty_periods(session, list(ids), start, as_of)
    judged = []
    for b in boards_:
        duty = judge_duties(b.done, as_of, start, first.get(b.unit_id, dt.date.max))
        judged.append(JudgedBoard(names.get(b.unit_id, ""), b.name, duty.overdue, duty.unrecorded))
    return tuple(judged)


def boards(session: Session, ids: tuple[int, ...], year: int, today: dt.date) -> tuple[BoardLine, ...]:
    """Every board of the units (the LED screen owes no renewals and is left out), judged for the year."""
    as_of, start = judged_on(year, today), dt.date(year, 1, 1)
    names = unit_names(session, ids)
    boards_, updates, first = board_records(session, list(ids), as_of, since=start)
    last = min(as_of, dt.date(year, 12, 31))  # a year judged on 1 January lists its own updates only
    lines = []
    for board in boards_:
        status = board_status(updates[board.id], as_of, start, first.get(board.unit_id, dt.date.max))
        in_year = tuple(e for e in updates.get(board.id, ()) if e.day <= last)
        renewals = [e.day for e in in_year if e.kind == "年度换新"]
        lines.append(
            BoardLine(
                unit=names.get(board.unit_id, ""),
                name=board.name,
                location=board.location,
                last_renewal=renewals[-1] if renewals else None,
                quarterly=tuple(e.day for e in in_year if e.kind == "季度更新"),
                events=in_year,
                repairs=tuple(e for e in status.repairs if start <= e.day),
                overdue=status.overdue,
                next_due=status.next_due if as_of == today else (),
                unrecorded=status.unrecorded,
            )
        )
    return tuple(lines)


def deliveries(session: Session, ids: tuple[int, ...], year: int, today: dt.date) -> tuple[DeliveryLine, ...]:
    """Each ended month of the year for every unit that delivers (has deliveries or published items)."""
    names = unit_names(session, ids)
    return tuple(
        DeliveryLine(names.get(uid, ""), check)
        for uid, checks in delivery_reports(session, list(ids), year, today).items()
        for check in checks
    )


@dataclass(frozen=True)
class DeliverySummary:
    """The year's deliveries in figures (what the overview shows): how many were due, how many on
    time, and the lines of every delivery that was not plainly on time (late, missing, pending, or
    on time with something to note)."""

    judged: int
    on_time: int
    lines: tuple[DeliveryLine, ...]


def delivery_summary(session: Session, ids: tuple[int, ...], year: int, today: dt.date) -> DeliverySummary:
    """deliveries() in figures: the plainly on-time deliveries are counted, not listed."""
    names = unit_names(session, ids)
    tallies = delivery_tallies(session, list(ids), year, today)
    return DeliverySummary(
        judged=sum(t.judged for t in tallies.values()),
        on_time=sum(t.on_time for t in tallies.values()),
        lines=tuple(DeliveryLine(names.get(uid, ""), c) for uid, t in tallies.items() for c in t.others),
    )
