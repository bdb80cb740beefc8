"""Dim 'pr': listings per register (政府网站, 政务新媒体, …), counted like the publication dims.

  dim  source               attribute              month of                  item
  pr   publication_listing  its item's attribute   its item's published_ym   register
       (unit: its item's)

A listing's unit, month and attribute are its publication's, so two kinds of write move these
counts: a listing added, removed or moved to another register (row triggers on
publication_listing), and an item whose unit, month or attribute is corrected while listed (a
trigger on publication that moves the counts of that item's listings). The second is its own
trigger, not one of the publication dims' triggers, so it keeps counting while a large write
switches those off (large_writes.bulk): the bulk recounts read only the publication row, not its
listings.

An item is never deleted before its listings (the foreign key): a listing's item is always there
when its row triggers read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, inspect

from data_access.store.tally import rollup
from data_access.store.tally.dims import DELTA, TABLE, changed, drop_trigger, item_expr

DIM = "pr"
SOURCE = "publication_listing"
NAMES = {
    "ins": "tally_listing_ins",
    "del": "tally_listing_del",
    "upd": "tally_listing_upd",
    "move": "tally_listing_move",  # on publication
}
_LISTING_COLUMNS = ("publication_id", "register")
_ITEM_COLUMNS = ("unit_id", "attribute", "published_ym")


def _add(dialect: str, alias: str, sign: int) -> str:
    """One listing's count (alias NEW or OLD of publication_listing) added with `sign`."""
    item = item_expr("{r}.register", alias, dialect)
    rows = (
        f"SELECT p.unit_id, '{DIM}', p.attribute, p.published_ym, {item}, {sign} "
        f"FROM publication p WHERE p.id = {alias}.publication_id AND p.published_ym IS NOT NULL"
    )
    return _write(dialect, rows)


def _move(dialect: str, alias: str, sign: int) -> str:
    """The counts of every listing of one item (alias NEW or OLD of publication) added with `sign`."""
    item = item_expr("{r}.register", "l", dialect)
    rows = (
        f"SELECT {alias}.unit_id, '{DIM}', {alias}.attribute, {alias}.published_ym, {item}, {sign} "
        f"FROM {SOURCE} l WHERE l.publication_id = {alias}.id AND {alias}.published_ym IS NOT NULL"
    )
    return _write(dialect, rows)


def _write(dialect: str, rows: str) -> str:
    columns = "(unit_id, dim, attribute, ym, item, n)"
    if dialect == "postgresql":  # appended to the delta table, folded into the counts at commit
        return f"INSERT INTO {DELTA} {columns} {rows};"
    if dialect == "sqlite":
        return (
            f"INSERT INTO {TABLE} {columns} {rows} "
            f"ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + excluded.n;"
        )
    return f"INSERT INTO {TABLE} {columns} {rows} ON DUPLICATE KEY UPDATE n = {TABLE}.n + VALUES(n);"


def ddl(dialect: str) -> list[str]:
    """The statements that create the four triggers (and PostgreSQL's trigger functions)."""
    listing_on = {"ins": ("INSERT", SOURCE), "del": ("DELETE", SOURCE), "upd": ("UPDATE", SOURCE),
                  "move": ("UPDATE", "publication")}  # fmt: skip
    bodies = {
        "ins": [_add(dialect, "NEW", 1)],
        "del": [_add(dialect, "OLD", -1)],
        "upd": [_add(dialect, "OLD", -1), _add(dialect, "NEW", 1)],
        "move": [_move(dialect, "OLD", -1), _move(dialect, "NEW", 1)],
    }
    when = {"upd": changed(dialect, _LISTING_COLUMNS), "move": changed(dialect, _ITEM_COLUMNS)}
    out = []
    for op, name in NAMES.items():
        event, table = listing_on[op]
        body = " ".join(bodies[op])
        if dialect == "postgresql":
            out.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body} RETURN NULL; END $$"
            )
            condition = f" WHEN ({when[op]})" if op in when else ""
            out.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} EXECUTE FUNCTION {name}()"
            )
        elif dialect == "sqlite":
            condition = f" WHEN {when[op]}" if op in when else ""
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition} BEGIN {body} END")
        else:
            if op in when:
                body = f"IF {when[op]} THEN {body} END IF;"
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END")
    return out


def present(conn: Connection) -> bool:
    """Whether the database has the listings table (migrations before 0018 install the other dims only)."""
    return inspect(conn).has_table(SOURCE)


def install(conn: Connection) -> None:
    if not present(conn):
        return
    for statement in ddl(conn.dialect.name):
        conn.exec_driver_sql(statement)


def uninstall(conn: Connection) -> None:
    there = present(conn)
    for op, name in NAMES.items():
        table = "publication" if op == "move" else SOURCE
        if there or table == "publication" or conn.dialect.name != "postgresql":
            drop_trigger(conn, name, table)
        else:  # PostgreSQL: no table to name the trigger on, only its function to drop
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def recount(conn: Connection) -> None:
    """Count dim 'pr' from the listings (after its old rows were deleted): the items in the order of
    their statistics index, each joined to its listings by the (item, register) key."""
    item = item_expr("{r}.register", "l", conn.dialect.name)
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT unit_id, dim, attribute, ym, item, sum(n) FROM ("
        f"SELECT p.unit_id AS unit_id, '{DIM}' AS dim, p.attribute AS attribute, p.published_ym AS ym, "
        f"{item} AS item, count(*) AS n FROM publication p JOIN {SOURCE} l ON l.publication_id = p.id "
        f"WHERE p.published_ym IS NOT NULL GROUP BY p.unit_id, p.published_ym, p.attribute, l.register"
        f") x GROUP BY unit_id, dim, attribute, ym, item"
    )


@contextmanager
def many_listed(conn: Connection) -> Iterator[None]:
    """A write that lists a great many items at once (a seed): the listing triggers are switched off
    inside the writer's transaction and dim 'pr' is recounted at the end (SQLite and PostgreSQL,
    whose DDL is transactional; MariaDB's triggers count row by row)."""
    if conn.dialect.name not in ("sqlite", "postgresql") or not present(conn):
        yield
        return
    uninstall(conn)
    yield
    with rollup.suspended(conn, (DIM,)):
        conn.exec_driver_sql(f"DELETE FROM {TABLE} WHERE dim = '{DIM}'")
        recount(conn)
    install(conn)
