"""scale: covering indexes for publication timeliness and for answered / open requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Timeliness reads (category, formed date, published date) of a unit's items in a year: the
statistics index now carries both dates, so it is read without touching the table. The
requests' statistics read the open requests (no reply date) and the year's answered ones
grouped by what fixes their deadline (received date, channel, extension) and by outcome:
one covering index per unit and reply date serves all three. Only indexes change, so
SQLite's triggers (data_access.store.tally) stay as they are.
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

STATS_BEFORE = ['unit_id', 'published_year', 'published_ym', 'attribute', 'category_root_id', 'topic_id',
                'channel', 'full_text']


def upgrade() -> None:
    op.drop_index('ix_publication_stats', table_name='publication')
    op.create_index('ix_publication_stats', 'publication', [*STATS_BEFORE, 'formed_date', 'published_date'],
                    unique=False)
    op.create_index('ix_disclosure_request_reply', 'disclosure_request',
                    ['unit_id', 'reply_date', 'received_date', 'channel', 'extension_approved',
                     'extension_days', 'outcome'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_disclosure_request_reply', table_name='disclosure_request')
    op.drop_index('ix_publication_stats', table_name='publication')
    op.create_index('ix_publication_stats', 'publication', STATS_BEFORE, unique=False)
