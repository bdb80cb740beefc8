"""roll-up of the running counts per ancestor unit: unit_ancestor and stat_rollup

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03

A city's uncached figures summed the running counts of each of its sub-districts (some 70,000
rows for a year at five million items). stat_rollup holds those sums per ancestor unit, kept by
triggers on stat_tally through unit_ancestor (each unit's ancestors), on SQLite and PostgreSQL
(data_access.store.tally.rollup); the existing counts are summed once here. PostgreSQL's fold of the
counts at commit is made again, now in key order (two commits then take a city's roll-up rows in one
order). On MariaDB the tables stay empty and a city reads its units' counts as before. The
downgrade drops both tables.
"""

import sqlalchemy as sa
from alembic import op

from data_access.store import tally
from data_access.store.tally import rollup


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit_ancestor',
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('ancestor_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'ancestor_id', name=op.f('pk_unit_ancestor')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_unit_ancestor_ancestor_id'), 'unit_ancestor', ['ancestor_id'], unique=False)
    op.create_table('stat_rollup',
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('dim', sa.String(length=2), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('ym', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('item', sa.String(length=60), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'dim', 'attribute', 'ym', 'item', name=op.f('pk_stat_rollup')),
    sqlite_with_rowid=False
    )
    conn = op.get_bind()
    # every count trigger again: PostgreSQL's fold now writes in key order (triggers._PG_FOLD), and
    # install() adds the roll-up's triggers now that its tables exist
    tally.uninstall(conn)
    tally.install(conn)
    rollup.refresh(conn)


def downgrade() -> None:
    conn = op.get_bind()
    rollup.uninstall(conn)
    op.drop_table('stat_rollup')
    op.drop_index(op.f('ix_unit_ancestor_ancestor_id'), table_name='unit_ancestor')
    op.drop_table('unit_ancestor')
