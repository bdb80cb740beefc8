"""The upload page's register picker and the preview's register line and cross-period rows (主动公开).

A publications upload is filed under a register (政府网站, 政务新媒体, …): the picker offers 自动
(the register read from the file name, sheet, title or 渠道 column, else 政府网站) or one chosen. Rows
naming an item recorded in another month are listed with 「原属 2018-03，本文件将其改为 2018-06」 and a
choice per row (keep the original month and update the fields — the default —, move it, skip it);
the choices go with the commit.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.reads import records as records_reads
from dashboard.widgets.attention import plain

AUTO = ""
CHOICES = ("keep", "move", "skip")
PER_ROW = 50  # rows with a choice of their own; the rest follow 「全部设为」


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


def register_line(preview, chosen: str | None) -> None:  # type: ignore[no-untyped-def]
    """The register the preview used (and why), and the items that stay because another register lists them."""
    if preview.kind != "publications" or not preview.register:
        return
    guess = preview.register_guess
    if chosen:
        st.caption(t("upload.register.used", register=preview.register))
    elif guess is not None:
        st.caption(t("upload.register.guessed", register=preview.register, why=guess.message))
    else:
        st.caption(t("upload.register.default", register=preview.register))
    if preview.unlisted:
        st.info(t("upload.register.unlisted", n=len(preview.unlisted)), icon=":material/library_books:")


def cross_rows(preview) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The rows naming an item recorded in another month, each with its choice (default keep);
    returns 索引号 → choice for the commit."""
    rows = preview.cross_period if preview.kind == "publications" else []
    if not rows:
        return {}
    st.subheader(t("upload.cross.heading", n=len(rows)))
    st.caption(t("upload.cross.caption"))
    names = {c: t(f"upload.cross.{c}") for c in CHOICES}
    scope = f"{preview.unit}_{preview.period}_{preview.register}"
    every = st.selectbox(
        t("upload.cross.all"), CHOICES, format_func=names.get, key=f"upload_cross_all_{scope}"
    )
    out = {}
    for n, r in enumerate(rows):
        if n >= PER_ROW:  # the rest follow the choice for every row
            out[r.index_no] = every
            continue
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(
            t("upload.cross.row", row=r.row or "—", index_no=plain(r.index_no), title=plain(r.title),
              message=r.message)
        )  # fmt: skip
        out[r.index_no] = right.selectbox(
            t("upload.cross.col.choice"),
            CHOICES,
            index=CHOICES.index(every),
            format_func=names.get,
            label_visibility="collapsed",
            key=f"upload_cross_{scope}_{r.index_no}_{every}",
        )
    if len(rows) > PER_ROW:
        st.caption(t("upload.cross.more", n=len(rows) - PER_ROW))
    return out
