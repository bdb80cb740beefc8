"""The audit log as a table for the page and as an .xlsx workbook for download (pure: no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.widgets.workbook import Export, xlsx_bytes

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
    entries: Sequence[AuditEntry],
    headers: Sequence[str],
    labels: Mapping[str, str],
    title: str,
    notes: tuple[str, ...] = (),
) -> bytes:
    """An .xlsx of the entries, titled and set up for printing like every export (`notes`: e.g. the
    filter, on the line under the title); every cell is text neutralised against formula injection."""
    return xlsx_bytes({title: frame(entries, headers, labels)}, Export("", "", title, notes=notes))
