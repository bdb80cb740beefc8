"""节假日安排: a year's holidays and 调休 days as the deadline calendar sees them, and the office's own entries."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_schedule, admin_ui
from dashboard.reads import admin as admin_reads
from dashboard.widgets import admin_tables
from data_access.rules import workdays


def _year() -> int:
    """The year shown (kept in the URL so a link opens the same year)."""
    this = dt.date.today().year
    raw = st.query_params.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else this
    year = int(
        st.columns([1, 4])[0].number_input(
            t("admin.holidays.year"), min_value=2000, max_value=2100, value=year, step=1, key="holiday-year"
        )
    )
    st.query_params["year"] = str(year)
    return year


def render() -> None:
    """Draw the page."""
    st.title(t("admin.holidays.title"))
    st.caption(t("admin.holidays.help"))
    admin_ui.show_flash()
    year = _year()
    calendar = admin_reads.calendar()
    if not calendar.year_is_known(year):
        st.warning(workdays.missing_year_warning(year) + t("admin.holidays.missing_action"))
    entered = sum(1 for d in calendar.overrides if d.year == year)
    if entered:
        st.info(t("admin.holidays.entered", year=year, n=entered))
    elif calendar.year_is_known(year):
        st.info(t("admin.holidays.package_only", year=year))
    weekends = st.toggle(t("admin.holidays.weekends"))
    days = admin_reads.year_days(calendar, year, weekends)
    off = sum(1 for d in days if not d.is_workday)
    st.caption(t("admin.holidays.counts", off=off, work=len(days) - off))
    st.dataframe(
        admin_tables.days(days, t, admin_reads.SOURCE_NAMES), hide_index=True, width="stretch", height=360
    )
    notice, enter, remove = st.tabs(
        [t("admin.holidays.tab_notice"), t("admin.holidays.tab_enter"), t("admin.holidays.tab_remove")]
    )
    with notice:
        admin_schedule.from_notice(year)
    with enter:
        admin_schedule.enter(year, calendar)
    with remove:
        admin_schedule.remove(year, calendar)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
