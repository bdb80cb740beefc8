"""scale: running counts (stat_tally, kept by triggers) and indexes for the hot reads

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

The statistics of a city with millions of rows read `stat_tally` (see data_access/store/tally.py)
instead of counting rows; triggers keep it exact in every writer's transaction. The
existing rows are counted once here. The other indexes serve the screen's newest items
and the date-bounded counts of appeals, interpretations and hotline duties.
Note for later migrations: rebuilding publication, disclosure_request or project_progress
with SQLite batch mode drops their triggers; call data_access.store.tally.install again after.
"""

from alembic import op
import sqlalchemy as sa

from data_access.store import publication_due, tally


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stat_tally',
    sa.Column('unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('dim', sa.String(length=2), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('ym', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('item', sa.String(length=60), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'dim', 'attribute', 'ym', 'item', name=op.f('pk_stat_tally')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_publication_newest', 'publication', ['unit_id', 'attribute', 'published_date'], unique=False)
    op.create_index('ix_appeal_filed', 'appeal', ['unit_id', 'kind', 'filed_date'], unique=False)
    op.create_index('ix_policy_interpretation_date', 'policy_interpretation', ['unit_id', 'published_date'], unique=False)
    op.create_index('ix_hotline_duty_date', 'hotline_duty', ['unit_id', 'duty_date'], unique=False)
    # The counts' triggers read publication_due (dim 'pl', added by 0005): a new database gets the
    # empty table here so that the triggers of the current code can be installed; 0005 fills it.
    op.create_table('publication_due',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_publication_due'))
    )
    # Likewise workday_count (dim 'rt', added by 0007).
    conn = op.get_bind()
    publication_due.create_workday_count(conn)
    tally.install(conn)
    tally.rebuild(conn)


def downgrade() -> None:
    conn = op.get_bind()
    tally.uninstall(conn)
    op.drop_table('workday_count')
    op.drop_table('publication_due')
    op.drop_index('ix_hotline_duty_date', table_name='hotline_duty')
    op.drop_index('ix_policy_interpretation_date', table_name='policy_interpretation')
    op.drop_index('ix_appeal_filed', table_name='appeal')
    op.drop_index('ix_publication_newest', table_name='publication')
    op.drop_table('stat_tally')
