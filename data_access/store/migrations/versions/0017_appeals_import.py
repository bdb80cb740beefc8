"""appeals and complaints imported in bulk

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02

appeal gains `source` (a complaint's channel: 热线 / 信访 / 网络 / 来信 / 其他) and `handling`
(how a complaint was dealt with); its `summary` holds the complaint's 事项 and `closed_date` the
审结日期 already. upload_batch.kind also allows the two new import kinds 'appeals' and 'complaints'.
upload_batch.active_upload (one active upload per key, migration 0009) counts the two yearly kinds too.
Existing rows keep everything (NULL source and handling). The downgrade removes the two
columns, the batches of the two kinds and the appeals they wrote (nothing else refers to them).

On SQLite a CHECK constraint cannot be altered by ALTER TABLE: upload_batch's definition is edited
in sqlite_schema (as migration 0013 did for org_unit), inside the migration's transaction.
"""

import re

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

NEW_KINDS = ('appeals', 'complaints')
# upload_batch.active_upload (migration 0009): one active upload per (kind, unit, period) for
# spreadsheets; the two new kinds are yearly like requests (literal: a migration must not follow
# the models).
INDEX = 'uq_upload_batch_active_upload'


def _active_upload_sql(yearly: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{k}'" for k in yearly)
    return (
        "CASE WHEN status = 'active' AND (kind IN ('publications', 'projects') OR "
        f"(kind IN ({listed}) AND length(period_key) <> 7)) THEN 1 END"
    )


# As 0015 (documents) and 0016 (annual-figures) left it, and with the two kinds of this one.
BEFORE = _active_upload_sql(('requests', 'boards', 'deliveries', 'documents', 'annual-figures'))
AFTER = _active_upload_sql(('requests', 'boards', 'deliveries', 'documents', 'annual-figures', 'appeals', 'complaints'))


def _set_active_upload(conn, sql: str) -> None:  # type: ignore[no-untyped-def]
    """Redefine the generated column (dropped and added again, as 0009 added it) and its index."""
    op.drop_index(INDEX, table_name='upload_batch')
    op.drop_column('upload_batch', 'active_upload')
    if conn.dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE upload_batch ADD COLUMN active_upload SMALLINT GENERATED ALWAYS AS ({sql}) VIRTUAL')
    else:
        op.add_column(
            'upload_batch',
            sa.Column('active_upload', sa.SmallInteger(), sa.Computed(sql, persisted=True), nullable=True),
        )
    op.create_index(INDEX, 'upload_batch', ['kind', 'unit_id', 'period_key', 'active_upload'], unique=True)
_KIND_CHECK = re.compile(r"CONSTRAINT ck_upload_batch_kind CHECK \(kind IN \(([^)]*)\)\)")


def _kinds_now(conn) -> list[str]:  # type: ignore[no-untyped-def]
    """The kinds upload_batch's CHECK allows now (earlier migrations may have added their own)."""
    if conn.dialect.name == 'sqlite':
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'"
        ).scalar_one()
        found = _KIND_CHECK.search(sql)
        if found is None:
            raise RuntimeError(f"upload_batch has no kind CHECK: {sql}")
        text = found.group(1)
    else:
        checks = sa.inspect(conn).get_check_constraints('upload_batch')
        text = next(c['sqltext'] for c in checks if c['name'] == 'ck_upload_batch_kind')
    return re.findall(r"'([^']+)'", text)


def _set_kinds(conn, kinds: list[str]) -> None:  # type: ignore[no-untyped-def]
    listed = ", ".join(f"'{k}'" for k in kinds)
    if conn.dialect.name == 'sqlite':
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'"
        ).scalar_one()
        new = _KIND_CHECK.sub(f"CONSTRAINT ck_upload_batch_kind CHECK (kind IN ({listed}))", sql)
        version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
        conn.exec_driver_sql("PRAGMA writable_schema = ON")
        try:
            conn.execute(
                sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'upload_batch'"),
                {"sql": new},
            )
            conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
        finally:
            conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    else:
        op.drop_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', type_='check')
        op.create_check_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', f"kind IN ({listed})")


def upgrade() -> None:
    conn = op.get_bind()
    kinds = _kinds_now(conn)
    _set_kinds(conn, kinds + [k for k in NEW_KINDS if k not in kinds])
    _set_active_upload(conn, AFTER)
    op.add_column('appeal', sa.Column('source', sa.String(length=20), nullable=True))
    op.add_column('appeal', sa.Column('handling', sa.String(length=1000), nullable=True))


def downgrade() -> None:
    conn = op.get_bind()
    batch = sa.table('upload_batch', sa.column('id'), sa.column('kind'))
    ids = sa.select(batch.c.id).where(batch.c.kind.in_(NEW_KINDS))
    appeal = sa.table('appeal', sa.column('batch_id'))
    change = sa.table('import_change', sa.column('batch_id'))
    conn.execute(sa.delete(appeal).where(appeal.c.batch_id.in_(ids)))
    conn.execute(sa.delete(change).where(change.c.batch_id.in_(ids)))
    upload = sa.table('upload_batch', sa.column('id'), sa.column('kind'), sa.column('supersedes_id'))
    conn.execute(sa.update(upload).where(upload.c.supersedes_id.in_(ids)).values(supersedes_id=None))
    conn.execute(sa.delete(upload).where(upload.c.kind.in_(NEW_KINDS)))
    for column in ('handling', 'source'):
        if conn.dialect.name == 'sqlite':  # native since SQLite 3.35: no rebuild of the table
            conn.exec_driver_sql(f'ALTER TABLE appeal DROP COLUMN {column}')
        else:
            op.drop_column('appeal', column)
    _set_active_upload(conn, BEFORE)
    _set_kinds(conn, [k for k in _kinds_now(conn) if k not in NEW_KINDS])
