"""main(): page config, which pages this visitor may see, and the router."""

from __future__ import annotations

import streamlit as st

from dashboard import i18n
from dashboard.i18n import t
from dashboard.navigation import pages_for


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


def main() -> None:
    """Route the browser to the pages its role may open."""
    i18n.set_locale(st.query_params.get("lang", i18n.DEFAULT_LOCALE))
    st.set_page_config(page_title=t("app.title"), page_icon=":material/account_balance:", layout="wide")
    _choose_locale()
    # Login and roles arrive with the access-control work; until then a visitor is a leader.
    role = "leader"
    sections: dict[str, list] = {}
    for spec in pages_for(role):
        page = st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, default=spec.default)
        sections.setdefault(t(spec.section_key), []).append(page)
    st.navigation(sections).run()
