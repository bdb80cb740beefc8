"""Migration 0019 (an item's 更正 and 撤回) on every backend: publication gains a version (1 for
the rows already there), the two tables are created and accept a correction and a withdrawal
(one withdrawal per unit and 索引号); the downgrade removes them and the column, and the items
are as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from data_access.store.reference import ensure_reference_data
from tests.helpers.databases import add_unit, create_database, migrate

WITHDRAWAL = (
    "INSERT INTO publication_withdrawal (unit_id, index_no, withdrawn_date, reason, username, recorded_at) "
    "VALUES (:unit, 'QY-1', '2018-12-20', '内容有误', 'clerk', '2019-01-10 09:00:00')"
)
CORRECTION = (
    "INSERT INTO publication_correction (unit_id, index_no, action, action_date, changes, username, recorded_at) "
    "VALUES (:unit, 'QY-1', :action, '2019-01-05', :changes, 'clerk', '2019-01-10 09:00:00')"
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0019_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0018")
        with db.write_session(engine) as session:
            ensure_reference_data(session)  # the default catalogue (its tables are as 0018 left them)
        with engine.begin() as conn:
            unit = add_unit(conn)
            conn.execute(
                text(
                    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, status, "
                    "row_count) VALUES ('publications', :unit, '2018-12', 'f.xlsx', :hash, '2019-01-01 10:00:00', "
                    "'active', 1)"
                ),
                {"unit": unit, "hash": "a" * 64},
            )
            batch = int(conn.scalar(text("SELECT id FROM upload_batch")))
            category = int(conn.scalar(text("SELECT min(id) FROM category WHERE level = 1")))
            conn.execute(
                text(
                    "INSERT INTO publication (unit_id, index_no, title, category_id, category_root_id, "
                    "is_official_document, formed_date, published_date, published_year, published_ym, channel, "
                    "full_text, attribute, secrecy_reviewed, batch_id) VALUES (:unit, 'QY-1', '测试信息', :cat, :cat, "
                    ":false, '2018-12-01', '2018-12-13', 2018, 201812, '政府门户网站', :true, 'proactive', :false, :batch)"
                ),
                {"unit": unit, "cat": category, "batch": batch, "true": True, "false": False},
            )
        migrate(engine, url, "upgrade", "0019")
        assert "version" in {c["name"] for c in inspect(engine).get_columns("publication")}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT index_no, version FROM publication")).all() == [("QY-1", 1)]
            conn.execute(text(WITHDRAWAL), {"unit": unit})
            conn.execute(
                text(CORRECTION), {"unit": unit, "action": "correct", "changes": '{"title": ["旧", "新"]}'}
            )
            with pytest.raises(DBAPIError), conn.begin_nested():  # one withdrawal per item
                conn.execute(text(WITHDRAWAL), {"unit": unit})
            with pytest.raises(DBAPIError), conn.begin_nested():  # the CHECK on the action
                conn.execute(text(CORRECTION), {"unit": unit, "action": "delete", "changes": None})
            assert conn.execute(text("SELECT action FROM publication_correction")).all() == [("correct",)]
        migrate(engine, url, "downgrade", "0018")
        tables = set(inspect(engine).get_table_names())
        assert not {"publication_withdrawal", "publication_correction"} & tables
        assert "version" not in {c["name"] for c in inspect(engine).get_columns("publication")}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT index_no, title FROM publication")).all() == [
                ("QY-1", "测试信息")
            ]
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
