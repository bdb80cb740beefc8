"""总览: the year's key figures for a unit and the publications by category."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard import resources
from dashboard.components import charts, filters
from dashboard.components.format import percent, wan
from dashboard.guard import require_page
from dashboard.i18n import t


def _card(column, label: str, value, caption: str | None = None, **metric_args) -> None:  # type: ignore[no-untyped-def]
    """A bordered card: the metric and, inside the same border, its explanation."""
    with column.container(border=True, height="stretch"):
        st.metric(label, value, **metric_args)
        if caption:
            st.caption(caption)


def _metrics(k: dict, last: dict | None) -> None:
    pub, req, proj, dl = k["publications"], k["requests"], k["projects"], k["deliveries"]
    row1 = st.columns(4)
    delta = t("kpi.vs_last_year", delta=pub["total"] - last["publications"]["total"]) if last else None
    _card(
        row1[0],
        t("kpi.published"),
        pub["total"],
        t("kpi.cumulative", n=pub["cumulative"]),
        delta=delta,
        help=t("kpi.published.help"),
    )
    _card(row1[1], t("kpi.full_text_rate"), percent(pub["full_text_rate"]))
    _card(
        row1[2],
        t("kpi.requests"),
        req["received"],
        t("kpi.requests.caption", received=req["received"], replied=req["replied"]),
    )
    _card(
        row1[3],
        t("kpi.deliveries"),
        f"{dl['archive']} / {dl['library']}",
        t("kpi.deliveries.caption", archive=dl["archive"], library=dl["library"]),
    )

    row2 = st.columns(4)
    if proj["count"]:
        caption = t(
            "kpi.projects.caption",
            count=proj["count"],
            month=proj["month"],
            ytd=wan(proj["ytd_invested"]),
            plan=wan(proj["annual_plan"]),
        )
        _card(
            row2[0],
            t("kpi.projects"),
            percent(proj["completion_rate"]),
            caption,
            delta=t("kpi.projects.lagging", n=len(proj["lagging"])),
            delta_color="red" if proj["lagging"] else "gray",
            delta_arrow="off",
        )
    else:
        _card(row2[0], t("kpi.projects"), "—", t("kpi.projects.none"))
    _card(row2[1], t("kpi.interpretations"), k["interpretations"])
    _card(row2[2], t("kpi.hotline"), k["hotline_duties"])
    _card(
        row2[3], t("kpi.appeals"), f"{req['reconsiderations']} / {req['litigations']} / {req['complaints']}"
    )


def render() -> None:
    """Draw the page."""
    if not resources.schema_ready():
        st.info(t("overview.empty"))
        return
    unit = filters.unit_picker()
    if unit is None:
        st.info(t("overview.empty"))
        return
    unit_name = dict((c, n) for c, n, _d in resources.units())[unit]
    year = filters.year_picker(unit)
    if year is None:
        st.info(t("overview.no_data_year", unit=unit_name, year="—"))
        return
    k = resources.year_kpis(unit, year)
    if k is None:
        st.info(t("overview.no_data_year", unit=unit_name, year=year))
        return
    st.title(t("overview.heading", unit=unit_name, year=year))
    st.caption(t("overview.as_of", year=year, month=k["month"]))
    _metrics(
        k, resources.year_kpis(unit, year - 1, k["month"]) if year - 1 in resources.years(unit) else None
    )

    left, right = st.columns([3, 2])
    with left:
        chart = charts.category_bar(
            k["publications"]["by_category"],
            title=t("chart.by_category.title"),
            category=t("chart.category"),
            count=t("chart.count"),
            share=t("chart.share"),
        )
        st.altair_chart(chart, width="stretch")
    with right:
        proj = k["projects"]
        st.markdown(f"**{t('lagging.heading', pp=proj['lag_threshold_pp'])}**")
        if proj["lagging"]:
            st.dataframe(
                {"#": range(1, len(proj["lagging"]) + 1), "项目名称": proj["lagging"]}, hide_index=True
            )
        else:
            st.write(t("lagging.none"))


require_page(__file__)
try:
    render()
except SQLAlchemyError:
    st.error(t("error.database"))
