"""Where rows came from: each upload batch and the key it is filed under, the lock that queues
writers of one (kind, unit), and the change log that lets undo restore what an upload replaced."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from data_access.rules.vocab import BATCH_STATUSES, RECORD_KINDS
from data_access.store.models.base import Base, in_sql

# The keys of spreadsheet uploads: monthly kinds store 'YYYY-MM', yearly kinds 'YYYY' or ''
# (importing.kinds.SPECS). Forms (data_access.write.records) file their batches of yearly kinds under
# the record's month 'YYYY-MM', so they never share a key with a spreadsheet and may coexist; the
# 年报表二 form (annual-figures) replaces the year's entry whole, so it files under 'YYYY' like the upload.
MONTHLY_UPLOAD_KINDS = ("publications", "projects")
YEARLY_UPLOAD_KINDS = (
    "requests",
    "boards",
    "deliveries",
    "documents",
    "annual-figures",
    "appeals",
    "complaints",
)
ACTIVE_UPLOAD_SQL = (
    f"CASE WHEN status = 'active' AND ({in_sql('kind', MONTHLY_UPLOAD_KINDS)} OR "
    f"({in_sql('kind', YEARLY_UPLOAD_KINDS)} AND length(period_key) <> 7)) THEN 1 END"
)


class UploadBatch(Base):
    """One uploaded file (or the seed): who, when, what, and whether it is in force.

    The unique constraint makes two simultaneous uploads of the same file for the
    same (kind, unit, period) produce one batch, not two. `active_upload` is 1 while the
    batch is the spreadsheet upload in force for its (kind, unit, period) and NULL
    otherwise (computed by the database), and a unique index on it lets the database hold
    at most one such batch per key, whoever writes.
    """

    __tablename__ = "upload_batch"
    __table_args__ = (
        UniqueConstraint("kind", "unit_id", "period_key", "file_hash"),
        CheckConstraint(in_sql("kind", RECORD_KINDS), name="kind"),
        CheckConstraint(in_sql("status", BATCH_STATUSES), name="status"),
        Index("ix_upload_batch_scope", "kind", "unit_id", "period_key", "status"),
        Index(
            "uq_upload_batch_active_upload",
            "kind",
            "unit_id",
            "period_key",
            "register",
            "active_upload",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    # 'YYYY-MM' for monthly files, 'YYYY' for yearly ones, '' when rows carry their own dates.
    period_key: Mapped[str] = mapped_column(String(7), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    status: Mapped[str] = mapped_column(String(20), default="active")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("upload_batch.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # The register a publications upload lists its items in ('' for every other kind): a
    # publications upload replaces only its own (unit, month, register) (migration 0018).
    register: Mapped[str] = mapped_column(String(20), server_default="")
    active_upload: Mapped[int | None] = mapped_column(
        SmallInteger, Computed(ACTIVE_UPLOAD_SQL, persisted=True)
    )


class UploadLock(Base):
    """The row an upload or an undo of (kind, unit) locks first (data_access.write.importing.batches.lock).

    Writers for the same kind and unit queue on it (an upsert takes the row lock on
    PostgreSQL and MariaDB; SQLite's writers are serial anyway) and read the database only
    once they hold it. `version` counts the writes that took it.
    """

    __tablename__ = "upload_lock"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class ImportChange(Base):
    """What one upload did to a live row, so undo restores it exactly (data_access.write.importing).

    op 'insert': the batch created the row (only logged for tables without batch_id);
    'update' / 'delete': the row existed, `before` holds its JSON image before the batch.
    """

    __tablename__ = "import_change"
    __table_args__ = (
        CheckConstraint(in_sql("op", ("insert", "update", "delete")), name="op"),
        Index("ix_import_change_row", "table_name", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("upload_batch.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    before: Mapped[str | None] = mapped_column(Text)
