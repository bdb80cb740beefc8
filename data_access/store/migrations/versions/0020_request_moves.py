"""requests as they move: extension approval date, several parts with their outcomes

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

Reserved: the work that fills this revision is under way on its own branch.
"""

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
