"""Reads for the administration pages.

Units, the catalogue, targets and the holiday overrides are small and change only through
writes that bump the data version, so they are cached by it. Users and the audit log are
read fresh every time (a login changes them without bumping the version), the log one page
at a time with LIMIT/OFFSET in SQL.
"""

from __future__ import annotations

import streamlit as st

from dashboard.reads import cache as resources
from data_access import settings
from data_access.rules import workdays
from data_access.store import audit, db, holidays
from data_access.write import admin, auth
from data_access.write import catalogue as admin_catalogue


@st.cache_data(show_spinner=False, max_entries=16)
def _unit_rows(url: str, version: int) -> list[admin.UnitRow]:
    with db.read_session(resources.engine()) as session:
        return admin.list_unit_rows(session)


def unit_rows() -> list[admin.UnitRow]:
    """Every unit in hierarchy order, with level, parent and hotline."""
    return _unit_rows(settings.database_url(), resources.data_version())


@st.cache_data(show_spinner=False, max_entries=16)
def _categories(url: str, version: int) -> list[admin_catalogue.CategoryRow]:
    with db.read_session(resources.engine()) as session:
        return admin_catalogue.list_category_rows(session)


def categories() -> list[admin_catalogue.CategoryRow]:
    """The three-level catalogue in tree order."""
    return _categories(settings.database_url(), resources.data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _targets(url: str, version: int, unit: str, year: int) -> list[admin_catalogue.TargetRow]:
    with db.read_session(resources.engine()) as session:
        return admin_catalogue.list_targets(session, unit, year)


def targets(unit: str, year: int) -> list[admin_catalogue.TargetRow]:
    """A unit's publication targets for a year: the total, then each level-one category."""
    return _targets(settings.database_url(), resources.data_version(), unit, year)


@st.cache_data(show_spinner=False, max_entries=16)
def _overrides(url: str, version: int) -> tuple[workdays.DayOverride, ...]:
    with db.read_session(resources.engine()) as session:
        return tuple(holidays.load_overrides(session))


def calendar() -> workdays.Calendar:
    """The working-day calendar as every deadline sees it (package plus the entered days)."""
    return workdays.Calendar(_overrides(settings.database_url(), resources.data_version()))


def users() -> list[auth.UserInfo]:
    """Every user (read fresh: logins and locks change without a data-version bump)."""
    with db.read_session(resources.engine()) as session:
        return auth.list_users(session)


def audit_count(action: str | None, username: str | None) -> int:
    """How many audit entries match the filter."""
    with db.read_session(resources.engine()) as session:
        return audit.count_entries(session, action, username)


def audit_entries(
    action: str | None, username: str | None, limit: int, offset: int
) -> list[audit.AuditEntry]:
    """One page of the audit log, newest first (LIMIT/OFFSET in SQL)."""
    with db.read_session(resources.engine()) as session:
        return audit.list_entries(session, limit, offset, action, username)
