"""Assertions shared by several test modules."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from data_access.store import tally

_ROLLED_UP = (
    f"SELECT a.ancestor_id, t.dim, t.attribute, t.ym, t.item, sum(t.n) FROM {tally.TABLE} t "
    f"JOIN {tally.rollup.TREE} a ON a.unit_id = t.unit_id "
    "GROUP BY a.ancestor_id, t.dim, t.attribute, t.ym, t.item HAVING sum(t.n) <> 0"
)


def _live(conn, table: str = tally.TABLE) -> dict[tuple, int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(text(f"SELECT unit_id, dim, attribute, ym, item, n FROM {table} WHERE n <> 0"))
    return {tuple(r[:5]): int(r[5]) for r in rows}


def _rollup_matches(conn) -> None:  # type: ignore[no-untyped-def]
    """The roll-up equals the counts summed over unit_ancestor (where the backend keeps it)."""
    if not inspect(conn).has_table(tally.rollup.TABLE):
        return
    stored = _live(conn, tally.rollup.TABLE)
    if not tally.rollup.kept(conn.dialect.name):
        assert stored == {}
        return
    expected = {tuple(r[:5]): int(r[5]) for r in conn.execute(text(_ROLLED_UP))}
    assert stored == expected


def assert_exact(engine: Engine) -> dict[tuple, int]:
    """The stored counts equal a fresh recount (done in a transaction that is rolled back), and so
    does their roll-up per ancestor unit; every request's pause flag says whether it has pauses."""
    with engine.connect() as conn:
        _pause_flags_match(conn)
        stored = _live(conn)
        _rollup_matches(conn)
        tally.rebuild(conn)
        recounted = _live(conn)
        _rollup_matches(conn)
        conn.rollback()
    assert stored == recounted
    return stored


def _pause_flags_match(conn) -> None:  # type: ignore[no-untyped-def]
    if not tally.pauses.present(conn):  # a database before migration 0026
        return
    wrong = conn.exec_driver_sql(
        "SELECT r.request_no, r.paused FROM disclosure_request r "
        "WHERE r.paused <> EXISTS (SELECT 1 FROM request_pause p WHERE p.request_id = r.id)"
    ).all()
    assert wrong == [], f"pause flags that differ from the pauses: {wrong[:10]}"
