"""Assertions shared by several test modules."""

from __future__ import annotations

from sqlalchemy import Engine, text

from data_access.store import tally


def _live(conn) -> dict[tuple, int]:  # type: ignore[no-untyped-def]
    rows = conn.execute(text(f"SELECT unit_id, dim, attribute, ym, item, n FROM {tally.TABLE} WHERE n <> 0"))
    return {tuple(r[:5]): int(r[5]) for r in rows}


def assert_exact(engine: Engine) -> dict[tuple, int]:
    """The stored counts equal a fresh recount (done in a transaction that is rolled back)."""
    with engine.connect() as conn:
        stored = _live(conn)
        tally.rebuild(conn)
        recounted = _live(conn)
        conn.rollback()
    assert stored == recounted
    return stored
