"""登录: username and password; five wrong passwords lock the account for a while."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.navigation import PAGES

if session.current() is not None:
    st.switch_page(next(p.path for p in PAGES if p.default))

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
