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
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import Engine, Row, Table, delete, func, select, update
from sqlalchemy.orm import Session

from data_access.store import audit, db, tally
from data_access.store.models import AppUser, ImportChange, OrgUnit, UploadBatch
from data_access.write.importing import store
from data_access.write.importing.changelog import BATCH_TABLES, MODELS, ChangeLog, chunks, from_json
from data_access.write.importing.gcpause import collector_paused
from data_access.write.importing.kinds import KINDS, SPECS

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
    losers = set(log.replaced_batches)
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
    grouped recount (tally.bulk) instead of row triggers.
    """
    with collector_paused():
        return _undo(engine, batch_id, username)


def _undo(engine: Engine, batch_id: int, username: str | None) -> int:
    with db.write_session(engine) as session:
        batch = session.get(UploadBatch, batch_id)
        if batch is None or batch.kind not in KINDS:
            raise UndoRefused(f"没有第 {batch_id} 批上传记录（演示数据不能撤销）")
        if batch.status != "active":
            raise UndoRefused(f"第 {batch_id} 批已{STATUS_NAMES.get(batch.status, batch.status)}，不能撤销")
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
                    conn.execute(delete(t).where(t.c.id.in_(part)))
            for (table_name, op), run in groupby(changes, key=lambda c: (c.table_name, c.op)):
                _replay(session, MODELS[table_name].__table__, op, list(run))
            for counts, restored in recounts:
                counts.add(ids=restored)
        session.execute(update(UploadBatch).where(UploadBatch.id == batch_id).values(status="undone"))
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
