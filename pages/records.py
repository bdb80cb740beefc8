"""逐条登记: register a disclosure request the day it arrives and record its progress; enter appeals,
policy interpretations, hotline duties, bulletin-board updates and archive/library deliveries; file
零报告 (zero reports) for what the unit had none of in a year; enter table 二 of the annual report (年报表二)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import annual_figures, records_forms, records_other, zero_reports
from dashboard.reads import records as records_reads


def _unit(units: list[tuple[str, str, int]], own: str) -> str:
    codes = [code for code, _name, _depth in units]
    labels = {code: "　" * (depth - units[0][2]) + name for code, name, depth in units}
    return st.columns(3)[0].selectbox(
        t("records.unit"),
        codes,
        index=codes.index(own) if own in codes else 0,
        format_func=labels.get,
        key="records_unit",
        help=t("records.unit.help"),
    )


def render() -> None:
    """Draw the page."""
    st.title(t("records.title"))
    principal = session.current()
    units = records_reads.units_for(principal)
    if not units:
        st.info(t("upload.no_units"))
        return
    records_forms.flash()
    st.caption(t("records.help"))
    unit = _unit(units, principal.unit_code)
    rows = records_reads.unit_requests(unit)
    tabs = st.tabs(
        [
            t("records.tab.register"),
            t("records.tab.progress"),
            t("records.tab.appeal"),
            t("records.tab.interpretation"),
            t("records.tab.hotline"),
            t("records.tab.board"),
            t("records.tab.delivery"),
            t("zero.tab"),
            t("records.tab.annual"),
        ],
        key="records_tab",  # the open tab survives a save's rerun (办理进度 stays open)
        on_change="rerun",
    )
    with tabs[0]:
        records_forms.register_form(principal, unit)
    with tabs[1]:
        records_forms.progress_form(principal, unit, rows)
    with tabs[2]:
        records_other.appeal_form(principal, unit, rows)
    with tabs[3]:
        records_other.interpretation_form(principal, unit)
    with tabs[4]:
        records_other.hotline_form(principal, unit)
    with tabs[5]:
        records_other.board_form(principal, unit)
    with tabs[6]:
        records_other.delivery_form(principal, unit)
    with tabs[7]:
        zero_reports.zero_report_form(principal, unit)
    with tabs[8]:
        annual_figures.annual_figures_form(principal, unit)
    st.divider()
    records_forms.requests_table(rows)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
