"""opening balances and zero reports

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

opening_balance: per unit, the 历年累计 before its first recorded year (the old-format 附表's
rows; NULL where the office gave no figure). zero_report: a unit's 零报告 for a kind and a year
("nothing of this kind"), which makes the kind's figure an explicit 0 instead of 未录入.
Both start empty: existing data keeps its figures (data_access.rules.entered).
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_FIGURES = (
    'publications_website', 'publications_gazette', 'requests', 'requests_in_person', 'requests_online',
    'requests_letter', 'replied', 'replies_disclosed', 'replies_partial', 'replies_withheld',
    'replies_other', 'complaints', 'reconsiderations', 'litigations',
)


def upgrade() -> None:
    op.create_table('opening_balance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('before_year', sa.Integer(), nullable=False),
    sa.Column('publications', sa.Integer(), nullable=False),
    *(sa.Column(name, sa.Integer(), nullable=True) for name in _FIGURES),
    sa.Column('entered_by', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by'], ['app_user.id'], name=op.f('fk_opening_balance_entered_by_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_opening_balance_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_balance')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_opening_balance_unit_id'))
    )
    op.create_table('zero_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('topics', 'deliveries', 'interpretations', 'hotline', 'appeals', 'complaints', 'projects')", name=op.f('ck_zero_report_kind')),
    sa.ForeignKeyConstraint(['entered_by'], ['app_user.id'], name=op.f('fk_zero_report_entered_by_app_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_zero_report_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zero_report')),
    sa.UniqueConstraint('unit_id', 'kind', 'year', name=op.f('uq_zero_report_unit_id_kind_year'))
    )


def downgrade() -> None:
    op.drop_table('zero_report')
    op.drop_table('opening_balance')
