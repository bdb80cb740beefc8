"""Migration 0020 (requests as they move) on every backend: disclosure_request gains
extension_approved_on (NULL for existing rows), request_part is created and every request with an
outcome gets one main part holding that outcome (a request without one gets none); the downgrade
drops both and leaves the requests as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import add_unit, create_database, migrate

REQUEST = (
    "INSERT INTO disclosure_request (unit_id, request_no, received_date, received_year, channel, applicant_type, "
    "summary, extension_approved, extension_days, reply_date, outcome, batch_id) "
    "VALUES (:unit, :no, '2025-03-03', 2025, '网络', '自然人', '某事', :f, 0, :reply, :outcome, :batch)"
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0020_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0019")
        with engine.begin() as conn:
            unit = add_unit(conn)
            conn.execute(
                text(
                    "INSERT INTO upload_batch (kind, unit_id, period_key, file_name, file_hash, uploaded_at, "
                    "status, row_count) VALUES ('requests', :unit, '2025', 'f.xlsx', :h, '2025-12-01 10:00:00', "
                    "'active', 2)"
                ),
                {"unit": unit, "h": "a" * 64},
            )
            batch = int(conn.scalar(text("SELECT id FROM upload_batch")))
            answered = {"unit": unit, "batch": batch, "f": False}
            conn.execute(text(REQUEST), {**answered, "no": "A", "reply": "2025-03-20", "outcome": "部分公开"})
            conn.execute(text(REQUEST), {**answered, "no": "B", "reply": None, "outcome": None})
        migrate(engine, url, "upgrade", "0020")
        assert "extension_approved_on" in {
            c["name"] for c in inspect(engine).get_columns("disclosure_request")
        }
        with engine.begin() as conn:
            parts = conn.execute(
                text(
                    "SELECT r.request_no, p.seq, p.outcome, p.is_main FROM request_part p "
                    "JOIN disclosure_request r ON r.id = p.request_id ORDER BY r.request_no"
                )
            ).all()
            assert [(no, seq, outcome, bool(main)) for no, seq, outcome, main in parts] == [
                ("A", 1, "部分公开", True)
            ]
            assert conn.execute(text("SELECT extension_approved_on FROM disclosure_request")).all() == [
                (None,),
                (None,),
            ]
            a = int(conn.scalar(text("SELECT id FROM disclosure_request WHERE request_no = 'A'")))
            conn.execute(
                text(
                    "INSERT INTO request_part (request_id, seq, outcome, is_main) VALUES (:r, 2, '予以公开', :m)"
                ),
                {"r": a, "m": False},
            )
            with pytest.raises(DBAPIError), conn.begin_nested():  # one part per (request, seq)
                conn.execute(
                    text(
                        "INSERT INTO request_part (request_id, seq, outcome, is_main) VALUES (:r, 2, 'x', :m)"
                    ),
                    {"r": a, "m": False},
                )
            conn.execute(
                text("UPDATE disclosure_request SET extension_approved_on = '2025-03-10' WHERE id = :r"),
                {"r": a},
            )
        migrate(engine, url, "downgrade", "0019")
        assert "request_part" not in inspect(engine).get_table_names()
        assert "extension_approved_on" not in {
            c["name"] for c in inspect(engine).get_columns("disclosure_request")
        }
        with engine.begin() as conn:
            assert conn.execute(
                text("SELECT request_no, outcome FROM disclosure_request ORDER BY request_no")
            ).all() == [("A", "部分公开"), ("B", None)]
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
