"""依申请公开: the year's requests by channel, applicant and outcome, the on-time rate, the open
requests soonest due first, how each due date was worked out, and appeals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters
from dashboard.panels.empty import empty_state
from dashboard.panels.letters_panel import letters_panel
from dashboard.panels.request_views import explanation, request_frame, show_table
from dashboard.reads import dashboards
from dashboard.reads.dashboards import PAGE_SIZES
from dashboard.widgets import tables
from dashboard.widgets.format import percent
from dashboard.writes import requests as requests_writes
from data_access.rules.vocab import old_reply


def _metrics(s) -> None:  # type: ignore[no-untyped-def]
    ch = dict(s.by_channel)
    cards = (
        (t("req.metric.received"), s.received, t("req.metric.received_caption", face=ch["当面"], online=ch["网络"], post=ch["信函"], fax=ch["传真"]), "help.req.received"),
        (t("req.metric.answered"), s.answered, None, "help.req.answered"),
        (t("req.metric.on_time"), percent(s.on_time_rate), t("req.metric.on_time_caption", on_time=s.answered_on_time, answered=s.answered), "help.req.on_time"),
        (t("req.metric.open"), f"{len(s.open)} / {s.overdue}", t("req.metric.open_caption", soon=sum(r.status == "due_soon" for r in s.open)), "help.req.open"),
    )  # fmt: skip
    for column, (label, value, caption, help_key) in zip(st.columns(4), cards, strict=True):
        with column.container(border=True, height="stretch"):
            st.metric(label, value, help=t(help_key))
            if caption:
                st.caption(caption)


def _statistics(s) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    left, mid, right = st.columns([2, 2, 3])
    for column, pairs, key in (
        (left, s.by_channel, "req.chart.channel"),
        (mid, s.by_applicant, "req.chart.applicant"),
    ):
        frame = pd.DataFrame(pairs, columns=["label", "value"])
        column.vega_lite_chart(
            chart_specs.chart_spec(
                "bars", frame, title=t(key), label=t("req.chart.label"), value=t("req.chart.count")
            ),
            width="stretch",
        )
    outcomes = pd.DataFrame(
        [(o, old_reply(o) or "其他", n) for o, n in s.by_outcome],
        columns=[t("req.outcome.col.new"), t("req.outcome.col.old"), t("req.outcome.col.count")],
    )
    with right:
        st.markdown(f"**{t('req.outcome.heading')}**")
        if len(outcomes):
            st.dataframe(outcomes, hide_index=True, placeholder="—", width="stretch")
        else:
            st.caption(t("req.outcome.none"))
        old = " · ".join(f"{name} {n}" for name, n in s.by_old_reply)
        st.caption(f"{t('req.outcome.col.old')}：{old}")
    return outcomes


def _appeals(s) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    st.subheader(t("req.appeals.heading"))
    frame = pd.DataFrame(
        [
            (k, filed, no or "", result or t("req.appeals.pending"), closed)
            for k, filed, no, result, closed in s.appeals
        ],
        columns=[t(f"req.appeals.col.{c}") for c in ("kind", "filed", "request", "result", "closed")],
    )
    if s.complaints_by_source:
        sources = " · ".join(f"{name} {n}" for name, n in s.complaints_by_source)
        total = sum(n for _name, n in s.complaints_by_source)
        st.caption(t("req.appeals.complaints", total=total, sources=sources))
    if len(frame):
        st.dataframe(frame, hide_index=True, placeholder="—", width="stretch")
    else:
        st.caption(t("req.appeals.none"))
    return frame


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    st.title(t("req.title", unit=unit_name, year=year))
    filters.scope_note(unit)
    who = session.current()
    personal = dashboards.personal_ids(who, unit) if who else ()
    s = dashboards.request_stats(unit, personal, year)
    if not s.received and not s.answered and not s.open and not s.appeals:
        empty_state(t("req.empty", unit=unit_name, year=year), "requests")
        return
    _metrics(s)
    export_slot = st.container()  # the page's export, filled below once its tables are built
    outcomes = _statistics(s)
    st.subheader(t("req.open.heading"))
    if not personal:
        st.caption(t("req.personal_note"))
    shown = bool(personal)
    open_frame = request_frame(s.open, shown, answered=False)
    if s.open:
        show_table(open_frame)
    else:
        st.success(t("req.open.none"))
    st.subheader(t("req.answered.heading"))
    total = dashboards.answered_count(unit, year)
    page: list = []
    if total:
        limit, offset = tables.pager(total, PAGE_SIZES, "answered", f"{unit}-{year}", in_url=True)
        page = dashboards.answered_page(unit, personal, year, limit, offset)
        show_table(request_frame(page, shown, answered=True))
    else:
        st.caption(t("req.answered.none"))
    appeals = _appeals(s)

    def sheets() -> dict[str, pd.DataFrame]:
        answered = dashboards.answered_all(unit, personal, year)
        return {t("req.open.heading")[:31]: open_frame, t("req.answered.heading"): request_frame(answered, shown, answered=True),
                t("req.outcome.heading"): outcomes, t("req.appeals.heading")[:31]: appeals}  # fmt: skip

    audit = None
    if shown and who is not None:  # the file carries applicants' names and requests: audited

        def audit() -> None:
            requests_writes.record_export(
                who, f"导出依申请公开台账（含申请人信息）：{unit} {year} 年", source=session.source()
            )

    export = tables.Export(dashboards.unit_name(unit), tables.period_text(year), t("export.requests"),
                           t("export.requests.measure"))  # fmt: skip
    with export_slot:  # at the top, under the figures: the whole page's workbook, not 复议诉讼's
        st.caption(t("req.export.whole"))
        tables.download(sheets, export, "req-xlsx", on_build=audit)
    lines = [*s.open, *page]
    explanation(unit, personal, lines, f"req-explain-{unit}-{year}")
    visible = sorted({r.request_no for r in lines if r.summary is not None})
    if visible and who is not None and who.can("statutory_letters"):
        letters_panel(unit, visible, who)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
