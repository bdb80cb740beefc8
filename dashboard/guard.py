"""Each page's own check that the logged-in role may open it (the router checks too)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.navigation import PAGES
from dashboard.panels.account_view import account_view
from dashboard.panels.login_form import login_form


def require_page(page_file: str) -> None:
    """Stop unless the logged-in role may open this page file: with the login form at this page's
    address when nobody is logged in (the login's rerun then opens the page with its query), with
    the password form while the password must be changed, and with 无权访问 when the role may not
    open it or on the lobby screen's URL."""
    name = Path(page_file).name
    spec = next(p for p in PAGES if Path(p.path).name == name)
    principal = session.current()
    if principal is None and st.query_params.get("mode") != "screen":
        login_form()
        st.stop()
    if principal is not None and principal.must_change_password:
        account_view()
        st.stop()
    if principal is None or not spec.allows(principal.role):
        deny()
    changed = st.session_state.pop("account_flash", None)  # a first-login change made in place
    if changed:
        st.success(changed)


def deny() -> None:
    """Show 无权访问 and stop the page before it reads any data."""
    st.error(t("access.denied"))
    st.caption(t("access.denied.help"))
    st.stop()
