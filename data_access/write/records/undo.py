"""Undoing a saved policy interpretation or hotline duty, and the scope check before any undo.

Spreadsheet kinds (and the forms saved under them) are undone by `importing.undo`; these two
kinds only ever insert one row, so undo deletes the batch's rows and marks it 'undone'.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.store import audit, db
from data_access.store.models import UploadBatch
from data_access.store.reference import visible_unit_ids
from data_access.write.importing.batches import UndoRefused, lock, not_active_message
from data_access.write.records.store import SIMPLE_KINDS


def undo_entry(session: Session, batch_id: int, principal: Principal) -> int:
    """Undo a saved policy interpretation or hotline duty (the forms only insert); UndoRefused otherwise."""
    batch = session.get(UploadBatch, batch_id)
    if batch is None or batch.kind not in SIMPLE_KINDS:
        raise UndoRefused(f"第 {batch_id} 批不是政策解读或市长专线登记，不能在此撤销")
    if batch.status != "active":
        raise UndoRefused(not_active_message(batch_id, batch.status))
    if batch.unit_id not in visible_unit_ids(session, principal):
        raise UndoRefused(f"第 {batch_id} 批不属于您所在的单位或其下属单位")
    lock(session, batch.kind, batch.unit_id)
    # Only while still active: of two undos at once, the second finds it undone.
    undone = session.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch_id, UploadBatch.status == "active")
        .values(status="undone")
        .execution_options(synchronize_session=False)
    )
    if undone.rowcount != 1:
        raise UndoRefused(not_active_message(batch_id, "undone"))
    model = SIMPLE_KINDS[batch.kind]
    session.execute(delete(model).where(model.batch_id == batch_id))
    audit.record(
        session,
        "undo",
        user=principal,
        detail=dict(batch_id=batch_id, kind=batch.kind, period=batch.period_key),
    )
    db.bump_data_version(session)
    return batch.row_count


def batch_kind_in_scope(session: Session, principal: Principal, batch_id: int) -> str:
    """The kind of a batch the user may undo (their unit or one under it); UndoRefused otherwise."""
    batch = session.get(UploadBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"没有第 {batch_id} 批上传记录")
    if batch.unit_id not in visible_unit_ids(session, principal):
        raise UndoRefused(f"第 {batch_id} 批不属于您所在的单位或其下属单位，不能撤销")
    return batch.kind
