"""The publication register on the 主动公开 page: search, filters, SQL paging and the .xlsx export."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.i18n import t
from dashboard.reads import dashboards
from dashboard.widgets import tables
from dashboard.widgets.url_state import MAX_TEXT, PAGING, from_url
from data_access.read.queries.register import ATTRIBUTE_LABELS, PAGE_SIZES, RegisterFilter, attributes_for


def register(
    unit: str, year: int, month: int | None, personal: tuple[int, ...], categories: Sequence[str]
) -> None:
    """Draw the register for the unit, year and month; withheld items only for `personal` units.
    `categories`: the level-one names the 类别 filter offers — the unit's own catalogue in force that
    year (or the 领域 of a roll-up over several catalogues), as the category table above names them."""
    st.subheader(t("pub.register.heading"))
    st.caption(t("pub.register.caption"))
    if not personal:
        st.caption(t("pub.register.leader_note"))
    search_col, cat_col, attr_col = st.columns([3, 2, 1])
    # The search, the category, the attribute and the page live in the URL (?q=&category=&attribute=&page=).
    search = search_col.text_input(t("pub.register.search"), key="register-search", max_chars=MAX_TEXT,
                                   on_change=from_url("q", "register-search", default="", resets=PAGING))  # fmt: skip
    choices_of_category = [None, *categories]
    category = cat_col.selectbox(
        t("pub.register.category"),
        choices_of_category,
        format_func=lambda c: t("pub.register.all") if c is None else c,
        key="register-category",
        on_change=from_url("category", "register-category", choices_of_category, resets=PAGING),
        placeholder=t("pub.register.all"),  # what a box with no choice (None: every category) shows
    )
    attributes = attributes_for(personal)
    choices = [None, *attributes] if len(attributes) > 1 else list(attributes)
    attribute = attr_col.selectbox(
        t("pub.register.attribute"),
        choices,
        format_func=lambda a: t("pub.register.all") if a is None else ATTRIBUTE_LABELS[a],
        key="register-attribute",
        disabled=len(attributes) == 1,
        on_change=from_url("attribute", "register-attribute", choices, choices[0], resets=PAGING),
        placeholder=t("pub.register.all"),
    )
    f = RegisterFilter(year, month, category, attribute if len(attributes) > 1 else None, search.strip())
    total = dashboards.register_count(unit, personal, f)
    if not total:
        st.info(t("pub.register.none"))
        return
    limit, offset = tables.pager(total, PAGE_SIZES, "register", repr(f), in_url=True)
    page = dashboards.register_page(unit, personal, f, limit, offset)
    st.dataframe(
        page,
        hide_index=True,
        placeholder="—",
        width="stretch",
        height=35 * (len(page) + 1) + 3,
        column_config={
            "信息名称": st.column_config.TextColumn(width="large"),
            "状态": st.column_config.TextColumn(width="medium"),  # 已撤回（date：reason）
            "文号": st.column_config.TextColumn(width="medium"),
            "形成日期": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "公开日期": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
    name = t("pub.register.file")
    tables.download(
        lambda: {name: dashboards.register_frames(unit, personal, f)},
        tables.Export(dashboards.unit_name(unit), tables.period_text(year, month), t("export.register")),
        "register-xlsx",
    )
