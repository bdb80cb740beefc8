"""The only module that touches Streamlit's caches: one engine per URL, cached aggregates.

Every cached query takes the database's data version as an argument, so an upload
(which bumps the version) shows on every page and every replica within
CACHE_TTL_SECONDS, without a long time-to-live. Only aggregates are cached, never raw tables.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from data_access import settings
from data_access.read import kpis, public
from data_access.store import db, reference


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


def engine() -> Engine:
    """The engine for the configured database."""
    return _engine(settings.database_url())


# url → (monotonic time read, data version). A plain dict rather than st.cache_data: a page asks
# for the version once per cached figure (8 times a rerun on the overview), and hashing the
# arguments of a cached call costs more than the answer.
_VERSIONS: dict[str, tuple[float, int]] = {}
# URLs whose schema was found initialised: it does not become uninitialised while the app runs.
_READY: set[str] = set()


def data_version() -> int:
    """The database's data version, re-read at most every CACHE_TTL_SECONDS."""
    url = settings.database_url()
    now = time.monotonic()
    seen = _VERSIONS.get(url)
    if seen is not None and now - seen[0] < settings.get_int("CACHE_TTL_SECONDS"):
        return seen[1]
    with db.read_session(_engine(url)) as session:
        version = db.data_version(session)
    _VERSIONS[url] = (now, version)
    return version


def database_reachable() -> bool:
    """Whether the database answers a read right now (not cached)."""
    try:
        with db.read_session(engine()) as session:
            db.data_version(session)
    except SQLAlchemyError:
        return False
    return True


def schema_ready() -> bool:
    """True when the database has been initialised (`python -m data_access init`)."""
    url = settings.database_url()
    if url not in _READY and db.has_table(_engine(url), "app_meta"):
        _READY.add(url)
    return url in _READY


@st.cache_data(show_spinner=False, max_entries=64)
def _units(url: str, version: int) -> list[tuple[str, str, int]]:
    with db.read_session(_engine(url)) as session:
        return reference.list_units(session)


def units() -> list[tuple[str, str, int]]:
    """All units as (code, name, depth) in hierarchy order."""
    return _units(settings.database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _unit_scope(url: str, version: int, unit: str) -> list[str]:
    with db.read_session(_engine(url)) as session:
        return reference.scope_codes(session, unit)


def unit_scope(unit: str) -> list[str]:
    """Codes of the unit and every unit under it (what a user of that unit may see)."""
    return _unit_scope(settings.database_url(), data_version(), unit)


@st.cache_data(show_spinner=False, max_entries=256)
def _years(url: str, version: int, unit: str) -> list[int]:
    with db.read_session(_engine(url)) as session:
        return kpis.years_with_data(session, unit)


def years(unit: str) -> list[int]:
    """Years with data for the unit, newest first."""
    return _years(settings.database_url(), data_version(), unit)


@st.cache_data(show_spinner=False, max_entries=256)
def _kpis(url: str, version: int, unit: str, year: int, month: int | None) -> dict | None:
    with db.read_session(_engine(url)) as session:
        try:
            return kpis.compute(session, year, month, unit)
        except kpis.KpiError:
            return None


def year_kpis(unit: str, year: int, month: int | None = None) -> dict | None:
    """The unit's key figures for the year (None when the year has no data)."""
    return _kpis(settings.database_url(), data_version(), unit, year, month)


# --------------------------------------------------------------------------- the lobby screen
# The last data the screen read successfully, per unit, kept by the server process: when the
# database is unreachable the screen goes on showing it (with its time stamp) instead of an error.
_LAST_GOOD: dict[str, public.ScreenData] = {}


@st.cache_data(show_spinner=False, max_entries=32)
def _screen_data(url: str, version: int, unit: str, today: dt.date) -> public.ScreenData | None:
    with db.read_session(_engine(url)) as session:
        return public.screen_data(session, unit, today)


@st.cache_data(show_spinner=False, max_entries=32)
def _playlist(url: str, version: int, unit: str, known: tuple[str, ...], seconds: int) -> tuple:
    with db.read_session(_engine(url)) as session:
        return public.playlist(session, unit, known, seconds)


def screen_snapshot(unit: str) -> tuple[public.ScreenData | None, bool]:
    """The screen's data and whether it is stale (the database could not be read just now)."""
    try:
        data = _screen_data(settings.database_url(), data_version(), unit, dt.date.today())
    except SQLAlchemyError:
        return _LAST_GOOD.get(unit), True
    if data is not None:
        _LAST_GOOD[unit] = data
    return data, False


def screen_playlist(unit: str, known: tuple[str, ...]) -> tuple:
    """The unit's playlist (every known slide when the database cannot be read)."""
    seconds = settings.get_int("SCREEN_SLIDE_SECONDS")
    try:
        return _playlist(settings.database_url(), data_version(), unit, known, seconds)
    except SQLAlchemyError:
        return tuple(public.PlaylistEntry(key, seconds) for key in known)


def refresh() -> None:
    """Forget the cached data version so this process sees a write at once (others within the TTL)."""
    _VERSIONS.clear()


def screen_playlist_for_editing(unit: str, known: tuple[str, ...]) -> list[tuple[str, int, bool]]:
    """The unit's playlist with disabled slides included, for the settings page."""
    seconds = settings.get_int("SCREEN_SLIDE_SECONDS")
    with db.read_session(engine()) as session:
        return public.playlist_for_editing(session, unit, known, seconds)


@st.cache_data(show_spinner=False, max_entries=256)
def category_chart_spec(counts: tuple[tuple[str, int], ...], labels: tuple[str, str, str, str]) -> dict:
    """The overview's category chart as a Vega-Lite spec (title, category, count, share labels):
    built and validated once per set of figures, not on every rerun (a revisit then costs a
    dict copy instead of ~30 ms of Altair)."""
    from dashboard.widgets import charts

    title, category, count, share = labels
    return charts.category_bar(
        dict(counts), title=title, category=category, count=count, share=share
    ).to_dict(validate=False)


@st.cache_data(show_spinner=False, max_entries=512)
def chart_spec(builder: str, frame: pd.DataFrame, **options: Any) -> dict:
    """dashboard.widgets.charts_pages.<builder>(frame, **options) as a Vega-Lite spec, built once
    per set of figures and labels (st.cache_data hashes the small aggregated frame) instead of on
    every rerun: building an Altair chart and checking it against the schema costs 30–60 ms."""
    from dashboard.widgets import charts_pages

    return getattr(charts_pages, builder)(frame, **options).to_dict(validate=False)
