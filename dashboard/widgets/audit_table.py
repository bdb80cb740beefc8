"""The audit log as a table for the page and as an .xlsx workbook for download (pure: no Streamlit)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter

from data_access.read.reports.xlsx import safe_text

if TYPE_CHECKING:  # a type only: a widget imports no code that reads or writes
    from data_access.store.audit import AuditEntry


def rows(entries: Sequence[AuditEntry], labels: Mapping[str, str]) -> list[tuple[str, str, str, str, str]]:
    """Each entry as text cells: time, user, action (labelled), detail, address."""
    return [
        (
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.username or "—",
            labels.get(e.action, e.action_label),
            e.detail or "",
            e.source or "",
        )
        for e in entries
    ]


def frame(entries: Sequence[AuditEntry], headers: Sequence[str], labels: Mapping[str, str]) -> pd.DataFrame:
    """The entries as a DataFrame with the given column headings."""
    return pd.DataFrame(rows(entries, labels), columns=list(headers))


def workbook(
    entries: Sequence[AuditEntry], headers: Sequence[str], labels: Mapping[str, str], title: str
) -> bytes:
    """An .xlsx of the entries; every cell is text neutralised against formula injection."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(safe_text(title)[:31])
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    cell = book.add_format({"text_wrap": True, "valign": "top"})
    for col, (heading, width) in enumerate(zip(headers, (20, 16, 14, 70, 18), strict=True)):
        sheet.write_string(0, col, safe_text(heading), head)
        sheet.set_column(col, col, width)
    for r, values in enumerate(rows(entries, labels), start=1):
        for col, value in enumerate(values):
            sheet.write_string(r, col, safe_text(value), cell)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
