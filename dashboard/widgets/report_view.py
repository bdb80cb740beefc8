"""The annual report's tables on screen (old 附表, or 2021 tables 二/三/四 with the checks).

Cells are shown as text: a number with separators, or the marker “未录入” / “不适用”, so a
missing figure never looks like a zero.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from data_access.read.reports import is_number
from data_access.read.reports.format_2021 import APPEAL_RESULTS
from data_access.read.reports.old_format import narrative_sentences


def cell(value: object) -> str:
    """A report cell as text."""
    if is_number(value):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    return str(value) if value is not None else ""


def _right(columns) -> dict[str, st.column_config.TextColumn]:  # type: ignore[no-untyped-def]
    """Column configs that right-align figures shown as text, as numbers are."""
    return {c: st.column_config.TextColumn(alignment="right") for c in columns}


def old_tables(report: dict) -> dict[str, pd.DataFrame]:
    """Draw the old format's 附表, the category table and the key sentences; return the frames shown."""
    table = pd.DataFrame(
        [{c: cell(row[c]) for c in report["columns"]} for row in report["rows"]], columns=report["columns"]
    )
    pub = report["narrative"]["publications"]
    categories = pd.DataFrame(
        [(c["name"], c["count"], c["share_text"]) for c in pub["by_category"]],
        columns=[t("report.old.category"), t("report.old.count"), t("report.old.share")],
    )
    left, right = st.columns([1, 1])
    with left:
        st.subheader(t("report.old.table"))
        figures = [c for c in report["columns"] if any(is_number(row[c]) for row in report["rows"])]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=35 * (len(table) + 1) + 3,
            column_config=_right(figures),
        )
    with right:
        st.subheader(t("report.old.categories"))
        st.dataframe(
            categories, hide_index=True, width="stretch", column_config=_right([t("report.old.share")])
        )
    with st.expander(t("report.old.narrative")):
        for section, lines in narrative_sentences(report).items():
            st.markdown(f"**{section}、**")
            for line in lines:
                st.text(line)
    return {"附表": table, "主动公开分类": categories}


def tables_2021(report: dict) -> dict[str, pd.DataFrame]:
    """Draw tables 二, 三 and 四 and table 三's checks; return the frames shown."""
    tables = report["tables"]
    shown: dict[str, pd.DataFrame] = {}
    st.subheader(t("report.t2"))
    rows = []
    for section in tables["二"]["sections"]:
        for line in section["rows"]:
            values = dict(zip(section["columns"][1:], (cell(v) for v in line["cells"]), strict=True))
            rows.append({"条款": section["title"], section["columns"][0]: line["label"], **values})
    shown["二、主动公开"] = pd.DataFrame(rows).fillna("")
    figures = {c for section in tables["二"]["sections"] for c in section["columns"][1:]}
    st.dataframe(shown["二、主动公开"], hide_index=True, width="stretch", column_config=_right(figures))

    st.subheader(t("report.t3"))
    t3 = tables["三"]
    shown["三、依申请公开"] = pd.DataFrame(
        [
            {t("report.t3.item"): r["label"], **{c: cell(r["cells"][c]) for c in t3["columns"]}}
            for r in t3["rows"]
        ]
    )
    st.dataframe(shown["三、依申请公开"], hide_index=True, width="stretch", height=35 * (len(t3["rows"]) + 1) + 3,
                 column_config={**_right(t3["columns"]), t("report.t3.item"): st.column_config.TextColumn(width="large")})  # fmt: skip
    st.markdown(f"**{t('report.checks')}**")
    failed = [c for c in report["checks"] if c["passed"] is False]
    unknown = [c for c in report["checks"] if c["passed"] is None]
    for c in failed:
        st.error(c["message"])
    for c in unknown[:3]:
        st.warning(c["message"])
    if not failed and not unknown:
        st.success(
            t("report.checks.passed") + " " + report["checks"][-1]["message"] if report["checks"] else ""
        )

    st.subheader(t("report.t4"))
    t4 = tables["四"]
    blocks = [("行政复议", t4["行政复议"]), *((f"行政诉讼·{k}", v) for k, v in t4["行政诉讼"].items())]
    shown["四、复议诉讼"] = pd.DataFrame(
        [
            {t("report.t4.block"): name, **{r: cell(block[r]) for r in APPEAL_RESULTS}}
            for name, block in blocks
        ]
    )
    st.dataframe(
        shown["四、复议诉讼"], hide_index=True, width="stretch", column_config=_right(APPEAL_RESULTS)
    )
    return shown
