"""Database failures: the exception pages catch (so pages themselves never import SQLAlchemy),
and what is shown instead of Streamlit's English error page — the Chinese message, then a quiet
check every RETRY_SECONDS that reruns the app by itself as soon as the database answers again."""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError as DatabaseError

from dashboard.i18n import t
from dashboard.reads import cache

__all__ = ["RETRY_SECONDS", "DatabaseError", "database_unavailable"]

RETRY_SECONDS = 5


def database_unavailable() -> None:
    """Say that the database cannot be read, and come back by itself once it can."""
    st.error(t("error.database"))
    st.caption(t("error.database.retrying", seconds=RETRY_SECONDS))
    st.session_state["database_retry_from"] = time.monotonic() + RETRY_SECONDS / 2
    _retry()


@st.fragment(run_every=RETRY_SECONDS)
def _retry() -> None:
    # Not in the run that just failed (the fragment also runs once inline): from the next tick on.
    if time.monotonic() < st.session_state.get("database_retry_from", 0.0):
        return
    if cache.database_reachable():
        st.rerun(scope="app")
