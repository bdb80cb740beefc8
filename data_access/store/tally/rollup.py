"""Roll-ups: the running counts of all the units under a unit, summed ahead (`stat_rollup`).

A sub-district's figures read its own rows of stat_tally; a city's would read the rows of each of
its hundred sub-districts (some 70,000 rows for a year's figures at five million items) and sum
them on every uncached view. The roll-up holds those sums per ancestor instead:

- `unit_ancestor` (unit_id, ancestor_id): every unit's ancestors, not itself, from org_unit;
- `stat_rollup`: stat_tally's key with an ancestor as the unit; n is the sum of stat_tally's n
  over the units under it (not its own rows, which stay in stat_tally);
- triggers on stat_tally add every change of a count to the roll-up of the unit's ancestors,
  whoever makes it (the source tables' triggers, PostgreSQL's fold at commit, the bulk recounts).

`refresh` brings unit_ancestor up to date after the unit tree changed (a unit added or moved, a
seed, a copied database) and recounts the roll-up when a moved unit had counts. A reader asks
`root_of` whether its units are exactly one unit and all those under it in unit_ancestor; only
then does it read the roll-up, so a tree changed without a refresh is read the slow way, never
wrongly.

SQLite and PostgreSQL keep it. PostgreSQL writes stat_tally at commit (the fold), so a city's
roll-up rows are held only while a transaction commits. MariaDB's row triggers would hold them for
a whole upload and make the city's uploads wait on one another: there the roll-up stays empty
and a city's figures sum its units' counts as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    case,
    false,
    func,
    inspect,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from data_access.store import db
from data_access.store.built import built
from data_access.store.id_lists import among
from data_access.store.models import OrgUnit, StatTally, UnitAncestor
from data_access.store.tally.dims import KEY
from data_access.store.tally.dims import TABLE as COUNTS

TABLE = "stat_rollup"
TREE = "unit_ancestor"
NAMES = {"ins": "rollup_ins", "del": "rollup_del", "upd": "rollup_upd", "move": "rollup_move"}
_EVENTS = {"ins": "INSERT", "del": "DELETE", "upd": "UPDATE", "move": "UPDATE"}
_SAME_KEY = " AND ".join(f"NEW.{col} = OLD.{col}" for col in KEY)
_WHEN = {
    "ins": "NEW.n <> 0",
    "del": "OLD.n <> 0",
    "upd": f"{_SAME_KEY} AND NEW.n <> OLD.n",
    "move": f"NOT ({_SAME_KEY})",  # never done by this code; kept right all the same
}
_BATCH = 5000


def kept(dialect: str) -> bool:
    """Whether the roll-up is kept on this backend (see the module's note on MariaDB)."""
    return dialect in ("sqlite", "postgresql")


def present(conn: Connection) -> bool:
    """Whether the database has the roll-up (migrations before 0023 do not)."""
    return inspect(conn).has_table(TABLE)


def _add(alias: str, n: str) -> str:
    """Add `n` to the roll-up of every ancestor of the counted row `alias` (NEW or OLD)."""
    return (
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT a.ancestor_id, {alias}.dim, {alias}.attribute, {alias}.ym, {alias}.item, {n} "
        f"FROM {TREE} a WHERE a.unit_id = {alias}.unit_id "
        f"ON CONFLICT (unit_id, dim, attribute, ym, item) DO UPDATE SET n = {TABLE}.n + excluded.n;"
    )


def ddl(dialect: str) -> list[str]:
    """The statements that create the triggers on stat_tally (and PostgreSQL's trigger functions)."""
    bodies = {
        "ins": _add("NEW", "NEW.n"),
        "del": _add("OLD", "-OLD.n"),
        "upd": _add("NEW", "NEW.n - OLD.n"),
        "move": _add("OLD", "-OLD.n") + " " + _add("NEW", "NEW.n"),
    }
    out = []
    for op, name in NAMES.items():
        if dialect == "postgresql":
            out.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {bodies[op]} RETURN NULL; END $$"
            )
            out.append(
                f"CREATE TRIGGER {name} AFTER {_EVENTS[op]} ON {COUNTS} FOR EACH ROW WHEN ({_WHEN[op]}) "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            out.append(
                f"CREATE TRIGGER {name} AFTER {_EVENTS[op]} ON {COUNTS} WHEN {_WHEN[op]} BEGIN {bodies[op]} END"
            )
    return out


def install(conn: Connection) -> None:
    """Create the triggers (in the caller's transaction), where the roll-up is kept."""
    if kept(conn.dialect.name) and present(conn):
        for statement in ddl(conn.dialect.name):
            conn.exec_driver_sql(statement)


def uninstall(conn: Connection) -> None:
    """Drop the triggers (and PostgreSQL's functions)."""
    dialect = conn.dialect.name
    if not kept(dialect):
        return
    for name in NAMES.values():
        if dialect == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {COUNTS}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def recount(conn: Connection, dims: Iterable[str] | None = None) -> None:
    """Sum the roll-up afresh from stat_tally and unit_ancestor (every dim, or `dims`)."""
    if not kept(conn.dialect.name) or not present(conn):
        return
    chosen = "" if dims is None else "dim IN (" + ", ".join(f"'{d}'" for d in sorted(dims)) + ")"
    conn.exec_driver_sql(f"DELETE FROM {TABLE}" + (f" WHERE {chosen}" if chosen else ""))
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE} (unit_id, dim, attribute, ym, item, n) "
        f"SELECT a.ancestor_id, t.dim, t.attribute, t.ym, t.item, sum(t.n) "
        f"FROM {COUNTS} t JOIN {TREE} a ON a.unit_id = t.unit_id{f' WHERE t.{chosen}' if chosen else ''} "
        f"GROUP BY a.ancestor_id, t.dim, t.attribute, t.ym, t.item HAVING sum(t.n) <> 0"
    )


@contextmanager
def suspended(conn: Connection, dims: Iterable[str] | None = None) -> Iterator[None]:
    """A recount of stat_tally (all dims, or `dims`) that deletes and writes its rows wholesale:
    the roll-up's triggers are switched off inside the caller's transaction (SQLite: dropped and
    made again, seen by nobody else until the commit; PostgreSQL: disabled, which waits for and
    blocks other writers of stat_tally, not its readers) and the roll-up of those dims is summed
    afresh at the end, instead of one trigger firing per row deleted and per row written."""
    dialect = conn.dialect.name
    if not kept(dialect) or not present(conn):
        yield
        return
    on = _installed(conn)  # a writer that took every trigger off keeps them off
    if on and dialect == "postgresql":
        conn.exec_driver_sql(
            f"ALTER TABLE {COUNTS} " + ", ".join(f"DISABLE TRIGGER {n}" for n in NAMES.values())
        )
    elif on:
        uninstall(conn)
    yield
    recount(conn, dims)
    if on and dialect == "postgresql":
        conn.exec_driver_sql(
            f"ALTER TABLE {COUNTS} " + ", ".join(f"ENABLE TRIGGER {n}" for n in NAMES.values())
        )
    elif on:
        install(conn)


def _installed(conn: Connection) -> bool:
    """Whether the roll-up's triggers are on stat_tally now (all of them, enabled)."""
    names = ", ".join(f"'{n}'" for n in NAMES.values())
    if conn.dialect.name == "postgresql":
        query = (
            f"SELECT count(*) FROM pg_trigger WHERE tgrelid = '{COUNTS}'::regclass AND tgname IN ({names}) "
            "AND tgenabled = 'O'"
        )
    else:
        query = f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    return conn.exec_driver_sql(query).scalar_one() == len(NAMES)


def _ancestors(conn: Connection) -> set[tuple[int, int]]:
    """(unit, ancestor) for every unit of org_unit and each unit above it."""
    parents = {u: parent for u, parent in conn.execute(select(OrgUnit.id, OrgUnit.parent_id))}
    pairs = set()
    for unit_id in parents:
        parent, seen = parents[unit_id], {unit_id}
        while parent is not None and parent not in seen:  # a cycle (never written) would stop here
            pairs.add((unit_id, parent))
            seen.add(parent)
            parent = parents.get(parent)
    return pairs


def refresh(conn: Connection) -> None:
    """Bring unit_ancestor up to date with org_unit (in the caller's transaction). Units added
    without counts only add their rows; any other change recounts the whole roll-up."""
    if not kept(conn.dialect.name) or not present(conn):
        return
    wanted = _ancestors(conn)
    a = UnitAncestor.__table__
    have = {(u, anc) for u, anc in conn.execute(select(a.c.unit_id, a.c.ancestor_id))}
    if wanted == have:
        return
    added, removed = wanted - have, have - wanted
    t = StatTally.__table__.c
    units = {u for u, _a in added}
    counted = (
        bool(units)
        and conn.execute(select(t.unit_id).where(among(t.unit_id, units)).limit(1)).first() is not None
    )
    whole = bool(removed) or counted
    if whole:
        conn.execute(a.delete())
        added = wanted
    rows = [{"unit_id": u, "ancestor_id": anc} for u, anc in sorted(added)]
    for start in range(0, len(rows), _BATCH):
        conn.execute(a.insert(), rows[start : start + _BATCH])
    if whole:
        recount(conn)


def root_of(session: Session, ids: Iterable[int]) -> int | None:
    """The unit whose roll-up sums exactly these units' counts: one of them with all the others,
    and only those, under it in unit_ancestor (None for a single unit or any other list)."""
    wanted = tuple(sorted({int(i) for i in ids}))
    if len(wanted) < 2:
        return None
    return db.remembered(session, ("root_of", wanted), lambda: _root_of(session, wanted))


def _root_of(session: Session, wanted: tuple[int, ...]) -> int | None:
    rows = session.connection().execute(_descendants_counted(wanted)).all()
    return next((int(anc) for anc, n, covered in rows if n == covered == len(wanted) - 1), None)


@built
def _descendants_counted(wanted: tuple[int, ...]) -> Any:
    """Per unit among `wanted`, how many units unit_ancestor puts under it, and how many of those are
    among `wanted`."""
    a = UnitAncestor.__table__.c
    inside = func.sum(case((among(a.unit_id, wanted), 1), else_=0))
    return (
        select(a.ancestor_id, func.count(), inside)
        .where(among(a.ancestor_id, wanted))
        .group_by(a.ancestor_id)
    )


def scope_of_code(session: Session, code: str) -> tuple[list[int], int | None] | None:
    """For the unit with this code: the ids of it and every unit under it (sorted), and itself
    when its roll-up covers exactly those (what `root_of` would answer, worked out in the same
    statement that walks down the tree); None for an unknown code."""
    ids: list[int] = []
    top = under = everything = None
    for uid, is_top, inside, counted in session.connection().execute(_SCOPE, {"code": code}).all():
        if uid is not None:
            ids.append(uid)
            if is_top:
                top = uid
        else:
            under, everything = inside, counted
    if top is None:
        return None
    ids.sort()
    return ids, (top if len(ids) > 1 and under == everything == len(ids) - 1 else None)


def _scope() -> Any:
    """The units from the one with the code `:code` down (UNION, not UNION ALL: each unit once, so
    even a tree looped by mistake ends), each flagged whether it is that one; then one row counting
    the units unit_ancestor puts under it: those among them, and all."""
    u = OrgUnit.__table__.c
    top_id = select(u.id).where(u.code == bindparam("code")).scalar_subquery()
    walk = select(u.id).where(u.code == bindparam("code")).cte("under", recursive=True)
    child = OrgUnit.__table__.alias("child")
    walk = walk.union(select(child.c.id).join(walk, child.c.parent_id == walk.c.id))
    a = UnitAncestor.__table__.c
    below = select(func.count()).where(a.ancestor_id == top_id)
    inside = below.where(a.unit_id.in_(select(walk.c.id)))
    return union_all(
        select(walk.c.id, walk.c.id == top_id, literal_column("0"), literal_column("0")),
        select(null(), false(), inside.scalar_subquery(), below.scalar_subquery()),
    )


_SCOPE = _scope()
