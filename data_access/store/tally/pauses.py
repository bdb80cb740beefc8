"""disclosure_request.paused: whether a request has any pause (补正, third-party consultation).

The running counts of timeliness (dim 'rt') judge a request without its pauses; the statistics
then correct the few paused ones (data_access.read.queries.requests). Finding those few among a
city's year of answered requests (some 68,000 at five million items) once meant probing
request_pause for each; this flag, with a partial index of the paused requests (SQLite and
PostgreSQL) and at the end of ix_disclosure_request_reply (for the open requests' counts), finds
them directly. Row triggers on request_pause keep it inside every writer's transaction, like the
counts: a pause added sets its request's flag, a pause removed (or moved to another request)
sets it to whether any pause is left.

No writer sets the flag itself: the importer and undo leave it out of the rows they write
(`KEPT`), so an old row image put back never overwrites what the triggers keep. A request
removed with its pauses (ON DELETE CASCADE) goes with its flag: MariaDB, whose cascades fire no
triggers, has nothing left to correct.

MariaDB refuses (error 1442) a statement on request_pause that also reads disclosure_request,
e.g. INSERT INTO request_pause … SELECT … FROM disclosure_request: its trigger would update a
table the statement uses. The writers name the request by its id, as they do anyway.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect

from data_access.store.tally.dims import changed, drop_trigger

TABLE = "disclosure_request"
COLUMN = "paused"
SOURCE = "request_pause"
# The columns of a table the triggers keep: writers leave them out of the rows they write.
KEPT: dict[str, tuple[str, ...]] = {TABLE: (COLUMN,)}
NAMES = {"ins": "paused_ins", "del": "paused_del", "upd": "paused_upd"}


def _set(request: str) -> str:
    """The flag of one request (an expression for its id) set to whether it has pauses."""
    return (
        f"UPDATE {TABLE} SET {COLUMN} = EXISTS (SELECT 1 FROM {SOURCE} p WHERE p.request_id = {request}) "
        f"WHERE id = {request};"
    )


def _raise(request: str) -> str:
    return f"UPDATE {TABLE} SET {COLUMN} = TRUE WHERE id = {request} AND NOT {COLUMN};"


def ddl(dialect: str) -> list[str]:
    """The statements that create the three triggers (and PostgreSQL's trigger functions)."""
    events = {"ins": "INSERT", "del": "DELETE", "upd": "UPDATE"}
    bodies = {
        "ins": _raise("NEW.request_id"),
        "del": _set("OLD.request_id"),
        "upd": _set("OLD.request_id") + " " + _raise("NEW.request_id"),
    }
    moved = changed(dialect, ("request_id",))
    out = []
    for op, name in NAMES.items():
        body = bodies[op]
        if dialect == "postgresql":
            out.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body} RETURN NULL; END $$"
            )
            condition = f" WHEN ({moved})" if op == "upd" else ""
            out.append(
                f"CREATE TRIGGER {name} AFTER {events[op]} ON {SOURCE} FOR EACH ROW{condition} "
                f"EXECUTE FUNCTION {name}()"
            )
        elif dialect == "sqlite":
            condition = f" WHEN {moved}" if op == "upd" else ""
            out.append(f"CREATE TRIGGER {name} AFTER {events[op]} ON {SOURCE}{condition} BEGIN {body} END")
        else:
            if op == "upd":
                body = f"IF {moved} THEN {body} END IF;"
            out.append(f"CREATE TRIGGER {name} AFTER {events[op]} ON {SOURCE} FOR EACH ROW BEGIN {body} END")
    return out


def present(conn: Connection) -> bool:
    """Whether disclosure_request has the flag (migrations before 0026 install the counts only)."""
    return COLUMN in {c["name"] for c in inspect(conn).get_columns(TABLE)}


def install(conn: Connection) -> None:
    """Create the triggers in the caller's transaction (once the column is there)."""
    for statement in ddl(conn.dialect.name) if present(conn) else ():
        conn.exec_driver_sql(statement)


def uninstall(conn: Connection) -> None:
    for name in NAMES.values():
        drop_trigger(conn, name, SOURCE)


def recount(conn: Connection) -> None:
    """Set every request's flag from its pauses (after a load with the triggers off)."""
    if not present(conn):
        return
    conn.exec_driver_sql(f"UPDATE {TABLE} SET {COLUMN} = FALSE WHERE {COLUMN}")
    conn.exec_driver_sql(
        f"UPDATE {TABLE} SET {COLUMN} = TRUE WHERE id IN (SELECT request_id FROM {SOURCE}) AND NOT {COLUMN}"
    )
