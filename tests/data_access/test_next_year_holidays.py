"""When 总览 asks an admin for next year's holiday schedule: from 1 November, while nobody has entered
it (chinese-calendar knows only the years of its release)."""

from __future__ import annotations

import datetime as dt

import pytest

from data_access.rules.workdays import Calendar, DayOverride, next_year_missing

ENTERED_2031 = Calendar([DayOverride(dt.date(2031, 1, 1), False, "元旦")])


@pytest.mark.parametrize(
    ("today", "calendar", "expected"),
    [
        (dt.date(2030, 10, 31), Calendar(), None),  # October: not yet
        (dt.date(2030, 11, 1), Calendar(), 2031),  # from 1 November
        (dt.date(2030, 12, 31), Calendar(), 2031),
        (dt.date(2030, 11, 1), ENTERED_2031, None),  # one day of 2031 entered: the year counts as entered
        (dt.date(2025, 11, 20), Calendar(), None),  # chinese-calendar knows 2026
        (dt.date(2026, 11, 1), Calendar(), 2027),  # …and not 2027
        (dt.date(2031, 1, 5), Calendar(), None),  # January: the year itself is the warning elsewhere
    ],
)
def test_next_year_missing(today: dt.date, calendar: Calendar, expected: int | None) -> None:
    assert next_year_missing(today, calendar) == expected
