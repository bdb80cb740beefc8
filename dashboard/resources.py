"""The only module that touches Streamlit's caches: one engine per URL, cached aggregates.

Every cached query takes the database's data version as an argument, so an upload
(which bumps the version) shows on every page and every replica within
CACHE_TTL_SECONDS, without a long time-to-live. Only aggregates are cached, never raw tables.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from data_access import db, kpis, reference, settings


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


def engine() -> Engine:
    """The engine for the configured database."""
    return _engine(settings.database_url())


@st.cache_data(ttl=settings.get_int("CACHE_TTL_SECONDS"), show_spinner=False)
def _data_version(url: str) -> int:
    with db.read_session(_engine(url)) as session:
        return db.data_version(session)


def data_version() -> int:
    """The database's data version, re-read at most every CACHE_TTL_SECONDS."""
    return _data_version(settings.database_url())


def schema_ready() -> bool:
    """True when the database has been initialised (`python -m data_access init`)."""
    return db.has_table(engine(), "app_meta")


@st.cache_data(show_spinner=False, max_entries=64)
def _units(url: str, version: int) -> list[tuple[str, str, int]]:
    with db.read_session(_engine(url)) as session:
        return reference.list_units(session)


def units() -> list[tuple[str, str, int]]:
    """All units as (code, name, depth) in hierarchy order."""
    return _units(settings.database_url(), data_version())


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
