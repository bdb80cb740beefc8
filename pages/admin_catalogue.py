"""目录与年度目标: a unit's catalogue by year (own, inherited or the default; import with a preview,
copy, adopt the parent's, add, rename or retire from the year on, map to 领域) and annual targets."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import admin_catalogue, admin_targets, admin_ui, filters
from dashboard.reads import figures


def render() -> None:
    """Draw the page."""
    st.title(t("admin.catalogue.title"))
    admin_ui.show_flash()
    unit = filters.unit_picker()
    if unit is None:
        st.info(t("overview.empty"))
        return
    unit_name = dict((c, n) for c, n, _d in figures.units())[unit]
    year = int(
        st.columns([1, 4])[0].number_input(
            t("admin.catalogue.year"),
            min_value=2000,
            max_value=2100,
            value=dt.date.today().year,
            step=1,
            help=t("admin.catalogue.year.help"),
        )
    )
    catalogue, targets = st.tabs([t("admin.catalogue.tab"), t("admin.targets.tab")])
    with catalogue:
        admin_catalogue.catalogue(unit, year)
    with targets:
        admin_targets.editor(unit, unit_name, year)
        admin_targets.documents_editor(unit, unit_name, year)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
