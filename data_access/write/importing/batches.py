"""Upload history and undo.

Supersede: a commit logs the before-image of every row it updates or deletes
(import_change); a batch left with no live rows is marked 'superseded' (that
status change is logged too). Undo of a batch deletes the rows it inserted,
puts back every updated row's image and re-inserts every deleted row with its
old id, restores the statuses it changed, and marks it 'undone' — the database
is then exactly as before the upload. A batch can be undone only while no later
active upload has touched the same rows (undo that one first).

Uploads and undos of the same (kind, unit) run one after the other: each takes `lock`
before it reads anything, and on PostgreSQL and MariaDB reads only what was committed
before it got the lock (db.write_session(read_committed=True)). The database itself holds
at most one active batch per (kind, unit, period) (models.UploadBatch.active_upload).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import Engine, Row, Table, delete, func, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.store import audit, db, tally
from data_access.store.models import AppUser, ImportChange, OrgUnit, UploadBatch, UploadLock
from data_access.write.importing import store
from data_access.write.importing.changelog import BATCH_TABLES, MODELS, ChangeLog, chunks, from_json
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.kinds import KINDS, SPECS

STATUS_NAMES = {"active": "生效", "superseded": "已被替换", "undone": "已撤销"}
_NOT_ACTIVE = {
    "superseded": "第 {id} 批已被之后上传的文件替换，不能撤销（如需恢复，请先撤销替换它的那一批）",
    "undone": "第 {id} 批已撤销，不能再次撤销",
}
UNDO_CONFLICT = "撤销时数据正被其他同事修改，未作任何改动，请刷新页面后重试"


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


def undo(engine: Engine, batch_id: int, *, username: str | None = None) -> int:
    """Undo an upload exactly (one transaction); return how many rows it had. UndoRefused if not possible.

    The change log is replayed newest first, a run of the same operation on the same table
    as one set-based statement (the log holds each row once, parents before children, so a
    run's rows do not depend on each other); large replays keep the running counts by one
    grouped recount (tally.bulk) instead of row triggers. It holds the (kind, unit) lock, so
    it never interleaves with an upload or another undo of the same data; a busy database is
    tried again (db.retrying), and what still fails is refused with a Chinese message.
    """
    with collector_paused():
        try:
            return db.retrying(lambda: _undo(engine, batch_id, username))
        except db.WriteConflict:
            raise UndoRefused(UNDO_CONFLICT) from None
        except db.Busy as exc:
            raise UndoRefused(str(exc)) from None


def _undo(engine: Engine, batch_id: int, username: str | None) -> int:
    with db.write_session(engine, read_committed=True) as session:
        head = session.execute(
            select(UploadBatch.kind, UploadBatch.unit_id).where(UploadBatch.id == batch_id)
        ).first()
        if head is None or head.kind not in KINDS:
            raise UndoRefused(f"没有第 {batch_id} 批上传记录（演示数据不能撤销）")
        lock(session, head.kind, head.unit_id)
        batch = session.get(UploadBatch, batch_id, populate_existing=True)
        if batch is None or batch.status != "active":
            raise UndoRefused(not_active_message(batch_id, batch.status if batch else ""))
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
        audit.record(
            session,
            "undo",
            username=username,
            detail=dict(batch_id=batch_id, kind=batch.kind, period=batch.period_key),
        )
        db.bump_data_version(session)
        return batch.row_count


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
