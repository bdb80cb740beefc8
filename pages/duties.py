"""公开栏与两馆: each bulletin board's renewals, quarterly updates and repairs (what is overdue, what is
due next) and the monthly deliveries to the city archive and library (on time, late, missing, count)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters
from dashboard.panels.empty import empty_state
from dashboard.reads import dashboards
from dashboard.reads.dashboards import overdue_line
from dashboard.widgets import tables
from dashboard.widgets.format import percent
from data_access.rules.vocab import RECIPIENT_NAMES


def _dates(days, sep: str) -> str:  # type: ignore[no-untyped-def]
    return sep.join(f"{d:%m-%d}" for d in days)


def _boards_frame(lines) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    col = {
        k: t(f"duty.boards.col.{k}")
        for k in ("board", "unit", "location", "status", "renewal", "quarterly", "repairs", "overdue", "next")
    }
    sep = t("common.list_sep")
    late, ok, not_renewed = t("duty.boards.late"), t("duty.boards.ok"), t("duty.boards.not_renewed")
    frame = pd.DataFrame(
        [
            {
                col["board"]: b.name,
                col["unit"]: b.unit,
                col["location"]: b.location or "",
                col["status"]: late if b.overdue else ok,
                col["renewal"]: b.last_renewal.isoformat() if b.last_renewal else not_renewed,
                col["quarterly"]: _dates(b.quarterly, sep),
                col["repairs"]: "；".join(f"{e.day:%m-%d} {e.note or ''}".strip() for e in b.repairs),
                col["overdue"]: overdue_line(b.overdue),
                col["next"]: "；".join(d.label for d in b.next_due),
            }
            for b in lines
        ]
    )  # fmt: skip
    return frame.drop(columns=[col["next"]]) if len(frame) and not frame[col["next"]].any() else frame


def _delivery_frame(lines, several: bool) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    col = {k: t(f"duty.col.{k}") for k in ("month", "recipient", "due", "delivered", "count", "published", "status",
                                            "findings")}  # fmt: skip
    ticks = {
        m: t("chart.month_tick", m=m) for m in range(1, 13)
    }  # a city has thousands of lines: labels once
    rows = []
    for d in lines:
        c = d.check
        recipient = c.recipient_name or RECIPIENT_NAMES.get(c.recipient, c.recipient)
        who = f"{d.unit}·{recipient}" if several else recipient
        rows.append(
            {
                "x": ticks[c.period_ym % 100],
                "y": who,
                "status": "mismatch" if d.count_mismatch and c.status == "on_time" else c.status,
                "label": "；".join((c.label, *c.findings)),
                col["month"]: f"{c.period_ym // 100}-{c.period_ym % 100:02d}",
                col["recipient"]: who,
                col["due"]: c.due,
                col["delivered"]: c.delivered,
                col["count"]: c.item_count,
                col["published"]: c.published_count,
                col["status"]: c.label,
                col["findings"]: "；".join(c.findings),
            }
        )
    return pd.DataFrame(rows)


def _metrics(boards, deliveries) -> None:  # type: ignore[no-untyped-def]
    due = [d for d in deliveries if d.check.status != "pending"]
    on_time = sum(d.check.status == "on_time" for d in due)
    cols = st.columns(5)
    cards = (
        (t("duty.metric.boards"), len(boards), t("duty.metric.boards_caption", overdue=sum(bool(b.overdue) for b in boards)), "help.duty.boards"),
        (t("duty.metric.on_time"), percent(on_time / len(due) if due else None), t("duty.metric.on_time_caption", on_time=on_time, due=len(due)), "help.duty.on_time"),
        (t("duty.metric.late"), sum(d.check.status == "late" for d in due), None, "help.duty.late"),
        (t("duty.metric.missing"), sum(d.check.status == "missing" for d in due), None, "help.duty.missing"),
        (t("duty.metric.mismatch"), sum(d.count_mismatch for d in deliveries), None, "help.duty.mismatch"),
    )  # fmt: skip
    for column, (label, value, caption, help_key) in zip(cols, cards, strict=True):
        with column.container(border=True, height="stretch"):
            st.metric(label, value, help=t(help_key))
            if caption:
                st.caption(caption)


def render() -> None:
    """Draw the page."""
    picked = filters.unit_and_year()
    if picked is None:
        return
    unit, unit_name, year = picked
    st.title(t("duty.title", unit=unit_name, year=year))
    filters.scope_note(unit)
    boards, deliveries = dashboards.boards(unit, year), dashboards.deliveries(unit, year)
    _metrics(boards, deliveries)
    st.subheader(t("duty.boards.heading"))
    st.caption(t("duty.boards.caption"))
    board_frame = _boards_frame(boards)
    if boards:
        st.dataframe(board_frame, hide_index=True, placeholder="—", width="stretch")
        events = pd.DataFrame(
            [(b.name, e.day, e.kind, e.note or "") for b in boards for e in b.events],
            columns=["board", "date", "kind", "note"],
        )
        if len(events):
            st.vega_lite_chart(chart_specs.chart_spec("board_timeline", events, year=year, title=t("duty.timeline.title", year=year), date=t("duty.timeline.date"),
                                                        board=t("duty.boards.col.board"), kind=t("duty.timeline.kind"), note=t("duty.timeline.note"),
                                                        month_format=t("chart.month_time_format")), width="stretch")  # fmt: skip
    else:
        empty_state(t("duty.boards.none", unit=unit_name), "boards")
    st.subheader(t("duty.deliveries.heading"))
    st.caption(t("duty.deliveries.caption"))
    frame = _delivery_frame(deliveries, len({d.unit for d in deliveries}) > 1)
    if deliveries:
        labels = {k: t(f"duty.status.{k}") for k in ("on_time", "late", "missing", "pending", "mismatch")}
        st.vega_lite_chart(chart_specs.chart_spec("status_grid", frame, title=t("duty.grid.title", year=year), x=t("duty.grid.month"),
                                                 y=t("duty.grid.recipient"), labels=labels), width="stretch")  # fmt: skip
        table = frame.drop(columns=["x", "y", "status", "label"])
        st.dataframe(table, hide_index=True, placeholder="—", width="stretch", column_config={t("duty.col.due"): st.column_config.DateColumn(format="YYYY-MM-DD"), t("duty.col.delivered"): st.column_config.DateColumn(format="YYYY-MM-DD")})  # fmt: skip
    else:
        table = frame
        empty_state(t("duty.deliveries.none", unit=unit_name, year=year), "deliveries")
    export = tables.Export(dashboards.unit_name(unit), tables.period_text(year), t("export.duties"))
    tables.download(lambda: {t("duty.boards.heading"): board_frame, t("duty.deliveries.heading")[:31]: table}, export, "duty-xlsx")  # fmt: skip


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
