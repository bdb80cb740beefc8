"""When 总览 warns the admins about backups (data_access.rules.backups), table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules.backups import WARN_AFTER, age_days, backup_overdue

NOW = dt.datetime(2026, 12, 3, 9, 0, 0)


@pytest.mark.parametrize(
    ("last", "overdue", "days"),
    [
        (None, True, None),
        (NOW, False, 0),
        (NOW - dt.timedelta(hours=7), False, 0),  # last night's backup
        (NOW - dt.timedelta(days=1, hours=7), False, 1),
        (NOW - dt.timedelta(days=2), False, 2),  # exactly two days: not yet
        (NOW - dt.timedelta(days=2, seconds=1), True, 2),
        (NOW - dt.timedelta(days=9), True, 9),
        (NOW + dt.timedelta(minutes=5), False, 0),  # another server's clock a little ahead
    ],
)
def test_backup_overdue_and_age(last, overdue, days):
    assert backup_overdue(last, NOW) is overdue
    if last is not None:
        assert age_days(last, NOW) == days


def test_the_warning_comes_after_two_days():
    assert WARN_AFTER == dt.timedelta(days=2)
    assert backup_overdue(NOW - dt.timedelta(hours=30), NOW, warn_after=dt.timedelta(days=1))
