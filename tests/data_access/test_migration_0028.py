"""Migration 0028 (the boards' update index holds the kind of update) on every backend: the round
trip leaves the index with its columns, and the boards are judged the same before and after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect

from data_access.read.queries import duties
from data_access.read.queries.scope import scope
from data_access.store import db
from tests.helpers.databases import demo_at_head, migrate


def _indexes(engine) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {ix["name"]: list(ix["column_names"]) for ix in inspect(conn).get_indexes("board_update")}


def _boards(engine) -> list[duties.BoardLine]:  # type: ignore[no-untyped-def]
    with db.read_session(engine) as session:
        return duties.judged_boards(session, scope(session, "qingyang").ids, 2018, dt.date(2019, 1, 1))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0028_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        after = _boards(engine)
        assert [b for b in after if b.overdue], "the demo has overdue boards"
        indexes = _indexes(engine)
        assert indexes["ix_board_update_board_kind"] == ["board_id", "update_date", "kind"]
        assert "ix_board_update_board_date" not in indexes

        migrate(engine, url, "downgrade", "0027")
        indexes = _indexes(engine)
        assert indexes["ix_board_update_board_date"] == ["board_id", "update_date"]
        assert "ix_board_update_board_kind" not in indexes
        assert _boards(engine) == after

        migrate(engine, url, "upgrade", "head")
        assert _indexes(engine)["ix_board_update_board_kind"][-1] == "kind"
        assert _boards(engine) == after
