"""the key projects' month index and the appeals' index hold what the figures read

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03

A city's key figures (data_access.read.kpis) read every key project's line of the month (some
2,100 at five million items) and count every appeal by kind, year and source (some 15,000): each
index entry sent the database to the table row for the rest. With those columns at the end of
the index the index alone answers: the project lines' read 13 → 7 ms, the appeals' 20 → 10 ms.

The projects' index gets a new name and is made before the old one is dropped: MariaDB keeps an
index on project_progress.unit_id for its foreign key and refuses to drop the only one.
"""

from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

_PROJECT_MONTH = ['unit_id', 'year', 'month', 'project_id', 'ytd_invested', 'annual_plan']
_APPEAL_BEFORE = ['unit_id', 'kind', 'filed_date']


def upgrade() -> None:
    op.create_index('ix_project_progress_month', 'project_progress', _PROJECT_MONTH, unique=False)
    op.drop_index('ix_project_progress_scope', table_name='project_progress')
    op.drop_index('ix_appeal_filed', table_name='appeal')
    op.create_index('ix_appeal_filed', 'appeal', [*_APPEAL_BEFORE, 'filed_year', 'source'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_appeal_filed', table_name='appeal')
    op.create_index('ix_appeal_filed', 'appeal', _APPEAL_BEFORE, unique=False)
    op.create_index('ix_project_progress_scope', 'project_progress', ['unit_id', 'year', 'month'], unique=False)
    op.drop_index('ix_project_progress_month', table_name='project_progress')
