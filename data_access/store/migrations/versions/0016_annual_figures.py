"""table 二 figures of the 2021 report, entered per unit and year

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

annual_figure: per unit, year and item of table 二 (规章, 行政规范性文件, 行政许可, 行政处罚,
行政强制, 行政事业性收费) the figures the office entered (NULL: not entered) or its explicit
不适用. It starts empty: every report keeps printing 未录入 until the office enters its figures.
upload_batch.kind accepts 'annual-figures' (the import and the yearly form). The kinds the CHECK
already lists are read from the database and kept, so this revision adds its kind to whatever the
revisions before it allowed (and the downgrade removes only its own).
On SQLite a CHECK constraint cannot be altered by ALTER TABLE, and a batch rebuild of upload_batch
is impossible with foreign keys on, so its definition is edited in sqlite_schema (as in 0013).
The kind is a yearly upload kind: upload_batch.active_upload (0009: one spreadsheet upload in force
per kind, unit and period) is computed again with it among the yearly kinds, the monthly and yearly
kinds it had read back from the database and kept (the downgrade takes only this kind out).
"""

import re

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

KIND = 'annual-figures'
ITEMS = ('rules', 'normative', 'licensing', 'penalty', 'enforcement', 'fees')
_SQLITE_CHECK = re.compile(r"CONSTRAINT ck_upload_batch_kind CHECK \(kind IN \([^)]*\)\)")


def _current_kinds(conn) -> list[str]:  # type: ignore[no-untyped-def]
    name = conn.dialect.name
    if name == 'sqlite':
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'"
        ).scalar_one()
        found = _SQLITE_CHECK.search(sql)
        if found is None:
            raise RuntimeError(f"upload_batch has no kind CHECK as migration 0001 created it: {sql}")
        text = found.group(0)
    elif name == 'postgresql':
        text = conn.execute(
            sa.text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'ck_upload_batch_kind'")
        ).scalar_one()
    else:
        text = conn.execute(
            sa.text(
                "SELECT check_clause FROM information_schema.check_constraints "
                "WHERE constraint_schema = DATABASE() AND constraint_name = 'ck_upload_batch_kind'"
            )
        ).scalar_one()
    return re.findall(r"'([^']+)'", text)


def _set_kinds(conn, kinds: list[str]) -> None:  # type: ignore[no-untyped-def]
    listed = ", ".join(f"'{k}'" for k in kinds)
    if conn.dialect.name != 'sqlite':
        op.drop_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', type_='check')
        op.create_check_constraint(op.f('ck_upload_batch_kind'), 'upload_batch', f"kind IN ({listed})")
        return
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'"
    ).scalar_one()
    new, found = _SQLITE_CHECK.subn(f"CONSTRAINT ck_upload_batch_kind CHECK (kind IN ({listed}))", sql)
    if found != 1:
        raise RuntimeError(f"upload_batch has no kind CHECK as migration 0001 created it: {sql}")
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


INDEX = 'uq_upload_batch_active_upload'
_SQLITE_COLUMN = re.compile(r"active_upload SMALLINT GENERATED ALWAYS AS \((.*)\) VIRTUAL", re.S)


def _upload_kinds(conn) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """The (monthly, yearly) kinds of the active_upload expression as the database has it."""
    name = conn.dialect.name
    if name == 'sqlite':
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'upload_batch'"
        ).scalar_one()
        found = _SQLITE_COLUMN.search(sql)
        if found is None:
            raise RuntimeError(f"upload_batch has no active_upload as migration 0009 created it: {sql}")
        text = found.group(1)
    elif name == 'postgresql':
        text = conn.execute(sa.text(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
            "ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE d.adrelid = 'upload_batch'::regclass AND a.attname = 'active_upload'"
        )).scalar_one()
    else:
        text = conn.execute(sa.text(
            "SELECT generation_expression FROM information_schema.columns WHERE table_schema = DATABASE() "
            "AND table_name = 'upload_batch' AND column_name = 'active_upload'"
        )).scalar_one()
    parts = re.split(r"\s+or\s+", text, flags=re.I)
    if len(parts) != 2:
        raise RuntimeError(f"upload_batch.active_upload is not as migration 0009 computed it: {text}")
    monthly = [k for k in re.findall(r"'([^']+)'", parts[0]) if k != 'active']
    return monthly, re.findall(r"'([^']+)'", parts[1])


def _set_upload_kinds(conn, monthly: list[str], yearly: list[str]) -> None:  # type: ignore[no-untyped-def]
    def listed(kinds: list[str]) -> str:
        return ", ".join(f"'{k}'" for k in kinds)

    expression = (
        f"CASE WHEN status = 'active' AND (kind IN ({listed(monthly)}) OR "
        f"(kind IN ({listed(yearly)}) AND length(period_key) <> 7)) THEN 1 END"
    )
    op.drop_index(INDEX, table_name='upload_batch')
    if conn.dialect.name == 'sqlite':
        op.execute('ALTER TABLE upload_batch DROP COLUMN active_upload')
        op.execute(
            f'ALTER TABLE upload_batch ADD COLUMN active_upload SMALLINT GENERATED ALWAYS AS ({expression}) VIRTUAL'
        )
    else:
        op.drop_column('upload_batch', 'active_upload')
        op.add_column(
            'upload_batch',
            sa.Column('active_upload', sa.SmallInteger(), sa.Computed(expression, persisted=True), nullable=True),
        )
    op.create_index(INDEX, 'upload_batch', ['kind', 'unit_id', 'period_key', 'active_upload'], unique=True)


def upgrade() -> None:
    items = ", ".join(f"'{k}'" for k in ITEMS)
    op.create_table('annual_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=20), nullable=False),
    sa.Column('issued', sa.Integer(), nullable=True),
    sa.Column('abolished', sa.Integer(), nullable=True),
    sa.Column('in_force', sa.Integer(), nullable=True),
    sa.Column('decisions', sa.Integer(), nullable=True),
    sa.Column('fees', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.CheckConstraint(f"item IN ({items})", name=op.f('ck_annual_figure_item')),
    sa.CheckConstraint('issued >= 0 AND abolished >= 0 AND in_force >= 0 AND decisions >= 0 AND fees >= 0', name=op.f('ck_annual_figure_figures')),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_annual_figure_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_annual_figure_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_figure')),
    sa.UniqueConstraint('unit_id', 'year', 'item', name=op.f('uq_annual_figure_unit_id_year_item'))
    )
    op.create_index(op.f('ix_annual_figure_batch_id'), 'annual_figure', ['batch_id'], unique=False)
    conn = op.get_bind()
    kinds = _current_kinds(conn)
    if KIND not in kinds:
        _set_kinds(conn, [*kinds, KIND])
    monthly, yearly = _upload_kinds(conn)
    if KIND not in yearly:
        _set_upload_kinds(conn, monthly, [*yearly, KIND])


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text(
        "DELETE FROM import_change WHERE batch_id IN (SELECT id FROM upload_batch WHERE kind = :k)"
    ), {"k": KIND})
    op.drop_table('annual_figure')
    conn.execute(sa.text("UPDATE upload_batch SET supersedes_id = NULL WHERE supersedes_id IN "
                         "(SELECT id FROM (SELECT id FROM upload_batch WHERE kind = :k) AS own)"), {"k": KIND})
    conn.execute(sa.text("DELETE FROM upload_batch WHERE kind = :k"), {"k": KIND})
    monthly, yearly = _upload_kinds(conn)
    if KIND in yearly:
        _set_upload_kinds(conn, monthly, [k for k in yearly if k != KIND])
    _set_kinds(conn, [k for k in _current_kinds(conn) if k != KIND])
