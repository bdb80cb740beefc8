"""registers in the running counts: dim 'pr', listings per register by their item's month

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03

主动公开's per-register figures joined publication_listing to the year's items on every uncached
view (about half a second for a city of 5 million items). Triggers on publication_listing, and one
on publication that follows an item whose unit, month or attribute is corrected, now keep dim 'pr' of
stat_tally (data_access.store.tally.listings); the existing listings are counted once here. The
downgrade drops those triggers and rows.
"""

from alembic import op

from data_access.store.tally import listings


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    listings.uninstall(conn)
    listings.install(conn)
    conn.exec_driver_sql(f"DELETE FROM stat_tally WHERE dim = '{listings.DIM}'")
    listings.recount(conn)


def downgrade() -> None:
    conn = op.get_bind()
    listings.uninstall(conn)
    conn.exec_driver_sql(f"DELETE FROM stat_tally WHERE dim = '{listings.DIM}'")
