"""The .xlsx workbook of a page's tables, ready to hand on (pure: no Streamlit).

Each sheet opens with a title row (unit, period, what) and a line with the unit, period, unit of
measure and time of export; then the headings, repeated on every printed page. Columns are as wide
as their contents (a Chinese character counts double; longer text wraps); sheets print landscape on
A4, one page wide. Every text goes through `safe_text`, so nothing the records contain can run as a
formula.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import numbers
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import xlsxwriter

from dashboard.i18n import t
from data_access.read.reports.xlsx import safe_text
from data_access.rules.printing import display_width, file_safe, wrapped_lines


@dataclass(frozen=True)
class Export:
    """What an exported table is, printed in its title rows and spelled in its file name.

    `unit` is the unit's name as typed (not escaped for Markdown), `period` e.g. 2018年12月,
    `what` e.g. 重点项目完成情况表, `measure` e.g. 金额单位：万元 (None when no figure has a unit),
    `notes` more of the second line (e.g. the filter an audit log was exported with). An empty unit
    or period (the audit log has neither) is left out of the second line."""

    unit: str
    period: str
    what: str
    measure: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.unit}{self.period}{self.what}"

    def file_name(self, extension: str = "xlsx") -> str:
        """某某街道2018年12月重点项目完成情况表.xlsx: the title, with what a file name cannot hold replaced."""
        return f"{file_safe(self.title)}.{extension}"


def period_text(year: int, month: int | None = None) -> str:
    """2018年 or 2018年12月, as titles and file names spell a period."""
    return t("export.period.month", year=year, month=month) if month else t("export.period.year", year=year)


def _missing(value: object) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _shown(value: object, is_percent: bool) -> str:
    """The value as a spreadsheet shows it (for the column's width and the row's height)."""
    if _missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return t("common.yes")
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if is_percent:
            return f"{number:.1%}"
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    if isinstance(value, dt.date | pd.Timestamp):
        return "2000-01-01"
    return str(value)


def _write(ws, fmt: dict, row: int, col: int, value: object, cell_fmt, number_fmt=None) -> None:  # type: ignore[no-untyped-def]
    if _missing(value):
        ws.write_blank(row, col, None, cell_fmt)
    elif isinstance(value, bool | np.bool_):
        ws.write_string(row, col, t("common.yes") if value else t("common.no"), cell_fmt)
    elif isinstance(value, numbers.Real | Decimal):  # numpy integers too: a nullable Int64 column yields them
        ws.write_number(row, col, float(value), number_fmt or fmt["cell"])
    elif isinstance(value, dt.date | pd.Timestamp):
        ws.write_string(row, col, value.strftime("%Y-%m-%d"), cell_fmt)
    else:
        ws.write_string(row, col, safe_text(str(value)), cell_fmt)


MIN_WIDTH, MAX_WIDTH = 6, 62  # characters; 62 holds a 30-character Chinese project name on one line
# What landscape A4 holds, one page wide, at about 80% of 11-point text; beyond it, columns of long
# text (which wrap anyway) narrow down to WRAP_WIDTH before the whole sheet is printed smaller.
PAGE_BUDGET, WRAP_WIDTH = 170, 30
ROW_HEIGHT = 15  # points of one line of 11-point text
HEADER_ROW = 2  # row 1 the title, row 2 unit / period / measure / time, row 3 the headings


def _widths(columns: list[str], parts: list[pd.DataFrame], percent: Collection[str]) -> list[int]:
    """Each column as wide as its longest value or heading (a Chinese character counts double)."""
    widths = []
    for col, heading in enumerate(columns):
        longest = display_width(str(heading))
        for frame in parts:
            for value in frame.iloc[:, col]:
                longest = max(longest, display_width(_shown(value, str(heading) in percent)))
        widths.append(longest + 2)
    fitted = [max(MIN_WIDTH, min(MAX_WIDTH, w)) for w in widths]
    over = sum(fitted) - PAGE_BUDGET
    for col in sorted(range(len(widths)), key=lambda c: -widths[c]):
        if over <= 0 or widths[col] <= MAX_WIDTH:
            break
        narrower = max(WRAP_WIDTH, fitted[col] - over)
        over -= fitted[col] - narrower
        fitted[col] = narrower
    return fitted


TITLE_SCALE = 16 / 11  # the title's characters are this much wider than the table's


def _info(export: Export, exported_at: str) -> str:
    """The line under the title: unit, period, unit of measure, notes and time of export."""
    parts = (
        export.unit and t("export.info.unit", unit=export.unit),
        export.period and t("export.info.period", period=export.period),
        export.measure,
        *export.notes,
        t("export.info.exported", at=exported_at),
    )
    return "　".join(part for part in parts if part)


def _widen(widths: list[int], title: str, info: str) -> list[int]:
    """A narrow table's columns widened evenly so its title and the line under it fit on a line each."""
    wanted = min(PAGE_BUDGET, max(math.ceil(display_width(title) * TITLE_SCALE), display_width(info)) + 4)
    extra = wanted - sum(widths)
    if extra <= 0:
        return widths
    each, left = divmod(extra, len(widths))
    return [w + each + (1 if i < left else 0) for i, w in enumerate(widths)]


def _heading_rows(ws, fmt: dict, title: str, info: str, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Row 1 the title across the table; row 2 unit, period, unit of measure and time of export."""
    total = sum(widths)
    last = len(widths) - 1
    for row, text, style, scale in ((0, title, "title", TITLE_SCALE), (1, info, "info", 1.0)):
        if last > 0:
            ws.merge_range(row, 0, row, last, safe_text(text), fmt[style])
        else:
            ws.write_string(row, 0, safe_text(text), fmt[style])
        ws.set_row(row, ROW_HEIGHT * scale * wrapped_lines(text, total / scale) + 4)


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame | list[pd.DataFrame]],
    export: Export,
    percent: Collection[str] = (),
    exported_at: dt.datetime | None = None,
) -> bytes:
    """A workbook with one sheet per frame (a list of frames is written one after another), ready to
    hand on: each sheet opens with its title (unit, period, what) and a line with the unit, period,
    unit of measure and time of export, then the headings, repeated on every printed page; columns
    as wide as their contents; printed landscape on A4, one page wide. An empty table reads 无, and
    the workbook opens on the first sheet that has rows.

    Columns headed by a name in `percent` hold fractions and are shown as percentages (0.0%)."""
    stamp = (exported_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
    cell = {**base, "border": 1}
    fmt = {
        "title": book.add_format(
            {**base, "bold": True, "font_size": 16, "align": "center", "text_wrap": True}
        ),
        "info": book.add_format({**base, "text_wrap": True}),
        "head": book.add_format(
            {**cell, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True}
        ),
        "cell": book.add_format(cell),
        "wrap": book.add_format({**cell, "text_wrap": True}),
        "percent": book.add_format({**cell, "num_format": "0.0%"}),
        "none": book.add_format({**cell, "align": "center"}),
    }
    opened = False
    for name, frames in sheets.items():
        ws = book.add_worksheet(safe_text(name)[:31])
        parts = frames if isinstance(frames, list) else [frames]
        columns = [str(c) for c in parts[0].columns] if parts else []
        rows = sum(len(frame) for frame in parts)
        title = export.title if len(sheets) == 1 else f"{export.title}——{name}"
        info = _info(export, stamp)
        widths = _widen(_widths(columns, parts, percent) if columns else [MIN_WIDTH], title, info)
        if not columns:  # nothing to list (no columns at all): the 无 line in a readable column
            ws.set_column(0, 0, widths[0])
        _heading_rows(ws, fmt, title, info, widths)
        for col, heading in enumerate(columns):
            ws.write_string(HEADER_ROW, col, safe_text(heading), fmt["head"])
            ws.set_column(col, col, widths[col])
        heading_lines = max((wrapped_lines(h, widths[col]) for col, h in enumerate(columns)), default=1)
        if heading_lines > 1:
            ws.set_row(HEADER_ROW, ROW_HEIGHT * heading_lines + 4)
        formats = [fmt["percent"] if c in percent else None for c in columns]
        row = HEADER_ROW + 1
        for frame in parts:
            for values in frame.itertuples(index=False):
                lines = 1
                for col, value in enumerate(values):
                    text = _shown(value, columns[col] in percent)
                    wraps = display_width(text) + 2 > widths[col]
                    if wraps:
                        lines = max(lines, wrapped_lines(text, widths[col]))
                    _write(ws, fmt, row, col, value, fmt["wrap" if wraps else "cell"], formats[col])
                if lines > 1:
                    ws.set_row(row, ROW_HEIGHT * lines + 4)
                row += 1
        if not rows:  # an empty table says so, across its width
            if len(widths) > 1:
                ws.merge_range(row, 0, row, len(widths) - 1, t("export.none"), fmt["none"])
            else:
                ws.write_string(row, 0, t("export.none"), fmt["none"])
        elif not opened:
            ws.activate()
            opened = True
        ws.freeze_panes(HEADER_ROW + 1, 0)
        ws.repeat_rows(HEADER_ROW)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer(t("export.footer"))
    book.close()
    return buffer.getvalue()
