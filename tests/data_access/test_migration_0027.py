"""Migration 0027 (the paused requests' partial index holds what fixes their deadline) on every
backend: the round trip leaves the index with its columns where the backend has partial indexes
(none on MariaDB), and the year's timeliness, which reads the paused requests from it, is the same
before and after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from data_access.read.queries import requests
from data_access.store import db
from tests.helpers.databases import demo_at_head, migrate
from tests.helpers.requests_2021 import record_correction

_NAME = "ix_disclosure_request_paused"
_DEADLINE = ["received_date", "channel", "extension_approved", "extension_days", "extension_approved_on"]


def _columns(engine) -> list[str] | None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        found = {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("disclosure_request")}
    return list(found[_NAME]) if _NAME in found else None


def _on_time(engine):  # type: ignore[no-untyped-def]
    with db.read_session(engine) as session:
        ids = tuple(session.scalars(text("SELECT id FROM org_unit")))
        return requests.on_time_by_unit(session, ids, 2018, dt.date(2019, 1, 1))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mariadb"])
def test_migration_0027_round_trip(backend: str, tmp_path: Path) -> None:
    with demo_at_head(backend, tmp_path) as (engine, url):
        partial = backend != "mariadb"
        assert _columns(engine) == (["unit_id", "reply_date", *_DEADLINE] if partial else None)
        record_correction(engine)  # a 补正: the request's timeliness counts it
        expected = _on_time(engine)
        assert expected

        migrate(engine, url, "downgrade", "0026")
        assert _columns(engine) == (["unit_id", "reply_date"] if partial else None)
        assert _on_time(engine) == expected

        migrate(engine, url, "upgrade", "head")
        assert _columns(engine) == (["unit_id", "reply_date", *_DEADLINE] if partial else None)
        assert _on_time(engine) == expected
