"""主动公开: the year's items against last year and target, by month, category and topic, on time or
late, and the register itself (searchable, filtered, paged in the database, downloadable; withdrawn
items marked 已撤回 and listed); 更正与撤回 of one item (dashboard.panels.publication_fixes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters, publication_fixes, register_counts
from dashboard.panels.empty import empty_state
from dashboard.panels.month import month_picker
from dashboard.panels.register_view import register
from dashboard.reads import dashboards
from dashboard.widgets import tables
from dashboard.widgets.attention import plain
from dashboard.widgets.format import percent


def _metrics(s) -> None:  # type: ignore[no-untyped-def]
    a, b, c, d = st.columns(4)
    delta = t("pub.metric.vs_last", delta=s.total - s.last_year_total) if s.last_year_total else None
    with a.container(border=True, height="stretch"):
        st.metric(t("pub.metric.total"), s.total, delta=delta, help=t("help.pub.total"))
        if not s.last_year_total:
            st.caption(t("pub.metric.no_last"))
    with b.container(border=True, height="stretch"):
        if s.target:
            st.metric(t("pub.metric.target"), percent(s.total / s.target), help=t("help.pub.target"))
            st.caption(t("pub.metric.target_caption", target=f"{s.target:,.0f}", total=s.total))
        else:
            st.metric(t("pub.metric.target"), "—", help=t("help.pub.target"))
            st.caption(t("pub.metric.no_target") + "。" + t("pub.metric.no_target_caption"))
    with c.container(border=True, height="stretch"):
        st.metric(t("pub.metric.timely"), percent(s.timeliness.share), help=t("help.pub.timely"))
        st.caption(t("pub.metric.timely_caption", on_time=s.timeliness.on_time, judged=s.timeliness.judged))
    with d.container(border=True, height="stretch"):
        cov = s.coverage
        rate = percent(cov.on_time / cov.due) if cov and cov.due else "—"
        st.metric(t("pub.metric.coverage"), rate, help=t("help.pub.coverage"))
        if cov is None:
            st.caption(t("pub.metric.coverage_none"))
        else:
            st.caption(
                t(
                    "pub.metric.coverage_caption",
                    on_time=cov.on_time,
                    due=cov.due,
                    late=cov.late,
                    missing=cov.missing,
                )
            )


def _coverage_lines(s) -> None:  # type: ignore[no-untyped-def]
    """目录事项未按期公开: the periods of periodic catalogue items not published on time."""
    cov = s.coverage
    if cov is None or not cov.lines:
        return
    st.subheader(t("pub.coverage.heading", n=cov.late + cov.missing))
    frame = pd.DataFrame(
        [(line.owed.unit_name, line.owed.item_name, line.label, line.due, t(f"pub.coverage.{line.status}"),
          line.published) for line in cov.lines],
        columns=[t(f"pub.coverage.col.{k}") for k in ("unit", "item", "period", "due", "status", "published")],
    )  # fmt: skip
    st.dataframe(frame, hide_index=True, placeholder="—", width="stretch")


def _charts(s) -> None:  # type: ignore[no-untyped-def]
    left, right = st.columns([3, 2])
    trend = pd.DataFrame(s.monthly, columns=["year", "month", "count"]).astype({"year": str})
    left.vega_lite_chart(
        chart_specs.chart_spec(
            "trend",
            trend,
            title=t("pub.chart.trend", year=s.year, last=s.year - 1),
            month=t("pub.chart.month"),
            count=t("pub.chart.count"),
            year=t("pub.chart.year"),
            tick=t("chart.month_tick"),
        ),
        width="stretch",
    )
    shares = pd.DataFrame(
        [(c.name, c.count, c.share or 0) for c in s.categories], columns=["category", "count", "share"]
    )
    right.vega_lite_chart(
        chart_specs.chart_spec(
            "category_donut",
            shares,
            title=t("pub.chart.categories"),
            category=t("pub.chart.category"),
            count=t("pub.chart.count"),
            share=t("pub.chart.share"),
            names=tuple(shares["category"]),
        ),
        width="stretch",
    )


def _category_table(s) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    rows = [
        (c.name, c.count, c.share, c.target, c.progress, c.timeliness.share, c.timeliness.late)
        for c in s.categories
    ]
    rows.append((t("pub.col.total"), s.total, 1.0 if s.total else None, s.target,
                 s.total / s.target if s.target else None, s.timeliness.share, s.timeliness.late))  # fmt: skip
    keys = ("category", "count", "share", "target", "progress", "timely", "late")
    frame = pd.DataFrame(rows, columns=[t(f"pub.col.{k}") for k in keys])
    return frame if s.has_targets else frame.drop(columns=[t("pub.col.target"), t("pub.col.progress")])


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    month = month_picker(list(range(1, 13)), allow_all=True)
    st.title(t("pub.title", unit=unit_name, year=year))
    filters.scope_note(unit)
    s = dashboards.publication_summary(unit, year)
    if not s.total:
        empty_state(t("pub.empty", unit=unit_name, year=year), "publications")
    else:
        _metrics(s)
        _coverage_lines(s)
        _charts(s)
        left, right = st.columns([3, 2])
        with left:
            st.subheader(t("pub.table.heading"))
            if not s.has_targets:
                st.caption(t("pub.table.no_targets"))
            if s.other_units is not None:  # units with different catalogues: by 领域
                st.caption(t("catalogue.by_domain", units=plain("、".join(s.other_units)) or "—"))
            table = _category_table(s)
            rates = (t("pub.col.share"), t("pub.col.progress"), t("pub.col.timely"))
            st.dataframe(table, hide_index=True, placeholder="—", width="stretch", column_config={
                rates[0]: tables.percent_column(), rates[1]: tables.progress_column(), rates[2]: tables.progress_column()})  # fmt: skip
            tables.download(
                lambda: {t("pub.table.heading")[:31]: table},
                tables.Export(dashboards.unit_name(unit), tables.period_text(year), t("export.publications"),
                              t("export.publications.measure")),
                "pub-xlsx",
                percent=rates,
            )  # fmt: skip
        with right:
            topics = pd.DataFrame(s.topics, columns=["label", "value"])
            if len(topics):
                spec = chart_specs.chart_spec(
                    "bars",
                    topics,
                    title=t("pub.chart.topics"),
                    label=t("pub.chart.topic"),
                    value=t("pub.chart.count"),
                )
                st.vega_lite_chart(spec, width="stretch")
            else:
                st.caption(t("pub.topics.none"))
            register_counts.table(dashboards.register_counts(unit, year))
    who = session.current()
    personal = dashboards.personal_ids(who, unit) if who else ()
    register(unit, year, month, personal, [c.name for c in s.categories])
    publication_fixes.withdrawn_list(unit, year)
    publication_fixes.fixes(who, unit)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
