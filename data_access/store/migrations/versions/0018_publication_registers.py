"""publication registers (channels): a publications upload supersedes only its own register

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

Reserved: the work that fills this revision is under way on its own branch.
"""

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
