"""timeliness in the running counts: each day's publication due date, and dim 'pl'

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

A city's timeliness figures read every item of the year (about a second at 5M rows). The
table publication_due holds, for each day of 1990–2059, the 20th working day after it under
the current calendar (data_access.store.publication_due keeps it: every calendar write refreshes
it); the running counts gain dim 'pl' (category | on time '1', late '0', not judged 'x',
outside the table '?'), judged by the triggers against that table. The triggers are
re-created and dim 'pl' counted once here.
"""

from alembic import op
import sqlalchemy as sa

from data_access.store import publication_due, tally


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if not sa.inspect(conn).has_table('publication_due'):  # a database created since 0003 has it, empty
        op.create_table('publication_due',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_publication_due'))
        )
    publication_due.create_workday_count(conn)  # read by the current code's triggers
    tally.uninstall(conn)
    tally.install(conn)
    publication_due.refresh(conn)


def downgrade() -> None:
    # The triggers of revision 0004 are no longer in the code; a database without triggers
    # would drift silently. Restore the backup taken before the upgrade instead.
    raise NotImplementedError("0005 不能降级：请恢复升级前的备份（python -m data_access backup）")
