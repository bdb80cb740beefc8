"""Migration 0026 (disclosure_request.paused, kept by triggers on request_pause, at the end of the
reply index, and the partial indexes of the paused requests and those with an extension approval
date) on every backend: the
upgrade sets the flag from the pauses already recorded, the triggers keep it after, the downgrade
takes column, triggers and indexes away, and the year's timeliness reads the same throughout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from data_access.read.queries import requests
from data_access.store import db
from tests.helpers.checks import assert_exact
from tests.helpers.databases import demo_at_head, migrate
from tests.helpers.requests_2021 import record_correction

_INDEXES = {"ix_disclosure_request_paused", "ix_disclosure_request_ext_dated"}


def _state(engine):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        found = inspect(conn)
        columns = {c["name"] for c in found.get_columns("disclosure_request")}
        indexes = {ix["name"] for ix in found.get_indexes("disclosure_request")} & _INDEXES
        triggers = set(conn.execute(text(
            {
                "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'paused%'",
                "postgresql": "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'paused%'",
            }.get(engine.dialect.name, "SELECT trigger_name FROM information_schema.triggers "
                                       "WHERE trigger_schema = DATABASE() AND trigger_name LIKE 'paused%'")
        )).scalars())  # fmt: skip
    return "paused" in columns, indexes, triggers


def _reply_index(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        found = {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("disclosure_request")}
        return list(found["ix_disclosure_request_reply"])


def _on_time(engine):  # type: ignore[no-untyped-def]
    with db.read_session(engine) as session:
        ids = tuple(session.scalars(text("SELECT id FROM org_unit")))
        return requests.on_time_by_unit(session, ids, 2018, dt.date(2019, 1, 1), by_unit=False)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0026_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        partial = backend in ("sqlite", "postgresql")
        assert _state(engine) == (
            True,
            _INDEXES if partial else set(),
            {"paused_ins", "paused_del", "paused_upd"},
        )
        assert _reply_index(engine)[-2:] == ["extension_approved_on", "paused"]
        request = record_correction(engine)  # a 补正: the request's timeliness counts it
        expected = _on_time(engine)
        migrate(engine, url, "downgrade", "0025")
        assert _state(engine) == (False, set(), set())
        assert _reply_index(engine)[-1] == "extension_approved_on"
        migrate(engine, url, "upgrade", "head")
        assert _state(engine)[0]
        with engine.connect() as conn:
            assert conn.execute(
                text("SELECT paused FROM disclosure_request WHERE id = :r"), {"r": request}
            ).scalar()
        assert _on_time(engine) == expected  # the flag set again from the pause
        assert_exact(engine)
        with engine.begin() as conn:  # after the upgrade the triggers keep it
            conn.execute(text("DELETE FROM request_pause WHERE request_id = :r"), {"r": request})
            assert not conn.execute(
                text("SELECT paused FROM disclosure_request WHERE id = :r"), {"r": request}
            ).scalar()
        assert_exact(engine)
