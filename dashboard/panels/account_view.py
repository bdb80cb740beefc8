"""我的账户: who is logged in, change the password (required at first login), the address reminders
are e-mailed to, log out.

Drawn by pages/account.py and, while a password must be changed, in place at whatever page's
address the browser opened (guard.require_page): once it is changed, the rerun opens that page with
its query. Nobody logged in: the login form."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.panels.login_form import login_form
from dashboard.widgets.attention import plain
from dashboard.writes import account

if TYPE_CHECKING:
    from data_access.rules.permissions import Principal


def account_view() -> None:
    """The logged-in user, the password form and the logout button."""
    principal = session.current()
    if principal is None:
        login_form()
        return
    st.title(t("account.title"))
    # The name is the user's own text: escaped, so Markdown in it reads as typed.
    st.markdown(
        t("account.who", name=plain(principal.display_name), username=plain(principal.username),
          role=principal.role_label)
    )  # fmt: skip
    changed = st.session_state.pop("account_flash", None)
    if changed:
        st.success(changed)
    if principal.must_change_password:
        st.warning(t("account.must_change"))
    n = st.session_state.get("account_round", 0)  # bumped after a change: new, empty boxes
    with st.form(f"password_{n}", border=True):
        st.subheader(t("account.change"))
        old = st.text_input(
            t("account.old"), type="password", autocomplete="current-password", key=f"pw_old_{n}"
        )
        new = st.text_input(t("account.new"), type="password", autocomplete="new-password", key=f"pw_new_{n}")
        again = st.text_input(
            t("account.again"), type="password", autocomplete="new-password", key=f"pw_again_{n}"
        )
        submitted = st.form_submit_button(t("account.submit"), type="primary")
    if submitted:
        if new != again:
            st.error(t("account.mismatch"))
        else:
            try:
                updated = account.change_own_password(
                    principal, old, new, source=session.source(), keep_token=session.token()
                )
            except ValueError as exc:  # auth.AuthError: a Chinese message
                st.error(str(exc))
            else:
                session.replace_principal(updated)
                st.session_state["account_flash"] = t("account.changed")  # shown after the rerun
                st.session_state["account_round"] = n + 1
                st.rerun()
    if not principal.must_change_password:
        _email_form(principal)
    if st.button(t("account.logout")):
        session.log_out()
        st.rerun()


def _email_form(principal: Principal) -> None:
    """The user's own reminder address (python -m data_access remind e-mails it)."""
    key = f"account_reminder_email_{principal.id}"  # another login in this browser: its own
    if key not in st.session_state:  # the stored address, once: then what the user typed
        st.session_state[key] = account.reminder_email(principal) or ""
    with st.form("reminder_email", border=True):
        st.subheader(t("account.email_title"))
        st.caption(t("account.email_help"))
        address = st.text_input(t("account.email_label"), key=key, autocomplete="email")
        submitted = st.form_submit_button(t("account.email_submit"))
    if submitted:
        try:
            changed = account.set_reminder_email(principal, address, source=session.source())
        except ValueError as exc:  # auth.AuthError: a Chinese message
            st.error(str(exc))
        else:
            st.success(t("account.email_saved") if changed else t("account.email_unchanged"))
