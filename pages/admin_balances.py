"""历年累计期初数: each unit's opening balance — its 历年累计 before the year it starts using the
product — which the old-format 附表 and 总览 add to their cumulative figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.reads import balances as balance_reads
from dashboard.writes import balances as balance_writes
from data_access.rules.entered import BALANCE_FIGURES, balance_from_text


def _table(labels: dict[str, str]) -> None:
    rows = balance_reads.balance_rows()
    if not rows:
        st.info(t("balances.empty"))
        return
    frame = pd.DataFrame(
        [
            {
                t("balances.unit"): f"{r.unit_name}（{r.unit_code}）",
                t("balances.before_year"): str(r.before_year),
                **{
                    name: "—" if r.figures[key] is None else f"{r.figures[key]:,}"
                    for key, name in BALANCE_FIGURES
                },
            }
            for r in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _form(labels: dict[str, str]) -> None:
    current = {r.unit_code: r for r in balance_reads.balance_rows()}
    who = session.current()
    codes = list(labels)
    own = codes.index(who.unit_code) if who is not None and who.unit_code in codes else 0
    unit = st.selectbox(t("balances.unit"), codes, index=own, format_func=labels.get, key="balances-unit")
    row = current.get(unit)
    with st.form(f"balances-{unit}"):
        year = st.number_input(
            t("balances.before_year"), min_value=1990, max_value=2100, step=1,
            value=row.before_year if row else dt.date.today().year, help=t("balances.before_year.help"),
        )  # fmt: skip
        columns = st.columns(3)
        texts = {}
        for i, (key, name) in enumerate(BALANCE_FIGURES):
            value = row.figures[key] if row else None
            texts[key] = columns[i % 3].text_input(
                name, value="" if value is None else str(value), key=f"balances-{unit}-{key}",
                help=t("balances.figure.help"),
            )  # fmt: skip
        submitted = st.form_submit_button(t("balances.save"), type="primary")
    if submitted:
        figures, problems = balance_from_text(texts)
        if problems:
            st.error("；".join(problems))
        else:
            admin_ui.attempt(balance_writes.set_balance, unit, int(year), figures,
                             done=lambda changed: t("balances.saved" if changed else "admin.unchanged"))  # fmt: skip
    if row is not None and st.button(t("balances.remove"), key=f"balances-remove-{unit}"):
        admin_ui.attempt(balance_writes.remove_balance, unit, done=t("balances.removed"))


def render() -> None:
    """Draw the page."""
    st.title(t("balances.title"))
    st.caption(t("balances.help"))
    admin_ui.show_flash()
    labels = admin_ui.unit_labels()
    if not labels:
        st.info(t("admin.units.empty"))
        return
    _table(labels)
    _form(labels)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
