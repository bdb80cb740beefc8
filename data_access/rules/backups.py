"""When the admins are warned that the database has not been backed up (pure)."""

from __future__ import annotations

import datetime as dt

# 总览 warns the admins after this long without a recorded backup (the timer runs nightly).
WARN_AFTER = dt.timedelta(days=2)


def backup_overdue(last: dt.datetime | None, now: dt.datetime, warn_after: dt.timedelta = WARN_AFTER) -> bool:
    """True when no backup was ever recorded, or the last one is more than `warn_after` old."""
    return last is None or now - last > warn_after


def age_days(last: dt.datetime, now: dt.datetime) -> int:
    """Whole days since the last backup (0 on the same day's hours; never negative)."""
    return max(0, (now - last) // dt.timedelta(days=1))
