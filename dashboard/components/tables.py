"""Tables every page shares: .xlsx downloads whose text cannot run as a formula, and paging."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
import xlsxwriter

from dashboard.i18n import t
from data_access.reports.xlsx import safe_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _write(ws, fmt: dict, row: int, col: int, value: object) -> None:  # type: ignore[no-untyped-def]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        ws.write_blank(row, col, None, fmt["cell"])
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt["cell"])
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt["cell"])
    elif isinstance(value, dt.date | pd.Timestamp):
        ws.write_string(row, col, value.strftime("%Y-%m-%d"), fmt["cell"])
    else:
        ws.write_string(row, col, safe_text(str(value)), fmt["cell"])


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame | list[pd.DataFrame]]) -> bytes:
    """A workbook with one sheet per frame (a list of frames is written one after another)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = {
        "head": book.add_format({"bold": True, "font_name": "宋体", "border": 1, "bg_color": "#DDEBF7"}),
        "cell": book.add_format({"font_name": "宋体", "border": 1}),
    }
    for name, frames in sheets.items():
        ws = book.add_worksheet(safe_text(name)[:31])
        parts = frames if isinstance(frames, list) else [frames]
        columns = list(parts[0].columns) if parts else []
        for col, heading in enumerate(columns):
            ws.write_string(0, col, safe_text(str(heading)), fmt["head"])
            ws.set_column(col, col, max(10, min(60, 2 * len(str(heading)) + 4)))
        row = 1
        for frame in parts:
            for values in frame.itertuples(index=False):
                for col, value in enumerate(values):
                    _write(ws, fmt, row, col, value)
                row += 1
        ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def download(
    sheets: Callable[[], Mapping[str, pd.DataFrame | list[pd.DataFrame]]],
    file_name: str,
    key: str,
    on_build: Callable[[], None] | None = None,
) -> None:
    """An .xlsx download button; the workbook is built only when it is clicked.

    `on_build` runs when the file is built (e.g. to audit an export of personal data).
    """

    def build() -> bytes:
        if on_build is not None:
            on_build()
        return xlsx_bytes(sheets())

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
