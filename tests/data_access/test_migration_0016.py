"""Migration 0016 (table 二 figures) on every backend: annual_figure is created empty, upload_batch
accepts the kind 'annual-figures' and keeps every kind it accepted before; the downgrade drops the
table and the kind's batches and puts the kind CHECK back as it was, other batches untouched. While
it is in force, one active 'annual-figures' batch per unit and year (upload_batch.active_upload)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import create_database, migrate

BATCH = (
    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, status, row_count) "
    "VALUES (:kind, :unit, :period, 'f.xlsx', :hash, 'active', 1)"
)


def _batch(conn, kind: str, unit: int, digest: str) -> int:  # type: ignore[no-untyped-def]
    conn.execute(text(BATCH), {"kind": kind, "unit": unit, "period": "2024", "hash": digest})
    return conn.scalar(text("SELECT id FROM upload_batch WHERE file_hash = :h"), {"h": digest})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0016_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0015")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO org_unit (code, name, level, sort_order) VALUES ('u', '某街道', 'subdistrict', 0)"
                )
            )
            unit = conn.scalar(text("SELECT id FROM org_unit WHERE code = 'u'"))
            kept = _batch(conn, "deliveries", unit, "a" * 64)
        with pytest.raises(DBAPIError), engine.begin() as conn:
            _batch(conn, "annual-figures", unit, "b" * 64)
        migrate(engine, url, "upgrade", "0016")
        with engine.begin() as conn:
            own = _batch(conn, "annual-figures", unit, "b" * 64)
            _batch(conn, "requests", unit, "c" * 64)  # the kinds accepted before are still accepted
            conn.execute(
                text(
                    "INSERT INTO annual_figure (unit_id, year, item, decisions, not_applicable, batch_id) "
                    "VALUES (:u, 2024, 'licensing', 41, :f, :b)"
                ),
                {"u": unit, "b": own, "f": False},
            )
        with pytest.raises(DBAPIError), engine.begin() as conn:  # one entry in force per unit and year
            _batch(conn, "annual-figures", unit, "f" * 64)
        for bad in ("'other'", "'penalty'"):  # an unknown item; a negative figure
            with pytest.raises(DBAPIError), engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO annual_figure (unit_id, year, item, decisions, not_applicable, batch_id) "
                        f"VALUES (:u, 2024, {bad}, -1, :f, :b)"
                    ),
                    {"u": unit, "b": own, "f": False},
                )
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT decisions FROM annual_figure")) == 41
        migrate(engine, url, "downgrade", "0015")
        assert "annual_figure" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            kinds = dict(conn.execute(text("SELECT id, kind FROM upload_batch")).all())
        assert kinds[kept] == "deliveries" and "annual-figures" not in kinds.values()
        with pytest.raises(DBAPIError), engine.begin() as conn:
            _batch(conn, "annual-figures", unit, "d" * 64)
        migrate(engine, url, "upgrade", "0016")
        with engine.begin() as conn:
            _batch(conn, "annual-figures", unit, "e" * 64)
    finally:
        engine.dispose()
        drop()
