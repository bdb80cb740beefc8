"""The request forms as a clerk uses them, for the tests of optimistic concurrency and of the forms'
pauses, extensions and parts: a unit with one clerk, register a request, load the progress form, save it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from data_access.rules import permissions
from data_access.store import db
from data_access.store.models import AppUser, OrgUnit
from data_access.write import auth, records
from tests.helpers.builders import UNIT, setup_unit

TODAY = dt.date(2019, 12, 31)


@pytest.fixture(name="engine")
def engine_fixture(empty_db: Engine) -> Engine:
    """A unit with one clerk (import this fixture into a test module: it is the module's `engine`)."""
    setup_unit(empty_db)
    with db.write_session(empty_db) as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
        s.add(
            AppUser(
                username="clerk", display_name="党政办小王", password_hash="x", role="staff", unit_id=unit_id
            )
        )
    return empty_db


def clerk(engine: Engine) -> permissions.Principal:
    with db.read_session(engine) as s:
        return auth.principal_for_username(s, "clerk")


def register(engine: Engine, no: str) -> None:
    values = dict(
        request_no=no, received_date="2019-09-27", channel="网络", applicant_type="自然人", summary="摘要"
    )
    with db.write_session(engine) as s:
        records.register_request(s, clerk(engine), UNIT, values, TODAY)


def load(engine: Engine, no: str) -> records.RequestRow:
    """What the progress form reads when it is drawn."""
    with db.read_session(engine) as s:
        return next(r for r in records.list_requests(s, UNIT, TODAY) if r.request_no == no)


def form(row: records.RequestRow, **edits: object) -> dict:
    """What the progress form sends: the values it was drawn with, and the clerk's edits."""
    values: dict = dict.fromkeys(
        ("correction_start", "correction_end", "third_party_start", "third_party_end"), ""
    )
    values.update(
        extension_days=row.extension_days,
        reply_date=row.reply_date.isoformat() if row.reply_date else "",
        outcome=row.outcome or "",
    )
    return {**values, **edits}


def progress(engine: Engine, row: records.RequestRow, values: dict) -> records.Saved:
    with db.write_session(engine) as s:
        return records.update_request(s, clerk(engine), UNIT, row.request_no, values, TODAY, loaded=row.stamp)
