"""The lobby screen's reads: only public figures (data_access.read.public), and the last good data
kept per unit so the screen goes on showing it when the database cannot be read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import SQLAlchemyError

from dashboard.reads.cache import cached_read, read_session
from data_access import settings
from data_access.read import public

# The last data the screen read successfully, per unit, kept by the server process: when the
# database is unreachable the screen goes on showing it (with its time stamp) instead of an error.
_LAST_GOOD: dict[str, public.ScreenData] = {}


@cached_read(max_entries=32)
def _screen_data(unit: str, today: dt.date) -> public.ScreenData | None:
    with read_session() as session:
        return public.screen_data(session, unit, today)


@cached_read(max_entries=32)
def _playlist(unit: str, known: tuple[str, ...], seconds: int) -> tuple:
    with read_session() as session:
        return public.playlist(session, unit, known, seconds)


def screen_snapshot(unit: str) -> tuple[public.ScreenData | None, bool]:
    """The screen's data and whether it is stale (the database could not be read just now)."""
    try:
        data = _screen_data(unit, dt.date.today())
    except SQLAlchemyError:
        return _LAST_GOOD.get(unit), True
    if data is not None:
        _LAST_GOOD[unit] = data
    return data, False


def screen_playlist(unit: str, known: tuple[str, ...]) -> tuple:
    """The unit's playlist (every known slide when the database cannot be read)."""
    seconds = settings.get_int("SCREEN_SLIDE_SECONDS")
    try:
        return _playlist(unit, known, seconds)
    except SQLAlchemyError:
        return tuple(public.PlaylistEntry(key, seconds) for key in known)


def screen_playlist_for_editing(unit: str, known: tuple[str, ...]) -> list[tuple[str, int, bool]]:
    """The unit's playlist with disabled slides included, for the settings page."""
    seconds = settings.get_int("SCREEN_SLIDE_SECONDS")
    with read_session() as session:
        return public.playlist_for_editing(session, unit, known, seconds)
