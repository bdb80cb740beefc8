"""The upload page's parts: the preview of a checked file, its problems, the history with undo, templates.

Every value from a file is shown in a dataframe (text, never HTML) or formatted into a
string that Streamlit escapes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.reads import records as records_reads
from dashboard.writes import records as records_writes
from data_access.rules.annual_figures import BY_KEY as ANNUAL_ITEMS
from data_access.rules.permissions import Principal
from data_access.rules.printing import file_safe
from data_access.rules.vocab import RECIPIENT_NAMES
from data_access.write import importing, records
from data_access.write.importing.store import COMPARE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KIND_NAMES = {
    **{k: importing.SPECS[k].title for k in importing.KINDS},
    "interpretations": "政策解读",
    "hotline": "热线值班接听",
    "seed": "演示数据",
}
# What the preview shows of each kind's rows: (field, label).
_SHOWN = {
    "publications": (
        "index_no",
        "title",
        "_category",
        "formed_date",
        "published_date",
        "channel",
        "attribute",
        "withheld_reason",
    ),
    "projects": ("name", "month_invested", "ytd_invested", "annual_plan", "notes"),
    "requests": (
        "request_no",
        "received_date",
        "channel",
        "applicant_type",
        "summary",
        "reply_date",
        "outcome",
    ),
    "boards": ("board", "update_date", "kind", "note"),
    "deliveries": ("period_ym", "recipient", "delivered_date", "item_count"),
    "documents": ("doc_no", "title", "formed_date", "attribute", "withheld_reason"),
    "annual-figures": ("item", "issued", "abolished", "in_force", "decisions", "fees", "not_applicable"),
    "appeals": ("kind", "filed_date", "request_no", "litigation_path", "result", "closed_date"),
    "complaints": ("filed_date", "source", "summary", "handling"),
}
# Stored codes of the appeals and complaints kinds, as their sheets write them.
_APPEAL_CODES = {
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "complaint": "申诉举报",
    "direct": "未经复议直接起诉",
    "after_reconsideration": "复议后起诉",
}
_ATTRIBUTES = {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不公开"}
# Stored columns derived from others (not shown as changes of their own), and ids shown as "changed".
_DERIVED = {"category_root_id", "published_year", "published_ym", "received_year", "is_official_document"}
_IDS = {"category_id", "topic_id", "request_id"}


def _label(kind: str, field: str) -> str:
    try:
        return importing.SPECS[kind].column(field).label
    except StopIteration:
        return {
            "category_id": "所属类别",
            "_category": "所属类别",
            "topic_id": "重点领域",
            "request_id": "涉及的申请编号",
        }.get(field, field)


def _text(field: str, value: Any) -> str:
    """A stored value as the clerk wrote it (dates ISO, money without trailing zeros, names in Chinese)."""
    if value is None:
        return ""
    if field == "attribute":
        return _ATTRIBUTES.get(value, value)
    if field == "recipient":
        return RECIPIENT_NAMES.get(value, value)
    if field == "item" and value in ANNUAL_ITEMS:
        return ANNUAL_ITEMS[value].label
    if field in ("kind", "litigation_path") and value in _APPEAL_CODES:
        return _APPEAL_CODES[value]
    if field == "period_ym" and isinstance(value, int):
        return f"{value // 100}年{value % 100}月"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _value(kind: str, row: dict, field: str) -> Any:
    if field in ("name", "board") and field not in row:
        return row.get("_name")
    if field == "request_no" and field not in row:  # an appeal: the request it concerns
        return row.get("_request_no")
    return row.get(field)


def rows_frame(kind: str, rows: list[dict]) -> pd.DataFrame:
    """Rows of a kind as a text table with the spreadsheet's column names."""
    fields = _SHOWN[kind]
    return pd.DataFrame(
        {_label(kind, f): [_text(f, _value(kind, r, f)) for r in rows] for f in fields}, dtype="string"
    )


# Shown beside the key on every changed line: what the row will be once stored (a publication's
# 公开属性, so a changed item about to reach the public is seen even when the attribute is unchanged).
_CONTEXT = {"publications": ("attribute",)}


def changes_frame(kind: str, pairs: list[tuple[dict, dict]]) -> pd.DataFrame:
    """One line per changed value: the row's key (and its 公开属性 for publications), the column,
    the stored value and the file's value."""
    key = _SHOWN[kind][0]
    context = _CONTEXT.get(kind, ())
    lines = []
    for old, new in pairs:
        for field in COMPARE[kind]:
            if old.get(field) == new.get(field) or field in _DERIVED:
                continue
            shown_old, shown_new = _text(field, old.get(field)), _text(field, new.get(field))
            if field in _IDS:
                shown_old, shown_new = "", t("upload.diff.changed")
            lines.append(
                (
                    _text(key, _value(kind, new, key)),
                    *(_text(c, new.get(c)) for c in context),
                    _label(kind, field),
                    shown_old,
                    shown_new,
                )
            )
    columns = [
        _label(kind, key),
        *(_label(kind, c) for c in context),
        t("upload.diff.column"),
        t("upload.diff.old"),
        t("upload.diff.new"),
    ]
    return pd.DataFrame(lines, columns=columns, dtype="string")


def issues_frame(issues: list[importing.Issue]) -> pd.DataFrame:
    """Every problem with where it is: sheet, Excel row, column (letter and header), level, message."""
    return pd.DataFrame(
        {
            t("upload.issue.sheet"): [i.sheet or "" for i in issues],
            t("upload.issue.row"): [str(i.row) if i.row else t("upload.issue.whole") for i in issues],
            t("upload.issue.column"): [_column(i) for i in issues],
            t("upload.issue.level"): [importing.LEVEL_NAMES_CN.get(i.level, i.level) for i in issues],
            t("upload.issue.message"): [i.message for i in issues],
        },
        dtype="string",
    )


def _column(issue: importing.Issue) -> str:
    if issue.column_letter and issue.column:
        return f"{issue.column_letter}（{issue.column}）"
    return issue.column_letter or issue.column or ""


# Up to this many problems are listed in a table that wraps long messages; more go in a scrolling grid.
_WRAPPED_ISSUES = 200


def show_preview(preview: importing.Preview, data: bytes, file_name: str, period_typed: bool) -> bool:
    """What committing the file would change, and every problem found. True when the file may be
    committed as far as removals go: it removes nothing, or the clerk ticked 确认删除 N 条."""
    errors = sum(i.level == importing.ERROR for i in preview.issues)
    warnings = sum(i.level == importing.WARNING for i in preview.issues)
    if preview.status == "unchanged":
        st.info(t("upload.status.unchanged", batch=preview.batch_id))
    elif preview.status == "valid" and preview.removed:  # not green: it deletes rows
        st.info(t("upload.status.valid", rows=preview.rows, warnings=warnings))
    elif preview.status == "valid":
        st.success(t("upload.status.valid", rows=preview.rows, warnings=warnings))
    else:
        st.error(t("upload.status.rejected", errors=errors))
    if preview.zero_report and preview.status != "rejected":
        st.warning(preview.zero_report, icon=":material/exposure_zero:")
    if preview.period:
        how = t("upload.period.chosen") if period_typed else t("upload.period.found")
        st.caption(t("upload.period.used", period=preview.period, how=how, sheet=preview.sheet or "—"))
    if preview.status != "rejected":
        cols = st.columns(5)
        cols[0].metric(t("upload.count.rows"), preview.rows, help=t("help.upload.rows"))
        cols[1].metric(t("upload.count.added"), len(preview.added), help=t("help.upload.added"))
        cols[2].metric(t("upload.count.changed"), len(preview.changed), help=t("help.upload.changed"))
        cols[3].metric(t("upload.count.removed"), len(preview.removed), help=t("help.upload.removed"))
        cols[4].metric(t("upload.count.same"), preview.unchanged_rows, help=t("help.upload.same"))
        kind = preview.kind
        if preview.added:
            with st.expander(t("upload.rows.added", n=len(preview.added))):
                st.dataframe(rows_frame(kind, preview.added), hide_index=True)
        if preview.changed:
            with st.expander(t("upload.rows.changed", n=len(preview.changed))):
                st.dataframe(changes_frame(kind, preview.changed), hide_index=True)
        if preview.removed and preview.status == "valid":
            st.warning(t("upload.removed.warning", n=len(preview.removed)), icon=":material/delete_forever:")
        for note in preview.notes:
            st.caption(note)
    if preview.issues:
        st.subheader(t("upload.issues.heading", errors=errors, warnings=warnings))
        if len(preview.issues) <= _WRAPPED_ISSUES:
            st.table(issues_frame(preview.issues), border="horizontal", hide_index=True)
        else:
            st.dataframe(issues_frame(preview.issues), hide_index=True)
        st.download_button(
            t("upload.issues.download"),
            data=lambda: importing.issues_workbook(
                data, preview.issues, t("upload.issues.title", name=file_name)
            ),
            file_name=t(
                "upload.issues.file", name=file_safe(Path(file_name).stem or t("upload.issues.unnamed"))
            ),
            mime=XLSX,
            on_click="ignore",
            icon=":material/download:",
        )
    if preview.removed and preview.status == "valid":  # last: right above 确认导入
        return _confirm_removal(preview, data)
    return True


def _confirm_removal(preview: importing.Preview, data: bytes) -> bool:
    """The rows a re-upload deletes (the amber warning above says so) and the tick box that allows it."""
    n = len(preview.removed)
    st.markdown(f"**{t('upload.removed.heading', n=n)}**")
    st.dataframe(rows_frame(preview.kind, preview.removed), hide_index=True)
    key = f"confirm_delete_{hashlib.sha256(data).hexdigest()[:16]}_{preview.unit}_{preview.period}_{n}"
    return st.checkbox(t("upload.removed.confirm", n=n), key=key)


def flash() -> None:
    """The message left by the last commit or undo (shown once)."""
    message = st.session_state.pop("upload_flash", None)
    if message is not None:
        level, text = message
        getattr(st, level)(text)


def _undoable(info: importing.BatchInfo) -> bool:
    return info.status == "active" and (info.kind in importing.KINDS or info.kind in records.SIMPLE_KINDS)


def _ask(batch_id: int) -> None:
    st.session_state["undo_pending"] = batch_id


def history(principal: Principal, unit: str, shown: int = 12) -> None:
    """The unit's uploads and saved forms, newest first, with undo for each batch in force."""
    st.subheader(t("upload.history.heading"))
    batches = records_reads.upload_history(unit)
    if not batches:
        st.info(t("upload.history.empty"))
        return
    frame = pd.DataFrame(
        {
            t("upload.history.id"): [str(b.id) for b in batches],
            t("upload.history.when"): [
                b.uploaded_at.strftime("%Y-%m-%d %H:%M") if b.uploaded_at else "" for b in batches
            ],
            t("upload.history.who"): [b.uploaded_by or "—" for b in batches],
            t("upload.history.file"): [b.file_name for b in batches],
            t("upload.history.kind"): [KIND_NAMES.get(b.kind, b.kind) for b in batches],
            t("upload.history.period"): [b.period or "—" for b in batches],
            t("upload.history.rows"): [str(b.rows) for b in batches],
            t("upload.history.status"): [b.status_name for b in batches],
        },
        dtype="string",
    )
    st.dataframe(frame, hide_index=True)
    undoable = [b for b in batches[:shown] if _undoable(b)]
    pending = st.session_state.get("undo_pending")
    if undoable:
        st.caption(t("upload.undo.help"))
        with st.container(horizontal=True):
            for b in undoable:
                st.button(
                    t(
                        "upload.undo.button",
                        id=b.id,
                        kind=KIND_NAMES.get(b.kind, b.kind),
                        period=b.period or "—",
                    ),
                    key=f"undo-{b.id}",
                    on_click=_ask,
                    args=(b.id,),
                    icon=":material/undo:",
                )
    if pending is not None:
        _confirm_undo(principal, pending, {b.id: b for b in batches}.get(pending))


def _confirm_undo(principal: Principal, batch_id: int, info: importing.BatchInfo | None) -> None:
    rows = info.rows if info else "?"
    st.warning(t("upload.undo.confirm", id=batch_id, rows=rows))
    left, right = st.columns([1, 5])
    if left.button(t("upload.undo.yes"), type="primary", key="undo-yes"):
        st.session_state.pop("undo_pending", None)
        try:
            with st.status(t("upload.undo.status", id=batch_id), expanded=True) as status:
                st.write(t("upload.undo.step_check"))
                st.write(t("upload.undo.step_restore"))
                undone = records_writes.undo_batch(principal, batch_id)
                status.update(label=t("upload.undo.status_done", id=batch_id), state="complete")
        except importing.UndoRefused as exc:
            st.session_state["upload_flash"] = ("error", t("upload.undo.refused", reason=str(exc)))
        else:
            st.session_state["upload_flash"] = ("success", t("upload.undo.done", id=batch_id, rows=undone))
        st.rerun()
    if right.button(t("upload.undo.no"), key="undo-no"):
        st.session_state.pop("undo_pending", None)
        st.rerun()


def templates(unit: str, year: int) -> None:
    """Each kind's blank template, with its 填表说明 sheet and the unit's catalogue of the year."""
    st.subheader(t("upload.templates.heading"))
    st.caption(t("upload.templates.help"))
    with st.container(horizontal=True):
        for kind in importing.KINDS:
            title = importing.SPECS[kind].title
            st.download_button(
                t("upload.templates.button", name=title),
                data=lambda kind=kind: records_reads.template(kind, unit, year),
                file_name=f"{title}模板.xlsx",
                mime=XLSX,
                on_click="ignore",
                key=f"template-{kind}",
                icon=":material/download:",
            )
