"""年报表二 on the 逐条登记 page: a unit's table 二 of the 2021 annual report for a year — each item's
figures, or 不适用; an item left blank stays 未录入 (never a guessed 0 or 不适用)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.i18n import t
from dashboard.panels.records_forms import round_key, save
from dashboard.reads import records as records_reads
from dashboard.writes import records as records_writes
from data_access.rules.annual_figures import FEES_UNIT, FIGURES, ITEMS
from data_access.rules.permissions import Principal
from data_access.write.records import AnnualFormItem


def annual_figures_form(principal: Principal, unit: str) -> None:
    """The year's table 二 for the chosen unit, filled from what was entered, saved whole."""
    st.caption(t("annual.help"))
    year = int(
        st.columns(3)[0].number_input(
            t("annual.year"),
            min_value=1990,
            max_value=2100,
            value=dt.date.today().year - 1,
            step=1,
            key="annual_year",
        )
    )
    n = round_key("annual")
    current = records_reads.annual_figures(unit, year)
    items: dict[str, AnnualFormItem] = {}
    for item in ITEMS:
        entered = current.get(item.key, {})
        columns = st.columns([2, *([2] * len(item.figures)), 1])
        columns[0].markdown(f"**{item.label}**")
        texts = {}
        for column, figure in zip(columns[1:], item.figures, strict=False):
            label = FIGURES[figure] + (f"（{FEES_UNIT}）" if figure == "fees" else "")
            texts[figure] = column.text_input(
                label,
                value=str(entered.get(figure, "")),
                key=f"annual_{year}_{item.key}_{figure}_{n}",
                placeholder=t("annual.blank"),
            )
        marked = columns[-1].checkbox(
            t("annual.not_applicable"),
            value=bool(entered.get("not_applicable", False)),
            key=f"annual_{year}_{item.key}_na_{n}",
        )
        items[item.key] = AnnualFormItem(texts, marked)
    if st.button(t("records.submit"), type="primary", key=f"annual_save_{n}"):
        save("annual", lambda: records_writes.save_annual_figures(principal, unit, year, items))
