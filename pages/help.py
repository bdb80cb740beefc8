"""帮助: the user manual's chapters for the logged-in role (docs/用户手册.md), with its screenshots."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels.manual import draw_chapter, read_manual, role_chapters

require_page(__file__)
principal = session.current()
st.title(t("help.page.title"))
text = read_manual()
if text is None or principal is None:
    st.error(t("help.page.missing"))
else:
    st.info(t("help.page.intro", role=principal.role_label), icon=":material/menu_book:")
    for chapter in role_chapters(principal.role, text):
        draw_chapter(chapter)
        st.divider()
