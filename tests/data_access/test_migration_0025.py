"""Migration 0025 (the key projects' month index and the appeals' index hold the columns the key
figures read) on every backend: the round trip leaves each index with its columns, and the key
figures read the same before and after."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from data_access.read import kpis
from data_access.store import db
from tests.helpers.databases import demo_at_head, migrate


def _indexes(engine, table: str) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {ix["name"]: list(ix["column_names"]) for ix in inspect(conn).get_indexes(table)}


def _figures(engine) -> kpis.Kpis:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as session:
        return kpis.compute(session, 2018, None, "qingyang")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0025_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        after = _figures(engine)
        assert after["projects"] and after["projects"]["count"] == 25
        progress, appeal = _indexes(engine, "project_progress"), _indexes(engine, "appeal")
        assert progress["ix_project_progress_month"] == [
            "unit_id", "year", "month", "project_id", "ytd_invested", "annual_plan"
        ]  # fmt: skip
        assert "ix_project_progress_scope" not in progress
        assert appeal["ix_appeal_filed"] == ["unit_id", "kind", "filed_date", "filed_year", "source"]

        migrate(engine, url, "downgrade", "0024")
        progress, appeal = _indexes(engine, "project_progress"), _indexes(engine, "appeal")
        assert progress["ix_project_progress_scope"] == ["unit_id", "year", "month"]
        assert "ix_project_progress_month" not in progress
        assert appeal["ix_appeal_filed"] == ["unit_id", "kind", "filed_date"]

        migrate(engine, url, "upgrade", "head")
        assert _indexes(engine, "appeal")["ix_appeal_filed"][-2:] == ["filed_year", "source"]
        assert _figures(engine) == after
