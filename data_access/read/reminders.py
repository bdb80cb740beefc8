"""What `python -m data_access remind` tells whom on a day: the items due (data_access.rules.reminders)
read with the same queries the pages use — open requests judged by their deadlines
(read.queries.request_lines), deliveries and boards (read.duty_reports), catalogue items not
published in a period (read.queries.coverage) and lagging key projects (rules.projects) — and
the people they go to (active staff and leaders, with their e-mail addresses)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.read.duty_reports import board_report, delivery_reports
from data_access.read.queries.coverage import coverage
from data_access.read.queries.request_lines import Deadlines, load_lines
from data_access.rules import reminders as rules
from data_access.rules.duties import RENEWAL, DeliveryCheck, check_delivery
from data_access.rules.projects import is_lagging, lag_threshold
from data_access.rules.reminders import Item, Person
from data_access.rules.workdays import Calendar
from data_access.store.holidays import load_calendar
from data_access.store.models import (
    AppUser,
    Delivery,
    DisclosureRequest,
    OrgUnit,
    Project,
    ProjectProgress,
    ZeroReport,
)
from data_access.store.reference import unit_profiles


def units(session: Session) -> tuple[dict[int, str], dict[int, int | None]]:
    """Every unit's name and parent, by id."""
    rows = session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id)).all()
    return {uid: name for uid, name, _p in rows}, {uid: parent for uid, _n, parent in rows}


def people(session: Session) -> list[Person]:
    """The active staff and leaders (admins administer; they are not reminded of the work)."""
    rows = session.execute(
        select(AppUser.username, AppUser.display_name, AppUser.role, AppUser.unit_id, AppUser.email)
        .where(AppUser.active.is_(True), AppUser.role.in_(("staff", "leader")))
        .order_by(AppUser.username)
    ).all()
    return [Person(u, d, r, unit, (e or "").strip() or None) for u, d, r, unit, e in rows]


def due_items(session: Session, today: dt.date, cal: Calendar | None = None) -> list[Item]:
    """Everything due on `today`, for every unit."""
    cal = cal or load_calendar(session)
    names, _parents = units(session)
    ids = sorted(names)
    return [
        *_requests(session, today, cal, names),
        *_deliveries(session, ids, today, cal, names),
        *_boards(session, ids, today, cal, names),
        *_coverage(session, ids, today, cal),
        *_projects(session, today, cal, names),
    ]


def _requests(session: Session, today: dt.date, cal: Calendar, names: dict[int, str]) -> list[Item]:
    """Open requests due within REMIND_WORKDAYS working days, overdue, or waiting for a 补正."""
    r = DisclosureRequest.__table__.c
    judge = Deadlines(session, today, cal)
    lines = load_lines(
        session, (r.reply_date.is_(None), r.received_date <= today), (), judge, (r.received_date, r.id)
    )
    out = []
    for ln in lines:
        key = f"request:{ln.unit_id}:{ln.request_no}"
        head = f"{names.get(ln.unit_id, '')} {ln.request_no}（{ln.received.isoformat()} 收到）"
        if ln.status == "overdue":
            out.append(
                Item(
                    key,
                    "request_overdue",
                    ln.unit_id,
                    names.get(ln.unit_id, ""),
                    f"{head}：{ln.status_label}",
                    ln.due,
                    True,
                )
            )
        elif ln.status == "due_soon":
            out.append(
                Item(
                    key,
                    "request_due",
                    ln.unit_id,
                    names.get(ln.unit_id, ""),
                    f"{head}：{ln.status_label}",
                    ln.due,
                    False,
                )
            )
        elif ln.status == "awaiting_correction":
            text = f"{head}：已通知补正，期限暂停计算；收到补正后的申请请及时登记收到日期，期限自该日重新计算"
            out.append(Item(key, "correction", ln.unit_id, names.get(ln.unit_id, ""), text, None, False))
    return out


def _deliveries(
    session: Session, ids: list[int], today: dt.date, cal: Calendar, names: dict[int, str]
) -> list[Item]:
    """Last month's delivery while it is due (the first 3 working days of this month), and the
    year's months not delivered, for the units that deliver: those that entered deliveries for
    the year, or last year (a new year's first month is due before anything is entered for it)."""
    ym = rules.delivery_month_due(today, cal)
    year = rules.previous_month(today) // 100
    checks = delivery_reports(session, ids, year, today, cal)
    out: list[Item] = []
    seen: set[tuple[int, int, str]] = set()

    def add(uid: int, c: DeliveryCheck) -> None:
        seen.add((uid, c.period_ym, c.recipient))
        month = f"{c.period_ym // 100} 年 {c.period_ym % 100} 月"
        if c.status == "pending" and c.period_ym == ym:
            text = f"{names.get(uid, '')} {month}主动公开信息送交{c.recipient_name}：待送交"
            out.append(
                Item(
                    f"delivery:{uid}:{c.period_ym}:{c.recipient}",
                    "delivery",
                    uid,
                    names.get(uid, ""),
                    text,
                    c.due,
                    False,
                )
            )
        elif c.status == "missing":
            text = f"{names.get(uid, '')} {month}主动公开信息送交{c.recipient_name}：{c.label}"
            out.append(
                Item(
                    f"delivery:{uid}:{c.period_ym}:{c.recipient}",
                    "delivery",
                    uid,
                    names.get(uid, ""),
                    text,
                    c.due,
                    True,
                )
            )

    for uid, found in checks.items():
        for c in found:
            add(uid, c)
    if ym is not None:
        last_year = (ym // 100 - 1) * 100
        earlier = set(
            session.scalars(
                select(Delivery.unit_id)
                .where(Delivery.period_ym.between(last_year + 1, last_year + 12))
                .distinct()
            )
        ) | set(
            session.scalars(
                select(ZeroReport.unit_id).where(
                    ZeroReport.kind == "deliveries", ZeroReport.year == ym // 100 - 1
                )
            )
        )
        fresh = sorted(earlier - set(checks))
        profiles = unit_profiles(session, fresh)
        for uid in fresh:
            for recipient in ("archive", "library"):
                c = check_delivery(ym, recipient, None, 0, today, cal, profiles[uid].recipient_names)
                add(uid, c)
    return out


def _boards(
    session: Session, ids: list[int], today: dt.date, cal: Calendar, names: dict[int, str]
) -> list[Item]:
    """Each board's update (or renewal) due in the last working days of its period, and the
    year's overdue ones."""
    out = []
    for board, status in board_report(session, ids, today, since=dt.date(today.year, 1, 1)):
        uid = board.unit_id
        for duty in status.overdue:
            key = f"board:{board.id}:{duty.kind}:{duty.start.isoformat()}"
            text = f"{names.get(uid, '')} {board.name}：{duty.period}{duty.kind}已逾期"
            out.append(Item(key, "board", uid, names.get(uid, ""), text, duty.end, True))
        for duty in status.next_due:
            if rules.board_duty_due(duty, today, cal):
                key = f"board:{board.id}:{duty.kind}:{duty.start.isoformat()}"
                what = "年度换新" if duty.kind == RENEWAL else "季度更新"
                text = f"{names.get(uid, '')} {board.name}：{duty.period}{what}尚未完成"
                out.append(Item(key, "board", uid, names.get(uid, ""), text, duty.end, False))
    return out


def _coverage(session: Session, ids: list[int], today: dt.date, cal: Calendar) -> list[Item]:
    """Periodic catalogue items with nothing published for a period (目录事项未按期公开): due
    within REMIND_WORKDAYS working days, or past due — this year's, and last year's periods
    whose due date falls in this year. The coverage read judges on the day after the window, so
    the periods due inside it count as not met yet."""
    out = []
    ahead = rules.horizon(today, cal)
    for year in (today.year - 1, today.year):
        found = coverage(session, ids, year, ahead, cal)
        for line in found.lines if found else ():
            if line.status != "missing" or (year < today.year and line.due.year < today.year):
                continue
            o = line.owed
            key = f"coverage:{o.unit_id}:{o.item_id}:{line.start.isoformat()}"
            if line.due < today:
                text = f"目录事项未按期公开：{line.sentence(with_unit=True)}"
                out.append(Item(key, "coverage", o.unit_id, o.unit_name, text, line.due, True))
            elif rules.due_within(today, line.due, cal):
                left = rules.workdays_left(today, line.due, cal)
                text = f"{o.unit_name}「{o.item_name}」{line.label}尚未公开（剩 {left} 个工作日）"
                out.append(Item(key, "coverage", o.unit_id, o.unit_name, text, line.due, False))
    return out


def _projects(session: Session, today: dt.date, cal: Calendar, names: dict[int, str]) -> list[Item]:
    """At month end: the key projects lagging in each unit's latest month of figures this year."""
    if not rules.is_month_end(today, cal):
        return []
    latest = (
        select(ProjectProgress.unit_id, func.max(ProjectProgress.month).label("month"))
        .where(ProjectProgress.year == today.year, ProjectProgress.month <= today.month)
        .group_by(ProjectProgress.unit_id)
        .subquery()
    )
    rows = session.execute(
        select(
            ProjectProgress.unit_id,
            ProjectProgress.month,
            Project.name,
            ProjectProgress.ytd_invested,
            ProjectProgress.annual_plan,
        )  # fmt: skip
        .join(Project, Project.id == ProjectProgress.project_id)
        .join(
            latest, (latest.c.unit_id == ProjectProgress.unit_id) & (latest.c.month == ProjectProgress.month)
        )
        .where(ProjectProgress.year == today.year)
        .order_by(ProjectProgress.unit_id, Project.seq)
    ).all()
    threshold = lag_threshold()
    out = []
    for uid, month, name, ytd, plan in rows:
        if is_lagging(Decimal(ytd), Decimal(plan) if plan is not None else None, month, threshold):
            share = Decimal(ytd) / Decimal(plan)
            text = f"{names.get(uid, '')} 重点项目「{name}」1-{month}月累计完成年度计划的 {share:.1%}，滞后于进度"
            key = f"project:{uid}:{today.year}:{month}:{name}"
            out.append(Item(key[:200], "project", uid, names.get(uid, ""), text, None, True))
    return out
