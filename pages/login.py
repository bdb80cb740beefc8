"""登录: username and password; five wrong passwords lock the account for a while.

Every other page's address shows the same form in place when nobody is logged in (dashboard/app.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.navigation import PAGES
from dashboard.panels.login_form import login_form

if session.current() is not None:
    st.switch_page(next(p.path for p in PAGES if p.default))

login_form()
