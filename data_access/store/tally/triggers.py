"""The database triggers that keep the running counts exact inside every writer's transaction.

Per-row triggers: one multi-row upsert per row on SQLite and MariaDB; on PostgreSQL (whose
updates leave row versions behind until commit) an append to a delta table, folded into
stat_tally by one deferred trigger at commit. `ddl(dialect)` gives the statements, `install`
and `uninstall` run them in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import Connection

from data_access.store.tally import listings, pauses, rollup
from data_access.store.tally.dims import (
    DELTA,
    SOURCES,
    TABLE,
    Contribution,
    changed,
    contributions,
    item_expr,
    row_select,
    row_where,
)


def trigger_names(source: str) -> dict[str, str]:
    return {op: f"tally_{source}_{op}" for op in ("ins", "del", "upd")}


def _row_statements(source: str, dialect: str, alias: str, sign: int) -> list[str]:
    """Row-trigger statements adding (+1) or removing (-1) one row's counts."""
    if dialect == "postgresql" or (sign > 0 and dialect == "sqlite"):
        # One multi-row statement per condition instead of one per dim: PostgreSQL appends ±1 rows
        # to the delta table, folded into stat_tally once at commit (see _PG_FOLD); SQLite upserts.
        groups: dict[str, list[Contribution]] = {}
        for c in contributions(dialect)[source]:
            groups.setdefault(c.condition, []).append(c)
        out = []
        for condition, members in groups.items():
            rows = ", ".join(
                f"({alias}.unit_id, '{c.dim}', {c.attribute.replace('{r}', alias)}, {c.ym.replace('{r}', alias)}, "
                f"{item_expr(c.item, alias, dialect)}, {sign})"
                for c in members
            )
            where = condition.replace("{r}", alias)
            if dialect == "postgresql":
                out.append(
                    f"INSERT INTO {DELTA} (unit_id, dim, attribute, ym, item, n) SELECT * FROM (VALUES {rows}) "
                    f"AS v (unit_id, dim, attribute, ym, item, n) WHERE {where};"
                )
            else:
                out.append(
                    f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) SELECT * FROM (VALUES {rows}) "
                    f"WHERE {where} ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + 1;"
                )
        return out
    out = []
    for c in contributions(dialect)[source]:
        if sign > 0:  # MariaDB
            out.append(
                f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) {row_select(c, alias, '1', dialect)} "
                f"FROM DUAL WHERE {row_where(c, alias)} ON DUPLICATE KEY UPDATE n = {TABLE}.n + 1;"
            )
        else:
            match = " AND ".join(
                [f"unit_id = {alias}.unit_id", f"dim = '{c.dim}'"]
                + [f"{col} = {expr.replace('{r}', alias)}" for col, expr in
                   (("attribute", c.attribute), ("ym", c.ym))]
                + [f"item = {item_expr(c.item, alias, dialect)}"]
            )  # fmt: skip
            out.append(f"UPDATE {TABLE} SET n = n - 1 WHERE {match} AND {row_where(c, alias)};")
    return out


def _changed(source: str, dialect: str) -> str:
    return changed(dialect, sorted({col for c in contributions(dialect)[source] for col in c.columns}))


def ddl(dialect: str) -> list[str]:
    """The statements that create the triggers (and PostgreSQL's trigger functions)."""
    out: list[str] = []
    for source in SOURCES:
        names = trigger_names(source)
        plus_new = _row_statements(source, dialect, "NEW", +1)
        minus_old = _row_statements(source, dialect, "OLD", -1)
        when = _changed(source, dialect)
        if dialect == "postgresql":
            bodies = {
                "ins": " ".join(plus_new),
                "del": " ".join(minus_old),
                "upd": f"IF {when} THEN {' '.join(minus_old + plus_new)} END IF;",
            }
            events = {"ins": "INSERT", "del": "DELETE", "upd": "UPDATE"}
            for op, name in names.items():
                out.append(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {bodies[op]} RETURN NULL; END $$"
                )
                out.append(
                    f"CREATE TRIGGER {name} AFTER {events[op]} ON {source} FOR EACH ROW EXECUTE FUNCTION {name}()"
                )
            continue
        if dialect == "sqlite":
            out.append(
                f"CREATE TRIGGER {names['ins']} AFTER INSERT ON {source} BEGIN {' '.join(plus_new)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['del']} AFTER DELETE ON {source} BEGIN {' '.join(minus_old)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['upd']} AFTER UPDATE ON {source} WHEN {when} "
                f"BEGIN {' '.join(minus_old + plus_new)} END"
            )
        else:
            out.append(
                f"CREATE TRIGGER {names['ins']} AFTER INSERT ON {source} FOR EACH ROW "
                f"BEGIN {' '.join(plus_new)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['del']} AFTER DELETE ON {source} FOR EACH ROW "
                f"BEGIN {' '.join(minus_old)} END"
            )
            out.append(
                f"CREATE TRIGGER {names['upd']} AFTER UPDATE ON {source} FOR EACH ROW "
                f"BEGIN IF {when} THEN {' '.join(minus_old + plus_new)} END IF; END"
            )
    return out


# PostgreSQL keeps every version of an updated row until the transaction ends, so updating the
# same counter once per row of a 50,000-row upload walks ever longer version chains. Its row
# triggers append to an unindexed delta table instead, and one deferred trigger folds the whole
# delta into stat_tally at commit (the first firing does it; the rest see the flag and return).
_PG_FOLD = (
    f"CREATE TABLE IF NOT EXISTS {DELTA} (unit_id INTEGER NOT NULL, dim VARCHAR(2) NOT NULL, "
    "attribute VARCHAR(20) NOT NULL, ym INTEGER NOT NULL, item VARCHAR(60) NOT NULL, n INTEGER NOT NULL)",
    "CREATE OR REPLACE FUNCTION tally_fold() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF current_setting('gkb.tally_folded', true) = txid_current()::text THEN RETURN NULL; END IF; "
    "PERFORM set_config('gkb.tally_folded', txid_current()::text, true); "
    f"WITH moved AS (DELETE FROM {DELTA} RETURNING unit_id, dim, attribute, ym, item, n) "
    f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
    "SELECT unit_id, dim, attribute, ym, item, sum(n) FROM moved GROUP BY unit_id, dim, attribute, ym, item "
    # in key order: the roll-up's triggers (rollup) then take a city's rows in one order in every
    # transaction, so two commits wait for each other instead of deadlocking
    "ORDER BY unit_id, dim, attribute, ym, item "
    f"ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n; "
    "RETURN NULL; END $$",
    f"CREATE CONSTRAINT TRIGGER tally_fold AFTER INSERT ON {DELTA} DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION tally_fold()",
)


def install(conn: Connection) -> None:
    """Create the triggers (in the caller's transaction)."""
    if conn.dialect.name == "postgresql":
        for statement in _PG_FOLD:
            conn.exec_driver_sql(statement)
    for statement in ddl(conn.dialect.name):
        conn.exec_driver_sql(statement)
    listings.install(conn)
    pauses.install(conn)
    rollup.install(conn)


def uninstall(conn: Connection) -> None:
    """Drop the triggers (and PostgreSQL's functions)."""
    dialect = conn.dialect.name
    rollup.uninstall(conn)
    pauses.uninstall(conn)
    listings.uninstall(conn)
    for source in SOURCES:
        for name in trigger_names(source).values():
            if dialect == "postgresql":
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {source}")
                conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {DELTA}")  # drops its fold trigger too
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS tally_fold()")
