"""Widgets whose value lives in the query string, so that a copied address reproduces the view:
the filters, the search, the page number and the chosen item of every leader page."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

MAX_TEXT = 100  # a search box's limit: a longer ?q= is cut there
PAGING = ("page",)  # what a new filter sends back to its first page


def from_url(
    name: str, key: str, options: list | None = None, default: object = None, resets: tuple[str, ...] = ()
) -> Callable[[], None]:
    """Give the widget `key` the value of ?name= (one of `options`, matched by its text; any text
    when options is None), else `default`, and return the on_change that writes the widget's value
    back into the URL (dropping the parameters in `resets`, e.g. the page number when a filter
    changes): the address always says what the page shows, and opening it reproduces the view.
    Call it just before drawing the widget, drawn with no value or index of its own. A value equal
    to `default` leaves the URL without it."""
    raw = st.query_params.get(name)
    value = default
    if raw is not None:
        value = (
            raw[:MAX_TEXT]
            if options is None
            else next((o for o in options if o is not None and str(o) == raw), default)
        )
    st.session_state[key] = value

    def write_back() -> None:
        chosen = st.session_state.get(key)
        if chosen is None or chosen == default or chosen == "":
            st.query_params.pop(name, None)
        else:
            st.query_params[name] = str(chosen)
        for other in resets:
            st.query_params.pop(other, None)

    return write_back
