"""unit levels as data, and each unit's profile

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

unit_level: the levels of the unit tree as rows (省, 市, 区（县）, 街道（乡镇）, 社区（村）, 部门; admins add
an office's own). org_unit.level loses its CHECK of four fixed codes and becomes a foreign key to
unit_level.code (every existing value is one of the rows inserted here).

org_unit gets the profile's nullable columns: full_name, archive_name, library_name, hotline_name and
signature (the public phone is the existing `hotline` column). Empty means the neutral fallback of
store.reference.unit_profile. A database the 2018 demo was loaded into gets the demo's profile for
the demo's units (matched by code and name; the words come from seed/, which is where the office's
words live), so its reports keep printing exactly what they printed before this revision.

On SQLite a CHECK constraint cannot be dropped nor a foreign key added by ALTER TABLE, and a batch
rebuild of org_unit is impossible with foreign keys on (every record table references it). So the
table's definition is edited in sqlite_schema, the procedure SQLite's documentation gives for
removing a CHECK constraint ("Making Other Kinds Of Table Schema Changes"), with the new foreign
key in the same text, and checked with PRAGMA foreign_key_check before the transaction commits.
"""

import re

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Frozen here (rules.vocab.UNIT_LEVELS may grow): the levels every installation starts with.
LEVELS = (
    ('province', '省'),
    ('city', '市'),
    ('district', '区（县）'),
    ('subdistrict', '街道（乡镇）'),
    ('community', '社区（村）'),
    ('department', '部门'),
)
OLD_LEVELS = ('city', 'subdistrict', 'community', 'department')
PROFILE = ('full_name', 'archive_name', 'library_name', 'hotline_name', 'signature')
_CHECK = re.compile(r",\s*CONSTRAINT ck_org_unit_level CHECK \(level IN \([^)]*\)\)")
_FK = "CONSTRAINT fk_org_unit_level_unit_level FOREIGN KEY(level) REFERENCES unit_level (code)"


def _edit_sqlite_table(conn, edit) -> None:  # type: ignore[no-untyped-def]
    """Rewrite org_unit's CREATE TABLE text with edit(sql) inside the migration's transaction."""
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'org_unit'"
    ).scalar_one()
    new = edit(sql)
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'org_unit'"),
            {"sql": new},
        )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    if conn.exec_driver_sql("PRAGMA foreign_key_check(org_unit)").first() is not None:
        raise RuntimeError("org_unit: a unit's level or parent does not exist")


def _check_to_fk(sql: str) -> str:
    new, found = _CHECK.subn("", sql)
    if found != 1 or not new.rstrip().endswith(")"):
        raise RuntimeError(f"org_unit is not as migration 0001 created it: {sql}")
    return new.rstrip()[:-1].rstrip() + f", \n\t{_FK}\n)"


def _fk_to_check(sql: str) -> str:
    new = sql.replace(f", \n\t{_FK}", "")
    if new == sql:
        raise RuntimeError(f"org_unit is not as migration 0013 left it: {sql}")
    codes = ", ".join(f"'{c}'" for c in OLD_LEVELS)
    return new.rstrip()[:-1].rstrip() + f", \n\tCONSTRAINT ck_org_unit_level CHECK (level IN ({codes}))\n)"


def _demo_profiles() -> dict:  # type: ignore[type-arg]
    """The demo's units and their profile (code → (name, profile)), when seed/ is installed."""
    try:
        from seed.qingyang_data import UNIT_PROFILES
    except ImportError:  # an installation without seed/: nothing is the demo
        return {}
    return dict(UNIT_PROFILES)


def upgrade() -> None:
    conn = op.get_bind()
    unit_level = op.create_table('unit_level',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_unit_level')),
    sa.UniqueConstraint('label', name=op.f('uq_unit_level_label'))
    )
    op.bulk_insert(unit_level, [
        {'code': code, 'label': label, 'sort_order': i} for i, (code, label) in enumerate(LEVELS)
    ])
    if conn.dialect.name == 'sqlite':
        # Before the new columns: SQLite's ADD COLUMN appends them to this very text.
        _edit_sqlite_table(conn, _check_to_fk)
    else:
        op.drop_constraint(op.f('ck_org_unit_level'), 'org_unit', type_='check')
        op.create_foreign_key(
            op.f('fk_org_unit_level_unit_level'), 'org_unit', 'unit_level', ['level'], ['code']
        )
    # ADD COLUMN everywhere (on SQLite without a batch rebuild, see above).
    for name in PROFILE:
        length = 200 if name in ('full_name', 'signature') else 100
        op.add_column('org_unit', sa.Column(name, sa.String(length=length), nullable=True))
    org_unit = sa.table('org_unit', sa.column('code'), sa.column('name'), *(sa.column(c) for c in PROFILE))
    for code, (name, profile) in _demo_profiles().items():
        values = {k: v for k, v in profile.items() if k in PROFILE and v}
        if values:
            conn.execute(
                org_unit.update().where(org_unit.c.code == code, org_unit.c.name == name).values(**values)
            )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(
        sa.text('SELECT count(*) FROM org_unit WHERE level NOT IN :old').bindparams(
            sa.bindparam('old', expanding=True)
        ),
        {'old': list(OLD_LEVELS)},
    ).scalar_one():
        raise RuntimeError('units of levels other than city, subdistrict, community, department exist')
    for name in reversed(PROFILE):
        # ALTER TABLE … DROP COLUMN everywhere (SQLite ≥ 3.35).
        op.drop_column('org_unit', name)
    if conn.dialect.name == 'sqlite':
        _edit_sqlite_table(conn, _fk_to_check)
    else:
        op.drop_constraint(op.f('fk_org_unit_level_unit_level'), 'org_unit', type_='foreignkey')
        if conn.dialect.name == 'mysql':  # the index MariaDB made for the foreign key stays behind it
            op.drop_index('fk_org_unit_level_unit_level', 'org_unit')
        codes = ", ".join(f"'{c}'" for c in OLD_LEVELS)
        op.create_check_constraint(op.f('ck_org_unit_level'), 'org_unit', f"level IN ({codes})")
    op.drop_table('unit_level')
