"""年度报告: pick unit, year and format, see the tables (old 附表, or 2021 tables 二/三/四 with the
cross-check), and download the .xlsx workbook and the .docx draft ready to edit and sign."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import filters
from dashboard.reads import dashboards
from dashboard.reads.dashboards import TEMPLATES, default_template
from dashboard.widgets import tables
from dashboard.widgets.attention import plain
from dashboard.widgets.report_view import old_tables, tables_2021

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _template(year: int) -> str:
    default = default_template(year)
    raw = st.query_params.get("template", default)
    chosen = filters.pick(
        "template",
        t("report.template"),
        list(TEMPLATES),
        raw if raw in TEMPLATES else default,
        lambda k: t(f"report.template.{k}"),
    )
    st.query_params["template"] = chosen
    return chosen


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    template = _template(year)
    with st.status(t("report.status"), expanded=False) as status:
        for step in ("publications", "requests", "appeals", "check"):
            st.write(t(f"report.step.{step}"))
        report, reason = dashboards.annual_report(unit, year, template)
        status.update(label=t("report.status_done" if report is not None else "report.status_failed"),
                      state="complete" if report is not None else "error")  # fmt: skip
    if report is None:
        st.info(t("report.unavailable", reason=reason))
        return
    st.title(plain(report["title"]))  # the title names the unit, typed by an admin
    st.caption(t("report.caption", unit=unit_name, year=year, template=t(f"report.template.{template}")))
    export = tables.Export(dashboards.unit_name(unit), tables.period_text(year), t("export.annual_report"))
    left, right, _rest = st.columns([1, 1, 3])
    with left:
        st.download_button(t("report.download_xlsx"), data=lambda: dashboards.report_file(unit, year, template, "xlsx"),
                           file_name=export.file_name("xlsx"), mime=tables.XLSX_MIME, on_click="ignore", type="primary",
                           icon=":material/table_view:", key="report-xlsx")  # fmt: skip
    with right:
        st.download_button(t("report.download_docx"), data=lambda: dashboards.report_file(unit, year, template, "docx"),
                           file_name=export.file_name("docx"), mime=DOCX_MIME, on_click="ignore", icon=":material/description:",
                           key="report-docx")  # fmt: skip
    notes = report.get("warnings", []) + report.get("findings", [])
    if notes:
        with st.container(border=True):
            st.markdown(f"**{t('report.warnings')}**")
            for note in notes:
                st.warning(note, icon=":material/info:")
    if template == "old":
        old_tables(report)
    else:
        tables_2021(report)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
