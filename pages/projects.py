"""重点项目: the month's completion table in the office's shape, lagging rows marked, a totals row,
one project's month-by-month history against its plan, and the reconciliation findings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters
from dashboard.panels.empty import empty_state
from dashboard.panels.month import month_picker
from dashboard.reads import dashboards
from dashboard.reads.dashboards import COLUMNS, ytd_column
from dashboard.widgets import narrow, tables
from dashboard.widgets.attention import plain
from dashboard.widgets.format import percent, wan
from dashboard.widgets.url_state import from_url

STYLED_ROWS = 100  # a sub-district has 25 key projects, a city thousands


def _office_table(tb) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The table as the office prints it: one row per project, then 合计."""
    rows = tb.rows
    ytd = ytd_column(tb.month)
    frame = pd.DataFrame(
        {
            COLUMNS[0]: rows["序号"].astype("Int64"),
            COLUMNS[1]: rows["项目名称"],
            COLUMNS[2]: rows["总投资"],
            COLUMNS[3]: rows["本月完成投资"],
            ytd: rows["累计完成投资"],
            COLUMNS[5]: rows["年度计划完成投资"],
            COLUMNS[6]: rows["完成进度"],
            t("proj.col.status"): [t("proj.lagging") if lag else t("proj.ok") for lag in rows["滞后"]],
            COLUMNS[7]: rows["主要实施情况"],
        }
    )
    if rows["单位"].nunique() > 1:
        frame.insert(1, t("proj.unit"), rows["单位"])
    total = {COLUMNS[1]: t("proj.total"), COLUMNS[2]: tb.total_investment, COLUMNS[3]: tb.month_invested,
             ytd: tb.ytd_invested, COLUMNS[5]: tb.annual_plan, COLUMNS[6]: tb.completion}  # fmt: skip
    out = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    text = [c for c in (t("proj.unit"), t("proj.col.status"), COLUMNS[7]) if c in out.columns]
    out[text] = out[text].fillna("")  # the 合计 row's text cells are blank, not “None”
    return out


def _metrics(tb) -> None:  # type: ignore[no-untyped-def]
    cols = st.columns(4)
    with cols[0].container(border=True, height="stretch"):
        st.metric(t("proj.metric.count"), len(tb.rows), help=t("help.proj.count"))
    with cols[1].container(border=True, height="stretch"):
        st.metric(t("proj.metric.progress"), percent(tb.completion), help=t("help.proj.progress"))
        st.caption(t("proj.metric.progress_caption", month=tb.month, ytd=wan(tb.ytd_invested),
                     plan=wan(tb.annual_plan), expected=percent(tb.month / 12)))  # fmt: skip
    with cols[2].container(border=True, height="stretch"):
        st.metric(t("proj.metric.month"), wan(tb.month_invested), help=t("help.proj.month"))
    with cols[3].container(border=True, height="stretch"):
        st.metric(t("proj.metric.lagging"), tb.lagging, help=t("help.proj.lagging"))
        st.caption(t("proj.metric.lagging_caption", pp=f"{tb.lag_threshold_pp:g}"))


def _chosen(tb) -> int | None:  # type: ignore[no-untyped-def]
    """The project the URL names (?project=ID, e.g. from 总览's 需要关注), if it is in the table."""
    raw = st.query_params.get("project")
    ids = [int(i) for i in tb.rows["id"]]
    return int(raw) if raw is not None and raw.isdigit() and int(raw) in ids else None


def _callout(tb, pid: int) -> None:  # type: ignore[no-untyped-def]
    """The chosen project at the top of the table: its name, progress and status."""
    row = tb.rows.loc[tb.rows["id"] == pid].iloc[0]
    status = t("proj.lagging") if row["滞后"] else t("proj.ok")
    with st.container(border=True, key="proj-chosen"):
        st.markdown(
            t("proj.chosen", name=plain(row["项目名称"]), progress=percent(row["完成进度"]), status=status)
        )


def _history(unit: str, tb) -> None:  # type: ignore[no-untyped-def]
    st.subheader(t("proj.history.heading"))
    names = dict(zip((int(i) for i in tb.rows["id"]), tb.rows["项目名称"], strict=True))
    lagging = [int(i) for i in tb.rows.loc[tb.rows["滞后"], "id"]]
    options = list(names)
    default = lagging[0] if lagging else options[0]
    # The chosen project lives in the URL (?project=ID): a shared address charts the same one.
    pid = st.selectbox(t("proj.history.pick"), options, format_func=names.get, key="proj-pick",
                       on_change=from_url("project", "proj-pick", options, default))  # fmt: skip
    history = dashboards.project_history(unit, int(pid))
    labels = {
        "ytd": t("proj.history.ytd"),
        "plan": t("proj.history.plan"),
        "month": t("proj.history.month_amount"),
    }
    spec = chart_specs.chart_spec("project_history", history, title=t("proj.history.chart", name=names[pid]),
                                         month=t("proj.history.month"), amount=t("proj.history.amount"), labels=labels,
                                         tick=t("chart.month_tick"))  # fmt: skip
    st.vega_lite_chart(spec, width="stretch")


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    months = dashboards.project_months(unit, year)
    if not months:
        st.title(t("proj.title_year", unit=unit_name, year=year))
        filters.scope_note(unit)
        empty_state(t("proj.empty_year", unit=unit_name, year=year), "projects")
        return
    month = month_picker(list(range(1, 13)), default=months[-1])
    st.title(t("proj.title", unit=unit_name, year=year, month=month))
    filters.scope_note(unit)
    if month not in months:
        months_text = t("common.list_sep").join(t("overview2.common.month_n", m=m) for m in months)
        empty_state(t("proj.empty_month", year=year, months=months_text), "projects")
        return
    tb = dashboards.project_table(unit, year, month)
    _metrics(tb)
    st.subheader(t("proj.table.heading", year=year, month=month))
    st.caption(t("proj.table.caption", pp=f"{tb.lag_threshold_pp:g}"))
    office = _office_table(tb)
    chosen = _chosen(tb)
    row = None if chosen is None else [int(i) for i in tb.rows["id"]].index(chosen)
    if chosen is not None:
        _callout(tb, chosen)
    money = st.column_config.NumberColumn(format="localized")
    # Lagging rows in red as the office marks them, the chosen one highlighted; a city's thousands
    # of projects are shown plain (styling every cell costs seconds a rerun; the 状态 column still
    # says 滞后) in a scrolling table.
    lag = t("proj.lagging")

    def marks(r: pd.Series) -> list[str]:
        style = "color: #c0392b; font-weight: 600;" if r[t("proj.col.status")] == lag else ""
        if r.name == row:
            style += f" background-color: {narrow.CHOSEN};"
        return [style] * len(r)

    shown = office.style.apply(marks, axis=1) if len(office) <= STYLED_ROWS else office
    # A phone shows 名称 / 完成进度 / 状态 in a table that wraps; a wide screen the office's table.
    narrow.compact_table(office, (COLUMNS[1], COLUMNS[6], t("proj.col.status")), "projects",
                         {COLUMNS[6]: percent}, chosen=row,
                         red=[s == lag for s in office[t("proj.col.status")]])  # fmt: skip
    wide = st.container(key="wideonly-projects")
    wide.dataframe(
        shown,
        hide_index=True,
        placeholder="—",
        width="stretch",
        height=35 * (min(len(office), STYLED_ROWS) + 1) + 3,
        column_config={
            COLUMNS[2]: money, COLUMNS[3]: money, ytd_column(month): money, COLUMNS[5]: money,
            COLUMNS[6]: tables.progress_column(),
            COLUMNS[7]: st.column_config.TextColumn(width="large"),
        },
    )  # fmt: skip
    export = tables.Export(dashboards.unit_name(unit), tables.period_text(year, month), t("export.projects"),
                           t("export.projects.measure"))  # fmt: skip
    tables.download(lambda: {t("proj.table.heading", year=year, month=month)[:31]: office}, export, "proj-xlsx",
                    percent=(COLUMNS[6],))  # fmt: skip
    _history(unit, tb)
    st.subheader(t("proj.findings.heading"))
    st.caption(t("proj.findings.caption"))
    found = dashboards.project_findings(unit, year, month)
    if found:
        for f in found:
            st.warning(f"{f.project}：{f.message}", icon=":material/warning:")
    else:
        st.success(t("proj.findings.ok"))


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
