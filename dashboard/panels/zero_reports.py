"""零报告 on the 逐条登记 page: "nothing of this kind this year" for a unit, which turns the kind's
未录入 into an explicit 0 in the figures and reports (data_access.rules.entered), and the list of
the unit's zero reports with a button to withdraw one."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.i18n import t
from dashboard.reads import balances as balance_reads
from dashboard.writes import balances as balance_writes
from data_access.rules.entered import ENTRY_KINDS
from data_access.rules.permissions import Principal


def _run(write, *args) -> None:  # type: ignore[no-untyped-def]
    try:
        changed = write(session.current(), *args, source=session.source())
    except ValueError as exc:
        st.error(str(exc))
        return
    st.session_state["records_flash"] = ("success", t("zero.saved") if changed else t("records.unchanged"))
    st.rerun()


def zero_report_form(principal: Principal, unit: str) -> None:
    """File a 零报告 for the chosen unit, or withdraw one."""
    st.caption(t("zero.help"))
    left, right = st.columns(2)
    kind = left.selectbox(t("zero.kind"), list(ENTRY_KINDS), format_func=ENTRY_KINDS.get, key="zero_kind")
    year = right.number_input(
        t("zero.year"),
        min_value=1990,
        max_value=2100,
        value=dt.date.today().year - 1,
        step=1,
        key="zero_year",
    )
    if st.button(t("zero.file"), type="primary", key="zero_file"):
        _run(balance_writes.file_zero_report, unit, kind, int(year))
    rows = balance_reads.zero_report_rows(unit)
    if not rows:
        st.info(t("zero.none"))
        return
    frame = pd.DataFrame(
        [(code, ENTRY_KINDS[k], y) for code, k, y in rows],
        columns=[t("zero.unit"), t("zero.kind"), t("zero.year")],
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    mine = [(k, y) for code, k, y in rows if code == unit]
    if mine:
        choice = st.selectbox(
            t("zero.withdraw_pick"),
            mine,
            format_func=lambda r: f"{r[1]} {ENTRY_KINDS[r[0]]}",
            key="zero_pick",
        )
        if st.button(t("zero.withdraw"), key="zero_withdraw"):
            _run(balance_writes.withdraw_zero_report, unit, choice[0], choice[1])
