"""The seeded 2018 data says what the annual report and the office's own sheets say.

The figures themselves are asserted in tests/data_access/test_seed_figures.py; here: the titles
the report names carry the topic it files them under, no item is dated before the period its
title reports on (or on a day the office was closed), and the key projects, deliveries and board
updates are those of the office's spreadsheets (compared with the shared sample files when they
are present).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from data_access.rules import workdays
from data_access.rules.vocab import old_reply, old_request_channel
from data_access.store import db
from data_access.store.models import (
    Board,
    BoardUpdate,
    Category,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    Project,
    ProjectProgress,
    Publication,
    Topic,
)

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")

D = dt.date.fromisoformat

# 二（二）: the examples the report gives under each topic, and under 5. 其他方面 (no topic).
REPORT_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("青阳街道2018年第一季度预算内外资金收入执行情况公布表", "财政资金"),
    ("青阳街道2018年第一季度“三公”经费及会议费开支情况统计表", "财政资金"),
    ("青阳街道2018年第一季度机动车辆费用公布表", "财政资金"),
    ("青阳街道2018年重点项目汇总表", "重大建设项目"),
    ("青阳街道2018年3月份重大项目完成情况表", "重大建设项目"),
    ("青阳街道办事处关于印发《青阳街道民政领域入户跟踪随访制度》的通知", "公共服务"),
    ("青阳街道办事处关于开展公民无偿献血活动的通知", "公共服务"),
    ("青阳街道2018年5月份最低生活保障费", "公共服务"),
    ("青阳街道2018年第一季度危房翻建已批名单", "公共服务"),
    ("青阳街道办事处关于印发《青阳街道2018年初中招生工作意见》的通知", "公共服务"),
    ("青阳街道办事处关于印发《青阳街道第二次全国污染源普查工作方案》的通知", "监督检查"),
    (
        "青阳街道办事处关于印发《青阳街道建设省级慢性非传染性疾病综合防控示范区实施方案》的通知",
        "监督检查",
    ),
    ("青阳街道办事处关于印发《2018年今冬明春消防安全工作方案》的通知", "监督检查"),
    ("青阳街道办事处关于进一步开展农村食品安全治理工作的通知", "监督检查"),
    (
        "青阳街道办事处关于印发《青阳街道打击非法生产销售纸尿裤等纸质产品加强质量监管专项行动方案》的通知",
        "监督检查",
    ),
    ("青阳街道办事处关于印发《青阳街道扶持现代服务业发展的若干意见（试行）》的通知", None),
    ("青阳街道办事处关于开展2018年征兵宣传工作的通知", None),
    ("青阳街道办事处关于印发《青阳街道“无违建”示范点创建提升工作方案》的通知", None),
    ("青阳街道2018年第一季度村级建设工程委托招投标申请受理汇总表", None),
)

_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def publication_window(title: str) -> tuple[dt.date | None, dt.date | None]:
    """The days an item with this title can plausibly be published on (None: no bound).

    A report on a month, quarter or half-year comes after it ends; a month's 低保 list within
    that month; a year's annual report by 31 March of the next year (条例); the 安委会 meeting
    of the fourth quarter was held on 8 November (the report's 青阳在线 article).
    """
    if "安委会全体成员会议" in title:
        return D("2018-11-08"), None
    if m := re.search(r"(\d{4})年(\d{1,2})月份最低生活保障费", title):
        year, month = int(m[1]), int(m[2])
        return _month_start(year, month), _month_start(year, month + 1) - dt.timedelta(days=1)
    if m := re.search(r"(\d{4})年(\d{1,2})月份", title):
        return _month_start(int(m[1]), int(m[2]) + 1), None
    if m := re.search(r"(\d{4})年\D*?(?:第)?([一二三四])季度", title):
        return _month_start(int(m[1]), 3 * _QUARTER[m[2]] + 1), None
    if m := re.search(r"(\d{4})年\D*?上半年", title):
        return dt.date(int(m[1]), 7, 1), None
    if m := re.search(r"(\d{4})年政府信息公开工作年度报告", title):
        return dt.date(int(m[1]) + 1, 1, 1), dt.date(int(m[1]) + 1, 3, 31)
    if "今冬明春" in title:
        return D("2018-10-01"), D("2018-12-31")
    if "春节" in title:  # 2018's Spring Festival was 16 February
        return D("2018-01-01"), D("2018-03-31")
    return None, None


@pytest.mark.parametrize(
    ("title", "window"),
    [
        ("青阳街道2018年5月份最低生活保障费", ("2018-05-01", "2018-05-31")),
        ("青阳街道2018年12月份最低生活保障费", ("2018-12-01", "2018-12-31")),
        ("青阳街道2018年11月份重大项目完成情况表", ("2018-12-01", None)),
        ("青阳街道2018年12月份重大项目完成情况表", ("2019-01-01", None)),
        ("青阳街道2017年第四季度机动车辆费用公布表", ("2018-01-01", None)),
        ("青阳街道2018年第三季度环境保护检查情况", ("2018-10-01", None)),
        ("青阳街道2018年为民办实事项目三季度进展", ("2018-10-01", None)),
        ("青阳街道2018年为民办实事项目上半年进展", ("2018-07-01", None)),
        ("青阳街道2017年政府信息公开工作年度报告", ("2018-01-01", "2018-03-31")),
        ("青阳街道召开2018年第四季度防范重特大生产安全事故暨安委会全体成员会议", ("2018-11-08", None)),
        ("青阳街道办事处关于印发《2018年今冬明春消防安全工作方案》的通知", ("2018-10-01", "2018-12-31")),
        ("青阳街道2018年春节前安全生产大检查情况", ("2018-01-01", "2018-03-31")),
        ("青阳街道2018年部门预算", (None, None)),
        ("青阳街道2019年部门预算编制工作方案", (None, None)),
    ],
)
def test_publication_window(title: str, window: tuple[str | None, str | None]) -> None:
    assert publication_window(title) == tuple(D(d) if d else None for d in window)


def _publications(engine: Engine) -> list:
    with db.read_session(engine) as s:
        return s.execute(
            select(
                Publication.title,
                Publication.published_date,
                Publication.formed_date,
                Category.name.label("category"),
                Topic.name.label("topic"),
            )
            .join(Category, Category.id == Publication.category_root_id)
            .outerjoin(Topic, Topic.id == Publication.topic_id)
            .order_by(Publication.index_no)
        ).all()


def test_the_report_s_examples_carry_its_topics(seeded_db: Engine) -> None:
    rows = _publications(seeded_db)
    by_title = {r.title: r for r in rows if r.published_date.year == 2018}
    missing = [title for title, _topic in REPORT_EXAMPLES if title not in by_title]
    assert not missing, missing
    wrong = {t: by_title[t].topic for t, topic in REPORT_EXAMPLES if by_title[t].topic != topic}
    assert not wrong, wrong
    assert len({r.title for r in rows if r.published_date.year == 2018}) == 158  # no title twice


def test_no_item_is_dated_before_what_it_reports_or_on_a_closed_day(seeded_db: Engine) -> None:
    rows = _publications(seeded_db)
    calendar = workdays.package_calendar()
    bounded = early = 0
    misplaced, closed = [], []
    for r in rows:
        first, last = publication_window(r.title)
        bounded += first is not None or last is not None
        if (first and r.published_date < first) or (last and r.published_date > last):
            misplaced.append((str(r.published_date), r.title))
        if not calendar.is_workday(r.published_date):
            closed.append((str(r.published_date), calendar.reason(r.published_date), r.title))
        early += r.formed_date > r.published_date
    assert not misplaced, misplaced
    assert not closed, closed
    assert early == 0
    assert bounded >= 45  # the rule really looks at the dated titles (quarters, months, 低保 …)


def test_request_hotline_and_months_as_the_report_says(seeded_db: Engine) -> None:
    with db.read_session(seeded_db) as s:
        [request] = s.scalars(select(DisclosureRequest))
        duties = s.execute(select(HotlineDuty.duty_date, HotlineDuty.official, HotlineDuty.topics)).all()
        published = dict(
            s.execute(
                select(Publication.published_ym, func.count())
                .where(Publication.published_year == 2018)
                .group_by(Publication.published_ym)
            ).all()
        )
        delivered = s.execute(select(Delivery.period_ym, Delivery.recipient, Delivery.item_count)).all()
    assert (request.received_date.year, old_request_channel(request.channel)) == (2018, "网络")
    assert old_reply(request.outcome) == "其他" and request.reply_date is not None
    assert [(d.duty_date.year, d.official) for d in duties] == [(2018, "吴靖宇"), (2018, "吴靖宇")]
    assert all(d.topics for d in duties)
    # 158 to each of the archive and the library, month by month as published.
    assert len(published) == 12 and sum(published.values()) == 158
    assert sorted(delivered) == sorted(
        (ym, recipient, n) for ym, n in published.items() for recipient in ("archive", "library")
    )


def _cell_text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _money(value: object) -> Decimal:
    return Decimal(_cell_text(value).replace(",", ""))


def _sheet_rows(name: str) -> list[tuple]:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(SAMPLES / name, data_only=True).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


@needs_samples
def test_projects_are_the_office_s_october_table(seeded_db: Engine) -> None:
    expected = [
        (
            int(r[0]),
            str(r[1]).strip(),
            _money(r[2]),
            _money(r[4]),
            _money(r[5]),
            _money(r[6]),
            str(r[8]).strip(),
        )
        for r in _sheet_rows("projects_2018-10.xlsx")
        if isinstance(r[0], int)
    ]
    with db.read_session(seeded_db) as s:
        seeded = s.execute(
            select(
                Project.seq,
                Project.name,
                ProjectProgress.total_investment,
                ProjectProgress.month_invested,
                ProjectProgress.ytd_invested,
                ProjectProgress.annual_plan,
                ProjectProgress.notes,
            )
            .join(Project, Project.id == ProjectProgress.project_id)
            .where(ProjectProgress.year == 2018, ProjectProgress.month == 10)
            .order_by(Project.seq)
        ).all()
        months = s.execute(
            select(ProjectProgress.project_id, func.count(), func.min(ProjectProgress.month)).group_by(
                ProjectProgress.project_id
            )
        ).all()
    assert len(expected) == 25 and "和平路拓改工程安置房项目" in {e[1] for e in expected}
    assert [tuple(row) for row in seeded] == expected
    assert len(months) == 25 and all((n, first) == (12, 1) for _p, n, first in months)  # January–December


@needs_samples
def test_deliveries_and_board_updates_are_the_office_s_sheets(seeded_db: Engine) -> None:
    recipients = {"晋江市档案馆": "archive", "晋江市图书馆": "library"}
    deliveries = [
        (int(month[:4]) * 100 + int(month[5:-1]), recipients[who], day.date(), n)
        for month, who, day, n in _sheet_rows("deliveries_2018.xlsx")[1:]
    ]
    updates = [
        (name, place, D(day), kind, note)
        for name, place, day, kind, note in _sheet_rows("boards_2018.xlsx")[1:]
    ]
    with db.read_session(seeded_db) as s:
        seeded_deliveries = s.execute(
            select(Delivery.period_ym, Delivery.recipient, Delivery.delivered_date, Delivery.item_count)
        ).all()
        seeded_updates = s.execute(
            select(
                Board.name, Board.location, BoardUpdate.update_date, BoardUpdate.kind, BoardUpdate.note
            ).join(Board, Board.id == BoardUpdate.board_id)
        ).all()
        boards = set(s.scalars(select(Board.name)))
    assert sorted(tuple(r) for r in seeded_deliveries) == sorted(deliveries)
    assert sorted(tuple(r) for r in seeded_updates) == sorted(updates)
    # The gate board, the LED screen in the office building, and one board in each community.
    assert boards >= {u[0] for u in updates} | {"办公楼LED屏"}
