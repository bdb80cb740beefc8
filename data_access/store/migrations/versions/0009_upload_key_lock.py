"""one active upload batch per key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Two uploads for the same (kind, unit, period) that raced on PostgreSQL or MariaDB could both
stay active (their rows counted twice). From here on:
- `upload_lock` holds one row per (kind, unit) that uploads and undos lock before they read
  anything (data_access.write.importing.batches.lock), so they run one after the other;
- `upload_batch.active_upload` (computed by the database: 1 for the spreadsheet upload in force
  for its key, NULL otherwise) carries a unique index: at most one batch in force per
  (kind, unit, period), whoever writes.

Keys that already have several active spreadsheet batches (only a race before this revision
can have made them) are repaired before the index is built, without changing any figure: the
newest batch stays active and the rows of the older ones are moved to it (so undoing it takes
out all of them, and re-uploading the file for the key replaces all of them); the older ones
are marked 'superseded'. Both get a note, and the migration logs each key it repaired.
"""

import logging
import sqlite3

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')

# As in data_access.store.models (kept literal here: a migration must not change with the models).
MONTHLY = ('publications', 'projects')
YEARLY = ('requests', 'boards', 'deliveries')
ACTIVE_UPLOAD_SQL = (
    "CASE WHEN status = 'active' AND (kind IN ('publications', 'projects') OR "
    "(kind IN ('requests', 'boards', 'deliveries') AND length(period_key) <> 7)) THEN 1 END"
)
BATCH_TABLES = ('appeal', 'disclosure_request', 'project_progress', 'publication', 'board_update', 'delivery')
INDEX = 'uq_upload_batch_active_upload'


def _repair_duplicates(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    batch = sa.Table(
        'upload_batch', meta,
        sa.Column('id', sa.Integer), sa.Column('kind', sa.String), sa.Column('unit_id', sa.Integer),
        sa.Column('period_key', sa.String), sa.Column('status', sa.String), sa.Column('note', sa.Text),
    )  # fmt: skip
    groups = conn.execute(
        sa.select(batch.c.kind, batch.c.unit_id, batch.c.period_key)
        .where(batch.c.status == 'active', batch.c.kind.in_(MONTHLY + YEARLY))
        .group_by(batch.c.kind, batch.c.unit_id, batch.c.period_key)
        .having(sa.func.count() > 1)
    ).all()
    for kind, unit_id, period in groups:
        if kind in YEARLY and len(period) == 7:
            continue  # forms filed under a month: several may be in force
        ids = sorted(
            conn.scalars(
                sa.select(batch.c.id).where(
                    batch.c.kind == kind,
                    batch.c.unit_id == unit_id,
                    batch.c.period_key == period,
                    batch.c.status == 'active',
                )
            )
        )
        keep, older = ids[-1], ids[:-1]
        for table_name in BATCH_TABLES:
            rows = sa.table(table_name, sa.column('batch_id', sa.Integer))
            conn.execute(sa.update(rows).where(rows.c.batch_id.in_(older)).values(batch_id=keep))
        listed = '、'.join(str(i) for i in older)
        for old in older:
            conn.execute(
                sa.update(batch)
                .where(batch.c.id == old)
                .values(
                    status='superseded',
                    note=sa.func.coalesce(batch.c.note + ' ', '')
                    + f'迁移 0009：与第 {keep} 批同时生效（并发上传），已标记为被替换，本批的数据已归入第 {keep} 批',
                )
            )
        conn.execute(
            sa.update(batch)
            .where(batch.c.id == keep)
            .values(
                note=sa.func.coalesce(batch.c.note + ' ', '')
                + f'迁移 0009：第 {listed} 批与本批同时生效（并发上传），其数据已归入本批，'
                '可能重复计数：请撤销本批或重新上传该期间的文件'
            )
        )
        log.warning(
            'upload_batch: %s / unit %s / %r had %d active batches; kept %s active, '
            'moved the rows of %s to it and marked them superseded',
            kind, unit_id, period, len(ids), keep, listed,
        )  # fmt: skip


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite' and sqlite3.sqlite_version_info < (3, 31):
        raise RuntimeError(
            f'迁移 0009 需要 SQLite 3.31 或更高版本（生成列），当前为 {sqlite3.sqlite_version}；'
            'migration 0009 needs SQLite 3.31 or newer (generated columns)'
        )
    op.create_table(
        'upload_lock',
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_upload_lock_unit_id_org_unit')),
        sa.PrimaryKeyConstraint('kind', 'unit_id', name=op.f('pk_upload_lock')),
    )
    _repair_duplicates(conn)
    if conn.dialect.name == 'sqlite':
        # SQLite adds only VIRTUAL generated columns to an existing table (same values, indexable).
        op.execute(
            f'ALTER TABLE upload_batch ADD COLUMN active_upload SMALLINT GENERATED ALWAYS AS ({ACTIVE_UPLOAD_SQL}) VIRTUAL'
        )
    else:
        op.add_column(
            'upload_batch',
            sa.Column('active_upload', sa.SmallInteger(), sa.Computed(ACTIVE_UPLOAD_SQL, persisted=True), nullable=True),
        )
    op.create_index(INDEX, 'upload_batch', ['kind', 'unit_id', 'period_key', 'active_upload'], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name='upload_batch')
    op.drop_column('upload_batch', 'active_upload')
    op.drop_table('upload_lock')
