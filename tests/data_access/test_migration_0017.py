"""Migration 0017 (appeals and complaints in bulk) keeps every appeal and batch on every backend: the
appeal table gains source and handling (NULL for existing rows), upload_batch accepts the kinds
'appeals' and 'complaints'; the downgrade removes both columns and the new kinds' batches with the
appeals they wrote, and the CHECK refuses the new kinds again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import add_unit, create_database, migrate

BATCH = (
    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, status, row_count) "
    "VALUES (:kind, :unit, '2025', 'f.xlsx', :hash, '2025-12-01 10:00:00', 'active', 1)"
)
APPEAL = (
    "INSERT INTO appeal (unit_id, kind, filed_date, filed_year, result, batch_id) "
    "VALUES (:unit, :kind, '2025-03-01', 2025, '维持', :batch)"
)


def _batch(conn, kind: str, unit: int, digest: str) -> int:  # type: ignore[no-untyped-def]
    conn.execute(text(BATCH), {"kind": kind, "unit": unit, "hash": digest})
    return int(conn.scalar(text("SELECT max(id) FROM upload_batch")))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0017_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0016")
        with engine.begin() as conn:
            unit = add_unit(conn)
            old = _batch(conn, "requests", unit, "a" * 64)
            conn.execute(text(APPEAL), {"unit": unit, "kind": "reconsideration", "batch": old})
            with pytest.raises(DBAPIError), conn.begin_nested():  # not yet a kind
                _batch(conn, "complaints", unit, "b" * 64)
        migrate(engine, url, "upgrade", "0017")
        columns = {c["name"] for c in inspect(engine).get_columns("appeal")}
        assert {"source", "handling"} <= columns
        with engine.begin() as conn:
            assert conn.execute(text("SELECT kind, source, handling FROM appeal")).all() == [
                ("reconsideration", None, None)
            ]
            new = _batch(conn, "complaints", unit, "c" * 64)
            conn.execute(
                text(
                    "INSERT INTO appeal (unit_id, kind, filed_date, filed_year, batch_id, source, handling) "
                    "VALUES (:unit, 'complaint', '2025-04-01', 2025, :batch, '热线', '已办结')"
                ),
                {"unit": unit, "batch": new},
            )
            _batch(conn, "appeals", unit, "d" * 64)
            with pytest.raises(DBAPIError), conn.begin_nested():  # one active upload per key, as for requests
                _batch(conn, "appeals", unit, "g" * 64)
        migrate(engine, url, "downgrade", "0016")
        assert not {"source", "handling"} & {c["name"] for c in inspect(engine).get_columns("appeal")}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT kind FROM appeal")).all() == [("reconsideration",)]
            assert conn.execute(text("SELECT kind FROM upload_batch")).all() == [("requests",)]
            with pytest.raises(DBAPIError), conn.begin_nested():  # the CHECK refuses them again
                _batch(conn, "appeals", unit, "e" * 64)
            assert _batch(conn, "deliveries", unit, "f" * 64) > old  # the other kinds are still allowed
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
