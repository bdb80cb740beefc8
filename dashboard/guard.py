"""Each page's own check that the logged-in role may open it (the router checks too)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.navigation import PAGES


def require_page(page_file: str) -> None:
    """Stop with 无权访问 unless the logged-in role may open this page file."""
    name = Path(page_file).name
    spec = next(p for p in PAGES if Path(p.path).name == name)
    principal = session.current()
    if principal is None or not spec.allows(principal.role):
        deny()


def deny() -> None:
    """Show 无权访问 and stop the page before it reads any data."""
    st.error(t("access.denied"))
    st.caption(t("access.denied.help"))
    st.stop()
