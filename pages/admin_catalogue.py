"""目录与年度目标: the three-level catalogue (view, add level-2/3 entries, rename) and annual targets."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_targets, admin_ui, filters
from dashboard.reads import admin as admin_reads
from dashboard.reads import figures
from dashboard.widgets import admin_tables
from dashboard.writes import admin as admin_writes

if TYPE_CHECKING:  # a type only: pages reach data_access through dashboard/
    from data_access.write.catalogue import CategoryRow


def _label(c: CategoryRow) -> str:
    return f"{'　' * (c.level - 1)}{c.code} {c.name}"


def _add(rows: list[CategoryRow]) -> None:
    parents = {c.code: _label(c) for c in rows if c.level < 3}
    with st.form("admin-add-category", clear_on_submit=True):
        parent = st.selectbox(t("admin.catalogue.parent"), list(parents), format_func=parents.get)
        left, right = st.columns([1, 3])
        code = left.text_input(t("admin.catalogue.code"), help=t("admin.catalogue.code.help"))
        name = right.text_input(t("admin.catalogue.name"))
        submitted = st.form_submit_button(t("admin.catalogue.add"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.add_category, parent, code, name, done=t("admin.catalogue.added", code=code.strip())
        )


def _rename(rows: list[CategoryRow]) -> None:
    entries = {c.code: _label(c) for c in rows}
    code = st.selectbox(
        t("admin.catalogue.pick"), list(entries), format_func=entries.get, key="admin-rename-cat"
    )
    current = next(c for c in rows if c.code == code)
    with st.form(f"admin-rename-category-{code}"):
        name = st.text_input(t("admin.catalogue.new_name"), value=current.name)
        submitted = st.form_submit_button(t("admin.catalogue.rename"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.rename_category,
            code,
            name,
            done=lambda changed: t("admin.catalogue.renamed" if changed else "admin.unchanged"),
        )


def _catalogue() -> None:
    rows = admin_reads.categories()
    if not rows:
        st.info(t("admin.catalogue.empty"))
        return
    st.caption(t("admin.catalogue.help"))
    st.dataframe(admin_tables.categories(rows, t), hide_index=True, width="stretch", height=420)
    left, right = st.columns(2)
    with left.container(border=True):
        st.subheader(t("admin.catalogue.add_heading"))
        _add(rows)
    with right.container(border=True):
        st.subheader(t("admin.catalogue.rename_heading"))
        _rename(rows)


def _targets() -> None:
    unit = filters.unit_picker()
    if unit is None:
        st.info(t("overview.empty"))
        return
    unit_name = dict((c, n) for c, n, _d in figures.units())[unit]
    year = int(
        st.columns([1, 4])[0].number_input(
            t("admin.targets.year"), min_value=2000, max_value=2100, value=dt.date.today().year, step=1
        )
    )
    admin_targets.editor(unit, unit_name, year)


def render() -> None:
    """Draw the page."""
    st.title(t("admin.catalogue.title"))
    admin_ui.show_flash()
    catalogue, targets = st.tabs([t("admin.catalogue.tab"), t("admin.targets.tab")])
    with catalogue:
        _catalogue()
    with targets:
        _targets()


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
