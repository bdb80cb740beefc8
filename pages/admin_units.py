"""单位管理: the unit tree (any level under any other, any depth), each unit's profile (the words its
reports, letters and screen print) and the unit levels (added, renamed, an office's own deleted
while no unit uses it, each rename and delete confirmed by a tick first)."""

from __future__ import annotations

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.reads import admin as admin_reads
from dashboard.widgets import admin_tables
from dashboard.widgets.attention import plain
from dashboard.writes import admin as admin_writes
from data_access import settings
from data_access.rules.vocab import UNIT_LEVELS

TOP = ""  # the picker's "no parent" choice


def _add(labels: dict[str, str]) -> None:
    parents = {TOP: t("admin.units.top"), **labels}
    preferred = settings.get("DEFAULT_UNIT")
    default = list(parents).index(preferred) if preferred in parents else 0
    with st.form("admin-add-unit", clear_on_submit=True):
        left, right = st.columns(2)
        parent = left.selectbox(
            t("admin.units.parent"), list(parents), index=default, format_func=parents.get
        )
        levels = admin_reads.unit_levels()
        codes = list(levels)
        level = right.selectbox(
            t("admin.units.level"),
            codes,
            index=codes.index("community") if labels and "community" in codes else 0,
            format_func=levels.get,
        )
        code = left.text_input(t("admin.units.code"), help=t("admin.units.code.help"))
        name = right.text_input(t("admin.units.name"))
        hotline = left.text_input(t("admin.units.hotline"), help=t("admin.units.hotline.help"))
        submitted = st.form_submit_button(t("admin.units.add"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.add_unit,
            code,
            name,
            level,
            parent or None,
            hotline,
            done=t("admin.units.added", name=plain(name.strip())),  # typed text, shown as typed
        )


def _edit(labels: dict[str, str]) -> None:
    rows = {u.code: u for u in admin_reads.unit_rows()}
    code = st.selectbox(t("admin.units.pick"), list(labels), format_func=labels.get, key="admin-edit-unit")
    unit = rows[code]
    _effective(code)
    with st.form(f"admin-edit-unit-{code}"):
        st.caption(t("admin.units.profile.help"))
        name = st.text_input(t("admin.units.name"), value=unit.name)
        left, right = st.columns(2)
        profile: dict[str, str] = {}
        for i, (field, _label, _n) in enumerate(admin_reads.PROFILE_FIELDS):
            profile[field] = (left if i % 2 == 0 else right).text_input(
                t(f"admin.units.profile.{field}"),
                value=unit.profile_value(field),
                help=t(f"admin.units.profile.{field}.help"),
            )
        submitted = st.form_submit_button(t("admin.units.save"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.update_unit,
            code,
            name,
            profile,
            done=lambda changed: t("admin.units.saved" if changed else "admin.unchanged"),
        )


def _effective(code: str) -> None:
    """What the unit's reports print, fallbacks filled in."""
    p = admin_reads.unit_profile(code)
    if p is None:
        return
    none = t("admin.units.profile.none")
    st.info(
        t(
            "admin.units.profile.effective",
            full_name=plain(p.full_name),
            archive=plain(p.archive_name),
            library=plain(p.library_name),
            hotline=plain(p.hotline_name) if p.hotline_name else none,
            signature=plain(p.signature),
            phone=plain(p.phone) if p.phone else none,
        )
    )


def _levels() -> None:
    st.caption(t("admin.units.levels.help"))
    levels = admin_reads.unit_levels()
    st.dataframe(
        {t("admin.units.levels.code"): list(levels), t("admin.units.levels.label"): list(levels.values())},
        hide_index=True,
    )
    with st.form("admin-add-level", clear_on_submit=True):
        left, right = st.columns(2)
        code = left.text_input(t("admin.units.levels.code"), help=t("admin.units.code.help"))
        label = right.text_input(t("admin.units.levels.label"))
        submitted = st.form_submit_button(t("admin.units.levels.add"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.add_level,
            code,
            label,
            done=t("admin.units.levels.added", label=plain(label.strip())),
        )
    _rename_level(levels)
    _delete_level(levels)


def _rename_level(levels: dict[str, str]) -> None:
    st.subheader(t("admin.units.levels.rename.heading"))
    with st.form("admin-rename-level", clear_on_submit=True):
        left, right = st.columns(2)
        code = left.selectbox(
            t("admin.units.levels.pick"), list(levels), format_func=lambda c: f"{levels[c]}（{c}）"
        )
        label = right.text_input(t("admin.units.levels.new_label"))
        sure = st.checkbox(t("admin.units.levels.rename.confirm"))
        submitted = st.form_submit_button(t("admin.units.levels.rename"))
    if submitted and not sure:
        st.warning(t("admin.units.levels.confirm_first"))
    elif submitted:
        admin_ui.attempt(
            admin_writes.rename_level,
            code,
            label,
            done=lambda renamed: (
                t("admin.units.levels.renamed", code=code, label=plain(label.strip()))
                if renamed
                else t("admin.unchanged")
            ),
        )


def _delete_level(levels: dict[str, str]) -> None:
    st.subheader(t("admin.units.levels.delete.heading"))
    own = [code for code in levels if code not in dict(UNIT_LEVELS)]  # built-in levels stay
    if not own:
        st.caption(t("admin.units.levels.delete.none"))
        return
    with st.form("admin-delete-level", clear_on_submit=True):
        code = st.selectbox(t("admin.units.levels.pick"), own, format_func=lambda c: f"{levels[c]}（{c}）")
        sure = st.checkbox(t("admin.units.levels.delete.confirm"))
        submitted = st.form_submit_button(t("admin.units.levels.delete"))
    if submitted and not sure:
        st.warning(t("admin.units.levels.confirm_first"))
    elif submitted:
        admin_ui.attempt(
            admin_writes.delete_level,
            code,
            done=lambda label: t("admin.units.levels.deleted", label=plain(label)),
        )


def _move(labels: dict[str, str]) -> None:
    st.caption(t("admin.units.move.help"))
    with st.form("admin-move-unit"):
        code = st.selectbox(t("admin.units.pick"), list(labels), format_func=labels.get)
        targets = {TOP: t("admin.units.top"), **labels}
        parent = st.selectbox(t("admin.units.new_parent"), list(targets), format_func=targets.get)
        submitted = st.form_submit_button(t("admin.units.move"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.move_unit,
            code,
            parent or None,
            done=lambda moved: t("admin.units.moved" if moved else "admin.unchanged"),
        )


def render() -> None:
    """Draw the page."""
    st.title(t("admin.units.title"))
    st.caption(t("admin.units.help"))
    admin_ui.show_flash()
    rows = admin_reads.unit_rows()
    labels = admin_ui.unit_labels()
    if rows:
        # Tall enough for a district's whole tree (35 px a row); a city's scrolls.
        height = 38 + 35 * min(len(rows), 20)
        st.dataframe(admin_tables.units(rows, t), hide_index=True, width="stretch", height=height)
    else:
        st.info(t("admin.units.empty"))
    tabs = st.tabs(
        [
            t("admin.units.tab_add"),
            t("admin.units.tab_edit"),
            t("admin.units.tab_move"),
            t("admin.units.tab_levels"),
        ]
    )
    with tabs[0]:
        _add(labels)
    with tabs[3]:
        _levels()
    for tab, draw in ((tabs[1], _edit), (tabs[2], _move)):
        with tab:
            if labels:
                draw(labels)
            else:
                st.info(t("admin.units.empty"))


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
