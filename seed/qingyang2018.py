"""The 2018 data of 青阳街道 (晋江市), built from its 2018 annual report.

Every figure in the report comes out of the database exactly: 158 items in 2018
over nine categories and four topics, 954 cumulative, one online request answered
其他, two hotline duties, 158 deliveries to each of the two recipients, the boards
and their updates, and the 25 key projects' monthly figures (October as in the
office's own October table), and the report's explicit zeros as 零报告 (zero reports: it
states 无政策解读工作情况 and 未发生…行政复议及行政诉讼, and its 附表 gives 0 申诉举报), so those
print 0 rather than 未录入 (data_access.rules.entered). Titles are the ones the report names where it names
them and plausible ones elsewhere, each dated on a working day and after the period it reports
on. Deterministic: seeded RNGs (one for the publications, one for the projects).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import random
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data_access.rules import workdays
from data_access.store import tally
from data_access.store.db import bump_data_version
from data_access.store.models import (
    Board,
    BoardUpdate,
    Category,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    OrgUnit,
    Project,
    ProjectProgress,
    Publication,
    Topic,
    UploadBatch,
    ZeroReport,
)
from data_access.store.reference import ensure_reference_data
from data_access.write.importing import registers
from seed import qingyang_data as D
from seed.demo_users import load_demo_users

SEED_VERSION = "qingyang-2018-v1"
SEED_HASH = hashlib.sha256(SEED_VERSION.encode()).hexdigest()


class AlreadyHoldsData(Exception):
    """The database holds data the seed did not put there."""


def is_seeded(session: Session) -> bool:
    """True when this seed has already been loaded."""
    return (
        session.scalar(
            select(UploadBatch.id).where(UploadBatch.kind == "seed", UploadBatch.file_hash == SEED_HASH)
        )
        is not None
    )


def holds_data(session: Session) -> bool:
    """True when any org unit exists (every record belongs to one)."""
    return session.scalar(select(OrgUnit.id).limit(1)) is not None


def load(session: Session, *, into_existing: bool = False) -> dict[str, int]:
    """Load the 2018 Qingyang data; return counts of rows added (all zero if already loaded)."""
    ensure_reference_data(session)
    if is_seeded(session):
        return {}
    if holds_data(session) and not into_existing:
        raise AlreadyHoldsData("数据库中已有数据，未导入演示数据（如确需导入，请加 --into-existing）")
    rng = random.Random(2018)
    units = _units(session)
    qingyang = units["qingyang"]
    batch = UploadBatch(
        kind="seed",
        unit_id=qingyang.id,
        period_key="2018",
        file_name="演示数据：青阳街道2018年",
        file_hash=SEED_HASH,
        row_count=0,
        note="2018 年政府信息公开工作年度报告中的数据",
    )
    session.add(batch)
    session.flush()
    counts = {
        "publications": _publications(session, rng, qingyang.id, batch.id),
        # Their own RNG, so that editing the publications never changes the projects' figures.
        "projects": _projects(session, random.Random(201810), qingyang.id, batch.id),
        "requests": _requests(session, qingyang.id, batch.id),
        "hotline_duties": _hotline(session, qingyang.id, batch.id),
        "deliveries": _deliveries(session, qingyang.id, batch.id),
        "board_updates": _boards(session, units, batch.id),
    }
    batch.row_count = sum(counts.values())
    session.flush()
    registers.list_unlisted(session)  # the demo's items are its 政府网站 register
    counts["zero_reports"] = file_zero_reports(session, qingyang.id)
    counts["demo_users"] = load_demo_users(session)
    bump_data_version(session)
    return counts


def _units(session: Session) -> dict[str, OrgUnit]:
    city = OrgUnit(code="jinjiang", name="晋江市", level="city", sort_order=0)
    session.add(city)
    session.flush()
    qingyang = OrgUnit(
        code="qingyang",
        name="青阳街道",
        level="subdistrict",
        parent_id=city.id,
        sort_order=0,
        hotline=D.HOTLINE,
    )
    session.add(qingyang)
    session.flush()
    units = {"jinjiang": city, "qingyang": qingyang}
    for code, (_name, profile) in D.UNIT_PROFILES.items():
        for field, value in profile.items():
            setattr(units[code], field, value)
    for i, (code, name) in enumerate(D.COMMUNITIES):
        unit = OrgUnit(code=code, name=name, level="community", parent_id=qingyang.id, sort_order=i)
        session.add(unit)
        units[code] = unit
    session.flush()
    tally.rollup.refresh(session.connection())  # the tree, so that the roll-up counts the seed's rows
    return units


_CALENDAR = workdays.package_calendar()


def _workday_in_month(rng: random.Random, year: int, month: int, first_day: int = 1) -> dt.date:
    """A random day of the month, on or after `first_day`, on which the office works.

    The official calendar (holidays and 调休), so nothing is published on 国庆节 or 春节.
    """
    days = [
        day
        for n in range(first_day, calendar.monthrange(year, month)[1] + 1)
        if _CALENDAR.is_workday(day := dt.date(year, month, n))
    ]
    return rng.choice(days)


def _publications(session: Session, rng: random.Random, unit_id: int, batch_id: int) -> int:
    all_cats = list(session.scalars(select(Category)))
    cats = {c.name: c for c in all_cats if c.level == 1}
    level2 = {c.id: c for c in all_cats if c.level == 2}
    leaves_of: dict[int, list[Category]] = {}
    for c in all_cats:
        if c.level == 3:
            leaves_of.setdefault(c.root_id, []).append(c)  # type: ignore[arg-type]
    topics = {t.name: t.id for t in session.scalars(select(Topic))}

    rows: list[dict] = []

    def add(year: int, published: dt.date, category: str, topic: str | None, title: str) -> None:
        root = cats[category]
        leaf = rng.choice(sorted(leaves_of[root.id], key=lambda c: c.code))
        formed = published - dt.timedelta(days=rng.randint(1, 9))
        is_doc = title.startswith("青阳街道办事处关于")
        rows.append(
            dict(
                unit_id=unit_id,
                index_no="",  # numbered below, in publication order within the year
                title=title,
                category_id=leaf.id,
                category_root_id=root.id,
                topic_id=topics[topic] if topic else None,
                doc_no=None,
                is_official_document=is_doc,
                formed_date=formed,
                published_date=published,
                published_year=published.year,
                published_ym=published.year * 100 + published.month,
                channel="政府门户网站",
                full_text=True,
                attribute="proactive",
                secrecy_reviewed=True,
                secrecy_reviewer="党政办",
                secrecy_review_date=published - dt.timedelta(days=1),
                batch_id=batch_id,
                _level2=level2[leaf.parent_id].code,  # type: ignore[index]
            )
        )

    # Earlier years: enough items to reach the report's cumulative 954.
    for year, n in D.EARLIER_YEARS:
        for i in range(n):
            category = rng.choices(D.CATEGORY_ORDER, weights=D.EARLIER_WEIGHTS)[0]
            month = 1 + (i * 12) // n
            add(
                year,
                _workday_in_month(rng, year, month),
                category,
                None,
                D.earlier_title(rng, year, month, category),
            )

    # 2018: each (category, topic) block of the report, spread over the months so that
    # each month's count equals what was delivered to the two archives that month.
    items_2018 = D.items_2018(rng)
    months = [m for m, n in enumerate(D.MONTHLY_2018, start=1) for _ in range(n)]
    rng.shuffle(items_2018)
    # Titles that name a month, quarter or event keep their month: place those first, then fill.
    placed = D.place_by_month(items_2018, months)
    for month, (category, topic, title) in placed:
        day = _workday_in_month(rng, 2018, month, D.FIRST_DAY_2018.get(title, 1))
        add(2018, day, category, topic, title)

    rows.sort(key=lambda r: (r["published_date"], r["title"]))
    seq: dict[int, int] = {}
    doc_seq: dict[int, int] = {}
    for row in rows:
        year = row["published_year"]
        seq[year] = seq.get(year, 0) + 1
        row["index_no"] = f"QY-{row.pop('_level2')}-{year}-{seq[year]:04d}"
        if row["is_official_document"]:
            doc_seq[year] = doc_seq.get(year, 0) + rng.randint(1, 3)
            row["doc_no"] = f"青街〔{year}〕{doc_seq[year]}号"
    session.execute(insert(Publication), rows)
    return len(rows)


def _projects(session: Session, rng: random.Random, unit_id: int, batch_id: int) -> int:
    added = 0
    for seq, (name, total, m10, ytd10, plan, note10) in enumerate(D.PROJECTS, start=1):
        project = Project(
            unit_id=unit_id,
            year=2018,
            seq=seq,
            name=name,
            total_investment=Decimal(total),
            annual_plan=Decimal(plan),
        )
        session.add(project)
        session.flush()
        monthly = D.monthly_investments(rng, m10, ytd10, plan)
        ytd = 0
        rows = []
        for month, amount in enumerate(monthly, start=1):
            ytd += amount
            rows.append(
                dict(
                    project_id=project.id,
                    unit_id=unit_id,
                    year=2018,
                    month=month,
                    ym=201800 + month,
                    month_invested=Decimal(amount),
                    ytd_invested=Decimal(ytd),
                    annual_plan=Decimal(plan),
                    plan_ytd=None,
                    total_investment=Decimal(total),
                    notes=note10 if month == 10 else D.progress_note(rng, month, ytd / plan),
                    batch_id=batch_id,
                )
            )
        session.execute(insert(ProjectProgress), rows)
        added += len(rows)
    return added


def _requests(session: Session, unit_id: int, batch_id: int) -> int:
    for r in D.REQUESTS:
        session.add(
            DisclosureRequest(unit_id=unit_id, batch_id=batch_id, received_year=r["received_date"].year, **r)
        )
    return len(D.REQUESTS)


def _hotline(session: Session, unit_id: int, batch_id: int) -> int:
    for day, official, topics in D.HOTLINE_DUTIES:
        session.add(
            HotlineDuty(
                unit_id=unit_id,
                duty_date=day,
                duty_year=day.year,
                official=official,
                topics=topics,
                batch_id=batch_id,
            )
        )
    return len(D.HOTLINE_DUTIES)


def _deliveries(session: Session, unit_id: int, batch_id: int) -> int:
    rows = []
    for month, (count, delivered) in enumerate(
        zip(D.MONTHLY_2018, D.DELIVERY_DATES_2018, strict=False), start=1
    ):
        for recipient in ("archive", "library"):
            rows.append(
                dict(
                    unit_id=unit_id,
                    period_ym=201800 + month,
                    recipient=recipient,
                    delivered_date=delivered,
                    item_count=count,
                    batch_id=batch_id,
                )
            )
    session.execute(insert(Delivery), rows)
    return len(rows)


def _boards(session: Session, units: dict[str, OrgUnit], batch_id: int) -> int:
    boards: dict[str, Board] = {}
    for unit_code, name, location, kind in D.BOARDS:
        board = Board(unit_id=units[unit_code].id, name=name, location=location, kind=kind)
        session.add(board)
        boards[name] = board
    session.flush()
    for name, day, kind, note in D.BOARD_UPDATES_2018:
        session.add(
            BoardUpdate(board_id=boards[name].id, update_date=day, kind=kind, note=note, batch_id=batch_id)
        )
    return len(D.BOARD_UPDATES_2018)


def file_zero_reports(session: Session, unit_id: int) -> int:
    """The 2018 report's explicit zeros: no interpretations, no reconsiderations or lawsuits, no complaints."""
    when = dt.datetime(2019, 1, 15, 9, 0)
    for kind in D.ZERO_REPORTS_2018:
        session.add(ZeroReport(unit_id=unit_id, kind=kind, year=2018, entered_by=None, entered_at=when))
    session.flush()
    return len(D.ZERO_REPORTS_2018)
