"""The shared sample files (skipped when ../shared/samples is absent) give the README's outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from data_access.rules.permissions import OPERATOR
from data_access.rules.projects import is_lagging
from data_access.store import db
from data_access.store.models import (
    Category,
    Delivery,
    DisclosureRequest,
    Project,
    ProjectProgress,
    Publication,
)
from data_access.write.importing import commit, preview
from tests.helpers.builders import SAMPLES, UNIT, setup_unit, table_counts

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")


@pytest.fixture
def engine(empty_sqlite: Engine) -> Engine:
    setup_unit(empty_sqlite)
    return empty_sqlite


def _commit(engine: Engine, name: str, kind: str, period: str | None = None):  # type: ignore[no-untyped-def]
    return commit(engine, OPERATOR, (SAMPLES / name).read_bytes(), kind, UNIT, period, name)


def test_projects_october(engine: Engine) -> None:
    result = _commit(engine, "projects_2018-10.xlsx", "projects", "2018-10")
    assert result.status == "committed", result.issues
    assert result.period == "2018-10" and result.rows == 25
    assert not [i for i in result.issues if i.level == "warning"]
    assert any("合计行已识别并核对" in i.message for i in result.issues)
    with db.read_session(engine) as s:
        rows = s.execute(
            select(ProjectProgress.ytd_invested, ProjectProgress.annual_plan, ProjectProgress.month_invested)
        ).all()
        assert len(rows) == 25 and s.scalar(select(func.count()).select_from(Project)) == 25
        assert (
            sum(r[0] for r in rows) == 231200
            and sum(r[1] for r in rows) == 281026
            and sum(r[2] for r in rows) == 23245
        )
        assert sum(1 for r in rows if is_lagging(r[0], r[1], 10, Decimal(10))) == 7
        names = set(s.scalars(select(Project.name)))
        assert "世纪大道沿线景观提升工程" in names and "合计" not in names
        assert s.scalar(select(Project.total_investment).where(Project.name == "阳光路排水管网改造")) == 62000


def test_projects_period_mismatch_is_a_warning(engine: Engine) -> None:
    result = preview(engine, (SAMPLES / "projects_2018-10.xlsx").read_bytes(), "projects", UNIT, "2018-09")
    assert result.status == "valid"
    assert any(i.level == "warning" and "2018-10" in i.message for i in result.issues)


def test_seed_table_is_rejected_whole(engine: Engine) -> None:
    before = table_counts(engine)
    result = _commit(engine, "projects_2018-10_seed-table.xlsx", "projects", "2018-10")
    errors = [i for i in result.issues if i.level == "error"]
    assert result.status == "rejected" and len(errors) == 1
    assert "青阳街道党工委理论学习中心组学习" in errors[0].message
    assert "第 " + "、".join(str(n) for n in range(2, 22)) + " 行" in errors[0].message
    assert table_counts(engine) == before


def test_publications_december(engine: Engine) -> None:
    result = _commit(engine, "publications_2018-12.xlsx", "publications")
    assert result.status == "committed", result.issues
    assert result.rows == 12 and result.period == "2018-12"
    with db.read_session(engine) as s:
        got = dict(s.execute(select(Publication.index_no, Publication.formed_date)).all())
        assert got["QY-0601-2018-0147"] == dt.date(2018, 12, 3)
        assert got["QY-0901-2018-0148"] == dt.date(2018, 12, 4)
        assert got["QY-0601-2018-0149"] == dt.date(2018, 12, 8)  # Excel serial 43442
        assert got["QY-0401-2018-0150"] == dt.date(2018, 12, 6)
        published = s.scalar(
            select(Publication.published_date).where(Publication.index_no == "QY-0901-2018-0148")
        )
        assert published == dt.date(2018, 12, 10)
        root = s.scalar(
            select(Category.name)
            .join(Publication, Publication.category_root_id == Category.id)
            .where(Publication.index_no == "QY-0901-2018-0148")
        )
        assert root == "安全生产、应急管理类"


def test_requests_gbk_csv(engine: Engine) -> None:
    result = _commit(engine, "requests_2019_gbk.csv", "requests")
    assert result.status == "committed", result.issues
    with db.read_session(engine) as s:
        rows = {r.request_no: r for r in s.scalars(select(DisclosureRequest))}
        assert len(rows) == 6
        assert rows["YSQ-2019-006"].summary == "<script>alert(1)</script>申请公开街道预算"
        assert rows["YSQ-2019-004"].outcome == "不予公开-保护第三方合法权益"
        assert rows["YSQ-2019-005"].outcome == "无法提供-本机关不掌握相关政府信息"
        assert rows["YSQ-2019-003"].reply_date is None and rows["YSQ-2019-003"].channel == "信函"


def test_boards(engine: Engine) -> None:
    result = _commit(engine, "boards_2018.xlsx", "boards")
    assert result.status == "committed" and result.rows == 9


def test_deliveries(engine: Engine) -> None:
    result = _commit(engine, "deliveries_2018.xlsx", "deliveries")
    assert result.status == "committed"
    with db.read_session(engine) as s:
        totals = dict(
            s.execute(
                select(Delivery.recipient, func.sum(Delivery.item_count)).group_by(Delivery.recipient)
            ).all()
        )
        assert totals == {"archive": 158, "library": 158}
        assert s.scalar(
            select(Delivery.delivered_date).where(
                Delivery.period_ym == 201809, Delivery.recipient == "archive"
            )
        ) == dt.date(2018, 10, 9)


def test_samples_on_the_seeded_database_then_kpis(empty_sqlite: Engine) -> None:
    from data_access.read import kpis
    from seed import qingyang2018

    engine = empty_sqlite
    with db.write_session(engine) as session:
        qingyang2018.load(session)
    result = _commit(engine, "projects_2018-10.xlsx", "projects")
    assert result.status == "committed" and len(result.changed) == 0 and result.unchanged_rows == 25
    result = _commit(engine, "requests_2019_gbk.csv", "requests")
    assert result.status == "committed"
    with db.read_session(engine) as s:
        k = kpis.compute(s, 2019, None, UNIT)
    assert k["requests"]["received"] == 6
