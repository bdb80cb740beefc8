"""Writes of the upload and 逐条登记 pages: each takes the acting principal first and hands it to
data_access.write, which checks the permission and the unit's scope; each goes through data_access in one transaction, then lets every cache see the new data
version (pages never open sessions themselves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dashboard.reads.cache import engine, refresh
from data_access.rules.permissions import Principal, require
from data_access.store import db
from data_access.write import importing, records
from data_access.write.undo import undo

_FORMS: dict[str, Callable[..., records.Saved]] = {
    "request": records.register_request,
    "appeal": records.add_appeal,
    "interpretation": records.add_interpretation,
    "hotline": records.add_hotline,
    "board_update": records.add_board_update,
}


def preview_upload(
    principal: Principal,
    data: bytes,
    kind: str,
    unit: str,
    period: str | None,
    file_name: str,
    register: str | None = None,
) -> importing.Preview:
    """Check a file against the database for (kind, unit, period) without writing (UsageError if misused);
    publications: in `register` (None: guessed from the file)."""
    require(principal, "upload")
    with db.read_session(engine()) as session:
        records.unit_in_scope(session, principal, unit)
    return importing.preview(engine(), data, kind, unit, period, file_name, register)


def commit_upload(  # noqa: PLR0913
    principal: Principal,
    data: bytes,
    kind: str,
    unit: str,
    period: str | None,
    file_name: str,
    confirm_removed: int | None = None,
    register: str | None = None,
    cross_period: dict[str, str] | None = None,
) -> importing.ImportResult:
    """Store a file (all rows or none) as the logged-in user; `confirm_removed` the rows the user
    agreed to delete (any other number: rejected, nothing written); publications: in `register`, with the
    clerk's choice for each row naming an item of another month (`cross_period`: 索引号 → keep/move/skip)."""
    with db.read_session(engine()) as session:
        records.unit_in_scope(session, principal, unit)
    result = importing.commit(
        engine(),
        principal,
        data,
        kind,
        unit,
        period,
        file_name,
        confirm_removed=confirm_removed,
        register=register,
        cross_period=cross_period,
    )
    refresh()
    return result


def undo_batch(principal: Principal, batch_id: int) -> int:
    """Undo an upload or a saved form (raises importing.UndoRefused with a Chinese message)."""
    rows = undo(engine(), principal, batch_id)
    refresh()
    return rows


def save_form(principal: Principal, form: str, unit: str, values: dict) -> records.Saved:
    """Save one 逐条登记 form that adds a record (raises records.RecordError naming each bad field)."""
    with db.write_session(engine()) as session:
        saved = _FORMS[form](session, principal, unit, values, dt.date.today())
    refresh()
    return saved


def _optimistic(save: Callable[..., records.Saved], *args: object, **kwargs: object) -> records.Saved:
    """Run a save that checks the loaded stamp; on StaleRecord forget the cached data version
    too, so the reloaded form reads the row as it is now (not a copy cached before the change)."""
    try:
        with db.write_session(engine()) as session:
            saved = save(session, *args, **kwargs)
    except records.StaleRecord:
        refresh()
        raise
    refresh()
    return saved


def save_progress(
    principal: Principal, unit: str, request_no: str, values: dict, loaded: records.Stamp
) -> records.Saved:
    """Record a request's 补正 / third-party / extension / reply as loaded with `loaded`
    (raises records.RecordError; records.StaleRecord when someone changed it meanwhile)."""
    return _optimistic(
        records.update_request, principal, unit, request_no, values, dt.date.today(), loaded=loaded
    )


def save_delivery(
    principal: Principal, unit: str, values: dict, loaded: records.Stamp | None
) -> records.Saved:
    """Register or correct a month's delivery; `loaded` is the entry the form showed (None: none)."""
    return _optimistic(records.save_delivery, principal, unit, values, dt.date.today(), loaded=loaded)


def save_deliveries(
    principal: Principal, unit: str, forms: list[tuple[dict, records.Stamp | None]]
) -> records.Saved:
    """Register or correct a month's delivery to each recipient in `forms` (the 两馆 together) in
    one transaction: all or none. Each keeps its own batch (undone one by one); the answer names them."""
    try:
        with db.write_session(engine()) as session:
            saved = [
                records.save_delivery(session, principal, unit, values, dt.date.today(), loaded=loaded)
                for values, loaded in forms
            ]
    except records.StaleRecord:
        refresh()
        raise
    refresh()
    done = [s for s in saved if s.status != "unchanged"]
    if not done:
        return saved[0]
    return records.Saved("saved", done[0].batch_id, "；".join(s.label for s in done))


def save_annual_figures(
    principal: Principal, unit: str, year: int, items: dict[str, records.AnnualFormItem]
) -> records.Saved:
    """Save the unit's 年报表二 for the year (raises records.RecordError naming each bad figure)."""
    with db.write_session(engine()) as session:
        saved = records.save_annual_figures(session, principal, unit, year, items)
    refresh()
    return saved


def _changed(write: Callable[..., records.Changed], *args: object, **kwargs: object) -> records.Changed:
    """Run a 更正/撤回/恢复 (which checks the loaded stamp) as `_optimistic` runs a form's save."""
    try:
        with db.write_session(engine()) as session:
            done = write(session, *args, **kwargs)
    except records.StaleRecord:
        refresh()
        raise
    refresh()
    return done


def correct_publication(
    principal: Principal,
    unit: str,
    index_no: str,
    values: dict,
    day: object,
    note: str,
    loaded: records.Stamp,
) -> records.Changed:
    """更正 an item's 信息名称 / 文号 (raises records.RecordError; StaleRecord when changed meanwhile)."""
    return _changed(
        records.correct_publication,
        principal,
        unit,
        index_no,
        values,
        day,
        note,
        dt.date.today(),
        loaded=loaded,
    )


def withdraw_publication(
    principal: Principal, unit: str, index_no: str, day: object, reason: str, loaded: records.Stamp
) -> records.Changed:
    """撤回 an item from a day on, for a reason."""
    return _changed(
        records.withdraw_publication, principal, unit, index_no, day, reason, dt.date.today(), loaded=loaded
    )


def restore_publication(
    principal: Principal, unit: str, index_no: str, day: object, reason: str, loaded: records.Stamp
) -> records.Changed:
    """恢复 a withdrawn item (admins)."""
    return _changed(
        records.restore_publication, principal, unit, index_no, day, reason, dt.date.today(), loaded=loaded
    )
