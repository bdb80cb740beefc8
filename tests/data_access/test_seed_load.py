"""The seed is deterministic, idempotent, and leaves other people's data alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data_access.rules.projects import reconciles
from data_access.store import db
from data_access.store.models import OrgUnit, ProjectProgress, Publication, UploadBatch
from seed import qingyang2018


def _fingerprint(engine):
    with db.read_session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Publication)),
            tuple(
                s.execute(
                    select(Publication.index_no, Publication.title, Publication.published_date).order_by(
                        Publication.index_no
                    )
                ).all()
            ),
            s.scalar(select(func.count()).select_from(UploadBatch)),
        )


def test_second_run_changes_nothing(empty_db):
    with db.write_session(empty_db) as s:
        assert qingyang2018.load(s)["publications"] == 954
    first = _fingerprint(empty_db)
    with db.write_session(empty_db) as s:
        assert qingyang2018.load(s) == {}
    assert _fingerprint(empty_db) == first


def test_deterministic_across_databases(empty_sqlite, tmp_path):
    from tests.helpers.databases import create_database

    url, drop = create_database("sqlite", tmp_path)
    other = db.make_engine(url)
    db.upgrade(other)
    for engine in (empty_sqlite, other):
        with db.write_session(engine) as s:
            qingyang2018.load(s)
    assert _fingerprint(empty_sqlite) == _fingerprint(other)


def test_refuses_a_database_holding_other_data(empty_sqlite):
    with db.write_session(empty_sqlite) as s:
        s.add(OrgUnit(code="other", name="别的街道", level="subdistrict"))
    with pytest.raises(qingyang2018.AlreadyHoldsData), db.write_session(empty_sqlite) as s:
        qingyang2018.load(s)
    with db.read_session(empty_sqlite) as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 0
        assert s.scalar(select(func.count()).select_from(OrgUnit)) == 1


def test_every_row_points_at_the_seed_batch_and_months_reconcile(seeded_db):
    with db.read_session(seeded_db) as s:
        batch_ids = set(s.scalars(select(Publication.batch_id).distinct()))
        kinds = set(s.scalars(select(UploadBatch.kind).where(UploadBatch.id.in_(batch_ids))))
        assert kinds == {"seed"}
        rows = s.execute(
            select(
                ProjectProgress.project_id,
                ProjectProgress.month,
                ProjectProgress.month_invested,
                ProjectProgress.ytd_invested,
            ).order_by(ProjectProgress.project_id, ProjectProgress.month)
        ).all()
    previous: dict[int, object] = {}
    for project_id, month, amount, ytd in rows:
        assert reconciles(previous.get(project_id), amount, ytd), (project_id, month)
        previous[project_id] = ytd
    assert len(rows) == 25 * 12
