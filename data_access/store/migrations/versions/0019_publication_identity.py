"""one identity per item across periods; corrections and withdrawals

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

An item keeps its identity (unit, 索引号) after it was published: publication_correction keeps
every 更正 (the fields changed, old → new), 撤回 and 恢复 with its date, note and who;
publication_withdrawal holds the items withdrawn now. Both are keyed by (unit, 索引号), not by the
register row, so an upload that rewrites the row never loses them. publication gains a version
(1 for the rows already there), as 0010 gave the form-edited rows: a correction or withdrawal is
saved only while the item still has the version it loaded.
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('publication_withdrawal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('index_no', sa.String(length=60), nullable=False),
    sa.Column('withdrawn_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_publication_withdrawal_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_publication_withdrawal_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_withdrawal')),
    sa.UniqueConstraint('unit_id', 'index_no', name=op.f('uq_publication_withdrawal_unit_id_index_no'))
    )
    op.create_table('publication_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('index_no', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('action_date', sa.Date(), nullable=False),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('correct', 'withdraw', 'restore')", name=op.f('ck_publication_correction_action')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_publication_correction_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_publication_correction_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_correction'))
    )
    op.create_index('ix_publication_correction_item', 'publication_correction', ['unit_id', 'index_no'], unique=False)
    # ADD COLUMN … NOT NULL DEFAULT 1 (as 0010): existing rows read 1, and on SQLite no table
    # rebuild, so publication's running-count triggers stay as they are.
    op.add_column('publication', sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no batch rebuild that would drop the triggers.
    op.drop_column('publication', 'version')
    # Its index goes with the table (MariaDB refuses to drop it first: the unit_id key needs it).
    op.drop_table('publication_correction')
    op.drop_table('publication_withdrawal')
