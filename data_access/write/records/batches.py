"""The batch and stamp plumbing of the form saves (records.store).

Saves that change an existing row (a request's progress, a corrected delivery) are optimistic:
the form carries the row's `Stamp` as it loaded it (version and batch), and the UPDATE checks it
in its WHERE (`… SET …, version = version + 1 WHERE id = :id AND version = :v AND batch_id = :b`).
A row changed since — by another form (version) or an upload (batch) — or removed refuses the
save with StaleRecord ("该记录已被他人修改，请刷新后重试") and nothing is written.

Each save creates an UploadBatch (kind per record type; file name "表单：登记依申请公开 YSQ-2019-007";
file hash = sha256 of the canonical record JSON, with '#n' appended when an earlier batch of
the same key already has that hash) whose period key is the record's month (YYYY-MM), so a
form never counts as the previous upload of a yearly spreadsheet. `_finish` writes the change
log, the audit entry and bumps the data version: the save's `Saved`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.rules.permissions import Principal
from data_access.store import audit, db
from data_access.store.models import OrgUnit, UploadBatch
from data_access.write.importing.changelog import ChangeLog
from data_access.write.records import validate as V


@dataclass(frozen=True)
class Stamp:
    """What a form loaded of a row: its version (bumped by every form save) and its batch (an
    upload that touches the row moves it to the upload's batch). A save is refused unless the
    row still has both."""

    version: int
    batch_id: int


def stamp_of(row: Any) -> Stamp:
    """The stamp of a stored row (a mapping or a model instance)."""
    if isinstance(row, dict):
        return Stamp(row["version"], row["batch_id"])
    return Stamp(row.version, row.batch_id)


def _update_loaded(session: Session, model: Any, row_id: int, loaded: Stamp, values: dict) -> None:
    """UPDATE the row only if it still has the loaded stamp (and bump its version); StaleRecord if not.

    The row lock the UPDATE takes also queues a simultaneous save of the same row: on PostgreSQL
    and MariaDB the second re-reads the row when the first commits and matches nothing.
    """
    t = model.__table__
    result = session.execute(
        update(t)
        .where(t.c.id == row_id, t.c.version == loaded.version, t.c.batch_id == loaded.batch_id)
        .values(**values, version=t.c.version + 1)
    )
    if result.rowcount != 1:
        raise V.StaleRecord()


@dataclass(frozen=True)
class Saved:
    """What a save did: 'saved' (with its batch) or 'unchanged' (nothing written)."""

    status: str
    batch_id: int | None
    label: str


def _problem(field: str, label: str, message: str) -> V.RecordError:
    return V.RecordError([V.Problem(field, label, message)])


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)


def _batch(
    session: Session, principal: Principal, kind: str, unit: OrgUnit, period: str, label: str, payload: dict
) -> int:
    canonical = _canonical(payload)
    taken = set(
        session.scalars(
            select(UploadBatch.file_hash).where(
                UploadBatch.kind == kind, UploadBatch.unit_id == unit.id, UploadBatch.period_key == period
            )
        )
    )
    generation = 0
    while (digest := _hash(canonical, generation)) in taken:
        generation += 1
    try:
        with session.begin_nested():
            return session.execute(
                insert(UploadBatch)
                .values(
                    kind=kind,
                    unit_id=unit.id,
                    period_key=period,
                    file_name=label[:255],
                    file_hash=digest,
                    uploaded_by=principal.account_id,
                    uploaded_at=audit.local_now(),
                    status="active",
                    row_count=1,
                )
                .returning(UploadBatch.id)
            ).scalar_one()
    except IntegrityError:
        raise _problem("form", "表单", "有人同时保存了相同的内容，请刷新页面后查看") from None


def _hash(canonical: str, generation: int) -> str:
    suffix = f"#{generation}" if generation else ""
    return hashlib.sha256((canonical + suffix).encode("utf-8")).hexdigest()


def _finish(
    session: Session, principal: Principal, log: ChangeLog, unit: OrgUnit, kind: str, period: str, label: str
) -> Saved:
    log.write(session)
    audit.record(
        session,
        "upload",
        user=principal,
        detail=dict(batch_id=log.batch_id, kind=kind, unit=unit.code, period=period, file=label, rows=1),
    )
    db.bump_data_version(session)
    return Saved("saved", log.batch_id, label)
