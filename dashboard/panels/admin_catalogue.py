"""The 公开目录 tab of the 目录与年度目标 page: the catalogue a unit uses in a year (own, inherited
from a unit above, or the default), and the forms that change it — a catalogue of its own (a copy
or empty) or its parent's again, the 标准目录 import with a preview of what changes, adding,
renaming and retiring entries from the year on, mapping level-one entries to a 领域, the export."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dashboard.i18n import t
from dashboard.panels import admin_ui
from dashboard.reads import admin as admin_reads
from dashboard.widgets import admin_tables
from dashboard.widgets.attention import plain
from dashboard.writes import admin as admin_writes

if TYPE_CHECKING:
    from data_access.write.catalogue import CatalogueView, CategoryRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(c: CategoryRow) -> str:
    return f"{'　' * (c.level - 1)}{c.code} {c.name}"


def _span(view: CatalogueView) -> str:
    s = view.scheme
    if s is None or (s.from_year is None and s.to_year is None):
        return t("admin.catalogue.span.all")
    if s.to_year is None:
        return t("admin.catalogue.span.from", start=s.from_year)
    return t("admin.catalogue.span.range", start=s.from_year or "", end=s.to_year)


def source_note(view: CatalogueView) -> None:
    """Say which catalogue applies: the unit's own, a unit's above it, the default, or none."""
    s = view.scheme
    args = {
        "unit": plain(view.unit_name),
        "year": view.year,
        "scheme": plain(s.name) if s else "",
        "owner": plain(s.owner_name or "") if s else "",
        "span": _span(view),
    }
    message = t(f"admin.catalogue.source.{view.source}", **args)
    (st.success if view.source == "own" else st.info)(message)


def _scheme_forms(view: CatalogueView) -> None:
    left, right = st.columns(2)
    with left.form("catalogue-create"):
        options = ["current", "parent", "empty"]
        copy = st.radio(
            t("admin.catalogue.copy"),
            options,
            format_func=lambda o: t(f"admin.catalogue.copy.{o}"),
            horizontal=True,
        )
        submitted = st.form_submit_button(t("admin.catalogue.create", year=view.year), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.create_scheme,
            view.unit_code,
            view.year,
            copy=copy,
            done=lambda name: t("admin.catalogue.created", name=plain(name)),
        )
    with right.form("catalogue-adopt"):
        st.caption(t("admin.catalogue.adopt.help", year=view.year))
        adopt = st.form_submit_button(
            t("admin.catalogue.adopt", year=view.year), disabled=view.source != "own"
        )
    if adopt:
        admin_ui.attempt(
            admin_writes.adopt_parent_catalogue,
            view.unit_code,
            view.year,
            done=lambda name: t("admin.catalogue.adopted", name=plain(name)),
        )


def _import_form(view: CatalogueView) -> None:
    st.caption(t("admin.catalogue.import.help", year=view.year))
    upload = st.file_uploader(
        t("admin.catalogue.import.file"), type=["xlsx", "xls", "csv"], key=f"catalogue-file-{view.unit_code}"
    )
    if upload is None:
        return
    data = upload.getvalue()
    preview = admin_reads.catalogue_preview(view.unit_code, view.year, data)
    if preview.parsed.problems:
        st.error(t("admin.catalogue.import.problems"))
        st.dataframe(
            {t("admin.catalogue.import.problem"): preview.parsed.problems}, hide_index=True, width="stretch"
        )
        return
    diff = preview.diff
    assert diff is not None
    st.write(
        t("admin.catalogue.import.read", n=len(preview.parsed.items), sheet=plain(preview.parsed.sheet or ""),
          unit=plain(view.unit_name), year=view.year)
    )  # fmt: skip
    st.dataframe(admin_tables.catalogue_diff(diff, t), hide_index=True, width="stretch", height=240)
    for note in preview.parsed.notes:
        st.caption(plain(note))
    if st.button(t("admin.catalogue.import.confirm"), type="primary", key="catalogue-import-confirm"):
        admin_ui.attempt(
            admin_writes.import_catalogue,
            view.unit_code,
            view.year,
            data,
            done=lambda n: t("admin.catalogue.imported", n=n),
        )


def _add_form(view: CatalogueView) -> None:
    parents = {"": t("admin.catalogue.parent.none"), **{c.code: _label(c) for c in view.rows if c.in_force}}
    with st.form("catalogue-add", clear_on_submit=True):
        parent = st.selectbox(t("admin.catalogue.parent"), list(parents), format_func=parents.get)
        left, mid, right = st.columns([1, 3, 2])
        code = left.text_input(t("admin.catalogue.code"), help=t("admin.catalogue.code.help"))
        name = mid.text_input(t("admin.catalogue.name"))
        limit = right.text_input(
            t("admin.catalogue.time_limit"), placeholder="信息形成（变更）之日起20个工作日内"
        )
        st.caption(t("admin.catalogue.from_year.note", year=view.year))
        submitted = st.form_submit_button(t("admin.catalogue.add"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.add_category,
            parent or None,
            code,
            name,
            unit_code=view.unit_code,
            year=view.year,
            time_limit=limit,
            done=t("admin.catalogue.added", code=code.strip()),
        )


def _pick(view: CatalogueView, key: str, *, level_one: bool = False) -> CategoryRow | None:
    rows = [c for c in view.rows if c.in_force and (c.level == 1 or not level_one)]
    if not rows:
        st.caption(t("admin.catalogue.empty_scheme"))
        return None
    entries = {c.code: _label(c) for c in rows}
    code = st.selectbox(t("admin.catalogue.pick"), list(entries), format_func=entries.get, key=key)
    return next(c for c in rows if c.code == code)


def _rename_form(view: CatalogueView) -> None:
    current = _pick(view, f"catalogue-rename-pick-{view.unit_code}-{view.year}")
    if current is None:
        return
    name = st.text_input(
        t("admin.catalogue.new_name"), value=current.name, key=f"catalogue-rename-{current.code}"
    )
    effect = admin_reads.preview_rename(view.unit_code, view.year, current.code, name) if name.strip() else []
    if effect:
        st.caption(t("admin.catalogue.rename.preview_head"))
        for years, before, after in effect:
            st.markdown(
                f"- {t('admin.catalogue.rename.preview', years=years, before=plain(before), after=plain(after))}"
            )
        st.caption(t("admin.catalogue.from_year.note", year=view.year))
    if st.button(t("admin.catalogue.rename", year=view.year), type="primary", disabled=not effect):
        admin_ui.attempt(
            admin_writes.rename_category,
            current.code,
            name,
            unit_code=view.unit_code,
            from_year=view.year,
            done=lambda changed: t("admin.catalogue.renamed" if changed else "admin.unchanged"),
        )


def _retire_form(view: CatalogueView) -> None:
    current = _pick(view, f"catalogue-retire-pick-{view.unit_code}-{view.year}")
    if current is None:
        return
    st.caption(t("admin.catalogue.retire.help", year=view.year, name=plain(current.name)))
    if st.button(t("admin.catalogue.retire", year=view.year), key="catalogue-retire"):
        admin_ui.attempt(
            admin_writes.retire_category,
            current.code,
            unit_code=view.unit_code,
            from_year=view.year,
            done=lambda changed: t("admin.catalogue.retired" if changed else "admin.unchanged"),
        )


def _domain_form(view: CatalogueView) -> None:
    st.caption(t("admin.catalogue.domain.help"))
    current = _pick(view, f"catalogue-domain-pick-{view.unit_code}-{view.year}", level_one=True)
    if current is None:
        return
    with st.form(f"catalogue-domain-{current.code}"):
        domain = st.text_input(
            t("admin.catalogue.domain"), value=current.domain or "", placeholder="重大建设项目"
        )
        submitted = st.form_submit_button(t("admin.catalogue.domain.save"), type="primary")
    if submitted:
        admin_ui.attempt(
            admin_writes.set_category_domain,
            current.code,
            domain,
            unit_code=view.unit_code,
            year=view.year,
            done=lambda changed: t("admin.catalogue.domain.saved" if changed else "admin.unchanged"),
        )


def catalogue(unit: str, year: int) -> None:
    """The catalogue the unit uses in the year and the forms that change it."""
    view = admin_reads.catalogue_view(unit, year)
    source_note(view)
    st.caption(t("admin.catalogue.help"))
    if view.rows:
        st.dataframe(admin_tables.categories(view.rows, t), hide_index=True, width="stretch", height=360)
    names = ("scheme", "import", "add", "rename", "retire", "domain", "export")
    tabs = dict(zip(names, st.tabs([t(f"admin.catalogue.tab.{n}") for n in names]), strict=True))
    with tabs["scheme"]:
        _scheme_forms(view)
    with tabs["import"]:
        _import_form(view)
    editable = view.source != "none"
    for name, form in (
        ("add", _add_form),
        ("rename", _rename_form),
        ("retire", _retire_form),
        ("domain", _domain_form),
    ):
        with tabs[name]:
            if editable:
                form(view)
            else:
                st.caption(t("admin.catalogue.source.none", unit=plain(view.unit_name), year=year))
    with tabs["export"]:
        if view.rows:
            st.download_button(
                t("admin.catalogue.export.button", year=year),
                data=lambda: admin_reads.catalogue_export(unit, year),
                file_name=f"{view.unit_name}{year}年公开目录.xlsx",
                mime=XLSX,
                on_click="ignore",
                icon=":material/download:",
            )
