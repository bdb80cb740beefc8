"""Tables every page shares: .xlsx downloads whose text cannot run as a formula, paging, and the
progress bars (in a neutral colour: red is kept for what is late, and a bar's length is the figure)."""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal

import numpy as np
import pandas as pd
import streamlit as st
import xlsxwriter

from dashboard.i18n import t
from dashboard.widgets.charts_pages import THIS_YEAR
from data_access.read.reports.xlsx import safe_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def progress_column() -> st.column_config.ProgressColumn:
    """A 0–100% bar with its percentage to one decimal, in the charts' neutral blue."""
    return st.column_config.ProgressColumn(
        format="percent", min_value=0, max_value=1, step=0.001, color=THIS_YEAR
    )


def percent_column() -> st.column_config.NumberColumn:
    """A share shown as a percentage to one decimal (the frame keeps the fraction)."""
    return st.column_config.NumberColumn(format="percent", step=0.001)


def _missing(value: object) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _write(ws, fmt: dict, row: int, col: int, value: object, number_fmt=None) -> None:  # type: ignore[no-untyped-def]
    if _missing(value):
        ws.write_blank(row, col, None, fmt["cell"])
    elif isinstance(value, bool | np.bool_):
        ws.write_string(row, col, t("common.yes") if value else t("common.no"), fmt["cell"])
    elif isinstance(value, numbers.Real | Decimal):  # numpy integers too: a nullable Int64 column yields them
        ws.write_number(row, col, float(value), number_fmt or fmt["cell"])
    elif isinstance(value, dt.date | pd.Timestamp):
        ws.write_string(row, col, value.strftime("%Y-%m-%d"), fmt["cell"])
    else:
        ws.write_string(row, col, safe_text(str(value)), fmt["cell"])


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame | list[pd.DataFrame]], percent: Collection[str] = ()
) -> bytes:
    """A workbook with one sheet per frame (a list of frames is written one after another).

    Columns headed by a name in `percent` hold fractions and are shown as percentages (0.0%)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = {
        "head": book.add_format({"bold": True, "font_name": "宋体", "border": 1, "bg_color": "#DDEBF7"}),
        "cell": book.add_format({"font_name": "宋体", "border": 1}),
        "percent": book.add_format({"font_name": "宋体", "border": 1, "num_format": "0.0%"}),
    }
    for name, frames in sheets.items():
        ws = book.add_worksheet(safe_text(name)[:31])
        parts = frames if isinstance(frames, list) else [frames]
        columns = list(parts[0].columns) if parts else []
        for col, heading in enumerate(columns):
            ws.write_string(0, col, safe_text(str(heading)), fmt["head"])
            ws.set_column(col, col, max(10, min(60, 2 * len(str(heading)) + 4)))
        formats = [fmt["percent"] if str(c) in percent else None for c in columns]
        row = 1
        for frame in parts:
            for values in frame.itertuples(index=False):
                for col, value in enumerate(values):
                    _write(ws, fmt, row, col, value, formats[col] if col < len(formats) else None)
                row += 1
        ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def download(
    sheets: Callable[[], Mapping[str, pd.DataFrame | list[pd.DataFrame]]],
    file_name: str,
    key: str,
    on_build: Callable[[], None] | None = None,
    percent: Collection[str] = (),
) -> None:
    """An .xlsx download button; the workbook is built only when it is clicked.

    `on_build` runs when the file is built (e.g. to audit an export of personal data); columns
    named in `percent` are written as percentages.
    """

    def build() -> bytes:
        if on_build is not None:
            on_build()
        return xlsx_bytes(sheets(), percent)

    st.download_button(
        t("overview2.common.download"),
        data=build,
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def pager(total: int, sizes: tuple[int, ...], key: str, view: str = "") -> tuple[int, int]:
    """Page size and page number controls; returns (limit, offset). A new `view` (the filters) starts at page 1."""
    left, mid, right = st.columns([1, 1, 3])
    size = left.selectbox(t("overview2.common.page_size"), sizes, key=f"{key}-size")
    pages = max(1, math.ceil(total / size))
    number = mid.number_input(
        t("overview2.common.page"), 1, pages, 1, step=1, key=f"{key}-page-{size}-{view}"
    )
    right.caption(t("overview2.common.page_of", page=number, pages=pages, total=total))
    return size, (int(number) - 1) * size
