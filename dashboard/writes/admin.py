"""Writes the administration pages ask for: one transaction each through data_access, audited
with the acting admin (`who`) and the request's address (`source`), then every cache sees the new
version.

Each raises ValueError (auth.AuthError is one) with a Chinese message when refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from dashboard.reads.cache import engine, refresh
from data_access.rules import workdays
from data_access.rules.permissions import Principal
from data_access.store import audit, db
from data_access.write import admin, auth
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue

EXPORT_MAX_ROWS = 50_000


# ------------------------------------------------------------------ users
def create_user(
    who: Principal,
    username: str,
    display_name: str,
    role: str,
    unit_code: str,
    password: str | None,
    *,
    source: str | None,
) -> tuple[Principal, str]:
    """Add a user who must change the password at first login; returns it and the password."""
    with db.write_session(engine()) as s:
        return auth.create_user(
            s,
            username,
            role=role,
            unit_code=unit_code,
            display_name=display_name,
            password=password,
            actor=who,
            source=source,
        )


def reset_password(
    who: Principal, username: str, password: str | None, *, source: str | None, keep_token: str | None
) -> str:
    """Set a new password (a random one when None) that the user must change; returns it. Every
    login of the user ends (an admin resetting their own keeps this one, `keep_token`)."""
    new = password if password else auth.generate_password()
    with db.write_session(engine()) as s:
        auth.set_password(s, username, new, actor=who, source=source, keep_token=keep_token)
    return new


def set_active(who: Principal, username: str, active: bool, *, source: str | None) -> bool:
    """Enable or disable a user; False when it already was."""
    change = auth.enable_user if active else auth.disable_user
    with db.write_session(engine()) as s:
        return change(s, username, actor=who, source=source)


# ------------------------------------------------------------------ units
def add_unit(
    who: Principal,
    code: str,
    name: str,
    level: str,
    parent_code: str | None,
    hotline: str,
    *,
    source: str | None,
) -> None:
    """Add a unit under parent_code (None: top level)."""
    with db.write_session(engine()) as s:
        admin.add_unit(
            s,
            code=code,
            name=name,
            level=level,
            parent_code=parent_code,
            hotline=hotline,
            actor=who,
            source=source,
        )
    refresh()


def update_unit(
    who: Principal, code: str, name: str, profile: Mapping[str, str], *, source: str | None
) -> bool:
    """Rename a unit and set its profile (admin.PROFILE_FIELDS; the public phone among them) in one
    transaction; False when nothing changed."""
    with db.write_session(engine()) as s:
        renamed = admin.rename_unit(s, code, name, actor=who, source=source)
        changed = admin.set_profile(s, code, profile, actor=who, source=source)
    refresh()
    return renamed or changed


def add_level(who: Principal, code: str, label: str, *, source: str | None) -> None:
    """Add an office's own unit level."""
    with db.write_session(engine()) as s:
        admin.add_level(s, code, label, actor=who, source=source)
    refresh()


def rename_level(who: Principal, code: str, label: str, *, source: str | None) -> bool:
    """Rename a unit level (built-in or an office's own); False when unchanged."""
    with db.write_session(engine()) as s:
        renamed = admin.rename_level(s, code, label, actor=who, source=source)
    refresh()
    return renamed


def delete_level(who: Principal, code: str, *, source: str | None) -> str:
    """Delete an office's own unit level that no unit uses; returns its label."""
    with db.write_session(engine()) as s:
        label = admin.delete_level(s, code, actor=who, source=source)
    refresh()
    return label


def move_unit(who: Principal, code: str, parent_code: str | None, *, source: str | None) -> bool:
    """Put a unit under another parent (None: top level)."""
    with db.write_session(engine()) as s:
        moved = admin.move_unit(s, code, parent_code, actor=who, source=source)
    refresh()
    return moved


# ------------------------------------------------------------------ catalogue and targets
def add_category(
    who: Principal,
    parent_code: str | None,
    code: str,
    name: str,
    *,
    unit_code: str | None = None,
    year: int | None = None,
    domain: str | None = None,
    time_limit: str | None = None,
    source: str | None,
) -> None:
    """Add an entry to the unit's catalogue of the year (level one without a parent)."""
    with db.write_session(engine()) as s:
        admin_catalogue.add_category(
            s, parent_code=parent_code, code=code, name=name, unit_code=unit_code, year=year,
            domain=domain, time_limit=time_limit, actor=who, source=source,
        )  # fmt: skip
    refresh()


def rename_category(
    who: Principal,
    code: str,
    name: str,
    *,
    unit_code: str | None = None,
    from_year: int | None = None,
    source: str | None,
) -> bool:
    """Rename a catalogue entry from a year on (without one: correct its name)."""
    with db.write_session(engine()) as s:
        changed = admin_catalogue.rename_category(
            s, code, name, unit_code=unit_code, from_year=from_year, actor=who, source=source
        )
    refresh()
    return changed


def retire_category(who: Principal, code: str, *, unit_code: str, from_year: int, source: str | None) -> bool:
    """Retire a catalogue entry from a year on."""
    with db.write_session(engine()) as s:
        changed = admin_catalogue.retire_category(
            s, code, unit_code=unit_code, from_year=from_year, actor=who, source=source
        )
    refresh()
    return changed


def set_category_domain(
    who: Principal, code: str, domain: str | None, *, unit_code: str, year: int, source: str | None
) -> bool:
    """Map a level-one entry to a standard 领域."""
    with db.write_session(engine()) as s:
        changed = admin_catalogue.set_category_domain(
            s, code, domain, unit_code=unit_code, year=year, actor=who, source=source
        )
    refresh()
    return changed


def create_scheme(who: Principal, unit_code: str, from_year: int, *, copy: str, source: str | None) -> str:
    """Give the unit a catalogue of its own from a year (a copy, or empty); returns its name."""
    with db.write_session(engine()) as s:
        ref = admin_catalogue.create_scheme(s, unit_code, from_year, copy=copy, actor=who, source=source)
    refresh()
    return ref.name


def adopt_parent_catalogue(who: Principal, unit_code: str, from_year: int, *, source: str | None) -> str:
    """From a year on the unit uses its parent's catalogue again; returns that catalogue's name."""
    with db.write_session(engine()) as s:
        used = admin_catalogue.adopt_parent_catalogue(s, unit_code, from_year, actor=who, source=source)
    refresh()
    return used


def import_catalogue(
    who: Principal, unit_code: str, from_year: int, data: bytes, *, source: str | None
) -> int:
    """Make a 标准目录 spreadsheet the unit's catalogue from a year; returns how many entries."""
    with db.write_session(engine()) as s:
        preview = admin_catalogue.import_catalogue(s, unit_code, from_year, data, actor=who, source=source)
    refresh()
    return len(preview.parsed.items)


def save_targets(
    who: Principal,
    unit_code: str,
    year: int,
    values: Mapping[str | None, object],
    loaded: Mapping[str | None, int | None] | None = None,
    *,
    source: str | None,
) -> int:
    """Store a unit's publication targets for a year as edited from the `loaded` versions;
    returns how many changed (refused when someone changed one of them meanwhile)."""
    try:
        with db.write_session(engine()) as s:
            changed = admin_catalogue.save_targets(
                s, unit_code, year, values, loaded=loaded, actor=who, source=source
            )
    finally:
        refresh()  # a refused save, too, must next read what the other admin stored
    return changed


def save_documents_target(
    who: Principal,
    unit_code: str,
    year: int,
    value: object,
    loaded: int | None = None,
    *,
    source: str | None,
) -> bool:
    """Store a unit's 公文类信息主动公开率 target for a year (blank clears it) over the `loaded`
    version; True when it changed (refused when someone changed it meanwhile)."""
    try:
        with db.write_session(engine()) as s:
            return admin_catalogue.save_documents_target(
                s, unit_code, year, value, loaded=loaded, actor=who, source=source
            )
    finally:
        refresh()


# ------------------------------------------------------------------ holidays
def save_year_schedule(
    who: Principal, year: int, rows: list[workdays.DayOverride], *, source: str | None
) -> int:
    """Replace a year's entered holidays and 调休 days."""
    with db.write_session(engine()) as s:
        written = admin_calendar.save_year_schedule(s, year, rows, actor=who, source=source)
    refresh()
    return written


def remove_overrides(who: Principal, days: list[dt.date], *, source: str | None) -> int:
    """Delete entered days (they fall back to the package or the weekend rule)."""
    with db.write_session(engine()) as s:
        removed = admin_calendar.remove_overrides(s, days, actor=who, source=source)
    refresh()
    return removed


# ------------------------------------------------------------------ audit log export
def audit_export(
    who: Principal, action: str | None, username: str | None, *, source: str | None
) -> Callable[[], list[audit.AuditEntry]]:
    """A function that reads the filtered log (at most EXPORT_MAX_ROWS entries) and audits the
    export as 'export_personal'; the caller turns the entries into the workbook.

    Streamlit runs it only when the download button is clicked (on another thread), so who
    and from where are taken now, in the page's run.
    """
    bound = engine()

    def entries() -> list[audit.AuditEntry]:
        with db.write_session(bound) as s:
            found = audit.list_entries(s, EXPORT_MAX_ROWS, 0, action, username)
            shown = "、".join(
                part
                for part in (
                    audit.ACTION_LABELS.get(action, "") if action else "",
                    f"用户 {username}" if username else "",
                )
                if part
            )
            detail = f"导出操作日志 {len(found)} 条（含 IP 地址和用户名）" + (
                f"，筛选：{shown}" if shown else ""
            )
            audit.record(s, "export_personal", user=who, detail=detail, source=source)
        return found

    return entries
