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
    from data_access.write.catalogue.file import CatalogueDiff

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
    """The catalogue as it reads in a year: code, indented name, level, 领域, 公开时限 and its rule,
    and whether the entry is in force that year."""
    return pd.DataFrame(
        {
            t("admin.catalogue.code"): [c.code for c in rows],
            t("admin.catalogue.name"): ["　" * (c.level - 1) + c.name for c in rows],
            t("admin.catalogue.level"): [t("admin.catalogue.level_n", n=c.level) for c in rows],
            t("admin.catalogue.domain"): [c.domain or "" for c in rows],
            t("admin.catalogue.time_limit"): [c.time_limit or "" for c in rows],
            t("admin.catalogue.limit"): [c.limit for c in rows],
            t("admin.catalogue.status"): [
                t("admin.catalogue.status.active") if c.in_force else t("admin.catalogue.status.retired")
                for c in rows
            ],
        }
    )


def catalogue_diff(diff: CatalogueDiff, t: Label) -> pd.DataFrame:
    """What an import changes, one line per entry: 新增, 停用, 更名 (old → new), 内容变化."""
    lines = [
        *((t("admin.catalogue.diff.added"), path) for path in diff.added),
        *((t("admin.catalogue.diff.removed"), path) for path in diff.removed),
        *((t("admin.catalogue.diff.renamed"), f"{old} → {new}") for old, new in diff.renamed),
        *((t("admin.catalogue.diff.changed"), path) for path in diff.changed),
    ]
    if not lines:
        lines = [(t("admin.catalogue.diff.none"), "")]
    lines.append((t("admin.catalogue.diff.unchanged"), str(diff.unchanged)))
    return pd.DataFrame(lines, columns=[t("admin.catalogue.diff.change"), t("admin.catalogue.diff.entry")])


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
