"""Tables every page shares: .xlsx downloads ready to hand on (written by dashboard.widgets.workbook),
paging, and the progress bars (in a neutral colour: red is kept for what is late, and a bar's length is the figure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.widgets.charts_pages import THIS_YEAR
from dashboard.widgets.url_state import from_url
from dashboard.widgets.workbook import Export, period_text, xlsx_bytes

__all__ = [
    "XLSX_MIME",
    "Export",
    "download",
    "pager",
    "percent_column",
    "period_text",
    "progress_column",
    "xlsx_bytes",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def progress_column() -> st.column_config.ProgressColumn:
    """A 0–100% bar with its percentage to one decimal, in the charts' neutral blue."""
    return st.column_config.ProgressColumn(
        format="percent", min_value=0, max_value=1, step=0.001, color=THIS_YEAR
    )


def percent_column() -> st.column_config.NumberColumn:
    """A share shown as a percentage to one decimal (the frame keeps the fraction)."""
    return st.column_config.NumberColumn(format="percent", step=0.001)


def download(
    sheets: Callable[[], Mapping[str, pd.DataFrame | list[pd.DataFrame]]],
    export: Export,
    key: str,
    on_build: Callable[[], None] | None = None,
    percent: Collection[str] = (),
) -> None:
    """An .xlsx download button named after `export` (某某街道2018年12月重点项目完成情况表.xlsx);
    the workbook is built only when it is clicked.

    `on_build` runs when the file is built (e.g. to audit an export of personal data); columns
    named in `percent` are written as percentages.
    """

    def build() -> bytes:
        if on_build is not None:
            on_build()
        return xlsx_bytes(sheets(), export, percent)

    st.download_button(
        t("overview2.common.download"),
        data=build,
        file_name=export.file_name(),
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def pager(
    total: int, sizes: tuple[int, ...], key: str, view: str = "", in_url: bool = False
) -> tuple[int, int]:
    """Page size and page number controls; returns (limit, offset). A new `view` (the filters) starts at page 1.
    in_url: the size and the page live in the query string (?size=&page=), so a copied address
    opens the same page (one pager a page)."""
    left, mid, right = st.columns([1, 1, 3])
    size_key = f"{key}-size"
    on_size = from_url("size", size_key, list(sizes), sizes[0], resets=("page",)) if in_url else None
    size = left.selectbox(t("overview2.common.page_size"), sizes, key=size_key, on_change=on_size)
    pages = max(1, math.ceil(total / size))
    page_key = f"{key}-page-{size}-{view}"
    if in_url:
        on_page = from_url("page", page_key, list(range(1, pages + 1)), 1)
        number = mid.number_input(
            t("overview2.common.page"), 1, pages, step=1, key=page_key, on_change=on_page
        )
    else:
        number = mid.number_input(t("overview2.common.page"), 1, pages, 1, step=1, key=page_key)
    right.caption(t("overview2.common.page_of", page=number, pages=pages, total=total))
    return size, (int(number) - 1) * size
