"""Each day's publication due date — the 20th working day after it — stored as a table, so that
the running counts (data_access.tally, dim 'pl') judge each item's timeliness inside the
database and the timeliness figures of a whole city read a few hundred tally rows instead of
every item of the year.

The table covers FIRST..LAST; the counts mark an item formed outside that range '?' and its
readers judge such items in Python (data_access.queries.publications.timeliness_by).
`refresh` recomputes the table from the current calendar (package + overrides) and, when a
due date moved, recounts dim 'pl' — in the caller's transaction. Every calendar write calls
it (data_access.workdays), and so do migration 0005 and `python -m data_access init` (after
an upgrade of the chinese-calendar package).
"""

from __future__ import annotations

import datetime as dt
from importlib.metadata import version

from sqlalchemy import Connection, delete, insert, select, update

from data_access.duties import PUBLICATION_LIMIT_WORKDAYS
from data_access.models import AppMeta, PublicationDue, WorkdayOverride
from data_access.workdays import Calendar, DayOverride

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


def _package() -> str:
    return version("chinese-calendar")


def refresh(conn: Connection) -> int:
    """Bring the table in line with the current calendar; return how many days' due dates moved."""
    from data_access import tally  # tally's triggers read this module's table

    overrides = [
        DayOverride(day, bool(working), name)
        for day, working, name in conn.execute(
            select(WorkdayOverride.day, WorkdayOverride.is_workday, WorkdayOverride.name)
        )
    ]
    wanted = expected(Calendar(overrides))
    stored = dict(conn.execute(select(PublicationDue.day, PublicationDue.due)).all())
    table = PublicationDue.__table__
    missing = [{"day": d, "due": due} for d, due in wanted.items() if d not in stored]
    moved = [(d, due) for d, due in wanted.items() if d in stored and stored[d] != due]
    stray = [d for d in stored if d not in wanted]
    for start in range(0, len(missing), 5000):
        conn.execute(insert(table), missing[start : start + 5000])
    for d, due in moved:
        conn.execute(update(table).where(table.c.day == d).values(due=due))
    if stray:
        conn.execute(delete(table).where(table.c.day.in_(stray)))
    _remember_package(conn)
    changed = len(missing) + len(moved) + len(stray)
    if changed:
        tally.recount(conn, ("pl",))
    return changed


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
