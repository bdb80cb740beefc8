"""Large writes: the row triggers switched off inside the writer's transaction and the counts kept
by grouped recounts of the rows it replaces and leaves (`bulk`, `Counting`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from data_access.store.tally.dims import DELTA, SOURCES, TABLE, contributions, row_select, row_where
from data_access.store.tally.triggers import trigger_names

# A write of thousands of rows (an upload, its undo) fires a trigger per row. On SQLite and
# PostgreSQL, whose DDL is part of the transaction, `bulk` instead switches the source table's
# row triggers off inside the writer's transaction, lets the writer subtract the counts of the
# rows it is about to replace and add those of the rows it leaves (one grouped statement per
# few thousand rows), and switches them on again before the commit. Nobody else sees the table
# without its triggers: SQLite's writer holds the database's write lock (BEGIN IMMEDIATE) and
# readers see the schema as of their snapshot; PostgreSQL's ALTER TABLE … DISABLE TRIGGER takes
# a SHARE ROW EXCLUSIVE lock on the table, which waits for and blocks other writers of that
# table, not its readers, until the commit. MariaDB's DDL commits implicitly: it keeps the triggers.
BULK_ROWS = 1000
_IDS_PER_STATEMENT = 5000


class Counting:
    """What a large writer tells `bulk` (does nothing while the row triggers count)."""

    def __init__(self, conn: Connection, source: str, active: bool) -> None:
        self.conn, self.source, self.active = conn, source, active

    def subtract(self, *, ids: Iterable[int] = (), batch_id: int | None = None) -> None:
        """Take away the counts of these rows as they are now (before changing or deleting them)."""
        self._apply(-1, ids, batch_id)

    def add(self, *, ids: Iterable[int] = (), batch_id: int | None = None) -> None:
        """Add the counts of these rows as they are now (after inserting or changing them)."""
        self._apply(+1, ids, batch_id)

    def _apply(self, sign: int, ids: Iterable[int], batch_id: int | None) -> None:
        if not self.active:
            return
        if batch_id is not None:
            _add_counts(self.conn, self.source, sign, f"batch_id = {int(batch_id)}")
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), _IDS_PER_STATEMENT):
            part = ",".join(str(i) for i in wanted[start : start + _IDS_PER_STATEMENT])
            _add_counts(self.conn, self.source, sign, f"id IN ({part})")


def _add_counts(conn: Connection, source: str, sign: int, where: str) -> None:
    """Add sign × the counts of the rows of `source` matching `where`: the rows are first grouped
    by the columns the counts depend on, so each contribution reads a handful of groups."""
    dialect = conn.dialect.name
    found = contributions(dialect)[source]
    columns = ", ".join(sorted({col for c in found for col in c.columns}))
    parts = " UNION ALL ".join(
        f"{row_select(c, 'r', 'r.n', dialect)} FROM changed_rows r WHERE {row_where(c, 'r')}" for c in found
    )
    # PostgreSQL: into the delta table, folded into the counts at commit as the triggers' rows are
    # (a city's roll-up rows are then taken only while the transaction commits, see rollup).
    into, upsert = (
        (DELTA, "")
        if dialect == "postgresql"
        else (
            TABLE,
            f" ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + excluded.n",
        )
    )
    conn.exec_driver_sql(
        f"WITH changed_rows AS (SELECT {columns}, count(*) AS n FROM {source} WHERE {where} "
        f"GROUP BY {columns}) "
        f"INSERT INTO {into} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT * FROM (SELECT unit_id, dim, attribute, ym, item, {sign} * sum(n) AS n FROM ({parts}) x "
        f"GROUP BY unit_id, dim, attribute, ym, item) g WHERE true{upsert}"
    )


def _suspend(conn: Connection, source: str) -> list[str] | None:
    """Switch the source's row triggers off in this transaction; the statements that restore them."""
    names = sorted(trigger_names(source).values())
    quoted = ", ".join(f"'{n}'" for n in names)
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{source}' "
            f"AND name IN ({quoted}) ORDER BY name"
        ).all()
        if [name for name, _sql in found] != names:
            return None
        for name, _sql in found:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        return [sql for _name, sql in found]
    enabled = (
        conn.exec_driver_sql(
            f"SELECT tgname FROM pg_trigger WHERE tgrelid = '{source}'::regclass AND tgname IN ({quoted}) "
            "AND tgenabled = 'O' ORDER BY tgname"
        )
        .scalars()
        .all()
    )
    if list(enabled) != names:
        return None
    conn.exec_driver_sql(f"ALTER TABLE {source} " + ", ".join(f"DISABLE TRIGGER {n}" for n in names))
    return [f"ALTER TABLE {source} " + ", ".join(f"ENABLE TRIGGER {n}" for n in names)]


@contextmanager
def bulk(conn: Connection, source: str, rows: int) -> Iterator[Counting]:
    """Keep the counts of a write of `rows` rows to `source` by grouped recounts (see above).

    Inside: call `subtract` with the rows to be changed or deleted before writing them and
    `add` with the rows written after. Small writes, other tables, MariaDB and a database
    without the triggers get a Counting that does nothing (the triggers count). An error
    inside must roll the transaction back (it also brings the triggers back).
    """
    restore = None
    if source in SOURCES and rows >= BULK_ROWS and conn.dialect.name in ("sqlite", "postgresql"):
        restore = _suspend(conn, source)
    yield Counting(conn, source, restore is not None)
    for statement in restore or ():
        conn.exec_driver_sql(statement)
