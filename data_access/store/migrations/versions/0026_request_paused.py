"""requests know whether they have pauses; the few judged one by one have indexes of their own

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03

A year's timeliness (data_access.read.queries.requests.on_time_by_unit) corrects the running
counts for the requests with pauses and those whose extension has an approval date. Finding them
read every answered request of the year (some 68,000 for a city of five million items) and
probed request_pause for each: about 50 ms of every city overview and unit comparison.

disclosure_request.paused, kept by triggers on request_pause (data_access.store.tally.pauses),
says which have pauses, and two partial indexes hold only the paused requests and those with an
approval date: 50 → about 5 ms. MariaDB has no partial indexes and keeps reading the year's
requests. The flag is set here once from the pauses already recorded.
"""

from alembic import op
import sqlalchemy as sa

from data_access.store.tally import pauses


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

_TABLE = 'disclosure_request'
PARTIAL_INDEXES = ('sqlite', 'postgresql')  # the backends with CREATE INDEX … WHERE …


def upgrade() -> None:
    conn = op.get_bind()
    # ADD COLUMN … NOT NULL DEFAULT: no table rebuild on SQLite, whose running-count triggers on
    # disclosure_request would go with the old table.
    op.add_column(_TABLE, sa.Column('paused', sa.Boolean(), server_default=sa.false(), nullable=False))
    pauses.recount(conn)
    pauses.uninstall(conn)
    pauses.install(conn)
    if conn.dialect.name not in PARTIAL_INDEXES:
        return
    op.create_index(
        'ix_disclosure_request_paused', _TABLE, ['unit_id', 'reply_date'], unique=False,
        sqlite_where=sa.text('paused = 1'), postgresql_where=sa.text('paused'),
    )
    op.create_index(
        'ix_disclosure_request_ext_dated', _TABLE, ['unit_id', 'reply_date'], unique=False,
        sqlite_where=sa.text('extension_approved_on IS NOT NULL'),
        postgresql_where=sa.text('extension_approved_on IS NOT NULL'),
    )
    analysed = conn.dialect.name == 'sqlite' and conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first()
    if analysed:  # the planner's figures for the new (small) indexes beside the others'
        conn.exec_driver_sql('ANALYZE ix_disclosure_request_paused')
        conn.exec_driver_sql('ANALYZE ix_disclosure_request_ext_dated')


def downgrade() -> None:
    conn = op.get_bind()
    pauses.uninstall(conn)
    if conn.dialect.name in PARTIAL_INDEXES:
        op.drop_index('ix_disclosure_request_ext_dated', table_name=_TABLE)
        op.drop_index('ix_disclosure_request_paused', table_name=_TABLE)
    # ALTER TABLE … DROP COLUMN everywhere (SQLite ≥ 3.35), as migration 0010's downgrade does.
    op.drop_column(_TABLE, 'paused')
