"""reminders: user e-mail addresses and the record of reminders sent

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

app_user gains `email` (where `remind` e-mails the user; NULL for every existing user).
reminder_sent records each reminder sent or tried: one row per item, day, recipient and channel
(unique), with its status (sending / sent / failed), the attempts and the last error, so a second
run the same day sends nothing twice and a failure is tried again. The downgrade drops both.
"""

from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

STATUSES = ('sending', 'sent', 'failed')  # literal: a migration must not follow the models


def upgrade() -> None:
    op.add_column('app_user', sa.Column('email', sa.String(length=254), nullable=True))
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    op.create_table(
        'reminder_sent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_key', sa.String(length=200), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('recipient', sa.String(length=60), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"status IN ({listed})", name=op.f('ck_reminder_sent_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
        sa.UniqueConstraint(
            'item_key', 'day', 'recipient', 'channel', name=op.f('uq_reminder_sent_item_key_day_recipient_channel')
        ),
    )
    op.create_index(op.f('ix_reminder_sent_day'), 'reminder_sent', ['day'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reminder_sent_day'), table_name='reminder_sent')
    op.drop_table('reminder_sent')
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':  # native since SQLite 3.35: no rebuild of the table
        conn.exec_driver_sql('ALTER TABLE app_user DROP COLUMN email')
    else:
        op.drop_column('app_user', 'email')
