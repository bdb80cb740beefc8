"""one identity per item across periods; corrections and withdrawals

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

Reserved: the work that fills this revision is under way on its own branch.
"""

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
