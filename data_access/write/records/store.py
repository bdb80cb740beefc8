"""Saving one form: the rows, an UploadBatch, the change log, an audit entry — one transaction.

The individual saves live here: 登记 a request and update its progress (with its pauses), an
appeal, a policy interpretation, a hotline duty, a bulletin-board update, and register or
correct a month's delivery. The plumbing they share — the `Stamp` a form loaded and the
optimistic UPDATE that checks it, the form's UploadBatch, the change log and audit entry that
finish a save — is in `batches`.

Updated rows keep their id and batch; their before-image, and every pause inserted or deleted,
goes to the import change log, so `write.undo` restores exactly what a form changed (policy
interpretations and hotline duties, which only insert, it undoes by deleting their rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.rules.vocab import RECIPIENT_NAMES
from data_access.store.models import (
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    DisclosureRequest,
    HotlineDuty,
    OrgUnit,
    PolicyInterpretation,
    RequestPart,
    RequestPause,
)
from data_access.store.reference import unit_and_descendants, visible_unit_ids
from data_access.write.importing.batches import lock as upload_lock
from data_access.write.importing.changelog import ChangeLog
from data_access.write.importing.normalise import fold
from data_access.write.importing.store import _infer_board_kind
from data_access.write.records import validate as V
from data_access.write.records.batches import (
    Saved,
    Stamp,
    _batch,
    _finish,
    _problem,
    _update_loaded,
    stamp_of,
)

APPEAL_NAMES = {"reconsideration": "行政复议", "litigation": "行政诉讼", "complaint": "申诉举报"}
# Form batches of kinds no spreadsheet has: write.undo deletes their rows.
SIMPLE_KINDS = {"interpretations": PolicyInterpretation, "hotline": HotlineDuty}


def unit_in_scope(session: Session, principal: Principal, unit_code: str) -> OrgUnit:
    """The unit, when it is the user's own or one under it; RecordError otherwise."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None or unit.id not in visible_unit_ids(session, principal):
        raise _problem("unit", "单位", f"「{unit_code}」不是您所在的单位或其下属单位，不能为它登记")
    return unit


def _image(session: Session, model: Any, row_id: int) -> dict[str, Any]:
    table = model.__table__
    return dict(session.execute(select(table).where(table.c.id == row_id)).mappings().one())


def _month(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def _find_request(session: Session, unit: OrgUnit, request_no: str) -> dict[str, Any] | None:
    table = DisclosureRequest.__table__
    row = (
        session.execute(select(table).where(table.c.unit_id == unit.id, table.c.request_no == request_no))
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def register_request(
    session: Session, principal: Principal, unit_code: str, values: dict, today: dt.date
) -> Saved:
    """登记 a request the day it arrives."""
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "requests", unit.id)  # before reading: an upload of the same kind waits, or we do
    record = V.validate_new_request(values, today)
    label = f"表单：登记依申请公开 {record['request_no']}"
    existing = _find_request(session, unit, record["request_no"])
    if existing is not None:
        if all(existing[k] == v for k, v in record.items()):
            return Saved("unchanged", existing["batch_id"], label)
        raise _problem(
            "request_no",
            V.REQUEST_LABELS["request_no"],
            f"「{record['request_no']}」已登记（{existing['received_date']} 收到），请在“办理进度”中更新",
        )
    period = _month(record["received_date"])
    batch_id = _batch(
        session, principal, "requests", unit, period, label, dict(form="request", record=record)
    )
    session.execute(insert(DisclosureRequest).values(**record, unit_id=unit.id, batch_id=batch_id))
    return _finish(session, principal, ChangeLog(batch_id), unit, "requests", period, label)


def latest_pauses(session: Session, request_id: int) -> dict[str, dict[str, Any] | None]:
    """The latest pause of each kind of a request (None when it has none)."""
    table = RequestPause.__table__
    latest: dict[str, dict[str, Any] | None] = dict.fromkeys(V.PAUSE_KINDS)
    rows = session.execute(
        select(table).where(table.c.request_id == request_id).order_by(table.c.start_date, table.c.id)
    ).mappings()
    for row in rows:
        latest[row["kind"]] = dict(row)
    return latest


def update_request(
    session: Session,
    principal: Principal,
    unit_code: str,
    request_no: str,
    values: dict,
    today: dt.date,
    *,
    loaded: Stamp,
) -> Saved:
    """Record a request's progress: 补正, third-party consultation, extension, reply and outcome.

    `loaded` is the request's stamp when the form was drawn (RequestRow.stamp): StaleRecord when
    the request has changed or gone since. Its pauses change only here, under its version.
    """
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "requests", unit.id)  # before reading: an upload of the same kind waits, or we do
    row = _find_request(session, unit, request_no)
    label = f"表单：更新依申请公开 {request_no}"
    if row is None or stamp_of(row) != loaded:
        raise V.StaleRecord()
    current = _parts_of(session, row["id"])
    new, changes = V.validate_progress(
        {**row, "_parts": current}, latest_pauses(session, row["id"]), values, today
    )
    parts = new.pop("_parts")
    if not changes and parts == current and all(row[k] == v for k, v in new.items()):
        return Saved("unchanged", None, label)
    _update_loaded(session, DisclosureRequest, row["id"], loaded, new)  # first write: takes the row lock
    period = _month(row["received_date"])
    payload = dict(
        form="request_progress", request_no=request_no, record=new, pauses=[asdict(c) for c in changes]
    )
    batch_id = _batch(session, principal, "requests", unit, period, label, payload)
    log = ChangeLog(batch_id)
    log.add("disclosure_request", row["id"], "update", row)
    for change in changes:
        if change.op == "insert":
            pause_id = session.execute(
                insert(RequestPause)
                .values(request_id=row["id"], kind=change.kind, start_date=change.start, end_date=change.end)
                .returning(RequestPause.id)
            ).scalar_one()
            log.add("request_pause", pause_id, "insert")
            continue
        log.add(
            "request_pause", change.existing_id, change.op, _image(session, RequestPause, change.existing_id)
        )
        if change.op == "update":
            session.execute(
                update(RequestPause)
                .where(RequestPause.id == change.existing_id)
                .values(start_date=change.start, end_date=change.end)
            )
        else:
            session.execute(delete(RequestPause).where(RequestPause.id == change.existing_id))
    if parts != current:
        _replace_parts(session, log, row["id"], parts)
    return _finish(session, principal, log, unit, "requests", period, label)


def _parts_of(session: Session, request_id: int) -> tuple[tuple[str, bool], ...]:
    """A request's parts as (outcome, is_main), in order."""
    rows = session.execute(
        select(RequestPart.outcome, RequestPart.is_main)
        .where(RequestPart.request_id == request_id)
        .order_by(RequestPart.seq)
    )
    return tuple((outcome, bool(main)) for outcome, main in rows)


def _replace_parts(
    session: Session, log: ChangeLog, request_id: int, parts: tuple[tuple[str, bool], ...]
) -> None:
    """The request's parts become `parts` (every deleted and inserted row logged for undo)."""
    for part_id in session.scalars(select(RequestPart.id).where(RequestPart.request_id == request_id)):
        log.add("request_part", part_id, "delete", _image(session, RequestPart, part_id))
    session.execute(delete(RequestPart).where(RequestPart.request_id == request_id))
    for seq, (outcome, main) in enumerate(parts, start=1):
        part_id = session.execute(
            insert(RequestPart)
            .values(request_id=request_id, seq=seq, outcome=outcome, is_main=main)
            .returning(RequestPart.id)
        ).scalar_one()
        log.add("request_part", part_id, "insert")


def add_appeal(session: Session, principal: Principal, unit_code: str, values: dict, today: dt.date) -> Saved:
    """登记 a reconsideration, lawsuit or complaint (optionally tied to a request)."""
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "requests", unit.id)  # before reading: an upload of the same kind waits, or we do
    record = V.validate_appeal(values, today)
    request_no = record.pop("request_no")
    request_id = None
    if request_no:
        found = _find_request(session, unit, request_no)
        if found is None:
            raise _problem("request_no", V.APPEAL_LABELS["request_no"], f"「{request_no}」尚未登记")
        request_id = found["id"]
    label = f"表单：登记{APPEAL_NAMES[record['kind']]} {record['filed_date']}" + (
        f" {request_no}" if request_no else ""
    )
    period = _month(record["filed_date"])
    batch_id = _batch(
        session,
        principal,
        "requests",
        unit,
        period,
        label,
        dict(form="appeal", request_no=request_no, record=record),
    )
    session.execute(
        insert(Appeal).values(**record, unit_id=unit.id, request_id=request_id, batch_id=batch_id)
    )
    return _finish(session, principal, ChangeLog(batch_id), unit, "requests", period, label)


def _add_simple(
    session: Session, principal: Principal, unit: OrgUnit, kind: str, day: dt.date, label: str, record: dict
) -> Saved:
    period = _month(day)
    upload_lock(session, kind, unit.id)
    batch_id = _batch(session, principal, kind, unit, period, label, dict(form=kind, record=record))
    session.execute(insert(SIMPLE_KINDS[kind]).values(**record, unit_id=unit.id, batch_id=batch_id))
    return _finish(session, principal, ChangeLog(batch_id), unit, kind, period, label)


def add_interpretation(
    session: Session, principal: Principal, unit_code: str, values: dict, today: dt.date
) -> Saved:
    """登记 a policy interpretation."""
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    record = V.validate_interpretation(values, today)
    label = f"表单：登记政策解读 {record['title'][:60]}"
    return _add_simple(session, principal, unit, "interpretations", record["published_date"], label, record)


def add_hotline(
    session: Session, principal: Principal, unit_code: str, values: dict, today: dt.date
) -> Saved:
    """登记 a turn on the unit's hotline duty (its profile names it, e.g. 12345热线)."""
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    record = V.validate_hotline(values, today)
    label = f"表单：登记热线值班接听 {record['duty_date']} {record['official']}"
    return _add_simple(session, principal, unit, "hotline", record["duty_date"], label, record)


def add_board_update(
    session: Session, principal: Principal, unit_code: str, values: dict, today: dt.date
) -> Saved:
    """登记 a bulletin-board update; an unknown board is created for the unit."""
    require(principal, "edit_boards_deliveries")
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "boards", unit.id)  # before reading: an upload of the same kind waits, or we do
    record = V.validate_board_update(values, today)
    ids = unit_and_descendants(session, unit.id)
    boards = {
        fold(name): (bid, name)
        for bid, name in session.execute(select(Board.id, Board.name).where(Board.unit_id.in_(ids)))
    }
    known = boards.get(fold(record["board"]))
    name = known[1] if known else record["board"]
    label = f"表单：登记公开栏更新 {name} {record['update_date']} {record['kind']}"
    if known is not None:
        found = session.execute(
            select(BoardUpdate.id, BoardUpdate.note).where(
                BoardUpdate.board_id == known[0],
                BoardUpdate.update_date == record["update_date"],
                BoardUpdate.kind == record["kind"],
            )
        ).first()
        if found is not None:
            if found.note == record["note"]:
                return Saved("unchanged", None, label)
            message = f"「{name}」{record['update_date']} 的{record['kind']}已登记（说明不同），不能重复登记"
            raise _problem("update_date", V.BOARD_LABELS["update_date"], message)
    period = _month(record["update_date"])
    batch_id = _batch(
        session, principal, "boards", unit, period, label, dict(form="board_update", record=record)
    )
    log = ChangeLog(batch_id)
    board_id = known[0] if known else None
    if board_id is None:
        board_id = session.execute(
            insert(Board)
            .values(unit_id=unit.id, name=name, location=record["location"], kind=_infer_board_kind(name))
            .returning(Board.id)
        ).scalar_one()
        log.add("board", board_id, "insert")
    session.execute(
        insert(BoardUpdate).values(
            board_id=board_id,
            update_date=record["update_date"],
            kind=record["kind"],
            note=record["note"],
            batch_id=batch_id,
        )
    )
    return _finish(session, principal, log, unit, "boards", period, label)


@dataclass(frozen=True)
class DeliveryRow:
    """A month's delivery as the form shows it before correcting it."""

    period_ym: int
    recipient: str
    delivered_date: dt.date | None
    item_count: int
    stamp: Stamp


def _find_delivery(session: Session, unit_id: int, ym: int, recipient: str) -> dict[str, Any] | None:
    table = Delivery.__table__
    row = (
        session.execute(
            select(table).where(
                table.c.unit_id == unit_id, table.c.period_ym == ym, table.c.recipient == recipient
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def find_delivery(session: Session, unit_code: str, ym: int, recipient: str) -> DeliveryRow | None:
    """The unit's registered delivery of a month to a recipient (None when there is none yet)."""
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    row = _find_delivery(session, unit_id, ym, recipient) if unit_id is not None else None
    if row is None:
        return None
    return DeliveryRow(ym, recipient, row["delivered_date"], row["item_count"], stamp_of(row))


def save_delivery(
    session: Session,
    principal: Principal,
    unit_code: str,
    values: dict,
    today: dt.date,
    *,
    loaded: Stamp | None,
) -> Saved:
    """登记 (or correct) one month's delivery to the archive or the library.

    `loaded` is the stamp of the entry the form showed for that month and recipient, None when
    it showed none: StaleRecord when that is no longer so (someone registered, corrected or
    undid it meanwhile).
    """
    require(principal, "edit_boards_deliveries")
    unit = unit_in_scope(session, principal, unit_code)
    upload_lock(session, "deliveries", unit.id)  # before reading: an upload of the same kind waits, or we do
    record = V.validate_delivery(values, today)
    ym = record["period_ym"]
    label = f"表单：登记送交两馆 {RECIPIENT_NAMES[record['recipient']]} {ym // 100}年{ym % 100}月"
    existing = _find_delivery(session, unit.id, ym, record["recipient"])
    if (stamp_of(existing) if existing is not None else None) != loaded:
        raise V.StaleRecord()
    if existing is not None and all(existing[k] == v for k, v in record.items()):
        return Saved("unchanged", None, label)
    if existing is not None:
        _update_loaded(session, Delivery, existing["id"], loaded, record)
    period = f"{ym // 100}-{ym % 100:02d}"
    batch_id = _batch(
        session, principal, "deliveries", unit, period, label, dict(form="delivery", record=record)
    )
    log = ChangeLog(batch_id)
    if existing is None:
        try:
            with session.begin_nested():  # the unique (unit, month, recipient) settles a simultaneous save
                session.execute(insert(Delivery).values(**record, unit_id=unit.id, batch_id=batch_id))
        except IntegrityError:
            raise V.StaleRecord() from None
    else:
        log.add("delivery", existing["id"], "update", existing)
    return _finish(session, principal, log, unit, "deliveries", period, label)
