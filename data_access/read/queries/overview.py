"""总览's extra figures: against last year and target, timeliness, requests, boards, deliveries, and
the short list of things needing a leader's attention, each pointing at the page that explains it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.read.queries import coverage, duties, projects, publications, requests
from data_access.read.queries.scope import Scope
from data_access.rules.coverage import Coverage

ATTENTION_SHOWN = 12  # the 需要关注 list shows this many items; requests come first


@dataclass(frozen=True)
class Attention:
    """One thing to look at: kind request | project | board | delivery | coverage (a periodic
    catalogue item not published in a period), a Chinese line, a month, and the item itself where
    its page can show it chosen (a request's number, a project's id) for the link's query string."""

    kind: str
    text: str
    month: int | None = None
    item: str | None = None


@dataclass(frozen=True)
class LeaderSummary:
    """The figures the overview adds to data_access.read.kpis.compute."""

    year: int
    total: int
    last_year_total: int
    has_last_year: bool
    target: float | None
    timeliness: float | None
    timeliness_judged: int
    requests_open: int
    requests_overdue: int
    requests_on_time: float | None
    requests_answered: int
    boards: int
    boards_overdue: int  # boards with at least one overdue renewal or quarterly update
    deliveries_judged: int  # months × recipients that were due
    deliveries_on_time: int
    attention: tuple[Attention, ...]  # every item but requests: only the first ATTENTION_SHOWN of those
    requests_due_soon: int = 0
    coverage: Coverage | None = None  # periodic catalogue items; None: none owed (未录入)
    boards_unrecorded: int = 0  # boards of units that had recorded no update yet (未登记, not overdue)

    @property
    def attention_total(self) -> int:
        """Items needing attention in all, requests overdue or due soon included."""
        return (
            sum(a.kind != "request" for a in self.attention) + self.requests_overdue + self.requests_due_soon
        )

    @property
    def target_progress(self) -> float | None:
        """Items ÷ target (None without a target)."""
        return round(self.total / self.target, 4) if self.target else None

    @property
    def deliveries_rate(self) -> float | None:
        """On-time deliveries ÷ deliveries due."""
        return round(self.deliveries_on_time / self.deliveries_judged, 4) if self.deliveries_judged else None


def _ym(ym: int) -> str:
    return f"{ym // 100} 年 {ym % 100} 月"


def summary(session: Session, sc: Scope, year: int, today: dt.date, has_last_year: bool) -> LeaderSummary:
    """The overview's figures for a unit and year, judged on `today` (31 December for a past year)."""
    monthly = publications.monthly_counts(session, sc.ids, (year - 1, year))
    overall, _ = publications.timeliness_by(session, sc.ids, year, "category")
    answered, on_time = requests.on_time_by_unit(session, sc.ids, year, today, by_unit=False).get(
        None, (0, 0)
    )
    # A past year's view lists the requests received in it or before that are still open today (a
    # 2018 view never lists a 2019 request), each line saying on which day it was judged.
    view_end = min(today, dt.date(year, 12, 31))
    opened = requests.open_figures(session, sc.ids, today, ATTENTION_SHOWN, received_by=view_end)
    judged = "" if view_end == today else f"（{today:%Y-%m-%d} 状态）"
    board_lines = duties.judged_boards(session, sc.ids, year, today)
    delivered = duties.delivery_summary(session, sc.ids, year, today)
    attention: list[Attention] = []

    def whose(unit: str) -> str:  # a line of a unit under the one asked about names it
        return "" if unit == sc.name else f"{unit}："

    for r in opened.first:
        text = f"依申请公开 {r.request_no}：{r.status_label}{judged}"
        attention.append(Attention("request", text, item=r.request_no))
    months = projects.months(session, sc.ids, year)
    if months:
        for pid, unit, name, progress in projects.lagging(session, sc.ids, year, months[-1]):
            text = f"{whose(unit)}重点项目「{name}」完成进度 {progress:.1%}，滞后"
            attention.append(Attention("project", text, months[-1], str(pid)))
    for b in board_lines:
        if b.overdue:
            text = f"{whose(b.unit)}{b.name}：{duties.overdue_line(b.overdue)}逾期未完成"
            attention.append(Attention("board", text))
    for d in delivered.lines:
        c = d.check
        if c.status in ("late", "missing") or d.count_mismatch:
            text = f"{whose(d.unit)}{_ym(c.period_ym)}送交{c.recipient_name}：{c.label}"
            if d.count_mismatch:
                text += f"；份数 {c.item_count} 与当月公开 {c.published_count} 条不符"
            attention.append(Attention("delivery", text, c.period_ym % 100))
    covered = coverage.coverage(session, sc.ids, year, today)
    for line in covered.lines if covered else ():
        if line.status == "missing":
            text = line.sentence(with_unit=line.owed.unit_id != sc.unit_id)
            attention.append(Attention("coverage", f"目录事项未按期公开：{text}", line.end.month))
    return LeaderSummary(
        year=year,
        total=sum(n for (y, _m), n in monthly.items() if y == year),
        last_year_total=sum(n for (y, _m), n in monthly.items() if y == year - 1),
        has_last_year=has_last_year,
        target=publications.targets(session, sc.unit_id, year).get(None),
        timeliness=overall.share,
        timeliness_judged=overall.judged,
        requests_open=opened.open,
        requests_overdue=opened.overdue,
        requests_on_time=round(on_time / answered, 4) if answered else None,
        requests_answered=answered,
        boards=len(board_lines),
        boards_overdue=sum(1 for b in board_lines if b.overdue),
        deliveries_judged=delivered.judged,
        deliveries_on_time=delivered.on_time,
        attention=tuple(attention),
        requests_due_soon=opened.due_soon,
        coverage=covered,
        boards_unrecorded=sum(1 for b in board_lines if b.unrecorded),
    )
