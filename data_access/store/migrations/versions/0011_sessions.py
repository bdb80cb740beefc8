"""server-side sessions and login throttling

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

login_session: one row per login, so logging out (and a password change, or disabling the user)
ends it on the server instead of only deleting the browser's copy of the cookie.
login_throttle: failed logins per client address, shared by every app process.
Both start empty: cookies made before this revision are refused once, and their users log in again.
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('handoff_hash', sa.String(length=64), nullable=True),
    sa.Column('handoff_until', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_login_session_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_session_token_hash')),
    sa.UniqueConstraint('handoff_hash', name=op.f('uq_login_session_handoff_hash'))
    )
    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_session_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_session_expires_at'), ['expires_at'], unique=False)

    op.create_table('login_throttle',
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes (MariaDB refuses to drop the user_id index on its own:
    # the foreign key needs it).
    op.drop_table('login_throttle')
    op.drop_table('login_session')
