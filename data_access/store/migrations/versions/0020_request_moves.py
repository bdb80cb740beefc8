"""requests as they move: extension approval date, several parts with their outcomes

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

disclosure_request gains `extension_approved_on` (延期批准日期, NULL for existing rows).
request_part: the parts of a request, each with its outcome, one of them marked main (the one the
2021 table counts the request under, the same as the request's `outcome`). Every existing request
with an outcome gets one part: its outcome, main. Downgrade drops both (the main outcome stays on
the request).
"""

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('disclosure_request', sa.Column('extension_approved_on', sa.Date(), nullable=True))
    op.create_table('request_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=60), nullable=False),
    sa.Column('is_main', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['disclosure_request.id'], name=op.f('fk_request_part_request_id_disclosure_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_part')),
    sa.UniqueConstraint('request_id', 'seq', name=op.f('uq_request_part_request_id_seq'))
    )
    op.create_index(op.f('ix_request_part_request_id'), 'request_part', ['request_id'], unique=False)
    op.get_bind().execute(sa.text(
        'INSERT INTO request_part (request_id, seq, outcome, is_main) '
        'SELECT id, 1, outcome, :main FROM disclosure_request WHERE outcome IS NOT NULL'
    ), {'main': True})


def downgrade() -> None:
    op.drop_index(op.f('ix_request_part_request_id'), table_name='request_part')
    op.drop_table('request_part')
    op.drop_column('disclosure_request', 'extension_approved_on')
