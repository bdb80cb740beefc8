"""Cached reads of the upload and 逐条登记 pages, each keyed by the data version (small results only)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.reads import cache as resources
from data_access import settings
from data_access.rules.deadlines import Deadline, DeadlineError
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write import importing, records


@st.cache_data(show_spinner=False, max_entries=64)
def _units(url: str, version: int, principal: Principal) -> list[tuple[str, str, int]]:
    with db.read_session(resources.engine()) as session:
        return records.units_in_scope(session, principal)


def units_for(principal: Principal) -> list[tuple[str, str, int]]:
    """The user's unit and those under it, as (code, name, depth)."""
    return _units(settings.database_url(), resources.data_version(), principal)


@st.cache_data(show_spinner=False, max_entries=64)
def _history(url: str, version: int, unit: str, limit: int) -> list[importing.BatchInfo]:
    return importing.history(resources.engine(), unit, None, limit)


def upload_history(unit: str, limit: int = 100) -> list[importing.BatchInfo]:
    """The unit's uploads and saved forms, newest first."""
    return _history(settings.database_url(), resources.data_version(), unit, limit)


@st.cache_data(show_spinner=False, max_entries=64)
def _requests(url: str, version: int, unit: str, today: dt.date) -> list[records.RequestRow]:
    with db.read_session(resources.engine()) as session:
        return records.list_requests(session, unit, today)


def unit_requests(unit: str) -> list[records.RequestRow]:
    """The unit's requests (unanswered first) with their due dates as of today."""
    return _requests(settings.database_url(), resources.data_version(), unit, dt.date.today())


@st.cache_data(show_spinner=False, max_entries=256)
def _deadline(
    url: str, version: int, received: dt.date, channel: str | None, pauses: tuple, extension: int
) -> Deadline | str:
    with db.read_session(resources.engine()) as session:
        try:
            return records.deadline_preview(session, received, channel, pauses, extension)
        except DeadlineError as exc:
            return str(exc)


def deadline(
    received: dt.date, channel: str | None, pauses: tuple = (), extension: int = 0
) -> Deadline | str:
    """The statutory due date for these facts, or the Chinese reason it cannot be worked out."""
    return _deadline(settings.database_url(), resources.data_version(), received, channel, pauses, extension)


@st.cache_data(show_spinner=False, max_entries=64)
def _delivery(url: str, version: int, unit: str, ym: int, recipient: str) -> records.DeliveryRow | None:
    with db.read_session(resources.engine()) as session:
        return records.find_delivery(session, unit, ym, recipient)


def delivery(unit: str, ym: int, recipient: str) -> records.DeliveryRow | None:
    """The unit's registered delivery of a month to a recipient, with its stamp (None: none yet)."""
    return _delivery(settings.database_url(), resources.data_version(), unit, ym, recipient)


@st.cache_data(show_spinner=False, max_entries=64)
def _boards(url: str, version: int, unit: str) -> list[str]:
    with db.read_session(resources.engine()) as session:
        return records.board_names(session, unit)


def board_names(unit: str) -> list[str]:
    """The unit's bulletin boards."""
    return _boards(settings.database_url(), resources.data_version(), unit)


@st.cache_data(show_spinner=False, max_entries=8)
def template(kind: str) -> bytes:
    """A kind's blank template (.xlsx)."""
    return importing.template(kind)
