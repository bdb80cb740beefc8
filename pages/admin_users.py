"""用户管理: every account with its role, unit and state; add, reset a password, disable, enable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.reads import admin as admin_reads
from dashboard.widgets import admin_tables
from dashboard.writes import admin as admin_writes
from data_access import settings
from data_access.rules.vocab import ROLES

if TYPE_CHECKING:  # a type only: pages reach data_access through dashboard/
    from data_access.write.auth import UserInfo


def _add(units: dict[str, str]) -> None:
    with st.form("admin-add-user", clear_on_submit=True):
        left, right = st.columns(2)
        username = left.text_input(t("admin.users.username"), help=t("admin.users.username.help"))
        name = right.text_input(t("admin.users.name"))
        role = left.selectbox(t("admin.users.role"), ROLES, format_func=lambda r: t(f"admin.role.{r}"))
        codes = list(units)
        default = settings.get("DEFAULT_UNIT")
        unit = right.selectbox(
            t("admin.users.unit"),
            codes,
            index=codes.index(default) if default in codes else 0,
            format_func=units.get,
        )
        typed = st.text_input(
            t("admin.users.initial_password"), type="password", help=t("admin.password.help")
        )
        submitted = st.form_submit_button(t("admin.users.add"), type="primary")
    if submitted:
        try:
            user, password = admin_ui.as_admin(
                admin_writes.create_user, username, name, role, unit, typed or None
            )
        except ValueError as exc:
            st.error(str(exc))
            return
        admin_ui.flash(t("admin.users.added", username=user.username), None if typed else password)
        st.rerun()


def _label(users: list[UserInfo]) -> dict[str, str]:
    return {u.username: f"{u.username}（{u.display_name}）" for u in users}


def _reset(users: list[UserInfo]) -> None:
    labels = _label(users)
    with st.form("admin-reset-password", clear_on_submit=True):
        username = st.selectbox(t("admin.users.pick"), list(labels), format_func=labels.get)
        typed = st.text_input(t("admin.users.new_password"), type="password", help=t("admin.password.help"))
        submitted = st.form_submit_button(t("admin.users.reset"), type="primary")
    if submitted:
        try:
            password = admin_ui.as_admin(
                admin_writes.reset_password, username, typed or None, keep_token=session.token()
            )
        except ValueError as exc:
            st.error(str(exc))
            return
        admin_ui.flash(t("admin.users.reset_done", username=username), None if typed else password)
        st.rerun()


def _activation(users: list[UserInfo]) -> None:
    labels = _label(users)
    username = st.selectbox(
        t("admin.users.pick"), list(labels), format_func=labels.get, key="admin-active-user"
    )
    user = next(u for u in users if u.username == username)
    st.caption(t("admin.users.now_active" if user.active else "admin.users.now_inactive"))
    left, right, _rest = st.columns([1, 1, 4])
    if left.button(t("admin.users.disable"), disabled=not user.active, width="stretch"):
        admin_ui.attempt(
            admin_writes.set_active, username, False, done=t("admin.users.disabled", username=username)
        )
    if right.button(t("admin.users.enable"), disabled=user.active, width="stretch"):
        admin_ui.attempt(
            admin_writes.set_active, username, True, done=t("admin.users.enabled", username=username)
        )


def render() -> None:
    """Draw the page."""
    st.title(t("admin.users.title"))
    st.caption(t("admin.users.help"))
    admin_ui.show_flash()
    units = admin_ui.unit_labels()
    if not units:
        st.info(t("admin.users.no_units"))
        return
    users = admin_reads.users()
    if users:
        st.dataframe(admin_tables.users(users, t, admin_reads.local_now()), hide_index=True, width="stretch")
    else:
        st.info(t("admin.users.empty"))
    tabs = st.tabs([t("admin.users.tab_add"), t("admin.users.tab_reset"), t("admin.users.tab_active")])
    with tabs[0]:
        _add(units)
    for tab, draw in ((tabs[1], _reset), (tabs[2], _activation)):
        with tab:
            if users:
                draw(users)
            else:
                st.info(t("admin.users.empty"))


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
