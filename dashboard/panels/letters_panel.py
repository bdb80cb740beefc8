"""The statutory letters of a request (补正告知书, 延期答复告知书, 答复书) for staff to download."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.writes import requests as requests_writes
from data_access.read.letters import KINDS, LetterError
from data_access.rules.permissions import Principal

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letters_panel(unit: str, request_nos: list[str], who: Principal) -> None:
    """Pick a request and a letter, build it (audited), then download the .docx."""
    with st.expander(t("letters.heading")):
        with st.form("letters"):
            left, right = st.columns(2)
            request_no = left.selectbox(t("letters.request"), request_nos)
            kind = right.selectbox(t("letters.kind"), list(KINDS), format_func=KINDS.get)
            built = st.form_submit_button(t("letters.build"))
        if built:
            try:
                letter = requests_writes.build_letter(who, unit, request_no, kind, source=session.source())
            except LetterError as exc:
                st.error(str(exc))
                return
            st.session_state["letter"] = (letter.file_name, letter.docx)
        if "letter" in st.session_state:
            name, data = st.session_state["letter"]
            st.download_button(t("letters.download", name=name), data, file_name=name, mime=DOCX_MIME)
