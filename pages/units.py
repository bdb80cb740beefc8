"""单位对比: the units under the chosen unit side by side — publications, timeliness, requests answered
on time and key-project completion — ranked, for a city-level leader."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters
from dashboard.reads import dashboards
from dashboard.widgets import tables
from dashboard.widgets.url_state import from_url

# data_access.read.queries.units column → locale key of its heading; rates are fractions.
COLUMNS = {"单位": "unit", "主动公开": "published", "按时公开率": "timely", "依申请答复": "answered",
           "按期答复率": "on_time", "项目完成进度": "projects", "滞后项目": "lagging"}  # fmt: skip
RATES = ("timely", "on_time", "projects")
RANK_BY = ("published", "timely", "on_time", "projects")


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    st.title(t("units.title", unit=unit_name, year=year))
    filters.scope_note(unit)
    st.caption(t("units.caption"))
    raw = dashboards.unit_ranking(unit, year)
    if raw.empty:
        st.info(t("units.none", unit=unit_name))
        return
    frame = raw.rename(columns={k: t(f"units.col.{v}") for k, v in COLUMNS.items()})
    with_data = int(((raw[["主动公开", "依申请答复"]].sum(axis=1) > 0) | raw["项目完成进度"].notna()).sum())
    if with_data < 2:
        st.info(t("units.few", unit=unit_name, n=with_data))
    key = st.radio(t("units.metric"), RANK_BY, format_func=lambda k: t(f"units.col.{k}"), horizontal=True,
                   key="units-rank", on_change=from_url("rank", "units-rank", list(RANK_BY), RANK_BY[0]))  # fmt: skip
    column = t(f"units.col.{key}")
    ranked = frame.sort_values(column, ascending=False, na_position="last", kind="stable").reset_index(
        drop=True
    )
    ranked.insert(0, t("units.col.rank"), range(1, len(ranked) + 1))
    chart_data = pd.DataFrame({"label": ranked[t("units.col.unit")], "value": ranked[column].fillna(0)})
    left, right = st.columns([2, 3])
    left.vega_lite_chart(
        chart_specs.chart_spec("bars", chart_data, title=t("units.chart", metric=column), label=t("units.col.unit"),
                             value=column, percent=key in RATES),
        width="stretch",
    )  # fmt: skip
    rates = [t(f"units.col.{k}") for k in RATES]
    right.dataframe(
        ranked,
        hide_index=True,
        placeholder="—",
        width="stretch",
        column_config={c: tables.progress_column() for c in rates},
    )
    export = tables.Export(
        dashboards.unit_name(unit), tables.period_text(year), t("export.units"), t("export.units.measure")
    )
    tables.download(lambda: {t("nav.units"): ranked}, export, "units-xlsx", percent=rates)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
