"""The upload page's register picker and the preview's register line and cross-period rows (主动公开).

A publications upload is filed under a register (政府网站, 政务新媒体, …): the picker offers 自动
(the register read from the file name, sheet, title or 渠道 column, else 政府网站) or one chosen. Rows
naming an item recorded in another month are listed with 「原属 2018-03，本文件将其改为 2018-06」 and a
choice per row (keep the original month and update the fields — the default —, move it, skip it);
the choices go with the commit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.reads import records as records_reads

AUTO = ""
CHOICES = ("keep", "move", "skip")


def picker(kind: str) -> str | None:
    """The register chosen for a publications upload (None: 自动, and for every other kind)."""
    if kind != "publications":
        return None
    options = [AUTO, *records_reads.register_names()]
    chosen = st.selectbox(
        t("upload.register"),
        options,
        format_func=lambda name: name or t("upload.register.auto"),
        help=t("upload.register.help"),
        key="upload_register",
    )
    return chosen or None


def show(preview, chosen: str | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The register the preview used (and why), the rows that stay in another register, and the
    cross-period rows with a choice each; returns 索引号 → choice for the commit."""
    if preview.kind != "publications" or not preview.register:
        return {}
    guess = preview.register_guess
    if chosen:
        st.caption(t("upload.register.used", register=preview.register))
    elif guess is not None:
        st.caption(t("upload.register.guessed", register=preview.register, why=guess.message))
    else:
        st.caption(t("upload.register.default", register=preview.register))
    if preview.unlisted:
        st.info(t("upload.register.unlisted", n=len(preview.unlisted)), icon=":material/library_books:")
    rows = preview.cross_period
    if not rows:
        return {}
    st.subheader(t("upload.cross.heading", n=len(rows)))
    st.caption(t("upload.cross.caption"))
    names = {c: t(f"upload.cross.{c}") for c in CHOICES}
    frame = pd.DataFrame(
        [(r.row, r.index_no, r.title, r.message, names[r.choice]) for r in rows],
        columns=[t(f"upload.cross.col.{k}") for k in ("row", "index_no", "title", "message", "choice")],
    )
    choice_col = t("upload.cross.col.choice")
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        disabled=[c for c in frame.columns if c != choice_col],
        column_config={
            choice_col: st.column_config.SelectboxColumn(
                choice_col, options=list(names.values()), required=True
            )
        },
        key=f"upload_cross_{preview.unit}_{preview.period}_{preview.register}",
    )
    by_name = {v: k for k, v in names.items()}
    return {r.index_no: by_name.get(v, "keep") for r, v in zip(rows, edited[choice_col], strict=True)}
