"""The 节假日安排 page's two editors: enter or import a year's schedule, delete entered days."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.writes import admin as admin_writes
from data_access.rules import holiday_notice, workdays
from data_access.write import calendar as admin_calendar


def _load_package(year: int, key: str) -> None:
    """Button callback: put chinese-calendar's schedule for the year into the text box."""
    try:
        st.session_state[key] = admin_calendar.schedule_text(workdays.package_schedule(year))
    except ValueError as exc:
        st.session_state[f"{key}-error"] = str(exc)


def _decode(raw: bytes) -> str:
    """A text file as saved by Notepad or WPS: UTF-8 (with or without BOM) or GB18030."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def enter(year: int, calendar: workdays.Calendar) -> None:
    """Type, paste, upload or start from the package's schedule; saving replaces the year's entered days."""
    key = f"schedule-text-{year}"
    if key not in st.session_state:
        entered = [o for d, o in sorted(calendar.overrides.items()) if d.year == year]
        st.session_state[key] = admin_calendar.schedule_text(entered)
    st.caption(t("admin.holidays.format"))
    st.button(t("admin.holidays.from_package", year=year), on_click=_load_package, args=(year, key))
    if problem := st.session_state.pop(f"{key}-error", None):
        st.error(problem)
    uploaded = st.file_uploader(t("admin.holidays.upload"), type=["txt", "csv"], key=f"schedule-file-{year}")
    if uploaded is not None and st.session_state.get(f"{key}-file") != uploaded.file_id:
        # A newly chosen file fills the box, so it can be checked before saving.
        st.session_state[f"{key}-file"] = uploaded.file_id
        st.session_state[key] = _decode(uploaded.getvalue())
    text = st.text_area(
        t("admin.holidays.lines"), key=key, height=260, placeholder=t("admin.holidays.example")
    )
    st.caption(t("admin.holidays.replace_warning", year=year))
    if not st.button(t("admin.holidays.save", year=year), type="primary"):
        return
    try:
        rows = workdays.parse_schedule(text)
    except ValueError as exc:
        st.error(str(exc))
        return
    admin_ui.attempt(
        admin_writes.save_year_schedule, year, rows, done=lambda n: t("admin.holidays.saved", year=year, n=n)
    )


def remove(year: int, calendar: workdays.Calendar) -> None:
    """Pick entered days of the year and delete them."""
    entered = {d: o for d, o in sorted(calendar.overrides.items()) if d.year == year}
    if not entered:
        st.info(t("admin.holidays.none_entered", year=year))
        return

    def label(day: dt.date) -> str:
        o = entered[day]
        kind = t("admin.holidays.work" if o.is_workday else "admin.holidays.off")
        return f"{day.isoformat()} {kind} {o.name or ''}".rstrip()

    chosen = st.multiselect(t("admin.holidays.pick"), list(entered), format_func=label, key=f"remove-{year}")
    st.caption(t("admin.holidays.remove_help"))
    if st.button(t("admin.holidays.remove"), disabled=not chosen):
        st.session_state.pop(f"schedule-text-{year}", None)  # the text box re-reads the entered days
        admin_ui.attempt(
            admin_writes.remove_overrides, chosen, done=lambda n: t("admin.holidays.removed", n=n)
        )


def _notice_table(days: tuple[workdays.DayOverride, ...]) -> pd.DataFrame:
    """The parsed days, one row each: date, weekday, 休/班, the holiday."""
    names = t("admin.holidays.weekdays").split(",")
    return pd.DataFrame(
        {
            t("admin.holidays.date"): [d.day.isoformat() for d in days],
            t("admin.holidays.weekday"): [names[d.day.weekday()] for d in days],
            t("admin.holidays.kind"): [
                t("admin.holidays.work" if d.is_workday else "admin.holidays.off") for d in days
            ],
            t("admin.holidays.reason"): [d.name or "" for d in days],
        },
        dtype="string",
    )


def from_notice(year: int) -> None:
    """Paste the State Council notice's lines; the parsed days are shown for confirmation before saving."""
    key = f"notice-{year}"
    st.caption(t("admin.holidays.notice.help", year=year))
    text = st.text_area(
        t("admin.holidays.notice.lines"),
        key=f"{key}-text",
        height=220,
        placeholder=t("admin.holidays.notice.example"),
    )
    if st.button(t("admin.holidays.notice.parse"), key=f"{key}-parse"):
        try:
            st.session_state[key] = holiday_notice.parse_notice(text, year)
        except holiday_notice.NoticeError as exc:
            st.session_state.pop(key, None)
            st.error(str(exc))
    parsed: holiday_notice.NoticeSchedule | None = st.session_state.get(key)
    if parsed is None:
        return
    days = parsed.in_year(year)
    if not days:
        st.error(t("admin.holidays.notice.none", year=year))
        return
    off = sum(1 for d in days if not d.is_workday)
    st.markdown(t("admin.holidays.notice.check", year=year, off=off, work=len(days) - off))
    st.dataframe(_notice_table(days), hide_index=True, width="stretch")
    other = [d for d in parsed.days if d.day.year != year]
    if other:
        st.caption(
            t("admin.holidays.notice.other_year", days="、".join(f"{d.day.isoformat()}" for d in other))
        )
    if parsed.ignored:
        st.caption(t("admin.holidays.notice.ignored", lines=" / ".join(parsed.ignored)))
    st.caption(t("admin.holidays.replace_warning", year=year))
    if st.button(t("admin.holidays.notice.confirm", year=year), type="primary", key=f"{key}-save"):
        st.session_state.pop(key, None)
        st.session_state.pop(f"schedule-text-{year}", None)  # the line editor re-reads the entered days
        admin_ui.attempt(
            admin_writes.save_year_schedule,
            year,
            list(days),
            done=lambda n: t("admin.holidays.saved", year=year, n=n),
        )
