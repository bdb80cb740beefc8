"""The 逐条登记 forms for disclosure requests: register one, record its progress, see its deadline live.

Dates are typed (2019-06-03, 2019年6月3日 …) and read by the importer's parser, so a form
accepts exactly what a spreadsheet would; saving goes through dashboard.writes.records, which
raises RecordError naming each bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.reads import records as records_reads
from dashboard.widgets.attention import plain
from dashboard.writes import records as records_writes
from data_access.rules.deadlines import Deadline
from data_access.rules.permissions import Principal
from data_access.rules.vocab import OUTCOMES_2021
from data_access.write import records
from data_access.write.importing import synonyms as K
from data_access.write.importing.normalise import CellError, parse_date

OUTCOME_FORMS = tuple(f"{g}-{i}" if i else g for g, items in OUTCOMES_2021 for i in (items or ("",)))
NOT_YET = ""


def round_key(form: str) -> int:
    """The form's generation: bumped after a save so its fields start empty again."""
    return st.session_state.get(f"records_round_{form}", 0)


def _stale_key(form: str, scope: str) -> str:
    return f"records_stale_{form}_{scope}"


def save(form: str, call: Callable[[], records.Saved], scope: str = "", *, redraw: bool = False) -> None:
    """Run a save; on success leave a message, clear the form and rerun; on failure list every problem.

    A save refused because someone changed the record since the form was drawn (StaleRecord)
    leaves the form as typed and a notice (`stale_notice`, same scope); with `redraw` the page is
    drawn again at once, for a form that shows the record as it is now beside the typed values.
    """
    try:
        saved = call()
    except records.StaleRecord:
        st.session_state[_stale_key(form, scope)] = True
        if redraw:
            st.rerun()
        return
    except records.RecordError as exc:
        st.error(t("records.invalid") + "\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    if saved.status == "unchanged":
        st.session_state["records_flash"] = ("info", t("records.unchanged"))
    else:
        st.session_state["records_flash"] = ("success", t("records.saved", batch=saved.batch_id))
    st.session_state[f"records_round_{form}"] = round_key(form) + 1
    st.rerun()


def _reload(form: str, scope: str) -> None:
    st.session_state.pop(_stale_key(form, scope), None)
    st.session_state[f"records_round_{form}"] = round_key(form) + 1


def stale_notice(form: str, scope: str = "", *, reload: bool = True) -> None:
    """After a save refused as stale: the message and, with `reload`, a button that draws the form
    again from the record as it is now (kept until then, with the typed values to copy from).
    Without `reload` (a form that shows the current record beside what is typed) it shows once."""
    key = _stale_key(form, scope)
    if not st.session_state.get(key):
        return
    st.error(t("records.stale"))
    if reload:
        st.caption(t("records.stale.help"))
        st.button(
            t("records.stale.reload"), key=f"{form}_reload_{scope}", on_click=_reload, args=(form, scope)
        )
    else:
        st.session_state.pop(key)
        st.caption(t("records.stale.shown"))


def loaded_stamp(key: str, field: str, current: Any) -> Any:
    """The stamp the form was drawn from: `current` when its field `field` is being created (first
    draw, or again after a save or reload), else the one kept from then — a widget with a key keeps
    what was typed, so the stamp must stay with the values the clerk saw, not the latest read."""
    if field not in st.session_state or key not in st.session_state:
        st.session_state[key] = current
    return st.session_state[key]


def flash() -> None:
    """The message left by the last save (shown once)."""
    message = st.session_state.pop("records_flash", None)
    if message is not None:
        getattr(st, message[0])(message[1])


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_date(text) if text and text.strip() else None
    except CellError:
        return None


def date_input(where: Any, label: str, key: str, value: str = "") -> str:
    """A date typed as text (the importer's formats), with an example as placeholder."""
    return where.text_input(label, value=value, key=key, placeholder=t("records.date_hint"))


def show_deadline(deadline: Deadline | str | None) -> None:
    """The statutory due date and, folded, how it was worked out."""
    if deadline is None:
        st.caption(t("records.deadline.need"))
        return
    if isinstance(deadline, str):
        st.warning(deadline)
        return
    if deadline.effective_due is None:
        st.info(t("records.deadline.paused"))
    else:
        st.info(
            t("records.deadline.due", due=deadline.effective_due.isoformat(), days=deadline.limit_days)
            if not deadline.extension_approved
            else t(
                "records.deadline.extended",
                due=deadline.effective_due.isoformat(),
                days=deadline.extension_days,
            )
        )
    with st.expander(t("records.deadline.how")):
        st.text("\n".join(deadline.explanation()))


def _prefill_number(unit: str, n: int) -> None:
    """Fill the 编号 box with the unit's next number in the received date's year (the page's year:
    today's, until a date is typed) — again when the unit or that year changes, unless the clerk
    has typed a number of their own."""
    received = _date(st.session_state.get(f"rq_received_{n}")) or dt.date.today()
    default = records_reads.next_request_no(unit, received.year)
    key, last = f"rq_no_{n}", f"rq_no_default_{n}"
    if key not in st.session_state or st.session_state[key] == st.session_state.get(last):
        st.session_state[key] = default
    st.session_state[last] = default


def register_form(principal: Principal, unit: str) -> None:
    """登记 a request the day it arrives, with its due date shown as soon as the date and channel are in."""
    n = round_key("request")
    left, right = st.columns(2)
    _prefill_number(unit, n)
    values: dict[str, Any] = {
        "request_no": left.text_input(
            t("records.request_no"), key=f"rq_no_{n}", help=t("records.request_no.help")
        ),
        "received_date": date_input(
            left, t("records.received_date"), f"rq_received_{n}", dt.date.today().isoformat()
        ),
        "channel": right.selectbox(
            t("records.channel"),
            K.REQUEST_CHANNEL_SYNONYMS,
            key=f"rq_channel_{n}",
            help=t("records.channel.help"),
        ),
        "applicant_type": right.selectbox(
            t("records.applicant_type"), K.APPLICANT_SYNONYMS, key=f"rq_type_{n}"
        ),
        "applicant_name": left.text_input(t("records.applicant_name"), key=f"rq_name_{n}"),
        "applicant_contact": right.text_input(t("records.applicant_contact"), key=f"rq_contact_{n}"),
        "summary": st.text_area(t("records.summary"), key=f"rq_summary_{n}", height=80),
    }
    received = _date(values["received_date"])
    show_deadline(records_reads.deadline(received, values["channel"]) if received else None)
    if st.button(t("records.register.submit"), type="primary", key=f"rq_save_{n}"):
        save("request", lambda: records_writes.save_form(principal, "request", unit, values))


def _latest(row: records.RequestRow, kind: str) -> tuple[str, str]:
    mine = [(s, e) for k, s, e in row.pauses if k == kind]
    if not mine:
        return "", ""
    start, end = mine[-1]
    return start.isoformat(), end.isoformat() if end else ""


def _label(row: records.RequestRow) -> str:
    return t(
        "records.progress.option",
        no=row.request_no,
        received=row.received_date.isoformat(),
        status=row.status,
    )


def _pauses_after(row: records.RequestRow, values: dict[str, Any]) -> tuple:
    """The request's pauses as they would be after saving the form (for the live deadline)."""
    out = []
    for kind in records.PAUSE_KINDS:
        mine = [(s, e) for k, s, e in row.pauses if k == kind]
        latest = dict(id=0, start_date=mine[-1][0], end_date=mine[-1][1]) if mine else None
        start, end = _date(values[f"{kind}_start"]), _date(values[f"{kind}_end"])
        change = records.plan_pause(latest, kind, start, end)
        if change is not None and change.op != "insert":
            mine.pop()
        if change is not None and change.op != "delete":
            mine.append((change.start, change.end))
        out += [(kind, s, e) for s, e in mine]
    return tuple(out)


def progress_form(principal: Principal, unit: str, rows: list[records.RequestRow]) -> None:
    """Record 补正, third-party consultation, an approved extension and the reply of a registered request."""
    if not rows:
        st.info(t("records.progress.none"))
        return
    by_no = {r.request_no: r for r in rows}
    picked = st.selectbox(
        t("records.progress.pick"), list(by_no), format_func=lambda no: _label(by_no[no]), key="pg_pick"
    )
    chosen = by_no[picked]
    st.caption(t("records.progress.summary", summary=plain(chosen.summary or "")))
    k = f"{chosen.request_no}_{round_key('progress')}"
    loaded = loaded_stamp(f"pg_stamp_{k}", f"pg_reply_{k}", chosen.stamp)
    values: dict[str, Any] = {}
    left, right = st.columns(2)
    for kind, column in (("correction", left), ("third_party", right)):
        start, end = _latest(chosen, kind)
        with column:
            st.markdown(f"**{t(f'records.pause.{kind}')}**")
            values[f"{kind}_start"] = date_input(
                st, t(f"records.pause.{kind}.start"), f"pg_{kind}_s_{k}", start
            )
            values[f"{kind}_end"] = date_input(st, t(f"records.pause.{kind}.end"), f"pg_{kind}_e_{k}", end)
    values["extension_days"] = left.number_input(
        t("records.extension_days"),
        min_value=0,  # no maximum here: a number over the rule's is refused with the reason on saving
        value=chosen.extension_days,
        step=1,
        key=f"pg_ext_{k}",
        help=t("records.extension_days.help"),
    )
    approved = chosen.extension_approved_on.isoformat() if chosen.extension_approved_on else ""
    values["extension_approved_on"] = date_input(
        left, t("records.extension_approved_on"), f"pg_ext_on_{k}", approved
    )
    reply = chosen.reply_date.isoformat() if chosen.reply_date else ""
    values["reply_date"] = date_input(right, t("records.reply_date"), f"pg_reply_{k}", reply)
    options = (NOT_YET, *OUTCOME_FORMS)
    values["outcome"] = st.selectbox(
        t("records.outcome"),
        options,
        index=options.index(chosen.outcome) if chosen.outcome in options else 0,
        format_func=lambda o: o or t("records.outcome.none"),
        key=f"pg_outcome_{k}",
    )
    values["other_outcomes"] = st.multiselect(
        t("records.other_outcomes"),
        OUTCOME_FORMS,
        default=[o for o in chosen.other_outcomes if o in OUTCOME_FORMS],
        key=f"pg_others_{k}",
        help=t("records.other_outcomes.help"),
    )
    show_deadline(
        records_reads.deadline(
            chosen.received_date,
            chosen.channel,
            _pauses_after(chosen, values),
            int(values["extension_days"]),
            _date(values["extension_approved_on"]),
        )
    )
    if st.button(t("records.progress.submit"), type="primary", key=f"pg_save_{k}"):
        save(
            "progress",
            lambda: records_writes.save_progress(principal, unit, chosen.request_no, values, loaded),
            k,
        )
    stale_notice("progress", k)


def requests_table(rows: list[records.RequestRow]) -> None:
    """The unit's requests with their due dates and where each stands today."""
    st.subheader(t("records.list.heading"))
    if not rows:
        st.info(t("records.list.empty"))
        return
    frame = pd.DataFrame(
        {
            t("records.request_no"): [r.request_no for r in rows],
            t("records.received_date"): [r.received_date.isoformat() for r in rows],
            t("records.channel"): [r.channel for r in rows],
            t("records.applicant_type"): [r.applicant_type for r in rows],
            t("records.summary"): [r.summary for r in rows],
            t("records.list.due"): [r.due.isoformat() if r.due else "—" for r in rows],
            t("records.list.status"): [r.status for r in rows],
            t("records.reply_date"): [r.reply_date.isoformat() if r.reply_date else "" for r in rows],
            t("records.outcome"): [r.outcome or "" for r in rows],
        },
        dtype="string",
    )
    st.dataframe(frame, hide_index=True)
