"""我的账户: who is logged in, change the password (required at first login), log out."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.widgets.attention import plain
from dashboard.writes import account

principal = session.current()
st.title(t("account.title"))
if principal is not None:
    # The name is the user's own text: escaped, so Markdown in it reads as typed.
    st.markdown(
        t("account.who", name=plain(principal.display_name), username=plain(principal.username),
          role=principal.role_label)
    )  # fmt: skip
    if principal.must_change_password:
        st.warning(t("account.must_change"))
    with st.form("password", border=True):
        st.subheader(t("account.change"))
        old = st.text_input(t("account.old"), type="password", autocomplete="current-password")
        new = st.text_input(t("account.new"), type="password", autocomplete="new-password")
        again = st.text_input(t("account.again"), type="password", autocomplete="new-password")
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
                st.success(t("account.changed"))
                st.rerun()
    if st.button(t("account.logout")):
        session.log_out()
        st.rerun()
