"""Reads for the administration pages.

Units, the catalogue, targets and the holiday overrides are small and change only through
writes that bump the data version, so they are cached by it. Users and the audit log are
read fresh every time (a login changes them without bumping the version), the log one page
at a time with LIMIT/OFFSET in SQL.
"""

from __future__ import annotations

import dataclasses

from dashboard.reads.cache import cached_read, read_session
from data_access.rules import audit_text, workdays
from data_access.store import audit, backup, holidays, reference
from data_access.write import admin, auth, importing
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue

# Named here for the pages, which import data_access only for rules/ and settings.
ACTIONS = audit.ACTIONS
local_now = audit.local_now
normalize_username = auth.normalize_username
SOURCE_NAMES = admin_calendar.SOURCE_NAMES
year_days = admin_calendar.year_days


PROFILE_FIELDS = admin.PROFILE_FIELDS


@cached_read(max_entries=16)
def unit_rows() -> list[admin.UnitRow]:
    """Every unit in tree order (any depth), with level, parent and profile as entered."""
    with read_session() as session:
        return admin.list_unit_rows(session)


@cached_read(max_entries=16)
def unit_levels() -> dict[str, str]:
    """Every unit level, code → label, from the top down."""
    with read_session() as session:
        return reference.unit_levels(session)


@cached_read(max_entries=64)
def unit_profile(code: str) -> reference.UnitProfile | None:
    """A unit's profile as its reports print it (fallbacks filled in); None for an unknown unit."""
    with read_session() as session:
        unit = reference.unit_by_code(session, code)
        return reference.unit_profile(session, unit) if unit is not None else None


@cached_read(max_entries=64)
def catalogue_view(unit: str, year: int) -> admin_catalogue.CatalogueView:
    """The catalogue a unit uses in a year (own, inherited or the default) with its entries that year."""
    with read_session() as session:
        return admin_catalogue.catalogue_view(session, unit, year)


def catalogue_preview(unit: str, year: int, data: bytes) -> admin_catalogue.CataloguePreview:
    """What importing the file as the unit's catalogue from the year would change (nothing written;
    not cached: each file is read once)."""
    with read_session() as session:
        return admin_catalogue.preview_catalogue_import(session, unit, year, data)


def preview_rename(unit: str, year: int, code: str, name: str) -> list[tuple[str, str, str]]:
    """The spans of years whose name a rename from the year would change: (years, before, after)."""
    with read_session() as session:
        return admin_catalogue.preview_rename(session, code, name, unit_code=unit, from_year=year)


def catalogue_export(unit: str, year: int) -> bytes:
    """The unit's catalogue for the year as a 标准目录 spreadsheet."""
    with read_session() as session:
        return admin_catalogue.export_catalogue(session, unit, year)


@cached_read(max_entries=64)
def targets(unit: str, year: int) -> list[admin_catalogue.TargetRow]:
    """A unit's publication targets for a year: the total, then each level-one category."""
    with read_session() as session:
        return admin_catalogue.list_targets(session, unit, year)


@cached_read(max_entries=16)
def _overrides() -> tuple[workdays.DayOverride, ...]:
    with read_session() as session:
        return tuple(holidays.load_overrides(session))


def calendar() -> workdays.Calendar:
    """The working-day calendar as every deadline sees it (package plus the entered days)."""
    return workdays.Calendar(_overrides())


def users() -> list[auth.UserInfo]:
    """Every user (read fresh: logins and locks change without a data-version bump)."""
    with read_session() as session:
        return auth.list_users(session)


def audit_count(action: str | None, username: str | None) -> int:
    """How many audit entries match the filter."""
    with read_session() as session:
        return audit.count_entries(session, action, username)


def audit_entries(
    action: str | None, username: str | None, limit: int, offset: int
) -> list[audit.AuditEntry]:
    """One page of the audit log, newest first (LIMIT/OFFSET in SQL); uploads, forms and undos
    with their detail as a sentence, not the JSON stored."""
    with read_session() as session:
        entries = audit.list_entries(session, limit, offset, action, username)
    return [
        dataclasses.replace(e, detail=audit_text.describe(e.action, e.detail, KIND_NAMES)) for e in entries
    ]


# What the audit sentences call each kind of data.
KIND_NAMES = {
    **{k: importing.SPECS[k].title for k in importing.KINDS},
    "interpretations": "政策解读",
    "hotline": "热线值班接听",
    "seed": "演示数据",
}


def last_backup_at():  # type: ignore[no-untyped-def]
    """When the last database backup was recorded (read fresh: a backup bumps no data version)."""
    with read_session() as session:
        return backup.last_backup_at(session)
