"""Writes of the 依申请公开 page: an audited export of applicants' details, a statutory letter."""

from __future__ import annotations

from dashboard.reads.cache import engine
from data_access.read import letters
from data_access.rules.permissions import Principal
from data_access.store import audit, db


def record_export(who: Principal, detail: str, *, source: str | None) -> None:
    """Audit an export that carries personal data."""
    with db.write_session(engine()) as session:
        audit.record(session, "export_personal", user=who, detail=detail, source=source)


def build_letter(
    who: Principal, unit: str, request_no: str, kind: str, *, source: str | None
) -> letters.Letter:
    """A statutory letter for a request (audited; raises LetterError with a Chinese message)."""
    with db.write_session(engine()) as session:
        return letters.build(session, unit, request_no, kind, username=who.username, source=source)
