"""Per-register counts (政府网站, 政务新媒体, …) and the de-duplicated total, on 总览 and 主动公开."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.reads.dashboards import RegisterCounts


def overview_caption(counts: RegisterCounts) -> None:
    """One line under 总览's cards: each register that lists items, and the total counted once."""
    parts = " · ".join(f"{name} {n} 条" for name, n in counts.by_register if n)
    if parts:
        st.caption(t("registers.overview", parts=parts, total=counts.total))


def table(counts: RegisterCounts) -> None:
    """主动公开's table: every register's count and the total counted once."""
    rows: list[tuple[str, int | None]] = list(counts.shown())
    rows.append((t("registers.total"), counts.total))
    frame = pd.DataFrame(rows, columns=[t("registers.col.register"), t("registers.col.count")])
    frame[t("registers.col.count")] = frame[t("registers.col.count")].astype("Int64")
    st.subheader(t("registers.heading"))
    st.caption(t("registers.caption"))
    if any(n is None for _name, n in rows):
        st.caption(t("registers.unrecorded"))
    st.dataframe(frame, hide_index=True, width="stretch", placeholder=t("registers.unrecorded.cell"))
