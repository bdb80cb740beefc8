"""更正与撤回 on the 主动公开 page: find an item by 索引号 or title, see its history, correct its
信息名称 / 文号 or withdraw it (staff and admins of its unit), restore a withdrawal (admins); the
year's withdrawn items listed with their date and reason. Leaders read the history only.

Each action needs its confirmation ticked; the save carries the item's stamp as it was drawn, so
a save after someone else (a form or an upload) changed the item is refused (StaleRecord).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.panels.records_forms import date_input, loaded_stamp
from dashboard.reads import dashboards
from dashboard.reads import records as records_reads
from dashboard.widgets.attention import plain
from dashboard.writes import records as records_writes
from data_access.rules.permissions import Principal
from data_access.write import records

FLASH = "fix_flash"


def _round() -> int:
    return st.session_state.get("fix_round", 0)


def withdrawn_list(unit: str, year: int) -> None:
    """The year's withdrawn items under the unit (nothing when there are none)."""
    items = dashboards.withdrawn_items(unit, year)
    if not items:
        return
    st.subheader(t("fix.withdrawn.heading", n=len(items)))
    st.caption(t("fix.withdrawn.caption"))
    keys = ("index_no", "title", "published", "withdrawn", "reason", "who")
    frame = pd.DataFrame(
        [(i.index_no, i.title, i.published_date, i.withdrawn_date, i.reason, i.username) for i in items],
        columns=[t(f"fix.withdrawn.col.{k}") for k in keys],
    )
    st.dataframe(frame, hide_index=True, placeholder="—", width="stretch")


def _history(item: records.PublicationItem) -> None:
    entries = records_reads.publication_history(item.unit_code, item.index_no)
    st.markdown(f"**{t('fix.history')}**")
    if not entries:
        st.caption(t("fix.history.none"))
        return
    keys = ("date", "action", "changes", "note", "who", "at")
    frame = pd.DataFrame(
        [
            (
                e.date,
                e.action_label,
                "；".join(f"{label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in e.changes),
                e.note or "",
                e.username,
                e.recorded_at,
            )
            for e in entries
        ],
        columns=[t(f"fix.history.col.{k}") for k in keys],
    )
    wide = {t("fix.history.col.changes"): st.column_config.TextColumn(width="large")}
    st.dataframe(frame, hide_index=True, placeholder="—", width="stretch", column_config=wide)


def _run(call: Callable[[], records.Changed], key: str) -> None:
    """Save; on success leave the message, start the forms afresh and rerun; else list the problems."""
    try:
        done = call()
    except records.StaleRecord:
        st.error(t("records.stale"))
        st.caption(t("records.stale.help"))
        st.session_state["fix_round"] = _round() + 1
        return
    except records.RecordError as exc:
        st.error(t("records.invalid") + "\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    entry = done.entry
    st.session_state[FLASH] = t(
        "fix.saved", action=entry.action_label, index_no=done.index_no, date=entry.date
    )
    st.session_state["fix_round"] = _round() + 1
    st.session_state.pop(key, None)
    st.rerun()


def _correct(who: Principal, item: records.PublicationItem, n: int) -> None:
    scope = f"{item.unit_code}_{item.index_no}_{n}"
    stamp = loaded_stamp(f"fix_stamp_c_{scope}", f"fix_title_{scope}", item.stamp)
    title = st.text_input(t("fix.correct.title"), value=item.title, key=f"fix_title_{scope}", max_chars=500)
    doc_no = st.text_input(t("fix.correct.doc_no"), value=item.doc_no or "", key=f"fix_docno_{scope}")
    left, right = st.columns([1, 2])
    day = date_input(left, t("fix.correct.date"), f"fix_cdate_{scope}", dt.date.today().isoformat())
    note = right.text_input(t("fix.correct.note"), key=f"fix_note_{scope}", max_chars=500)
    sure = st.checkbox(t("fix.correct.confirm"), key=f"fix_csure_{scope}")
    if st.button(t("fix.correct.submit"), type="primary", key=f"fix_csave_{scope}"):
        if not sure:
            st.warning(t("fix.confirm.needed"))
            return
        values = {"title": title, "doc_no": doc_no}
        _run(
            lambda: records_writes.correct_publication(
                who, item.unit_code, item.index_no, values, day, note, stamp
            ),
            f"fix_stamp_c_{scope}",
        )


def _withdraw(who: Principal, item: records.PublicationItem, n: int) -> None:
    if item.withdrawal is not None:
        st.info(t("fix.withdraw.already"))
        return
    if item.attribute != "proactive" or item.published_date is None:
        st.info(t("fix.withdraw.not_public"))
        return
    scope = f"{item.unit_code}_{item.index_no}_{n}"
    stamp = loaded_stamp(f"fix_stamp_w_{scope}", f"fix_reason_{scope}", item.stamp)
    left, right = st.columns([1, 2])
    day = date_input(left, t("fix.withdraw.date"), f"fix_wdate_{scope}", dt.date.today().isoformat())
    reason = right.text_input(t("fix.withdraw.reason"), key=f"fix_reason_{scope}", max_chars=500)
    sure = st.checkbox(t("fix.withdraw.confirm"), key=f"fix_wsure_{scope}")
    if st.button(t("fix.withdraw.submit"), type="primary", key=f"fix_wsave_{scope}"):
        if not sure:
            st.warning(t("fix.confirm.needed"))
            return
        _run(
            lambda: records_writes.withdraw_publication(
                who, item.unit_code, item.index_no, day, reason, stamp
            ),
            f"fix_stamp_w_{scope}",
        )


def _restore(who: Principal, item: records.PublicationItem, n: int) -> None:
    if item.withdrawal is None:
        st.info(t("fix.restore.none"))
        return
    scope = f"{item.unit_code}_{item.index_no}_{n}"
    stamp = loaded_stamp(f"fix_stamp_r_{scope}", f"fix_rreason_{scope}", item.stamp)
    left, right = st.columns([1, 2])
    day = date_input(left, t("fix.restore.date"), f"fix_rdate_{scope}", dt.date.today().isoformat())
    reason = right.text_input(t("fix.restore.reason"), key=f"fix_rreason_{scope}", max_chars=500)
    sure = st.checkbox(t("fix.restore.confirm"), key=f"fix_rsure_{scope}")
    if st.button(t("fix.restore.submit"), key=f"fix_rsave_{scope}"):
        if not sure:
            st.warning(t("fix.confirm.needed"))
            return
        _run(
            lambda: records_writes.restore_publication(
                who, item.unit_code, item.index_no, day, reason, stamp
            ),
            f"fix_stamp_r_{scope}",
        )


def _option(item: records.PublicationItem) -> str:
    mark = t("fix.option.withdrawn") if item.withdrawal is not None else ""
    return t("fix.option", index_no=item.index_no, title=item.title[:60], mark=mark)


def fixes(who: Principal | None, unit: str) -> None:
    """Find an item of the unit (or a unit under it); its history; 更正 / 撤回 / 恢复 where allowed."""
    st.subheader(t("fix.heading"))
    st.caption(t("fix.caption"))
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)
    text = st.text_input(
        t("fix.search"), key="fix-search", max_chars=100, placeholder=t("fix.search.hint")
    ).strip()
    if not text:
        return
    matches = records_reads.publication_matches(unit, text)
    if not matches:
        st.info(t("fix.none", text=text))
        return
    by_key = {f"{m.unit_code}\n{m.index_no}": m for m in matches}
    key = st.selectbox(t("fix.pick"), list(by_key), format_func=lambda k: _option(by_key[k]), key="fix-pick")
    picked = by_key[key]
    item = records_reads.publication_item(picked.unit_code, picked.index_no) or picked
    with st.container(border=True):
        st.markdown(t("fix.item", index_no=plain(item.index_no), title=plain(item.title)))
        st.caption(
            t(
                "fix.item.meta",
                unit=plain(item.unit_name),
                doc_no=item.doc_no or "—",
                formed=item.formed_date,
                published=item.published_date or "—",
            )
        )
        if item.withdrawal is not None:
            w = item.withdrawal
            st.warning(
                t(
                    "fix.item.withdrawn",
                    date=w.date,
                    reason=plain(w.reason),
                    who=plain(w.username),
                    published=item.published_date,
                )
            )
        _history(item)
    editable = who is not None and who.can("edit_records")
    if editable and who is not None:
        editable = item.unit_code in {code for code, _n, _d in records_reads.units_for(who)}
    if not editable or who is None:
        st.caption(t("fix.readonly"))
        return
    n = _round()
    names = [t("fix.tab.correct"), t("fix.tab.withdraw")]
    restore = who.can("restore_withdrawn") and item.withdrawal is not None
    tabs = st.tabs([*names, t("fix.tab.restore")] if restore else names)
    with tabs[0]:
        _correct(who, item, n)
    with tabs[1]:
        _withdraw(who, item, n)
    if restore:
        with tabs[2]:
            _restore(who, item, n)
