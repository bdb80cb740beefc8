"""Upload batches: the history, the (kind, unit) lock, and superseding (undo: data_access.write.undo).

Supersede: a commit logs the before-image of every row it updates or deletes
(import_change); a batch left with no live rows is marked 'superseded' (that
status change is logged too), which is what lets `write.undo` restore exactly
what an upload replaced.

Uploads and undos of the same (kind, unit) run one after the other: each takes `lock`
before it reads anything, and on PostgreSQL and MariaDB reads only what was committed
before it got the lock (db.write_session(read_committed=True)). The database itself holds
at most one active batch per (kind, unit, period, register) (models.UploadBatch.active_upload).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.store import db
from data_access.store.models import AppUser, OrgUnit, UploadBatch, UploadLock
from data_access.write.importing import store
from data_access.write.importing.changelog import BATCH_TABLES, MODELS, ChangeLog
from data_access.write.importing.kinds import KINDS, SPECS

STATUS_NAMES = {"active": "生效", "superseded": "已被替换", "undone": "已撤销"}
_NOT_ACTIVE = {
    "superseded": "第 {id} 批已被之后上传的文件替换，不能撤销（如需恢复，请先撤销替换它的那一批）",
    "undone": "第 {id} 批已撤销，不能再次撤销",
}


class UndoRefused(Exception):
    """The batch cannot be undone (unknown, not active, or later uploads depend on it); Chinese message."""


def not_active_message(batch_id: int, status: str) -> str:
    """Why a batch that is no longer in force cannot be undone."""
    return _NOT_ACTIVE.get(status, "第 {id} 批未生效，不能撤销").format(id=batch_id)


def lock(session: Session, kind: str, unit_id: int) -> int:
    """Take the (kind, unit) lock for the rest of the transaction; return how many writes took it.

    An upsert of the lock row: it creates the row the first time and otherwise updates it,
    so on PostgreSQL and MariaDB it waits for (and then holds) the row lock of any other
    transaction that took it; on SQLite the writer already holds the database's write lock.
    Call it before reading anything the write depends on.
    """
    t = UploadLock.__table__
    dialect = session.get_bind().dialect.name
    values = dict(kind=kind, unit_id=unit_id, version=1)
    if dialect == "mysql" or dialect == "mariadb":
        stmt = mysql.insert(t).values(values).on_duplicate_key_update(version=t.c.version + 1)
    else:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(t).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[t.c.kind, t.c.unit_id], set_={"version": t.c.version + 1}
        )
    session.execute(stmt)
    return session.scalar(select(t.c.version).where(t.c.kind == kind, t.c.unit_id == unit_id)) or 0


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


def active_for_key(
    session: Session, kind: str, unit_id: int, period: str, register: str = ""
) -> list[UploadBatch]:
    """The active batches for (kind, unit, period, register), newest first."""
    return list(
        session.scalars(
            select(UploadBatch)
            .where(
                UploadBatch.kind == kind,
                UploadBatch.unit_id == unit_id,
                UploadBatch.period_key == period,
                UploadBatch.register == register,
                UploadBatch.status == "active",
            )
            .order_by(UploadBatch.id.desc())
        )
    )


def same_file(
    session: Session,
    kind: str,
    unit_id: int,
    period: str,
    hasher: Callable[[int], str],
    register: str = "",
) -> SameFile:
    """Batches of this file for this key: which is active, and the generation a new batch gets."""
    rows = {
        b.file_hash: b
        for b in session.scalars(
            select(UploadBatch).where(
                UploadBatch.kind == kind,
                UploadBatch.unit_id == unit_id,
                UploadBatch.period_key == period,
                UploadBatch.register == register,
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


def supersede(session: Session, log: ChangeLog, batch_id: int) -> None:
    """Mark an active batch superseded (logged, so undo puts it back); WriteConflict if it is not active."""
    log.add("upload_batch", batch_id, "update", {"id": batch_id, "status": "active"})
    retire(session, batch_id)


def retire(session: Session, batch_id: int) -> None:
    """Mark an active batch superseded (not logged: see `supersede`); WriteConflict if it is not active."""
    result = session.execute(
        update(UploadBatch)
        .where(UploadBatch.id == batch_id, UploadBatch.status == "active")
        .values(status="superseded")
        .execution_options(synchronize_session=False)
    )
    store.expect(result.rowcount, 1, f"supersede batch {batch_id}")


def mark_superseded(session: Session, log: ChangeLog, batch_id: int) -> None:
    """Mark every import batch that lost all its rows to this one as superseded (logged)."""
    losers = set(log.replaced_batches)
    losers.discard(batch_id)
    for other in sorted(losers):
        status = session.execute(
            select(UploadBatch.kind, UploadBatch.status).where(UploadBatch.id == other)
        ).first()
        if (
            status is not None
            and status.kind in KINDS
            and status.status == "active"
            and live_rows(session, other) == 0
        ):
            supersede(session, log, other)


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
    from data_access.store.models import AuditLog

    needle = f'"batch_id": {batch_id},'
    for username, detail in session.execute(
        select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "upload")
    ):
        if detail and needle in detail:
            return username
    return None
