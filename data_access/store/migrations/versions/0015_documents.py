"""documents made (公文) and their disclosure attribute

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

Reserved: filled in by the change that introduces it.
"""

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
