"""Upload history and undo.

Supersede: a commit logs the before-image of every row it updates or deletes
(import_change); a batch left with no live rows is marked 'superseded' (that
status change is logged too). Undo of a batch deletes the rows it inserted,
puts back every updated row's image and re-inserts every deleted row with its
old id, restores the statuses it changed, and marks it 'undone' — the database
is then exactly as before the upload. A batch can be undone only while no later
active upload has touched the same rows (undo that one first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from data_access import audit, db
from data_access.importing.changelog import BATCH_TABLES, MODELS, ChangeLog, chunks, from_json
from data_access.importing.kinds import KINDS, SPECS
from data_access.models import AppUser, ImportChange, OrgUnit, UploadBatch

STATUS_NAMES = {"active": "生效", "superseded": "已被替换", "undone": "已撤销"}


class UndoRefused(Exception):
    """The batch cannot be undone (unknown, not active, or later uploads depend on it); Chinese message."""


@dataclass(frozen=True)
class SameFile:
    """Earlier batches of the same file for the same key: the active one, and the next generation."""

    active: UploadBatch | None
    generation: int


@dataclass(frozen=True)
class BatchInfo:
    """One line of the upload history."""

    id: int
    kind: str
    kind_name: str
    unit: str
    unit_name: str
    period: str
    file_name: str
    uploaded_by: str | None
    uploaded_at: dt.datetime
    rows: int
    status: str
    status_name: str
    supersedes_id: int | None

    def to_dict(self) -> dict:
        """The JSON form (times ISO)."""
        d = dict(self.__dict__)
        d["uploaded_at"] = self.uploaded_at.isoformat(sep=" ") if self.uploaded_at else None
        return d


def active_for_key(session: Session, kind: str, unit_id: int, period: str) -> list[UploadBatch]:
    """The active batches for (kind, unit, period), newest first."""
    return list(
        session.scalars(
            select(UploadBatch)
            .where(
                UploadBatch.kind == kind,
                UploadBatch.unit_id == unit_id,
                UploadBatch.period_key == period,
                UploadBatch.status == "active",
            )
            .order_by(UploadBatch.id.desc())
        )
    )


def same_file(
    session: Session, kind: str, unit_id: int, period: str, hasher: Callable[[int], str]
) -> SameFile:
    """Batches of this file for this key: which is active, and the generation a new batch gets."""
    rows = {
        b.file_hash: b
        for b in session.scalars(
            select(UploadBatch).where(
                UploadBatch.kind == kind, UploadBatch.unit_id == unit_id, UploadBatch.period_key == period
            )
        )
    }
    generation = 0
    while (digest := hasher(generation)) in rows:
        if rows[digest].status == "active":
            return SameFile(rows[digest], generation)
        generation += 1
    return SameFile(None, generation)


def live_rows(session: Session, batch_id: int) -> int:
    """How many live rows still point at a batch."""
    return sum(
        session.scalar(select(func.count()).select_from(MODELS[t]).where(MODELS[t].batch_id == batch_id)) or 0
        for t in BATCH_TABLES
    )


def mark_superseded(session: Session, log: ChangeLog, batch_id: int) -> None:
    """Mark every import batch that lost all its rows to this one as superseded (logged)."""
    losers = set()
    for change in log.rows:
        if change["op"] in ("update", "delete") and change["table_name"] in BATCH_TABLES:
            image = from_json(MODELS[change["table_name"]].__table__, change["before"])
            losers.add(image["batch_id"])
    losers.discard(batch_id)
    for other in sorted(losers):
        batch = session.get(UploadBatch, other)
        if (
            batch is not None
            and batch.kind in KINDS
            and batch.status == "active"
            and live_rows(session, other) == 0
        ):
            log.add("upload_batch", other, "update", {"id": other, "status": "active"})
            session.execute(update(UploadBatch).where(UploadBatch.id == other).values(status="superseded"))


def history(
    engine: Engine, unit_code: str | None = None, kind: str | None = None, limit: int = 200
) -> list[BatchInfo]:
    """Uploads newest first: who uploaded what, when, how many rows, and whether it is in force."""
    with db.read_session(engine) as session:
        stmt = (
            select(UploadBatch, OrgUnit.code, OrgUnit.name, AppUser.display_name)
            .join(OrgUnit, OrgUnit.id == UploadBatch.unit_id)
            .outerjoin(AppUser, AppUser.id == UploadBatch.uploaded_by)
            .order_by(UploadBatch.id.desc())
            .limit(limit)
        )
        if unit_code:
            stmt = stmt.where(OrgUnit.code == unit_code)
        if kind:
            stmt = stmt.where(UploadBatch.kind == kind)
        out = []
        for b, code, name, user in session.execute(stmt):
            who = user or _uploader(session, b.id)
            out.append(
                BatchInfo(
                    b.id,
                    b.kind,
                    SPECS[b.kind].title if b.kind in SPECS else "演示数据" if b.kind == "seed" else b.kind,
                    code,
                    name,
                    b.period_key,
                    b.file_name,
                    who,
                    b.uploaded_at,
                    b.row_count,
                    b.status,
                    STATUS_NAMES.get(b.status, b.status),
                    b.supersedes_id,
                )
            )
        return out


def _uploader(session: Session, batch_id: int) -> str | None:
    from data_access.models import AuditLog

    needle = f'"batch_id": {batch_id},'
    for username, detail in session.execute(
        select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "upload")
    ):
        if detail and needle in detail:
            return username
    return None


def undo(engine: Engine, batch_id: int, *, username: str | None = None) -> int:
    """Undo an upload exactly (one transaction); return how many rows it had. UndoRefused if not possible."""
    with db.write_session(engine) as session:
        batch = session.get(UploadBatch, batch_id)
        if batch is None or batch.kind not in KINDS:
            raise UndoRefused(f"没有第 {batch_id} 批上传记录（演示数据不能撤销）")
        if batch.status != "active":
            raise UndoRefused(f"第 {batch_id} 批已{STATUS_NAMES.get(batch.status, batch.status)}，不能撤销")
        changes = list(
            session.scalars(
                select(ImportChange)
                .where(ImportChange.batch_id == batch_id)
                .order_by(ImportChange.seq.desc())
            )
        )
        _refuse_if_later_depends(session, batch_id, changes)
        updated = {(c.table_name, c.row_id) for c in changes if c.op == "update"}
        for table in BATCH_TABLES:
            model = MODELS[table]
            ids = [
                i
                for i in session.scalars(select(model.id).where(model.batch_id == batch_id))
                if (table, i) not in updated
            ]
            for part in chunks(ids):
                session.execute(delete(model).where(model.id.in_(part)))
        for change in changes:
            model = MODELS[change.table_name]
            if change.op == "insert":
                session.execute(delete(model).where(model.id == change.row_id))
            elif change.op == "update":
                values = from_json(model.__table__, change.before)
                session.execute(
                    update(model.__table__).where(model.__table__.c.id == change.row_id).values(**values)
                )
            else:
                session.execute(insert(model.__table__).values(**from_json(model.__table__, change.before)))
        session.execute(update(UploadBatch).where(UploadBatch.id == batch_id).values(status="undone"))
        audit.record(
            session,
            "undo",
            username=username,
            detail=dict(batch_id=batch_id, kind=batch.kind, period=batch.period_key),
        )
        db.bump_data_version(session)
        return batch.row_count


def _refuse_if_later_depends(session: Session, batch_id: int, changes: list[ImportChange]) -> None:
    touched = {(c.table_name, c.row_id) for c in changes}
    for table in BATCH_TABLES:
        model = MODELS[table]
        touched |= {(table, i) for i in session.scalars(select(model.id).where(model.batch_id == batch_id))}
    touched.add(("upload_batch", batch_id))
    later = session.execute(
        select(ImportChange.batch_id, ImportChange.table_name, ImportChange.row_id)
        .join(UploadBatch, UploadBatch.id == ImportChange.batch_id)
        .where(ImportChange.batch_id > batch_id, UploadBatch.status == "active")
    )
    blocking = sorted({b for b, t, r in later if (t, r) in touched})
    if blocking:
        raise UndoRefused(f"第 {'、'.join(map(str, blocking))} 批上传修改了同样的数据，请先撤销该批次")
