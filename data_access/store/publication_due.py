"""The calendar as tables the database can judge with, so that the running counts
(data_access.store.tally) judge timeliness inside the database and a whole city's figures read a few
hundred tally rows instead of every item of the year:

- publication_due: each day's publication due date, the 20th working day after it (dim 'pl');
- workday_count: for each day, the working days from FIRST up to it, before it and through it.
  A request received on day a and answered on day b was answered within k working days exactly
  when before(b) − through(a) < k (dim 'rt'; open requests' due dates likewise, see
  data_access.read.queries.requests).

Both cover FIRST..LAST; the counts mark a row whose days fall outside '?' and its readers judge
such rows in Python. `refresh` recomputes both from the current calendar (package + overrides)
and recounts the dims whose table changed — in the caller's transaction. Every calendar write
calls it (data_access.rules.workdays), and so do migrations 0005 and 0007 and `python -m data_access
init` (after an upgrade of the chinese-calendar package). So when the calendar changes, every
request's due date and on-time judgement follow at once.
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

from sqlalchemy import Connection, delete, insert, select, update

from data_access.rules.duties import PUBLICATION_LIMIT_WORKDAYS
from data_access.rules.workdays import Calendar, DayOverride
from data_access.store.models import AppMeta, PublicationDue, WorkdayCount, WorkdayOverride

FIRST = dt.date(1990, 1, 1)
LAST = dt.date(2059, 12, 31)
PACKAGE_KEY = "publication_due_package"


def expected(calendar: Calendar) -> dict[dt.date, dt.date]:
    """Every covered day → its due date under `calendar`."""
    out, day, step = {}, FIRST, dt.timedelta(days=1)
    while day <= LAST:
        out[day] = calendar.add_workdays(day, PUBLICATION_LIMIT_WORKDAYS)
        day += step
    return out


def expected_counts(calendar: Calendar) -> dict[dt.date, tuple[int, int]]:
    """Every covered day → (working days from FIRST before it, through it) under `calendar`."""
    out, day, step, total = {}, FIRST, dt.timedelta(days=1), 0
    while day <= LAST:
        before = total
        total += calendar.is_workday(day)
        out[day] = (before, total)
        day += step
    return out


def create_workday_count(conn: Connection) -> None:
    """Create the empty workday_count table when it is missing (migrations 0003, 0005 and 0007:
    the running counts' triggers read it, so it must exist before they are installed)."""
    WorkdayCount.__table__.create(conn, checkfirst=True)


def _package() -> str:
    return version("chinese-calendar")


def refresh(conn: Connection) -> int:
    """Bring both tables in line with the current calendar; return how many days changed."""
    from data_access.store import tally  # tally's triggers read this module's tables

    overrides = [
        DayOverride(day, bool(working), name)
        for day, working, name in conn.execute(
            select(WorkdayOverride.day, WorkdayOverride.is_workday, WorkdayOverride.name)
        )
    ]
    calendar = Calendar(overrides)
    dues = _sync(
        conn, PublicationDue.__table__, ("due",), {d: (due,) for d, due in expected(calendar).items()}
    )
    counts = _sync(conn, WorkdayCount.__table__, ("before_n", "through_n"), expected_counts(calendar))
    _remember_package(conn)
    dims = (("pl",) if dues else ()) + (("rt",) if counts else ())
    if dims:
        tally.recount(conn, dims)
    return dues + counts


def _sync(conn: Connection, table, columns: tuple[str, ...], wanted: dict[dt.date, tuple]) -> int:  # type: ignore[no-untyped-def]
    """Make `table` (day → columns) hold `wanted`; how many days were added, changed or removed."""
    stored = {
        day: tuple(rest) for day, *rest in conn.execute(select(table.c.day, *(table.c[c] for c in columns)))
    }
    missing = [{"day": d, **dict(zip(columns, v, strict=True))} for d, v in wanted.items() if d not in stored]
    moved = [(d, v) for d, v in wanted.items() if d in stored and stored[d] != v]
    stray = [d for d in stored if d not in wanted]
    if len(moved) > 1000:  # one changed day moves the counts of every later day: write them afresh
        conn.execute(delete(table))
        missing = [{"day": d, **dict(zip(columns, v, strict=True))} for d, v in wanted.items()]
        for start in range(0, len(missing), 5000):
            conn.execute(insert(table), missing[start : start + 5000])
        return len(moved)
    for start in range(0, len(missing), 5000):
        conn.execute(insert(table), missing[start : start + 5000])
    for d, v in moved:
        conn.execute(update(table).where(table.c.day == d).values(dict(zip(columns, v, strict=True))))
    if stray:
        conn.execute(delete(table).where(table.c.day.in_(stray)))
    return len(missing) + len(moved) + len(stray)


def _remember_package(conn: Connection) -> None:
    meta = AppMeta.__table__
    current = conn.execute(select(meta.c.value).where(meta.c.key == PACKAGE_KEY)).scalar()
    if current is None:
        conn.execute(insert(meta).values(key=PACKAGE_KEY, value=_package()))
    elif current != _package():
        conn.execute(update(meta).where(meta.c.key == PACKAGE_KEY).values(value=_package()))


def is_stale(conn: Connection) -> bool:
    """True when the table was filled under another version of the chinese-calendar package."""
    meta = AppMeta.__table__
    return conn.execute(select(meta.c.value).where(meta.c.key == PACKAGE_KEY)).scalar() != _package()
