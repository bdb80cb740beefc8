"""main(): page config, who is here, which pages their role may open, and the router."""

from __future__ import annotations

import streamlit as st

from dashboard import i18n, session
from dashboard.chrome import localise_streamlit
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import deny
from dashboard.i18n import t
from dashboard.navigation import ACCOUNT_PAGE, LOGIN_PAGE, PAGES, SCREEN_PAGE
from dashboard.reads import cache
from dashboard.widgets.attention import plain
from data_access.version import VERSION


def _choose_locale() -> None:
    codes = list(i18n.LOCALES)
    current = st.query_params.get("lang", i18n.DEFAULT_LOCALE)
    chosen = st.sidebar.selectbox(
        t("sidebar.language"),
        codes,
        index=codes.index(current) if current in codes else 0,
        format_func=i18n.LOCALES.get,
        key="locale",
    )
    i18n.set_locale(chosen)
    if chosen == i18n.DEFAULT_LOCALE:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = chosen


def _screen() -> None:
    """Screen mode: the lobby loop is the only page this browser can reach; no sidebar, no login."""
    st.set_page_config(page_title="政务公开", layout="wide", initial_sidebar_state="collapsed")
    st.navigation([st.Page(SCREEN_PAGE, title="政务公开", default=True)], position="hidden").run()


def main() -> None:
    """Route the browser to the pages its role may open.

    Everything after the page config may read the database (the schema check, restoring the login
    from the cookie, re-checking it, the page itself): when the database cannot be read, the
    Chinese message and its automatic retry show instead of Streamlit's English error page."""
    if st.query_params.get("mode") == "screen":
        _screen()
        return
    i18n.set_locale(st.query_params.get("lang", i18n.DEFAULT_LOCALE))
    # An emoji icon is drawn as an inline data: image; a :material/…: icon would be fetched from
    # fonts.gstatic.com, which an intranet cannot reach and the proxy's Content-Security-Policy blocks.
    st.set_page_config(page_title=t("app.title"), page_icon="🏛️", layout="wide")
    _choose_locale()
    localise_streamlit()
    try:
        _route()
    except DatabaseError:
        database_unavailable()


def _route() -> None:
    if not cache.schema_ready():
        st.error(t("error.not_initialised"))
        return
    principal = session.current()
    session.sync_cookie()

    # Every page's address is routable whoever is here, so an address never meets Streamlit's
    # "Page not found". Nobody logged in: the page's own guard shows the login form at its address,
    # and the login's rerun opens that page with the query string it came with (a link shared by
    # WeChat survives an expired login); a password that must be changed is changed there the same
    # way. A page the role may not open answers 无权访问 and never runs.
    allowed, everything, denied = [], [], set()
    for spec in PAGES:
        page = st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, default=spec.default)
        if principal is not None and spec.allows(principal.role):
            allowed.append((t(spec.section_key), page))
        else:
            denied.add(page.url_path)
        everything.append(page)
    account = st.Page(ACCOUNT_PAGE, title=t("nav.account"), icon=":material/person:")
    # The login page stays routable so a browser still on it after logging in is sent onwards.
    login = st.Page(LOGIN_PAGE, title=t("nav.login"))
    current = st.navigation([*everything, account, login], position="hidden")

    if principal is None or principal.must_change_password:
        current.run()  # the login form, or the password form, in place (guard.require_page)
        return
    with st.sidebar:
        section = None
        for name, page in allowed:
            if name != section:
                st.caption(name)
                section = name
            st.page_link(page)
        st.divider()
        st.caption(t("sidebar.user", name=plain(principal.display_name), role=principal.role_label))
        st.page_link(account)
        st.caption(t("sidebar.version", version=VERSION))
    if current.url_path in denied:
        deny()
    else:
        current.run()
