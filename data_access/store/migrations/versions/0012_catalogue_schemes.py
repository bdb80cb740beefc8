"""catalogue schemes per unit and year, item names by year, the 标准目录 fields

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Catalogues belong to units and years (issue 15). From here on:
- `catalogue_scheme` (owner unit, name, from_year, to_year): a unit's catalogue for year Y is the
  scheme valid in Y owned by the nearest unit on its path to the root; a scheme without an owner
  is the installation's default, used where no unit on the path has one;
- every existing category goes into one such default scheme, valid for all years, so every unit
  keeps reading the catalogue it read before and every figure and report stays as it was;
- category codes are unique per scheme (no longer globally), levels are any depth (level >= 1),
  and each item carries the 标准目录 fields (领域, 公开内容（要素）, 公开依据, 公开时限 with its
  parsed kind, 公开主体, 公开渠道和载体, 公开对象, 公开方式) and a validity by year;
- `category_name` holds renames from a year on (the item's own name stays the name before them).

On SQLite the category table is rebuilt by hand under deferred foreign keys (the publications
pointing at it stay valid: the rows come back with the same ids before the commit checks them);
Alembic's batch mode would drop the old table after filling the new one, which a database with
foreign keys on refuses.
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

DEFAULT_SCHEME_NAME = '默认目录'
_OLD_COLUMNS = ('id', 'code', 'name', 'level', 'parent_id', 'sort_order', 'root_id')
def _new_columns() -> list[sa.Column]:
    """The columns this revision adds to category (fresh objects each time: a Column joins one table)."""
    return [
    sa.Column('valid_from', sa.Integer(), nullable=True),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('domain', sa.String(length=40), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('time_limit', sa.String(length=200), nullable=True),
    sa.Column('limit_kind', sa.String(length=20), nullable=True),
    sa.Column('limit_days', sa.Integer(), nullable=True),
    sa.Column('limit_unit', sa.String(length=10), nullable=True),
    sa.Column('limit_period', sa.String(length=10), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('channels', sa.String(length=200), nullable=True),
    sa.Column('audience', sa.String(length=100), nullable=True),
    sa.Column('manner', sa.String(length=40), nullable=True),
    ]


def _category_table(new: bool) -> None:
    """CREATE TABLE category as of this revision (new) or the one before, with its index."""
    columns = [
        sa.Column('id', sa.Integer(), nullable=False),
        *([sa.Column('scheme_id', sa.Integer(), nullable=False)] if new else []),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('root_id', sa.Integer(), nullable=True),
        *(_new_columns() if new else []),
    ]
    constraints = [
        sa.CheckConstraint('level >= 1' if new else 'level BETWEEN 1 AND 3', name=op.f('ck_category_level')),
        sa.ForeignKeyConstraint(['parent_id'], ['category.id'], name=op.f('fk_category_parent_id_category')),
        sa.ForeignKeyConstraint(['root_id'], ['category.id'], name=op.f('fk_category_root_id_category')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    ]
    if new:
        constraints += [
            sa.ForeignKeyConstraint(
                ['scheme_id'], ['catalogue_scheme.id'], name=op.f('fk_category_scheme_id_catalogue_scheme')
            ),
            sa.UniqueConstraint('scheme_id', 'code', name=op.f('uq_category_scheme_id_code')),
        ]
    else:
        constraints.append(sa.UniqueConstraint('code', name=op.f('uq_category_code')))
    op.create_table('category', *columns, *constraints)
    op.create_index(op.f('ix_category_parent_id'), 'category', ['parent_id'], unique=False)


def _rebuild_sqlite(new: bool, scheme_id: int | None) -> None:
    """Rebuild category on SQLite: keep the rows aside, drop, create, put them back (same ids)."""
    op.execute('PRAGMA defer_foreign_keys = ON')
    op.execute('CREATE TABLE _category_0012 AS SELECT * FROM category')
    op.drop_index(op.f('ix_category_parent_id'), table_name='category')
    op.drop_table('category')
    _category_table(new)
    cols = ', '.join(_OLD_COLUMNS)
    if new:
        op.execute(
            f'INSERT INTO category ({cols}, scheme_id) SELECT {cols}, {int(scheme_id or 0)} '
            'FROM _category_0012 ORDER BY id'
        )
    else:
        op.execute(f'INSERT INTO category ({cols}) SELECT {cols} FROM _category_0012 ORDER BY id')
    op.execute('DROP TABLE _category_0012')


def upgrade() -> None:
    op.create_table('catalogue_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('from_year', sa.Integer(), nullable=True),
    sa.Column('to_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_catalogue_scheme_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_scheme'))
    )
    op.create_index(op.f('ix_catalogue_scheme_unit_id'), 'catalogue_scheme', ['unit_id'], unique=False)
    bind = op.get_bind()
    scheme = sa.table(
        'catalogue_scheme', sa.column('id', sa.Integer()), sa.column('unit_id', sa.Integer()),
        sa.column('name', sa.String()), sa.column('from_year', sa.Integer()), sa.column('to_year', sa.Integer()),
    )
    # The existing catalogue: the installation's default, valid for all years.
    bind.execute(sa.insert(scheme).values(id=1, unit_id=None, name=DEFAULT_SCHEME_NAME))
    if bind.dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('catalogue_scheme', 'id'), 1)")
    if bind.dialect.name == 'sqlite':
        _rebuild_sqlite(True, 1)
    else:
        op.add_column('category', sa.Column('scheme_id', sa.Integer(), nullable=True))
        for column in _new_columns():
            op.add_column('category', column)
        op.execute('UPDATE category SET scheme_id = 1')
        op.alter_column('category', 'scheme_id', existing_type=sa.Integer(), nullable=False)
        op.drop_constraint(op.f('uq_category_code'), 'category', type_='unique')
        # The unique key first: it leads with scheme_id, so MariaDB's foreign key uses it as its index.
        op.create_unique_constraint(op.f('uq_category_scheme_id_code'), 'category', ['scheme_id', 'code'])
        op.create_foreign_key(
            op.f('fk_category_scheme_id_catalogue_scheme'), 'category', 'catalogue_scheme', ['scheme_id'], ['id']
        )
        op.execute('ALTER TABLE category DROP CONSTRAINT ck_category_level')
        op.create_check_constraint(op.f('ck_category_level'), 'category', 'level >= 1')
    op.create_table('category_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('from_year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_category_name_category_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_name')),
    sa.UniqueConstraint('category_id', 'from_year', name=op.f('uq_category_name_category_id_from_year'))
    )


def downgrade() -> None:
    """Back to one global catalogue: only possible while every code is unique across the schemes
    and no item is deeper than three levels; the renames and the 标准目录 fields are dropped."""
    bind = op.get_bind()
    duplicated = bind.execute(
        sa.text('SELECT code FROM category GROUP BY code HAVING COUNT(*) > 1')
    ).first()
    deep = bind.execute(sa.text('SELECT code FROM category WHERE level > 3')).first()
    if duplicated is not None or deep is not None:
        raise RuntimeError(
            '无法降级：已有多个公开目录（目录编码重复）或三级以下的目录事项，请先删除这些目录'
        )
    op.drop_table('category_name')
    if bind.dialect.name == 'sqlite':
        _rebuild_sqlite(False, None)
    else:
        op.drop_constraint(op.f('fk_category_scheme_id_catalogue_scheme'), 'category', type_='foreignkey')
        op.drop_constraint(op.f('uq_category_scheme_id_code'), 'category', type_='unique')
        op.create_unique_constraint(op.f('uq_category_code'), 'category', ['code'])
        op.execute('ALTER TABLE category DROP CONSTRAINT ck_category_level')
        op.create_check_constraint(op.f('ck_category_level'), 'category', 'level BETWEEN 1 AND 3')
        for column in reversed(_new_columns()):
            op.drop_column('category', column.name)
        op.drop_column('category', 'scheme_id')
    op.drop_table('catalogue_scheme')  # its index with it (MariaDB keeps it while the foreign key needs it)
