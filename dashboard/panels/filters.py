"""Unit, year and month pickers whose choice lives in the URL, so a link reproduces the view.

Streamlit clears the query string when the menu opens another page, so each choice is also kept
for the browser session: a page opened without ?unit=&year=&month= starts from the unit, year
and month last chosen on any page (and writes them back into its URL). The URL always wins.
"""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.panels.empty import empty_state, no_units
from dashboard.reads import figures
from dashboard.widgets.attention import plain
from data_access import settings

NARROW_ONLY = "narrowonly-"  # a container keyed with this prefix shows only on a narrow screen
MEMORY = "filters"  # session_state key: {"unit": code, "year": "2018", "month": "10"}


def remembered(name: str) -> str | None:
    """The filter's value from the URL, else the one last chosen in this browser session."""
    raw = st.query_params.get(name)
    return raw if raw is not None else st.session_state.get(MEMORY, {}).get(name)


def keep(name: str, value: object | None) -> None:
    """Put the choice into the URL and remember it for the other pages (None: no choice)."""
    memory = st.session_state.setdefault(MEMORY, {})
    if value is None:
        st.query_params.pop(name, None)
        memory.pop(name, None)
    else:
        st.query_params[name] = str(value)
        memory[name] = str(value)


def forget(name: str) -> None:
    """Stop carrying the filter to other pages (the URL keeps it)."""
    st.session_state.get(MEMORY, {}).pop(name, None)


def pick(name: str, label: str, options: list, current, format_func=str):  # type: ignore[no-untyped-def]
    """A picker in the sidebar and the same picker at the top of the page, shown only on a narrow
    screen (a phone, where the sidebar is folded away; the style sheet in dashboard/chrome.py shows
    one or the other). Both show `current`; a choice in either goes into the URL (and the memory)
    before the page reruns, so the page draws the chosen view. Returns `current`."""
    keys = (f"pick-{name}", f"pick-{name}-top")

    def chosen(key: str) -> None:
        keep(name, st.session_state.get(key))

    for key in keys:
        st.session_state[key] = current
    # A select box whose value is None shows its placeholder (Streamlit's own is English): where None
    # is an option (全年), the placeholder is that option's own text.
    empty = format_func(None) if None in options else None
    st.sidebar.selectbox(
        label,
        options,
        key=keys[0],
        format_func=format_func,
        on_change=chosen,
        args=(keys[0],),
        placeholder=empty,
    )
    with st.container(key=f"{NARROW_ONLY}{name}"):
        st.selectbox(label, options, key=keys[1], format_func=format_func, on_change=chosen, args=(keys[1],),
                     placeholder=empty)  # fmt: skip
    return current


def _from_query(name: str, options: list, default):  # type: ignore[no-untyped-def]
    raw = remembered(name)
    for option in options:
        if str(option) == raw:
            return option
    return default


def unit_picker() -> str | None:
    """Pick one of the units the logged-in user may see (their unit and those under it).

    Default: the user's own unit (a city leader sees the city's roll-up first), else DEFAULT_UNIT,
    else the first. None when there is none.
    """
    principal = session.current()
    units = figures.units()
    if principal is not None:
        scope = set(figures.unit_scope(principal.unit_code))
        units = [u for u in units if u[0] in scope]
    if not units:
        return None
    codes = [code for code, _name, _depth in units]
    top = min(depth for _c, _n, depth in units)
    labels = {code: "　" * (depth - top) + name for code, name, depth in units}
    own = principal.unit_code if principal is not None else None
    preferred = settings.get("DEFAULT_UNIT")
    default = own if own in codes else preferred if preferred in codes else codes[0]
    chosen = pick("unit", t("filter.unit"), codes, _from_query("unit", codes, default), labels.get)
    keep("unit", chosen)
    return chosen


def year_picker(unit: str) -> int | None:
    """Pick one of the unit's years with data (default: the newest); None when it has none."""
    years = figures.years(unit)
    if not years:
        return None
    chosen = pick("year", t("filter.year"), years, _from_query("year", years, years[0]))
    keep("year", chosen)
    return chosen


def unit_and_year() -> tuple[str, str, int] | None:
    """The unit picker then the year picker; (code, name, year), or None after saying what is missing.
    The name is escaped for Markdown: pages put it in headings and captions, and a unit's name is
    typed by an admin (a name like "[x](…)" must show as typed, not as a link)."""
    unit = unit_picker()
    if unit is None:
        no_units()
        return None
    unit_name = plain(dict((c, n) for c, n, _d in figures.units())[unit])
    year = year_picker(unit)
    if year is None:
        empty_state(t("overview2.common.no_year", unit=unit_name))
        return None
    return unit, unit_name, year


def scope_note(unit: str) -> None:
    """Under a page's title: whose figures these are when the unit has units under it."""
    n = len(figures.unit_scope(unit))
    if n > 1:
        st.caption(t("filter.scope", n=n, below=n - 1))
