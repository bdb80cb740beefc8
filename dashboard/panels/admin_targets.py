"""The annual-targets editor of the 目录与年度目标 page: one row for the total, one per level-one category."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.reads import admin as admin_reads
from dashboard.reads import figures
from dashboard.widgets.format import percent
from dashboard.writes import admin as admin_writes

TOTAL = "__total__"  # the editor's row key for the total (category NULL)


def _published(unit: str, year: int) -> dict[str | None, int] | None:
    """What the unit published that year: by category name, and the total under None."""
    if year not in figures.years(unit):
        return None
    k = figures.year_kpis(unit, year)
    if k is None:
        return None
    return {None: k["publications"]["total"], **k["publications"]["by_category"]}


def editor(unit: str, unit_name: str, year: int) -> None:
    """Show and save the unit's publication targets for the year."""
    rows = admin_reads.targets(unit, year)
    if len(rows) == 1:
        st.info(t("admin.targets.no_catalogue"))
    published = _published(unit, year)
    name, target, done = t("admin.targets.category"), t("admin.targets.target"), t("admin.targets.published")
    frame = pd.DataFrame(
        {
            name: [r.category_name or t("admin.targets.total") for r in rows],
            # Text, so an unset target shows as an empty cell; target_value() checks what is typed.
            target: ["" if r.target is None else str(r.target) for r in rows],
            done: ["—" if published is None else str(published.get(r.category_name, 0)) for r in rows],
        },
        index=[r.category_code or TOTAL for r in rows],
    )
    st.caption(t("admin.targets.help", unit=unit_name, year=year))
    key = f"targets-{unit}-{year}"
    # The versions the editor was first drawn with (and again after a save): a cell edited since
    # then is saved only over the value it was edited from (optimistic concurrency).
    loaded = f"targets-loaded-{unit}-{year}"
    if key not in st.session_state or loaded not in st.session_state:
        st.session_state[loaded] = {r.category_code: r.version for r in rows}
    edited = st.data_editor(
        frame,
        hide_index=True,
        disabled=[name, done],
        column_config={
            target: st.column_config.TextColumn(
                max_chars=9,
                alignment="right",
                help=t("admin.targets.target.help"),
            ),
            done: st.column_config.TextColumn(alignment="right"),
        },
        key=key,
        width="stretch",
    )
    if st.button(t("admin.targets.save"), type="primary"):
        values = {
            (None if code == TOTAL else code): (None if value is None or pd.isna(value) else value)
            for code, value in edited[target].items()
        }
        saved = admin_ui.attempt(
            admin_writes.save_targets,
            unit,
            year,
            values,
            st.session_state[loaded],
            done=lambda n: t("admin.targets.saved", n=n) if n else t("admin.unchanged"),
            rerun=False,
        )
        if saved:  # the next run reads the versions this save gave the targets
            st.session_state.pop(loaded)


def documents_editor(unit: str, unit_name: str, year: int) -> None:
    """Show and save the unit's 公文类信息主动公开率 target for the year (percent; blank: none)."""
    st.subheader(t("admin.targets.documents.title"))
    st.caption(t("admin.targets.documents.help", unit=unit_name, year=year))
    stored = figures.documents_target(unit, year)
    loaded = f"documents-target-loaded-{unit}-{year}"
    if loaded not in st.session_state:
        st.session_state[loaded] = stored.version
    k = figures.year_kpis(unit, year) if year in figures.years(unit) else None
    documents = k["documents"] if k else None
    rate = percent(documents["proactive_rate"]) if documents else "—"
    with st.form(f"documents-target-{unit}-{year}", border=False):
        value = st.text_input(
            t("admin.targets.documents.rate"),
            "" if stored.percent is None else str(stored.percent),
            max_chars=6,
        )
        st.caption(t("admin.targets.documents.done", rate=rate))
        if st.form_submit_button(t("admin.targets.documents.save")):
            saved = admin_ui.attempt(
                admin_writes.save_documents_target,
                unit,
                year,
                value,
                st.session_state[loaded],
                done=lambda changed: t("admin.targets.documents.saved") if changed else t("admin.unchanged"),
                rerun=False,
            )
            if saved:
                st.session_state.pop(loaded)
