"""The other 逐条登记 forms: appeals, policy interpretations, hotline duties, board updates, deliveries."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.i18n import t
from dashboard.panels.records_forms import date_input, round_key, save, stale_notice
from dashboard.reads import records as records_reads
from dashboard.writes import records as records_writes
from data_access.rules.permissions import Principal
from data_access.rules.vocab import COMPLAINT_SOURCES, RECIPIENT_NAMES
from data_access.write import records
from data_access.write.importing import synonyms as K

APPEAL_KINDS = ("行政复议", "行政诉讼", "申诉举报")
LITIGATION_PATHS = ("", "未经复议直接起诉", "复议后起诉")
RESULTS = ("", *K.APPEAL_RESULTS)
NEW_BOARD = "\x00new"


def _button(form: str, principal: Principal, unit: str, values: dict[str, Any], n: int) -> None:
    if st.button(t("records.submit"), type="primary", key=f"{form}_save_{n}"):
        save(form, lambda: records_writes.save_form(principal, form, unit, values))


def appeal_form(principal: Principal, unit: str, rows: list[records.RequestRow]) -> None:
    """An administrative reconsideration, lawsuit or complaint, with its path and result."""
    n = round_key("appeal")
    left, right = st.columns(2)
    kind = left.selectbox(t("records.appeal.kind"), APPEAL_KINDS, key=f"ap_kind_{n}")
    values: dict[str, Any] = {
        "kind": kind,
        "litigation_path": right.selectbox(
            t("records.appeal.path"),
            LITIGATION_PATHS,
            format_func=lambda p: p or t("records.not_applicable"),
            key=f"ap_path_{n}",
            help=t("records.appeal.path.help"),
        ),
        "filed_date": date_input(left, t("records.appeal.filed"), f"ap_filed_{n}"),
        "request_no": right.selectbox(
            t("records.appeal.request"),
            ("", *(r.request_no for r in rows)),
            format_func=lambda no: no or t("records.appeal.no_request"),
            key=f"ap_request_{n}",
        ),
        "result": left.selectbox(
            t("records.appeal.result"),
            RESULTS,
            format_func=lambda r: r or t("records.appeal.result.none"),
            key=f"ap_result_{n}",
        ),
        "closed_date": date_input(right, t("records.appeal.closed"), f"ap_closed_{n}"),
        "source": right.selectbox(
            t("records.appeal.source"),
            ("", *COMPLAINT_SOURCES),
            format_func=lambda s: s or t("records.not_applicable"),
            key=f"ap_source_{n}",
            help=t("records.appeal.source.help"),
        ),
        "summary": st.text_area(t("records.appeal.summary"), key=f"ap_summary_{n}", height=68),
    }
    _button("appeal", principal, unit, values, n)


def interpretation_form(principal: Principal, unit: str) -> None:
    """A policy interpretation the unit published."""
    n = round_key("interpretation")
    left, right = st.columns([3, 1])
    values = {
        "title": left.text_input(t("records.interpretation.title"), key=f"pi_title_{n}"),
        "published_date": date_input(right, t("records.interpretation.date"), f"pi_date_{n}"),
    }
    _button("interpretation", principal, unit, values, n)


def hotline_form(principal: Principal, unit: str) -> None:
    """A turn on the unit's hotline duty answered by one of its leaders."""
    n = round_key("hotline")
    left, right = st.columns(2)
    values = {
        "duty_date": date_input(left, t("records.hotline.date"), f"hl_date_{n}"),
        "official": right.text_input(t("records.hotline.official"), key=f"hl_official_{n}"),
        "topics": st.text_area(t("records.hotline.topics"), key=f"hl_topics_{n}", height=68),
    }
    _button("hotline", principal, unit, values, n)


def board_form(principal: Principal, unit: str) -> None:
    """A renewal, update or repair of a bulletin board (a board not yet known is added)."""
    n = round_key("board_update")
    left, right = st.columns(2)
    names = records_reads.board_names(unit)
    board = left.selectbox(
        t("records.board.board"),
        (*names, NEW_BOARD),
        format_func=lambda b: t("records.board.new") if b == NEW_BOARD else b,
        key=f"bu_board_{n}",
    )
    location = None
    if board == NEW_BOARD:
        board = left.text_input(t("records.board.name"), key=f"bu_name_{n}")
        location = right.text_input(t("records.board.location"), key=f"bu_location_{n}")
    values = {
        "board": board,
        "location": location,
        "update_date": date_input(right, t("records.board.date"), f"bu_date_{n}"),
        "kind": right.selectbox(t("records.board.kind"), K.BOARD_KIND_SYNONYMS, key=f"bu_kind_{n}"),
        "note": st.text_input(t("records.board.note"), key=f"bu_note_{n}"),
    }
    _button("board_update", principal, unit, values, n)


BOTH = "both"  # the delivery form's choice that registers the archive and the library at once


def delivery_form(principal: Principal, unit: str) -> None:
    """One month's delivery to the unit's archive and library (one save for both, or either alone;
    a month with nothing to send: 0)."""
    n = round_key("delivery")
    names = records_reads.recipient_names(unit)
    choices = {BOTH: t("records.delivery.both", archive=names["archive"], library=names["library"]), **names}
    left, middle, right = st.columns(3)
    values = {
        "period_ym": left.text_input(
            t("records.delivery.month"), key=f"dl_month_{n}", placeholder=t("records.delivery.month_hint")
        ),
        "recipient": middle.selectbox(
            t("records.delivery.recipient"),
            tuple(choices),
            format_func=choices.get,
            key=f"dl_recipient_{n}",
        ),
        "delivered_date": date_input(right, t("records.delivery.date"), f"dl_date_{n}"),
        "item_count": left.number_input(
            t("records.delivery.count"), min_value=0, step=1, value=None, key=f"dl_count_{n}"
        ),
    }
    st.caption(t("records.delivery.help"))
    recipients = tuple(RECIPIENT_NAMES) if values["recipient"] == BOTH else (values["recipient"],)
    forms = [{**values, "recipient": r} for r in recipients]
    # A save corrects the entries the clerk saw: those shown for this month and recipient by the
    # previous run (a click reruns the page, which reads them again). Not shown yet: none.
    loaded: list[records.Stamp | None] = []
    for form in forms:
        key = records.delivery_key(form)
        current = records_reads.delivery(unit, *key) if key is not None else None
        if current is not None:
            when = (
                current.delivered_date.isoformat() + " "
                if current.delivered_date
                else t("records.delivery.undated")
            )
            st.info(
                t("records.delivery.existing", date=when, count=current.item_count)
                if len(forms) == 1
                else t(
                    "records.delivery.existing_at",
                    name=names[form["recipient"]],
                    date=when,
                    count=current.item_count,
                )
            )
        shown_key = f"dl_shown_{n}_{form['recipient']}"
        shown = st.session_state.get(shown_key)
        st.session_state[shown_key] = (key, current.stamp if current else None)
        loaded.append(shown[1] if shown is not None and key is not None and shown[0] == key else None)
    if st.button(t("records.submit"), type="primary", key=f"delivery_save_{n}"):
        save(
            "delivery",
            lambda: records_writes.save_deliveries(principal, unit, list(zip(forms, loaded, strict=True))),
            str(n),
            redraw=True,
        )
    stale_notice("delivery", str(n), reload=False)
