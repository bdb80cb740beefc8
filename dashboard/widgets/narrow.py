"""What a narrow screen (a phone) shows instead of a wide table: the columns that matter, in an
HTML table whose cells wrap, so no figure is pushed off the screen or cut. Drawn in a container
that the style sheet (dashboard/chrome.py) shows only on a narrow screen."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

CHOSEN = "#fff3cd"  # the chosen item's row, as on the wide table
LAGGING = "#c0392b"  # a lagging row's text, as the office marks it


def _cell(value: object, shown: Callable[[object], str] | None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return html.escape(shown(value) if shown else str(value))


def compact_table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    key: str,
    formats: dict[str, Callable[[object], str]] | None = None,
    chosen: int | None = None,
    red: Sequence[bool] = (),
) -> None:
    """`columns` of `frame` (its row `chosen` highlighted, rows where `red` is true in red) as a
    wrapping table, inside a container keyed narrowonly-`key`."""
    formats = formats or {}
    head = "".join(f'<th style="text-align:left;padding:4px 6px">{html.escape(c)}</th>' for c in columns)
    body = []
    for i, row in enumerate(frame[list(columns)].itertuples(index=False)):
        style = "border-top:1px solid #e6e6e6;"
        if i == chosen:
            style += f"background:{CHOSEN};"
        if i < len(red) and red[i]:
            style += f"color:{LAGGING};font-weight:600;"
        cells = "".join(
            f'<td style="padding:4px 6px;overflow-wrap:anywhere;vertical-align:top">{_cell(v, formats.get(c))}</td>'
            for c, v in zip(columns, row, strict=True)
        )
        body.append(f'<tr style="{style}">{cells}</tr>')
    with st.container(key=f"narrowonly-{key}"):
        st.html(
            f'<table data-testid="gkCompactTable" style="width:100%;border-collapse:collapse;'
            f'font-size:0.875rem"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        )
