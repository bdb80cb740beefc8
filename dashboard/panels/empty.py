"""Empty states that say what to do: the message, and for someone who may upload, a link to the
月度上传 page (a leader is told to ask the staff instead, in the message itself)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from data_access.write import importing

UPLOAD_PAGE = "pages/upload.py"
UNITS_PAGE = "pages/admin_units.py"


def can_upload() -> bool:
    """Whether the logged-in user may open the upload page."""
    who = session.current()
    return who is not None and who.can("upload")


def empty_state(message: str, kind: str | None = None) -> None:
    """An info box with `message`; below it a “去上传” link naming the spreadsheet `kind` to upload
    (an importing kind such as "projects") when the user may upload."""
    st.info(message, icon=":material/info:")
    if not can_upload():
        return
    label = t("empty.go_upload_kind", kind=importing.SPECS[kind].title) if kind else t("empty.go_upload")
    st.page_link(UPLOAD_PAGE, label=label, icon=":material/upload_file:")


def no_units() -> None:
    """The database has no unit this user may see: say so and, to an admin, link to 单位管理."""
    st.info(t("overview.empty"), icon=":material/info:")
    who = session.current()
    if who is not None and who.can("admin_units"):
        st.page_link(UNITS_PAGE, label=t("empty.go_units"), icon=":material/account_tree:")
