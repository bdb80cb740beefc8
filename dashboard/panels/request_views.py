"""Parts of the 依申请公开 page: the request tables (personal fields only when given) and the
deadline explanations. Everything a citizen typed is shown as plain text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.reads import dashboards
from data_access.read.queries.request_lines import RequestLine


def request_frame(lines: tuple[RequestLine, ...], personal: bool, answered: bool) -> pd.DataFrame:
    """One row per request; the applicant's name, contact and request text only when `personal`."""
    warned = any(r.warnings for r in lines)  # e.g. a due date in a year whose holidays are not entered yet
    col = {key: t(f"req.col.{key}") for key in ("no", "received", "channel", "applicant_type", "due", "reply",
                                               "outcome", "left", "status", "warnings", "name", "contact", "summary")}  # fmt: skip
    rows = []
    for r in lines:  # a city has thousands of open requests: the labels are looked up once, above
        row = {
            col["no"]: r.request_no,
            col["received"]: r.received,
            col["channel"]: r.channel,
            col["applicant_type"]: r.applicant_type,
            col["due"]: r.due,
        }
        if answered:
            row[col["reply"]] = r.reply_date
            row[col["outcome"]] = r.outcomes_text
        else:
            row[col["left"]] = r.days_left
        row[col["status"]] = r.status_label
        if warned:
            row[col["warnings"]] = "；".join(r.warnings)
        if personal:
            row[col["name"]] = r.applicant_name or ""
            row[col["contact"]] = r.applicant_contact or ""
            row[col["summary"]] = r.summary or ""
        rows.append(row)
    return pd.DataFrame(rows)


def show_table(frame: pd.DataFrame) -> None:
    """A request table with dates as dates and long text wide."""
    st.dataframe(
        frame,
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={
            t("req.col.received"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            t("req.col.due"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            t("req.col.reply"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            t("req.col.summary"): st.column_config.TextColumn(width="large"),
        },
    )


def explanation(unit: str, personal: tuple[int, ...], lines: list[RequestLine], key: str) -> None:
    """The working-out of one request's due date (Deadline.explanation()), picked by its number."""
    st.subheader(t("req.explain.heading"))
    labels = {
        (r.unit_id, r.request_no): t("req.explain.item", no=r.request_no, status=r.status_label)
        for r in lines
    }
    options = list(labels)
    # The chosen request is in the URL (?request=YSQ-…): a shared address opens its working-out.
    wanted = st.query_params.get("request")
    st.session_state[key] = next((o for o in options if o[1] == wanted), options[0] if options else None)

    def write_back() -> None:
        chosen = st.session_state.get(key)
        if chosen is None:
            st.query_params.pop("request", None)
        else:
            st.query_params["request"] = chosen[1]

    picked = st.selectbox(
        t("req.explain.pick"), options, format_func=labels.__getitem__, key=key, on_change=write_back
    )
    if picked is None:
        return
    r = dashboards.request_explanation(unit, personal, *picked)
    if r is None:
        return
    if r.summary is not None:
        st.caption(t("req.explain.summary"))
        st.text(r.summary)
    st.text("\n".join(r.explanation) or r.status_label)
