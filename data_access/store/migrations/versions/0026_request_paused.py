"""requests know whether they have pauses; the few judged one by one have indexes of their own

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03

A year's timeliness (data_access.read.queries.requests.on_time_by_unit) corrects the running
counts for the requests with pauses and those whose extension has an approval date. Finding the
paused ones probed request_pause for each answered request of the year (some 68,000 for a city
of five million items), and the open requests' counts probed it for each open one.

disclosure_request.paused, kept by triggers on request_pause (data_access.store.tally.pauses),
says which have pauses. Two partial indexes hold only the paused requests and those with an
approval date (SQLite and PostgreSQL; MariaDB has no partial indexes and reads them from
ix_disclosure_request_reply), and the flag ends ix_disclosure_request_reply, from which the open
requests' counts read it. The flag is set here once from the pauses already recorded.
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
_REPLY = ['unit_id', 'reply_date', 'received_date', 'channel', 'extension_approved', 'extension_days', 'outcome',
          'extension_approved_on']


def upgrade() -> None:
    conn = op.get_bind()
    # ADD COLUMN … NOT NULL DEFAULT: no table rebuild on SQLite, whose running-count triggers on
    # disclosure_request would go with the old table.
    op.add_column(_TABLE, sa.Column('paused', sa.Boolean(), server_default=sa.false(), nullable=False))
    pauses.recount(conn)
    pauses.uninstall(conn)
    pauses.install(conn)
    op.drop_index('ix_disclosure_request_reply', table_name=_TABLE)
    op.create_index('ix_disclosure_request_reply', _TABLE, [*_REPLY, 'paused'], unique=False)
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
    if analysed:  # the planner's figures for the new indexes beside the others'
        for name in ('ix_disclosure_request_reply', 'ix_disclosure_request_paused', 'ix_disclosure_request_ext_dated'):
            conn.exec_driver_sql(f'ANALYZE {name}')


def downgrade() -> None:
    conn = op.get_bind()
    pauses.uninstall(conn)
    if conn.dialect.name in PARTIAL_INDEXES:
        op.drop_index('ix_disclosure_request_ext_dated', table_name=_TABLE)
        op.drop_index('ix_disclosure_request_paused', table_name=_TABLE)
    op.drop_index('ix_disclosure_request_reply', table_name=_TABLE)
    op.create_index('ix_disclosure_request_reply', _TABLE, _REPLY, unique=False)
    # ALTER TABLE … DROP COLUMN everywhere (SQLite ≥ 3.35), as migration 0010's downgrade does.
    op.drop_column(_TABLE, 'paused')
