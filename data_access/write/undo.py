"""Undo: the one entry point that takes back an upload or a saved form, whatever its kind.

`undo(engine, principal, batch_id)` checks the permission ("undo") and that the batch belongs to
the principal's unit or one under it, takes the batch's (kind, unit) lock, and then:
- a spreadsheet kind (and the forms saved under one: requests, boards, deliveries) replays the
  batch's change log: it deletes the rows the batch inserted, puts back every updated row's image
  and re-inserts every deleted row with its old id, restores the statuses it changed — the
  database is then exactly as before the upload. Refused while a later active upload has touched
  the same rows (undo that one first);
- a policy interpretation or a hotline duty (`records.SIMPLE_KINDS`: the forms only insert one
  row) deletes the batch's rows.
Either way the batch is marked 'undone', the undo is audited and the data version moves. It runs
under the same (kind, unit) lock as uploads and form saves, so it never interleaves with them; a
busy database is tried again (db.retrying), and what still fails is refused (UndoRefused) in
Chinese.
"""

from __future__ import annotations

from contextlib import ExitStack
from itertools import groupby

from sqlalchemy import Engine, Row, Table, delete, select, update
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal, require
from data_access.store import audit, db, tally
from data_access.store.models import ImportChange, UploadBatch
from data_access.store.reference import visible_unit_ids
from data_access.write.importing import store
from data_access.write.importing.batches import UndoRefused, lock, not_active_message
from data_access.write.importing.changelog import BATCH_TABLES, MODELS, chunks, from_json
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.kinds import KINDS
from data_access.write.records.store import SIMPLE_KINDS

__all__ = ["UNDO_CONFLICT", "UndoRefused", "undo"]

UNDO_CONFLICT = "撤销时数据正被其他同事修改，未作任何改动，请刷新页面后重试"


def undo(engine: Engine, principal: Principal, batch_id: int) -> int:
    """Undo an upload or a saved form exactly (one transaction); return how many rows it had.

    PermissionDenied when the principal's role may not undo; UndoRefused (Chinese) when the batch
    is unknown, not the principal's, not in force, or later uploads depend on it. Large replays
    keep the running counts by one grouped recount (tally.bulk) instead of row triggers.
    """
    require(principal, "undo")
    with collector_paused():
        try:
            return db.retrying(lambda: _undo(engine, principal, batch_id))
        except db.WriteConflict:
            raise UndoRefused(UNDO_CONFLICT) from None
        except db.Busy as exc:
            raise UndoRefused(str(exc)) from None


def _undo(engine: Engine, principal: Principal, batch_id: int) -> int:
    with db.write_session(engine, read_committed=True) as session:
        head = session.execute(
            select(UploadBatch.kind, UploadBatch.unit_id).where(UploadBatch.id == batch_id)
        ).first()
        if head is None:
            raise UndoRefused(f"没有第 {batch_id} 批上传记录（演示数据不能撤销）")
        if head.unit_id not in visible_unit_ids(session, principal):
            raise UndoRefused(f"第 {batch_id} 批不属于您所在的单位或其下属单位，不能撤销")
        if head.kind not in KINDS and head.kind not in SIMPLE_KINDS:
            raise UndoRefused(f"没有第 {batch_id} 批上传记录（演示数据不能撤销）")
        lock(session, head.kind, head.unit_id)
        batch = session.get(UploadBatch, batch_id, populate_existing=True)
        if batch is None or batch.status != "active":
            raise UndoRefused(not_active_message(batch_id, batch.status if batch else ""))
        if batch.kind in SIMPLE_KINDS:
            _undo_entry(session, batch)
        else:
            _undo_upload(session, batch)
        audit.record(
            session,
            "undo",
            user=principal,
            detail=dict(batch_id=batch_id, kind=batch.kind, period=batch.period_key),
        )
        db.bump_data_version(session)
        return batch.row_count


def _undo_entry(session: Session, batch: UploadBatch) -> None:
    """A policy interpretation or hotline duty: delete the batch's rows."""
    # Only while still active: of two undos at once, the second finds it undone.
    result = session.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch.id, UploadBatch.status == "active")
        .values(status="undone")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise UndoRefused(not_active_message(batch.id, "undone"))
    model = SIMPLE_KINDS[batch.kind]
    session.execute(delete(model).where(model.batch_id == batch.id))


def _undo_upload(session: Session, batch: UploadBatch) -> None:
    """Replay the change log newest first, a run of the same operation on the same table as one
    set-based statement (the log holds each row once, parents before children, so a run's rows do
    not depend on each other)."""
    batch_id = batch.id
    conn = session.connection()
    log = ImportChange.__table__
    changes = conn.execute(
        select(log.c.table_name, log.c.row_id, log.c.op, log.c.before)
        .where(log.c.batch_id == batch_id)
        .order_by(log.c.seq.desc())
    ).all()
    own = {
        table: list(conn.scalars(select(MODELS[table].id).where(MODELS[table].batch_id == batch_id)))
        for table in BATCH_TABLES
    }
    _refuse_if_later_depends(session, batch_id, changes, own)
    # Out of force first: the batch it superseded comes back in force during the replay.
    result = session.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch_id, UploadBatch.status == "active")
        .values(status="undone")
        .execution_options(synchronize_session=False)
    )
    store.expect(result.rowcount, 1, f"undo batch {batch_id}")
    updated = {(c.table_name, c.row_id) for c in changes if c.op == "update"}
    with ExitStack() as stack:
        recounts = []
        for source in tally.SOURCES:
            mine = set(own.get(source, ()))
            touched = {c.row_id for c in changes if c.table_name == source and c.op != "delete"} - mine
            restored = [c.row_id for c in changes if c.table_name == source and c.op != "insert"]
            rows = len(mine) + len(touched) + len(restored)
            if rows:
                counts = stack.enter_context(tally.bulk(conn, source, rows))
                counts.subtract(batch_id=batch_id, ids=touched)
                recounts.append((counts, restored))
        for table in BATCH_TABLES:
            t = MODELS[table].__table__
            for part in chunks([i for i in own[table] if (table, i) not in updated]):
                store.expect(
                    conn.execute(delete(t).where(t.c.id.in_(part))).rowcount, len(part), f"undo {table}"
                )
        for (table_name, op), run in groupby(changes, key=lambda c: (c.table_name, c.op)):
            _replay(session, MODELS[table_name].__table__, op, list(run))
        for counts, restored in recounts:
            counts.add(ids=restored)


def _replay(session: Session, table: Table, op: str, changes: list[Row]) -> None:
    """Take back one run of changes: delete what was inserted, put back what was updated or deleted."""
    if op == "insert":
        for part in chunks([c.row_id for c in changes]):
            session.connection().execute(delete(table).where(table.c.id.in_(part)))
    elif op == "update":
        images = [from_json(table, c.before) for c in changes]
        current: dict[int, dict] = {}
        for part in chunks([image["id"] for image in images]):
            current.update(
                (r["id"], r) for r in store.select_rows(session, select(table).where(table.c.id.in_(part)))
            )
        if len(current) != len(images):
            raise db.WriteConflict(f"undo: {len(images) - len(current)} rows of {table.name} are gone")
        store.update_by_id(session, table, images, current)
    else:
        store.insert_rows(session, table, [from_json(table, c.before) for c in changes])


def _refuse_if_later_depends(
    session: Session, batch_id: int, changes: list[Row], own: dict[str, list[int]]
) -> None:
    touched = {(c.table_name, c.row_id) for c in changes}
    for table, ids in own.items():
        touched |= {(table, i) for i in ids}
    touched.add(("upload_batch", batch_id))
    later = session.execute(
        select(ImportChange.batch_id, ImportChange.table_name, ImportChange.row_id)
        .join(UploadBatch, UploadBatch.id == ImportChange.batch_id)
        .where(ImportChange.batch_id > batch_id, UploadBatch.status == "active")
    )
    blocking = sorted({b for b, t, r in later if (t, r) in touched})
    if blocking:
        raise UndoRefused(f"第 {'、'.join(map(str, blocking))} 批上传修改了同样的数据，请先撤销该批次")
