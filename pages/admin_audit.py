"""操作日志: the audit log, newest first, filtered and paged in SQL, read-only, downloadable as .xlsx."""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.panels.backup_status import backup_status
from dashboard.reads import admin as admin_reads
from dashboard.widgets import audit_table, tables
from dashboard.writes import admin as admin_writes

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    """Draw the page."""
    st.title(t("admin.audit.title"))
    st.caption(t("admin.audit.help"))
    backup_status(only_when_overdue=False)
    labels = {a: t(f"admin.action.{a}") for a in admin_reads.ACTIONS}
    left, middle, right = st.columns([2, 2, 1])
    action = left.selectbox(
        t("admin.audit.action"),
        ["", *admin_reads.ACTIONS],
        format_func=lambda a: labels.get(a, t("admin.audit.all")),
    )
    username = admin_reads.normalize_username(
        middle.text_input(t("admin.audit.username"), help=t("admin.audit.username.help"))
    )
    total = admin_reads.audit_count(action or None, username or None)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = int(
        right.number_input(
            t("admin.audit.page"),
            min_value=1,
            max_value=pages,
            value=1,
            step=1,
            key=f"audit-page-{action}-{username}",
        )
    )
    entries = admin_reads.audit_entries(action or None, username or None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    if not total:
        st.info(t("admin.audit.empty"))
        return
    st.caption(t("admin.audit.counts", total=total, page=page, pages=pages))
    headers = tuple(t(f"admin.audit.col.{c}") for c in ("at", "user", "action", "detail", "source"))
    st.dataframe(
        audit_table.frame(entries, headers, labels),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(entries), 1000),
    )
    st.download_button(
        t("admin.audit.download"),
        data=admin_ui.audit_workbook(
            action or None, username or None, headers, labels, t("admin.audit.title")
        ),
        file_name=tables.Export(
            "", "", t("export.audit.file", date=t("export.date", date=dt.date.today()))
        ).file_name(),
        mime=XLSX,
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(t("admin.audit.download_help", n=admin_writes.EXPORT_MAX_ROWS))


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
