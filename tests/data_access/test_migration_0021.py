"""Migration 0021 (reminders) on every backend: app_user gains `email` (NULL for existing users),
reminder_sent records one reminder per item, day, recipient and channel (a second row for the same
four is refused, as is an unknown status); the downgrade drops both and keeps the users."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from data_access.store import db
from tests.helpers.databases import add_unit, create_database, migrate

SENT = (
    "INSERT INTO reminder_sent (item_key, day, recipient, channel, status, attempts, updated_at) "
    "VALUES (:key, '2026-12-03', 'zhang', 'email', :status, 1, '2026-12-03 08:00:00')"
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0021_round_trip(backend: str, tmp_path: Path) -> None:
    url, drop = create_database(backend, tmp_path)
    engine = db.make_engine(url)
    try:
        migrate(engine, url, "upgrade", "0020")
        with engine.begin() as conn:
            unit = add_unit(conn)
            conn.execute(
                text(
                    "INSERT INTO app_user (username, display_name, password_hash, role, unit_id, active, "
                    "must_change_password, failed_attempts) VALUES ('zhang', '张三', 'x', 'staff', :u, :t, :f, 0)"
                ),
                {"u": unit, "t": True, "f": False},
            )
        assert "reminder_sent" not in inspect(engine).get_table_names()
        migrate(engine, url, "upgrade", "0021")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT username, email FROM app_user")).all() == [("zhang", None)]
            conn.execute(text("UPDATE app_user SET email = 'zhang@example.gov.cn'"))
            conn.execute(text(SENT), {"key": "request:1:YSQ-1", "status": "sent"})
            with pytest.raises(DBAPIError), conn.begin_nested():  # one per item, day, recipient, channel
                conn.execute(text(SENT), {"key": "request:1:YSQ-1", "status": "failed"})
            with pytest.raises(DBAPIError), conn.begin_nested():  # an unknown status
                conn.execute(text(SENT), {"key": "request:1:YSQ-2", "status": "lost"})
            conn.execute(text(SENT), {"key": "request:1:YSQ-2", "status": "failed"})
            assert conn.scalar(text("SELECT count(*) FROM reminder_sent")) == 2
        migrate(engine, url, "downgrade", "0020")
        assert "reminder_sent" not in inspect(engine).get_table_names()
        assert "email" not in {c["name"] for c in inspect(engine).get_columns("app_user")}
        with engine.begin() as conn:
            assert conn.execute(text("SELECT username FROM app_user")).all() == [("zhang",)]
        migrate(engine, url, "upgrade", "head")
    finally:
        engine.dispose()
        drop()
