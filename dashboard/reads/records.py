"""Cached reads of the upload and 逐条登记 pages, each keyed by the data version (small results only)."""

from __future__ import annotations

import datetime as dt

from dashboard.reads.cache import cached_read, engine, read_session
from data_access.rules import annual_figures as annual_rules
from data_access.rules.deadlines import Deadline, DeadlineError
from data_access.rules.permissions import Principal
from data_access.rules.vocab import RECIPIENT_NAMES
from data_access.store.reference import unit_by_code, unit_profile
from data_access.write import importing, records

# Named here for the pages, which import data_access only for rules/ and settings.
ERROR = importing.ERROR
KINDS = importing.KINDS
SPECS = importing.SPECS


@cached_read(max_entries=64)
def units_for(principal: Principal) -> list[tuple[str, str, int]]:
    """The user's unit and those under it, as (code, name, depth)."""
    with read_session() as session:
        return records.units_in_scope(session, principal)


@cached_read
def register_names() -> list[str]:
    """The publication registers the office keeps, in order (the upload page's picker)."""
    with read_session() as session:
        return importing.register_names(session)


@cached_read(max_entries=64)
def upload_history(unit: str, limit: int = 100) -> list[importing.BatchInfo]:
    """The unit's uploads and saved forms, newest first."""
    return importing.history(engine(), unit, None, limit)


@cached_read(max_entries=64)
def _requests(unit: str, today: dt.date) -> list[records.RequestRow]:
    with read_session() as session:
        return records.list_requests(session, unit, today)


def unit_requests(unit: str) -> list[records.RequestRow]:
    """The unit's requests (unanswered first) with their due dates as of today."""
    return _requests(unit, dt.date.today())


@cached_read(max_entries=64)
def next_request_no(unit: str, year: int) -> str:
    """The 编号 a new request of the unit gets by default: YSQ-{year}-{next free number}."""
    with read_session() as session:
        return records.next_request_no(session, unit, year)


@cached_read(max_entries=256)
def deadline(
    received: dt.date,
    channel: str | None,
    pauses: tuple = (),
    extension: int = 0,
    approved_on: dt.date | None = None,
) -> Deadline | str:
    """The statutory due date for these facts, or the Chinese reason it cannot be worked out."""
    with read_session() as session:
        try:
            return records.deadline_preview(session, received, channel, pauses, extension, approved_on)
        except DeadlineError as exc:
            return str(exc)


@cached_read(max_entries=64)
def delivery(unit: str, ym: int, recipient: str) -> records.DeliveryRow | None:
    """The unit's registered delivery of a month to a recipient, with its stamp (None: none yet)."""
    with read_session() as session:
        return records.find_delivery(session, unit, ym, recipient)


@cached_read(max_entries=64)
def board_names(unit: str) -> list[str]:
    """The unit's bulletin boards."""
    with read_session() as session:
        return records.board_names(session, unit)


@cached_read(max_entries=64)
def recipient_names(unit: str) -> dict[str, str]:
    """What the unit calls the archive and the library it delivers to (its profile), by recipient key."""
    with read_session() as session:
        found = unit_by_code(session, unit)
        return unit_profile(session, found).recipient_names if found else dict(RECIPIENT_NAMES)


@cached_read(max_entries=64)
def template(kind: str, unit: str, year: int) -> bytes:
    """A kind's blank template (.xlsx), its 所属类别 drop-down listing the unit's catalogue of the year."""
    with read_session() as session:
        return importing.unit_template(session, kind, unit, year)


@cached_read(max_entries=64)
def annual_figures(unit: str, year: int) -> dict[str, dict[str, object]]:
    """The unit's table 二 entry of a year as the 年报表二 form shows it: item → figures as text
    ('' where not entered) and its 不适用 mark; items not entered are absent."""
    with read_session() as session:
        rows = records.entered_items(session, unit, year)
    return {
        key: {
            **{f: "" if getattr(row, f) is None else str(getattr(row, f)) for f in annual_rules.FIGURES},
            "not_applicable": row.not_applicable,
        }
        for key, row in rows.items()
    }


@cached_read(max_entries=64)
def publication_matches(unit: str, text: str) -> list[records.PublicationItem]:
    """The unit's register items whose 索引号 or 信息名称 contains the text (with their stamps)."""
    with read_session() as session:
        return records.find_publications(session, unit, text)


@cached_read(max_entries=64)
def publication_item(unit: str, index_no: str) -> records.PublicationItem | None:
    """The unit's item with that 索引号, as it is now (its stamp and withdrawal)."""
    with read_session() as session:
        return records.find_publication(session, unit, index_no)


@cached_read(max_entries=64)
def publication_history(unit: str, index_no: str) -> list[records.HistoryEntry]:
    """Every 更正, 撤回 and 恢复 of the item."""
    with read_session() as session:
        return records.publication_history(session, unit, index_no)
