"""publication registers (channels): a publications upload supersedes only its own register

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

- `publication_register`: the registers an office keeps (政府网站, 政务新媒体, 政府公报, 公开栏, 其他
  built in; an admin may add its own);
- `publication_listing`: one row per (publication, register) with the batch that listed it. An item
  (one publication row, still unique on (unit, 索引号)) may be listed in several registers; the
  statistics count it once;
- `upload_batch.register` ('' for every kind but publications) joins the key of the one-active-upload
  index (migration 0009): a publications upload is in force per (unit, month, register).
Existing data becomes 政府网站: every publications batch, and one listing per existing publication
(pointing at the publication's batch). The downgrade drops the listings and the column; where
several registers had an upload in force for one (unit, month), the 政府网站 one (else the newest)
stays in force and the others are marked superseded with a note (their items stay).
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

REGISTERS = ('政府网站', '政务新媒体', '政府公报', '公开栏', '其他')
DEFAULT = '政府网站'
INDEX = 'uq_upload_batch_active_upload'


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table('publication_register',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_register')),
    sa.UniqueConstraint('name', name=op.f('uq_publication_register_name'))
    )  # fmt: skip
    op.create_table('publication_listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=20), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['upload_batch.id'], name=op.f('fk_publication_listing_batch_id_upload_batch')),
    sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], name=op.f('fk_publication_listing_publication_id_publication')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_publication_listing_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_listing')),
    sa.UniqueConstraint('publication_id', 'register', name=op.f('uq_publication_listing_publication_id_register'))
    )  # fmt: skip
    op.create_index(op.f('ix_publication_listing_batch_id'), 'publication_listing', ['batch_id'], unique=False)
    op.create_index('ix_publication_listing_unit', 'publication_listing', ['unit_id', 'register'], unique=False)
    registers = sa.table(
        'publication_register', sa.column('name'), sa.column('sort_order'), sa.column('builtin')
    )
    conn.execute(
        sa.insert(registers), [dict(name=n, sort_order=i, builtin=True) for i, n in enumerate(REGISTERS)]
    )
    op.add_column('upload_batch', sa.Column('register', sa.String(length=20), server_default='', nullable=False))
    batch = sa.table('upload_batch', sa.column('kind'), sa.column('register'))
    conn.execute(sa.update(batch).where(batch.c.kind == 'publications').values(register=DEFAULT))
    conn.execute(
        sa.text(
            'INSERT INTO publication_listing (publication_id, unit_id, register, batch_id) '
            'SELECT id, unit_id, :register, batch_id FROM publication'
        ),
        {'register': DEFAULT},
    )
    op.drop_index(INDEX, table_name='upload_batch')
    op.create_index(
        INDEX, 'upload_batch', ['kind', 'unit_id', 'period_key', 'register', 'active_upload'], unique=True
    )


def downgrade() -> None:
    conn = op.get_bind()
    batch = sa.table(
        'upload_batch', sa.column('id'), sa.column('kind'), sa.column('unit_id'), sa.column('period_key'),
        sa.column('register'), sa.column('status'), sa.column('note'),
    )  # fmt: skip
    active = conn.execute(
        sa.select(batch.c.id, batch.c.unit_id, batch.c.period_key, batch.c.register)
        .where(batch.c.kind == 'publications', batch.c.status == 'active')
        .order_by(batch.c.id)
    ).all()
    by_key: dict[tuple, list] = {}
    for row in active:
        by_key.setdefault((row.unit_id, row.period_key), []).append(row)
    for rows in by_key.values():
        if len(rows) < 2:
            continue
        keep = next((r for r in rows if r.register == DEFAULT), rows[-1])
        for row in rows:
            if row.id != keep.id:
                conn.execute(
                    sa.update(batch)
                    .where(batch.c.id == row.id)
                    .values(
                        status='superseded',
                        note=sa.func.coalesce(batch.c.note + ' ', '')
                        + f'迁移 0018 回退：登记册「{row.register}」的上传与第 {keep.id} 批同一月份，已标记为被替换',
                    )
                )
    op.drop_index(INDEX, table_name='upload_batch')
    op.drop_column('upload_batch', 'register')
    op.create_index(INDEX, 'upload_batch', ['kind', 'unit_id', 'period_key', 'active_upload'], unique=True)
    op.drop_table('publication_listing')  # its indexes with it
    op.drop_table('publication_register')
