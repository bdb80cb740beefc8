"""table 二 figures of the 2021 report, entered per unit and year

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Reserved: filled in by the change that introduces it.
"""

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
