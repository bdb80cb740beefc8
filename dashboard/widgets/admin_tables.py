"""Tables of the administration pages, built from data_access rows (pure: no Streamlit).

Every value goes into a DataFrame cell, which Streamlit renders as text, so names typed
by users can never become markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from data_access.rules.workdays import DayInfo

if TYPE_CHECKING:  # types only: a widget imports no code that reads or writes
    from data_access.write.admin import UnitRow
    from data_access.write.auth import UserInfo
    from data_access.write.catalogue import CategoryRow

Label = Callable[[str], str]
# The profile fields the unit table shows (write.admin.PROFILE_FIELDS names; types-only import there).
PROFILE_SHOWN = ("full_name", "archive_name", "library_name", "hotline_name", "phone", "signature")


def when(value: dt.datetime | None) -> str:
    """A time to the minute, or — ."""
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def users(rows: Sequence[UserInfo], t: Label, now: dt.datetime) -> pd.DataFrame:
    """Users with role, unit, status, forced change, last login and lock."""
    return pd.DataFrame(
        {
            t("admin.users.username"): [u.username for u in rows],
            t("admin.users.name"): [u.display_name for u in rows],
            t("admin.users.role"): [t(f"admin.role.{u.role}") for u in rows],
            t("admin.users.unit"): [u.unit_name for u in rows],
            t("admin.users.status"): [
                t("admin.users.active" if u.active else "admin.users.inactive") for u in rows
            ],
            t("admin.users.must_change"): [
                t("admin.yes" if u.must_change_password else "admin.no") for u in rows
            ],
            t("admin.users.last_login"): [when(u.last_login_at) for u in rows],
            t("admin.users.locked_until"): [
                when(u.locked_until) if u.locked_until and u.locked_until > now else "—" for u in rows
            ],
        }
    )


def units(rows: Sequence[UnitRow], t: Label) -> pd.DataFrame:
    """The unit tree (any depth): indented name, code, level, parent and the profile as entered
    ("—": empty, the fallback applies)."""
    names = {u.code: u.name for u in rows}
    return pd.DataFrame(
        {
            t("admin.units.name"): ["　" * u.depth + u.name for u in rows],
            t("admin.units.code"): [u.code for u in rows],
            t("admin.units.level"): [u.level_label or u.level for u in rows],
            t("admin.units.parent"): [names.get(u.parent_code, "—") if u.parent_code else "—" for u in rows],
            **{
                t(f"admin.units.profile.{field}"): [u.profile_value(field) or "—" for u in rows]
                for field in PROFILE_SHOWN
            },
        }
    )


def categories(rows: Sequence[CategoryRow], t: Label) -> pd.DataFrame:
    """The catalogue: code, indented name and level."""
    return pd.DataFrame(
        {
            t("admin.catalogue.code"): [c.code for c in rows],
            t("admin.catalogue.name"): ["　" * (c.level - 1) + c.name for c in rows],
            t("admin.catalogue.level"): [t("admin.catalogue.level_n", n=c.level) for c in rows],
        }
    )


def days(rows: Sequence[DayInfo], t: Label, sources: dict[str, str]) -> pd.DataFrame:
    """A year's special days: date, weekday, worked or not, why, and where that came from."""
    weekdays = t("admin.holidays.weekdays").split(",")
    return pd.DataFrame(
        {
            t("admin.holidays.date"): [d.day.isoformat() for d in rows],
            t("admin.holidays.weekday"): [weekdays[d.day.weekday()] for d in rows],
            t("admin.holidays.kind"): [
                t("admin.holidays.work" if d.is_workday else "admin.holidays.off") for d in rows
            ],
            t("admin.holidays.reason"): [
                d.reason if not d.holiday or d.holiday == d.reason else f"{d.reason}（{d.holiday}）"
                for d in rows
            ],
            t("admin.holidays.source"): [sources.get(d.source, d.source) for d in rows],
        }
    )
