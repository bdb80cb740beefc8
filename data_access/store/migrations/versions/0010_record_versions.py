"""record version columns for optimistic concurrency

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The rows a form edits get a version, 1 for the rows already there: disclosure_request (its
pauses are written only together with it, under its version), delivery and annual_target.
A form's save is refused unless the row still has the version it loaded (data_access.write.records,
data_access.write.catalogue.save_targets).
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TABLES = ('disclosure_request', 'delivery', 'annual_target')


def upgrade() -> None:
    for table in TABLES:
        # ADD COLUMN … NOT NULL DEFAULT 1: existing rows read 1 on every backend (no table rebuild
        # on SQLite, the running-count triggers of disclosure_request stay as they are).
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        # ALTER TABLE … DROP COLUMN everywhere (SQLite ≥ 3.35): no batch rebuild, which on SQLite
        # would drop disclosure_request's running-count triggers with the old table.
        op.drop_column(table, 'version')
