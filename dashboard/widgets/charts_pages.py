"""Charts of the leaders' pages, built from small aggregated frames (pure: no Streamlit here).

Category charts use charts.category_colour_scale(); statuses always have the same colours
(on time green, late orange, missing red, pending grey, count mismatch purple).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.widgets.charts import UPRIGHT_TITLE, category_colour_scale

THIS_YEAR, LAST_YEAR = "#4e79a7", "#bab0ac"
STATUS_COLOURS = {
    "on_time": "#59a14f",
    "late": "#f28e2b",
    "missing": "#e15759",
    "pending": "#bab0ac",
    "mismatch": "#b07aa1",
    "done": "#59a14f",
    "overdue": "#e15759",
}


def _title(text: str) -> alt.Title:
    return alt.Title(text, anchor="start", fontSize=16)


def month_ticks(pattern: str) -> str:
    """A Vega label expression writing month numbers with `pattern` (e.g. "{m}月")."""
    before, _, after = pattern.replace("\\", "").replace("'", "\\'").partition("{m}")
    return f"'{before}' + datum.value + '{after}'"


def trend(frame: pd.DataFrame, *, title: str, month: str, count: str, year: str, tick: str) -> alt.Chart:
    """Items per month, this year against last year: frame columns year (str), month (int), count.

    `tick` writes a month number on the axis, e.g. "{m}月"."""
    years = sorted(frame["year"].unique())
    colours = [LAST_YEAR, THIS_YEAR][-len(years) :]
    base = alt.Chart(frame, title=_title(title)).encode(
        x=alt.X("month:O", title=month, axis=alt.Axis(labelAngle=0, labelExpr=month_ticks(tick))),
        y=alt.Y("count:Q", title=count, axis=alt.Axis(tickMinStep=1, **UPRIGHT_TITLE)),
        color=alt.Color("year:N", title=year, scale=alt.Scale(domain=years, range=colours)),
        xOffset="year:N",
        tooltip=[
            alt.Tooltip("year:N", title=year),
            alt.Tooltip("month:O", title=month),
            alt.Tooltip("count:Q", title=count),
        ],
    )
    return base.mark_bar().properties(height=280)


def category_donut(
    frame: pd.DataFrame, *, title: str, category: str, count: str, share: str, names: tuple[str, ...] = ()
) -> alt.Chart:
    """Shares of the year's items by category: frame columns category, count, share; categories
    with no items are left out. `names`: every category of the catalogue in order, so that each
    keeps the colour it has on the other charts; the legend lists only those with items."""
    shown = frame[frame["count"] > 0]
    scale = category_colour_scale(list(names) or list(frame["category"]))
    present = [n for n in scale.domain if n in set(shown["category"])]  # type: ignore[union-attr]
    return (
        alt.Chart(shown, title=_title(title))
        .mark_arc(innerRadius=60)
        .encode(
            theta=alt.Theta("count:Q"),
            color=alt.Color(
                "category:N",
                title=category,
                scale=scale,
                legend=alt.Legend(labelLimit=320, values=present),
            ),
            tooltip=[
                alt.Tooltip("category:N", title=category),
                alt.Tooltip("count:Q", title=count),
                alt.Tooltip("share:Q", title=share, format=".2%"),
            ],
        )
        .properties(height=280)
    )


def bars(frame: pd.DataFrame, *, title: str, label: str, value: str, percent: bool = False) -> alt.Chart:
    """Horizontal bars of a small label → value frame (columns label, value) in the frame's order."""
    fmt = ".1%" if percent else "d"
    chart = alt.Chart(frame, title=_title(title)).encode(
        y=alt.Y("label:N", sort=list(frame["label"]), title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=value, axis=alt.Axis(format=".0%" if percent else "d", tickMinStep=1)),
        tooltip=[alt.Tooltip("label:N", title=label), alt.Tooltip("value:Q", title=value, format=fmt)],
    )
    text = chart.mark_text(align="left", dx=4).encode(text=alt.Text("value:Q", format=fmt))
    return (chart.mark_bar(color=THIS_YEAR) + text).properties(height=alt.Step(28))


def project_history(
    frame: pd.DataFrame, *, title: str, month: str, amount: str, labels: dict[str, str], tick: str
) -> alt.Chart:
    """One project: bars of each month's investment, the cumulative line and the plan-to-date line."""
    base = alt.Chart(frame, title=_title(title)).encode(
        x=alt.X("月份:O", title=month, axis=alt.Axis(labelAngle=0, labelExpr=month_ticks(tick)))
    )
    monthly = base.mark_bar(color=LAST_YEAR, opacity=0.7).encode(
        y=alt.Y("本月完成投资:Q", title=amount, axis=alt.Axis(**UPRIGHT_TITLE)),
        tooltip=[
            alt.Tooltip("月份:O", title=month),
            alt.Tooltip("本月完成投资:Q", title=labels["month"], format=",.2f"),
        ],
    )
    lines = (
        base.transform_fold(["累计完成投资", "序时计划"], as_=["series", "value"])
        .mark_line(point=True)
        .encode(
            y=alt.Y("value:Q", title=amount, axis=alt.Axis(**UPRIGHT_TITLE)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["累计完成投资", "序时计划"], range=[THIS_YEAR, STATUS_COLOURS["late"]]
                ),
                legend=alt.Legend(
                    orient="top",
                    labelExpr=f"datum.value == '序时计划' ? '{labels['plan']}' : '{labels['ytd']}'",
                ),
            ),
            strokeDash=alt.condition("datum.series == '序时计划'", alt.value([6, 4]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("月份:O", title=month),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=amount, format=",.2f"),
            ],
        )
    )
    return alt.layer(monthly, lines).resolve_scale(y="shared").properties(height=300)


def status_grid(frame: pd.DataFrame, *, title: str, x: str, y: str, labels: dict[str, str]) -> alt.Chart:
    """A coloured cell per (x, y) by status: frame columns x, y, status, label (the cell's tooltip)."""
    domain = [s for s in STATUS_COLOURS if s in set(frame["status"])]
    return (
        alt.Chart(frame, title=_title(title))
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("x:O", title=x, sort=list(dict.fromkeys(frame["x"])), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("y:N", title=None, sort=list(dict.fromkeys(frame["y"])), axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in domain]),
                legend=alt.Legend(orient="top", labelExpr=_label_expr(labels)),
            ),
            tooltip=[
                alt.Tooltip("y:N", title=y),
                alt.Tooltip("x:O", title=x),
                alt.Tooltip("label:N", title=" "),
            ],
        )
        .properties(height=alt.Step(40))
    )


def _label_expr(labels: dict[str, str]) -> str:
    expr = "datum.value"
    for key, text in labels.items():
        expr = f"datum.value == '{key}' ? '{text}' : ({expr})"
    return expr


def board_timeline(
    frame: pd.DataFrame,
    *,
    year: int,
    title: str,
    date: str,
    board: str,
    kind: str,
    note: str,
    month_format: str,
) -> alt.Chart:
    """Each board's updates as points on a January–December line: columns board, date, kind, note.

    `month_format` is the axis's d3 time format, e.g. "%-m月"."""
    return (
        alt.Chart(frame, title=_title(title))
        .mark_point(filled=True, size=160)
        .encode(
            x=alt.X(
                "date:T",
                title=date,
                axis=alt.Axis(format=month_format, tickCount="month"),
                scale=alt.Scale(domain=[f"{year}-01-01", f"{year}-12-31"]),
            ),
            y=alt.Y("board:N", title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "kind:N",
                title=kind,
                scale=alt.Scale(
                    domain=["年度换新", "季度更新", "即时更新", "修缮"],
                    range=[THIS_YEAR, STATUS_COLOURS["on_time"], LAST_YEAR, STATUS_COLOURS["late"]],
                ),
            ),
            shape=alt.Shape("kind:N", title=kind),
            tooltip=[
                alt.Tooltip("board:N", title=board),
                alt.Tooltip("date:T", title=date, format="%Y-%m-%d"),
                alt.Tooltip("kind:N", title=kind),
                alt.Tooltip("note:N", title=note),
            ],
        )
        .properties(height=alt.Step(48))
    )
