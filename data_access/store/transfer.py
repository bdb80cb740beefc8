"""Copying every table of one database into another (`migrate-data`, and the server backups).

The source is read inside one transaction (a consistent snapshot on every backend: SQLite's read
transaction, REPEATABLE READ on PostgreSQL and MariaDB), table by table in foreign-key order, in
batches ordered by primary key; a table that refers to itself (units, categories, upload batches)
is ordered so that a row comes after the row it refers to. The target must be a database that
`init` has just made at the same schema revision and that holds no data of its own: only what
`init` writes (the reference catalogue, the calendar tables, the first admin). That is wiped, and
every row of the source is written in one transaction with the running-count triggers off (the
counts, `stat_tally`, are copied as they are), then the triggers are put back and PostgreSQL's
sequences are moved past the copied ids; the roll-up of the counts is summed afresh on the target. Both databases' per-table counts are compared at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from data_access.store import tally
from data_access.store.models import Base

BATCH_ROWS = 2000
# What `init` writes into a new database: the target may hold these rows (they are replaced).
INIT_TABLES = frozenset(
    {
        "app_meta",
        "topic",
        "unit_level",
        "publication_due",
        "workday_count",
        "catalogue_scheme",
        "category",
        "category_name",
        "stat_tally",
        "app_user",
        "login_session",
        "login_throttle",
        "audit_log",
        "publication_register",
    }
)


# Worked out again on the target from what was copied, not copied (data_access.store.tally.rollup):
# a source whose backend keeps no roll-up (MariaDB) has none to copy.
DERIVED = frozenset({tally.rollup.TABLE, tally.rollup.TREE})


class TransferError(Exception):
    """A copy that cannot be done, with a Chinese message."""


@dataclass(frozen=True)
class TransferResult:
    """A finished copy: the schema revision and each table's row count (equal on both sides)."""

    revision: str
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        """Rows copied in all."""
        return sum(self.counts.values())


def tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return list(Base.metadata.sorted_tables)


def revision(conn: Connection) -> str | None:
    """The database's schema revision (None: not initialised)."""
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def counts(conn: Connection) -> dict[str, int]:
    """Each copied table's row count."""
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
        for t in tables()
        if t.name not in DERIVED
    }


def _stored(table: Table) -> list:  # type: ignore[type-arg]
    """The columns a row is written with (not those the database computes itself)."""
    return [c for c in table.columns if c.computed is None]


def _self_columns(table: Table) -> list[tuple[str, str]]:
    """(column, referred column) of each foreign key of a table to itself."""
    return [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]


def _parents_first(rows: list[dict], links: list[tuple[str, str]]) -> list[dict]:
    """The rows ordered so that each comes after the rows of the same table it refers to."""
    keys = {(column, r[column]) for r in rows for _, column in links}
    placed: set[tuple[str, object]] = set()
    done: list[dict] = []
    pending = rows
    while pending:
        later = []
        for r in pending:
            ready = all(
                r[own] is None
                or (column, r[own]) in placed
                or (column, r[own]) not in keys
                or r[own] == r[column]  # a row that refers to itself (a category's root)
                for own, column in links
            )
            if ready:
                done.append(r)
                placed.update((column, r[column]) for _, column in links)
            else:
                later.append(r)
        if len(later) == len(pending):  # a cycle: the database's own checks will name it
            done.extend(later)
            break
        pending = later
    return done


def read_batches(conn: Connection, table: Table) -> Iterator[list[dict]]:
    """A table's rows in batches, ordered by primary key (parents first for a self-referring table)."""
    order = list(table.primary_key.columns)
    links = _self_columns(table)
    if links:
        rows = [dict(r._mapping) for r in conn.execute(select(*_stored(table)).order_by(*order))]
        rows = _parents_first(rows, links)
        for start in range(0, len(rows), BATCH_ROWS):
            yield rows[start : start + BATCH_ROWS]
        return
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(select(*_stored(table)).order_by(*order))
    for part in result.mappings().partitions(BATCH_ROWS):
        yield [dict(r) for r in part]


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment of the database."""
    if engine.dialect.name == "sqlite":
        return engine.connect()
    return engine.connect().execution_options(isolation_level="REPEATABLE READ")


def _check_target(conn: Connection, source_revision: str) -> None:
    target_revision = revision(conn)
    if target_revision is None:
        raise TransferError("目标数据库尚未初始化：请先对目标数据库运行 python -m data_access init")
    if target_revision != source_revision:
        raise TransferError(
            f"两个数据库的结构版本不同（源 {source_revision}，目标 {target_revision}）："
            "请先用本程序对两者都运行 init"
        )
    found = counts(conn)
    holding = [name for name, n in found.items() if n and name not in INIT_TABLES]
    if found.get("app_user", 0) > 1:
        holding.insert(0, "app_user")
    if holding:
        raise TransferError(
            f"目标数据库已有数据（表 {'、'.join(holding[:5])} 不为空），未作任何改动："
            "请用一个刚运行过 init 的空数据库作为目标"
        )


def _wipe(conn: Connection) -> None:
    for table in reversed(tables()):
        conn.execute(table.delete())


def _fix_sequences(conn: Connection) -> None:
    """Move each PostgreSQL sequence past the largest copied id."""
    for table in tables():
        for column in table.primary_key.columns:
            if column.autoincrement is not True and not (
                column.autoincrement == "auto" and len(table.primary_key.columns) == 1
            ):
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence is None:
                continue
            conn.execute(
                text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 1), '
                    f'(SELECT MAX("{column.name}") FROM "{table.name}") IS NOT NULL)'
                ),
                {"s": sequence},
            )


def copy_database(
    source: Engine, target: Engine, *, progress: Callable[[str, int], None] | None = None
) -> TransferResult:
    """Copy every row of `source` into the freshly initialised, data-free `target`.

    One transaction on the target: a failure leaves it as it was (on MariaDB too, whose DDL would
    commit: there the count triggers stay on while the rows go in, and the counts they made are
    replaced by the source's at the end; PostgreSQL's fold them in at commit, so they are off)."""
    with _snapshot(source) as src:
        source_revision = revision(src)
        if source_revision is None:
            raise TransferError("源数据库没有数据库结构版本（未初始化或不是本系统的数据库）")
        expected = counts(src)
        with target.connect() as dst:
            try:
                with dst.begin():
                    _copy_into(src, dst, source_revision, expected, progress)
            finally:
                if dst.dialect.name == "mysql":  # a session setting: not left on the pooled connection
                    try:
                        dst.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
                    except SQLAlchemyError:
                        dst.invalidate()  # a broken connection: never back into the pool
        src.rollback()
    return TransferResult(source_revision, expected)


def _copy_into(
    src: Connection,
    dst: Connection,
    source_revision: str,
    expected: dict[str, int],
    progress: Callable[[str, int], None] | None,
) -> None:
    counted = Base.metadata.tables[tally.TABLE]
    _check_target(dst, source_revision)
    dialect = dst.dialect.name
    if dialect == "mysql":
        dst.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
    elif dialect == "sqlite":
        dst.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    elif dialect == "postgresql":
        tally.uninstall(dst)
    _wipe(dst)
    for table in [*(t for t in tables() if t is not counted and t.name not in DERIVED), counted]:
        if table is counted:
            dst.execute(counted.delete())  # what the triggers counted: the source's instead
        copied = 0
        for batch in read_batches(src, table):
            dst.execute(table.insert(), batch)
            copied += len(batch)
        if progress is not None:
            progress(table.name, copied)
    if dialect == "postgresql":
        tally.install(dst)
        _fix_sequences(dst)
    tally.rollup.refresh(dst)
    written = counts(dst)
    differ = [
        f"{name}（源 {n} 行，目标 {written.get(name)} 行）"
        for name, n in expected.items()
        if written.get(name) != n
    ]
    if differ:
        raise TransferError(f"复制后行数不一致，未作任何改动：{'；'.join(differ)}")
