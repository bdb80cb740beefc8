"""Unit and year pickers whose choice lives in the URL, so a link reproduces the view."""

from __future__ import annotations

import streamlit as st

from dashboard import resources, session
from dashboard.i18n import t
from data_access import settings


def _from_query(name: str, options: list, default):  # type: ignore[no-untyped-def]
    raw = st.query_params.get(name)
    for option in options:
        if str(option) == raw:
            return option
    return default


def unit_picker() -> str | None:
    """Pick one of the units the logged-in user may see (their unit and those under it).

    Default: DEFAULT_UNIT when it is in scope, else the user's own unit. None when there is none.
    """
    principal = session.current()
    units = resources.units()
    if principal is not None:
        scope = set(resources.unit_scope(principal.unit_code))
        units = [u for u in units if u[0] in scope]
    if not units:
        return None
    codes = [code for code, _name, _depth in units]
    top = min(depth for _c, _n, depth in units)
    labels = {code: "　" * (depth - top) + name for code, name, depth in units}
    preferred = settings.get("DEFAULT_UNIT")
    default = preferred if preferred in codes else codes[0]
    chosen = st.sidebar.selectbox(
        t("filter.unit"),
        codes,
        index=codes.index(_from_query("unit", codes, default)),
        format_func=labels.get,
    )
    st.query_params["unit"] = chosen
    return chosen


def year_picker(unit: str) -> int | None:
    """Pick one of the unit's years with data (default: the newest); None when it has none."""
    years = resources.years(unit)
    if not years:
        return None
    chosen = st.sidebar.selectbox(
        t("filter.year"), years, index=years.index(_from_query("year", years, years[0]))
    )
    st.query_params["year"] = str(chosen)
    return chosen


def unit_and_year() -> tuple[str, str, int] | None:
    """The unit picker then the year picker; (code, name, year), or None after saying what is missing."""
    unit = unit_picker()
    if unit is None:
        st.info(t("overview.empty"))
        return None
    unit_name = dict((c, n) for c, n, _d in resources.units())[unit]
    year = year_picker(unit)
    if year is None:
        st.info(t("overview2.common.no_year", unit=unit_name))
        return None
    return unit, unit_name, year
