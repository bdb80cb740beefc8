"""Migration 0015 (documents made, 公文) on every backend: the upgrade adds the document table and
lets upload batches of kind 'documents' be filed, one in force per (unit, year); the downgrade
removes the documents and their batches and refuses the kind again; the round trip keeps the other
batches as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import create_database, migrate

_BATCH = (
    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, status, row_count) "
    "VALUES (:kind, :unit, :period, 'f.xlsx', :hash, 'active', 0)"
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0015_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0014")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO org_unit (code, name, level, sort_order) VALUES ('u', '某街道', 'subdistrict', 0)"
                )
            )
            unit = conn.scalar(text("SELECT id FROM org_unit WHERE code = 'u'"))
            conn.execute(text(_BATCH), {"kind": "requests", "unit": unit, "period": "2021", "hash": "a"})
        with pytest.raises(DBAPIError), engine.begin() as conn:  # not a kind before 0015
            conn.execute(text(_BATCH), {"kind": "documents", "unit": unit, "period": "2021", "hash": "b"})
        migrate(engine, url, "upgrade", "0015")
        assert "document" in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(text(_BATCH), {"kind": "documents", "unit": unit, "period": "2021", "hash": "b"})
            batch = conn.scalar(text("SELECT id FROM upload_batch WHERE kind = 'documents'"))
            conn.execute(
                text(
                    "INSERT INTO document (unit_id, year, doc_no, title, formed_date, attribute, batch_id) "
                    "VALUES (:u, 2021, '某政〔2021〕1号', '通知', '2021-03-01', 'proactive', :b)"
                ),
                {"u": unit, "b": batch},
            )
            active = dict(conn.execute(text("SELECT kind, active_upload FROM upload_batch")).all())
        assert active == {"requests": 1, "documents": 1}
        with pytest.raises(DBAPIError), engine.begin() as conn:  # one upload in force per unit and year
            conn.execute(text(_BATCH), {"kind": "documents", "unit": unit, "period": "2021", "hash": "c"})
        with pytest.raises(DBAPIError), engine.begin() as conn:  # 不予公开 needs its reason
            conn.execute(
                text(
                    "INSERT INTO document (unit_id, year, doc_no, title, formed_date, attribute, batch_id) "
                    "VALUES (:u, 2021, '某政〔2021〕2号', '通知', '2021-03-01', 'withheld', :b)"
                ),
                {"u": unit, "b": batch},
            )
        migrate(engine, url, "downgrade", "0014")
        assert "document" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT kind, active_upload FROM upload_batch")).all() == [
                ("requests", 1)
            ]
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(_BATCH), {"kind": "documents", "unit": unit, "period": "2021", "hash": "d"})
        migrate(engine, url, "upgrade", "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT kind, active_upload FROM upload_batch")).all() == [
                ("requests", 1)
            ]
    finally:
        engine.dispose()
        drop()
