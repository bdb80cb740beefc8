"""Writes the administration pages ask for: one transaction each through data_access, audited
with the logged-in admin and the request's address, then every cache sees the new version.

Each raises ValueError (auth.AuthError is one) with a Chinese message when refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from dashboard import session
from dashboard.reads import cache as resources
from dashboard.widgets import audit_table
from data_access.rules import permissions, workdays
from data_access.store import audit, db
from data_access.write import admin, auth
from data_access.write import calendar as admin_calendar
from data_access.write import catalogue as admin_catalogue

EXPORT_MAX_ROWS = 50_000


def _who() -> tuple[permissions.Principal | None, str | None]:
    return session.current(), session.source()


# ------------------------------------------------------------------ users
def create_user(
    username: str, display_name: str, role: str, unit_code: str, password: str | None
) -> tuple[permissions.Principal, str]:
    """Add a user who must change the password at first login; returns it and the password."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        return auth.create_user(
            s,
            username,
            role=role,
            unit_code=unit_code,
            display_name=display_name,
            password=password,
            actor=actor,
            source=source,
        )


def reset_password(username: str, password: str | None) -> str:
    """Set a new password (a random one when None) that the user must change; returns it. Every
    login of the user ends (an admin resetting their own keeps this one)."""
    actor, source = _who()
    new = password if password else auth.generate_password()
    with db.write_session(resources.engine()) as s:
        auth.set_password(s, username, new, actor=actor, source=source, keep_token=session.token())
    return new


def set_active(username: str, active: bool) -> bool:
    """Enable or disable a user; False when it already was."""
    actor, source = _who()
    change = auth.enable_user if active else auth.disable_user
    with db.write_session(resources.engine()) as s:
        return change(s, username, actor=actor, source=source)


# ------------------------------------------------------------------ units
def add_unit(code: str, name: str, level: str, parent_code: str | None, hotline: str) -> None:
    """Add a unit under parent_code (None: top level)."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        admin.add_unit(
            s,
            code=code,
            name=name,
            level=level,
            parent_code=parent_code,
            hotline=hotline,
            actor=actor,
            source=source,
        )
    resources.refresh()


def update_unit(code: str, name: str, hotline: str) -> bool:
    """Rename a unit and set its hotline in one transaction; False when nothing changed."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        renamed = admin.rename_unit(s, code, name, actor=actor, source=source)
        rerouted = admin.set_hotline(s, code, hotline, actor=actor, source=source)
    resources.refresh()
    return renamed or rerouted


def move_unit(code: str, parent_code: str | None) -> bool:
    """Put a unit under another parent (None: top level)."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        moved = admin.move_unit(s, code, parent_code, actor=actor, source=source)
    resources.refresh()
    return moved


# ------------------------------------------------------------------ catalogue and targets
def add_category(parent_code: str, code: str, name: str) -> None:
    """Add a level-two or level-three catalogue entry."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        admin_catalogue.add_category(
            s, parent_code=parent_code, code=code, name=name, actor=actor, source=source
        )
    resources.refresh()


def rename_category(code: str, name: str) -> bool:
    """Rename a catalogue entry."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        changed = admin_catalogue.rename_category(s, code, name, actor=actor, source=source)
    resources.refresh()
    return changed


def save_targets(
    unit_code: str,
    year: int,
    values: Mapping[str | None, object],
    loaded: Mapping[str | None, int | None] | None = None,
) -> int:
    """Store a unit's publication targets for a year as edited from the `loaded` versions;
    returns how many changed (refused when someone changed one of them meanwhile)."""
    actor, source = _who()
    try:
        with db.write_session(resources.engine()) as s:
            changed = admin_catalogue.save_targets(
                s, unit_code, year, values, loaded=loaded, actor=actor, source=source
            )
    finally:
        resources.refresh()  # a refused save, too, must next read what the other admin stored
    return changed


# ------------------------------------------------------------------ holidays
def save_year_schedule(year: int, rows: list[workdays.DayOverride]) -> int:
    """Replace a year's entered holidays and 调休 days."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        written = admin_calendar.save_year_schedule(s, year, rows, actor=actor, source=source)
    resources.refresh()
    return written


def remove_overrides(days: list[dt.date]) -> int:
    """Delete entered days (they fall back to the package or the weekend rule)."""
    actor, source = _who()
    with db.write_session(resources.engine()) as s:
        removed = admin_calendar.remove_overrides(s, days, actor=actor, source=source)
    resources.refresh()
    return removed


# ------------------------------------------------------------------ audit log export
def audit_export(
    action: str | None,
    username: str | None,
    headers: tuple[str, ...],
    labels: Mapping[str, str],
    title: str,
) -> Callable[[], bytes]:
    """A function that writes the filtered log as .xlsx and audits the export as 'export_personal'.

    Streamlit runs it only when the download button is clicked (on another thread), so who
    and from where are taken now, in the page's run.
    """
    actor, source = _who()
    engine = resources.engine()

    def build() -> bytes:
        with db.write_session(engine) as s:
            entries = audit.list_entries(s, EXPORT_MAX_ROWS, 0, action, username)
            shown = "、".join(
                part
                for part in (
                    audit.ACTION_LABELS.get(action, "") if action else "",
                    f"用户 {username}" if username else "",
                )
                if part
            )
            detail = f"导出操作日志 {len(entries)} 条（含 IP 地址和用户名）" + (
                f"，筛选：{shown}" if shown else ""
            )
            audit.record(s, "export_personal", user=actor, detail=detail, source=source)
        return audit_table.workbook(entries, headers, labels, title)

    return build
