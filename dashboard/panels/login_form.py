"""The login form, drawn wherever a logged-out browser arrives.

A shared link (a page's address with its query string) opened without a login shows this form at
that very address; the login's rerun then runs the router again at the same address, so the page
opens with the query it was sent with."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t


def login_form() -> None:
    """Username and password; on success rerun (the router then opens the page at this address)."""
    _, middle, _ = st.columns([1, 1.2, 1])
    with middle:
        st.title(t("app.title"))
        st.caption(t("login.caption"))
        with st.form("login", border=True):
            username = st.text_input(t("login.username"), autocomplete="username")
            password = st.text_input(t("login.password"), type="password", autocomplete="current-password")
            submitted = st.form_submit_button(t("login.submit"), type="primary", width="stretch")
        if submitted:
            if not username.strip() or not password:
                st.error(t("login.missing"))
            else:
                problem = session.log_in(username, password)
                if problem:
                    st.error(problem)
                else:
                    st.rerun()
