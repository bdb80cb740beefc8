"""requests' timeliness in the running counts: working days counted per day, and dim 'rt'

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

A city's on-time rate judged every answered request of the year in Python (about a second at
5M rows). The table workday_count holds, for each day of 1990–2059, how many working days
lie before it and through it under the current calendar (data_access.store.publication_due keeps
it with publication_due: every calendar write refreshes both); a request answered within k
working days is then before(reply) − through(received) < k, which the triggers count as dim
'rt' and the open requests' queries use for their due dates. The triggers are re-created and
dim 'rt' counted once here.
"""

from alembic import op

from data_access.store import publication_due, tally


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    publication_due.create_workday_count(conn)  # read by the current code's triggers
    tally.uninstall(conn)
    tally.install(conn)
    publication_due.refresh(conn)
    tally.recount(conn, ('rt',))  # refresh recounts only when a table changed


def downgrade() -> None:
    # The triggers of revision 0006 are no longer in the code; restore the backup taken before.
    raise NotImplementedError("0007 不能降级：请恢复升级前的备份（python -m data_access backup）")
