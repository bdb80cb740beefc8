"""reminders: user e-mail addresses and the record of reminders sent

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

Reserved: the work that fills this revision is under way on its own branch.
"""

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
