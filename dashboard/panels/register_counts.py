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
    rows = [(name, n) for name, n in counts.by_register]
    rows.append((t("registers.total"), counts.total))
    frame = pd.DataFrame(rows, columns=[t("registers.col.register"), t("registers.col.count")])
    st.subheader(t("registers.heading"))
    st.caption(t("registers.caption"))
    st.dataframe(frame, hide_index=True, width="stretch")
