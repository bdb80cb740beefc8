"""总览's added figures (timeliness, requests, boards, deliveries) and the 需要关注 list, whose items
each link to the page that explains them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.i18n import t
from dashboard.widgets.format import percent
from data_access.read.queries.overview import ATTENTION_SHOWN

if TYPE_CHECKING:  # a type only: a widget imports no code that reads or writes
    from data_access.read.queries.overview import LeaderSummary

PAGES = {
    "request": ("pages/requests.py", ":material/contact_mail:"),
    "delivery": ("pages/duties.py", ":material/local_shipping:"),
    "board": ("pages/duties.py", ":material/event_busy:"),
    "project": ("pages/projects.py", ":material/construction:"),
    "coverage": ("pages/publications.py", ":material/event_note:"),
}
ORDER = ("request", "coverage", "delivery", "board", "project")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: str) -> str:
    """Text for a label that Streamlit renders as Markdown: every Markdown character escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def duty_cards(s: LeaderSummary) -> dict[str, tuple[str, object, str]]:
    """The added cards as (label, value, caption): timeliness, open requests, boards, deliveries."""
    return {
        "timely": (t("overview2.timely"), percent(s.timeliness), t("overview2.timely.caption", judged=s.timeliness_judged)),
        "requests": (t("overview2.requests"), f"{s.requests_open} / {s.requests_overdue}",
                     t("overview2.requests.caption", rate=percent(s.requests_on_time), answered=s.requests_answered)),
        "boards": (t("overview2.boards"), s.boards_overdue, t("overview2.boards.caption", boards=s.boards))
        if not s.boards or s.boards_unrecorded < s.boards
        else (t("overview2.boards"), t("overview2.unrecorded"), t("overview2.boards.unrecorded", boards=s.boards)),
        "deliveries": (t("overview2.deliveries"), percent(s.deliveries_rate),
                       t("overview2.deliveries.caption", on_time=s.deliveries_on_time, due=s.deliveries_judged)
                       if s.deliveries_judged else t("overview2.deliveries.none")),
    }  # fmt: skip


ITEM_PARAMS = {"request": "request", "project": "project"}  # the query parameter naming the item
ALL = "all"  # ?attention=all: the full list


def attention(s: LeaderSummary, unit: str, full: bool = False) -> None:
    """The 需要关注 list: overdue requests, late deliveries, overdue boards, catalogue items not
    published in their period (目录事项未按期公开), lagging projects. Each line links to its page
    with the item chosen (a project, a request) and wraps on a narrow screen; past ATTENTION_SHOWN
    lines, "另有 N 项" links to the full list (`full`: this page with ?attention=all)."""
    items = sorted(s.attention, key=lambda a: ORDER.index(a.kind))
    st.markdown(f"**{t('overview2.attention', n=s.attention_total)}**")
    if not items:
        st.success(t("overview2.attention.none"))
        return
    base = {"unit": unit, "year": str(s.year)}
    shown = items if full else items[:ATTENTION_SHOWN]
    with st.container(border=True, key="attention"):
        for item in shown:
            page, icon = PAGES[item.kind]
            query = dict(base)
            if item.month and item.kind == "project":
                query["month"] = str(item.month)
            if item.item is not None and item.kind in ITEM_PARAMS:
                query[ITEM_PARAMS[item.kind]] = item.item
            st.page_link(page, label=plain(item.text), icon=icon, query_params=query)
        rest = s.attention_total - len(shown)
        if rest > 0 and not full:
            st.page_link("pages/overview.py", label=t("overview2.attention.more", n=rest),
                         icon=":material/expand_more:", query_params={**base, "attention": ALL})  # fmt: skip
        elif rest > 0:  # requests past the first ATTENTION_SHOWN: their own page lists them all
            st.page_link(PAGES["request"][0], label=t("overview2.attention.more_requests", n=rest),
                         icon=PAGES["request"][1], query_params=base)  # fmt: skip
        elif full:
            st.page_link("pages/overview.py", label=t("overview2.attention.fewer"), icon=":material/expand_less:",
                         query_params=base)  # fmt: skip
