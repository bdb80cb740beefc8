"""documents made (公文) and their disclosure attribute

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

document: the documents (公文) a unit made in a year (文号, 标题, 成文日期, 公开属性, 不公开理由,
optionally the 索引号 of its publication), brought by a yearly `documents` upload. upload_batch
accepts the new kind: its kind CHECK and its computed `active_upload` (one upload in force per
unit and year) name it. Adding a value only widens both, so no existing row changes; on SQLite the
table's stored definition is edited in place (the way SQLite documents for CHECK constraints) and
the index on `active_upload` rebuilt, since rebuilding a table other tables reference is not safe.
Downgrade removes the documents and their upload batches first.
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# As in data_access.store.models (kept literal here: a migration must not change with the models).
OLD_KINDS = "kind IN ('publications', 'projects', 'requests', 'boards', 'deliveries', 'interpretations', 'hotline', 'seed')"
NEW_KINDS = "kind IN ('publications', 'projects', 'requests', 'boards', 'deliveries', 'interpretations', 'hotline', 'seed', 'documents')"
OLD_ACTIVE = (
    "CASE WHEN status = 'active' AND (kind IN ('publications', 'projects') OR "
    "(kind IN ('requests', 'boards', 'deliveries') AND length(period_key) <> 7)) THEN 1 END"
)
NEW_ACTIVE = (
    "CASE WHEN status = 'active' AND (kind IN ('publications', 'projects') OR "
    "(kind IN ('requests', 'boards', 'deliveries', 'documents') AND length(period_key) <> 7)) THEN 1 END"
)
INDEX = 'uq_upload_batch_active_upload'
INDEX_COLUMNS = ['kind', 'unit_id', 'period_key', 'active_upload']


def _sqlite_edit(conn: sa.Connection, replacements: list[tuple[str, str]]) -> None:
    """Replace text in upload_batch's stored CREATE TABLE (each old text must be there exactly once)."""
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'").scalar_one()
    for old, new in replacements:
        if sql.count(old) != 1:
            raise RuntimeError(f'迁移 0015：upload_batch 的表定义中找不到预期的内容 {old!r}，未作修改')
        sql = sql.replace(old, new)
    version = conn.exec_driver_sql('PRAGMA schema_version').scalar_one()
    conn.exec_driver_sql('PRAGMA writable_schema = ON')
    try:
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'upload_batch'", (sql,)
        )
        conn.exec_driver_sql(f'PRAGMA schema_version = {version + 1}')
    finally:
        conn.exec_driver_sql('PRAGMA writable_schema = OFF')
    conn.exec_driver_sql(f'REINDEX {INDEX}')


def _widen(conn: sa.Connection, kinds_from: str, kinds_to: str, active_from: str, active_to: str) -> None:
    if conn.dialect.name == 'sqlite':
        _sqlite_edit(conn, [(kinds_from, kinds_to), (active_from, active_to)])
        return
    op.drop_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', type_='check')
    op.create_check_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', kinds_to)
    op.drop_index(INDEX, table_name='upload_batch')
    op.drop_column('upload_batch', 'active_upload')
    op.add_column(
        'upload_batch',
        sa.Column('active_upload', sa.SmallInteger(), sa.Computed(active_to, persisted=True), nullable=True),
    )
    op.create_index(INDEX, 'upload_batch', INDEX_COLUMNS, unique=True)


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('doc_no', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('formed_date', sa.Date(), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('withheld_reason', sa.String(length=20), nullable=True),
    sa.Column('index_no', sa.String(length=60), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("attribute IN ('proactive', 'on_request', 'withheld')", name=op.f('ck_document_attribute')),
    sa.CheckConstraint("attribute <> 'withheld' OR withheld_reason IS NOT NULL", name=op.f('ck_document_withheld_reason')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_document_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_document_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('unit_id', 'year', 'doc_no', name=op.f('uq_document_unit_id_year_doc_no'))
    )
    op.create_index(op.f('ix_document_batch_id'), 'document', ['batch_id'], unique=False)
    op.create_index('ix_document_scope', 'document', ['unit_id', 'year', 'attribute'], unique=False)
    _widen(op.get_bind(), OLD_KINDS, NEW_KINDS, OLD_ACTIVE, NEW_ACTIVE)


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_table('document')
    conn.execute(sa.text('DELETE FROM import_change WHERE batch_id IN (SELECT id FROM upload_batch WHERE kind = \'documents\')'))
    conn.execute(sa.text("UPDATE upload_batch SET supersedes_id = NULL WHERE kind = 'documents'"))
    conn.execute(sa.text("DELETE FROM upload_batch WHERE kind = 'documents'"))
    conn.execute(sa.text("DELETE FROM upload_lock WHERE kind = 'documents'"))
    _widen(conn, NEW_KINDS, OLD_KINDS, NEW_ACTIVE, OLD_ACTIVE)
