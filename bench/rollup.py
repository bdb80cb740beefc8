"""The running counts' full rebuild (data_access.store.tally.rebuild), timed inside a transaction that is
rolled back, so the cached benchmark database is left as it was."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from data_access.store import db, tally
from data_access.store.models import StatTally


def rebuild_ms(url: str) -> tuple[float, int]:
    """Milliseconds to recount every tally row, and how many rows the recount wrote."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            started = time.perf_counter()
            tally.rebuild(conn)
            elapsed = (time.perf_counter() - started) * 1000
            rows = conn.execute(select(func.count()).select_from(StatTally)).scalar_one()
            transaction.rollback()
    finally:
        engine.dispose()
    return elapsed, rows
