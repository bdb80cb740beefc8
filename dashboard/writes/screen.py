"""The lobby screen's playlist, as staff set it on 大屏设置."""

from __future__ import annotations

from dashboard.reads.cache import engine, refresh
from data_access.read import public
from data_access.rules.permissions import Principal
from data_access.store import db


def save_screen_playlist(who: Principal, unit: str, entries: list[tuple[str, int, bool]]) -> None:
    """Store the lobby screen's playlist for a unit (raises ValueError with a Chinese message)."""
    if not who.can("screen_settings"):
        raise PermissionError("无权访问")
    with db.write_session(engine()) as session:
        public.save_playlist(session, unit, entries)
    refresh()
