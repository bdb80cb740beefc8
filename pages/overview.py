"""总览: the year's key figures for a unit — against last year and target, timeliness, requests,
boards and deliveries — the short 需要关注 list linking to the pages below, and the categories."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.errors import DatabaseError, database_unavailable
from dashboard.guard import require_page
from dashboard.i18n import t
from dashboard.panels import chart_specs, filters, register_counts
from dashboard.panels.backup_status import backup_status
from dashboard.panels.empty import empty_state, no_units
from dashboard.reads import admin as admin_reads
from dashboard.reads import cache, dashboards, figures
from dashboard.widgets.attention import ALL, attention, duty_cards, plain
from dashboard.widgets.format import percent, wan
from data_access.rules import workdays
from data_access.rules.entered import ENTRY_KINDS


def _card(column, label: str, value, caption: str | None = None, **metric_args) -> None:  # type: ignore[no-untyped-def]
    """A bordered card: the metric and, inside the same border, its explanation."""
    with column.container(border=True, height="stretch"):
        st.metric(label, value, **metric_args)
        if caption:
            st.caption(caption)


def _figure(value) -> str | int:  # type: ignore[no-untyped-def]
    """A figure, or "—" when it was not entered (never a guessed zero; the card's help says so)."""
    return "—" if value is None else value


def _help(key: str, *values) -> dict:  # type: ignore[no-untyped-def]
    """The card's 「?」: how the figure is computed and from which records, and, when any of its
    figures was not entered, that "—" is not 0."""
    text = t(key)
    return {"help": f"{t('kpi.not_entered')}\n\n{text}" if any(v is None for v in values) else text}


def _top(k: dict, last: dict | None, s) -> None:  # type: ignore[no-untyped-def]
    """The two rows a leader reads first: this year's output and what is on time or late."""
    pub, req, proj, dl = k["publications"], k["requests"], k["projects"], k["deliveries"]
    added = duty_cards(s)
    row1, row2 = st.columns(4), st.columns(4)
    delta = t("kpi.vs_last_year", delta=pub["total"] - last["publications"]["total"]) if last else None
    target = (
        t("overview2.target", target=f"{s.target:,.0f}", progress=percent(s.target_progress))
        if s.target
        else t("overview2.no_target")
    )
    caption = t("kpi.cumulative", n=pub["cumulative"]) + " · " + target
    _card(row1[0], t("kpi.published"), pub["total"], caption, delta=delta, **_help("help.overview.published"))
    _card(row1[1], *added["timely"], **_help("help.overview.timely"))
    if proj is None:
        _card(row1[2], t("kpi.projects"), "—", t("kpi.not_entered"), **_help("help.overview.projects", None))
    elif proj["count"]:
        caption = t("kpi.projects.caption", count=proj["count"], month=proj["month"],
                    ytd=wan(proj["ytd_invested"]), plan=wan(proj["annual_plan"]))  # fmt: skip
        lagging = t("kpi.projects.lagging", n=len(proj["lagging"]))
        _card(row1[2], t("kpi.projects"), percent(proj["completion_rate"]), caption, delta=lagging,
              delta_color="red" if proj["lagging"] else "gray", delta_arrow="off", **_help("help.overview.projects"))  # fmt: skip
    else:
        _card(row1[2], t("kpi.projects"), "—", t("kpi.projects.none"), **_help("help.overview.projects"))
    _card(row1[3], *added["requests"], **_help("help.overview.open_requests"))
    requests = t("kpi.requests.caption", received=req["received"], replied=req["replied"])
    _card(row2[0], t("kpi.requests"), req["received"], requests, **_help("help.overview.requests"))
    archive, library = _figure(dl["archive"]), _figure(dl["library"])
    deliveries = t("kpi.deliveries.caption", archive=archive, library=library)
    _card(
        row2[1],
        t("kpi.deliveries"),
        f"{archive} / {library}",
        deliveries,
        **_help("help.overview.deliveries", dl["archive"]),
    )
    _card(row2[2], *added["deliveries"], **_help("help.overview.deliveries_rate"))
    _card(row2[3], *added["boards"], **_help("help.overview.boards"))


def _documents(column, documents: dict | None, target) -> None:  # type: ignore[no-untyped-def]
    """公文类信息主动公开率 against the year's target (percent; None: not set), or "—" when no
    documents were entered for the year."""
    if documents is None:
        _card(
            column,
            t("kpi.documents"),
            "—",
            t("kpi.documents.not_entered"),
            **_help("help.overview.documents", None),
        )
        return
    caption = t("kpi.documents.caption", made=documents["made"], proactive=documents["proactive"],
                on_request=documents["on_request"], withheld=documents["withheld"])  # fmt: skip
    rate = documents["proactive_rate"]
    if target is None:
        _card(
            column,
            t("kpi.documents"),
            percent(rate),
            caption + " · " + t("kpi.documents.no_target"),
            **_help("help.overview.documents"),
        )
        return
    gap = (rate or 0) * 100 - float(target)
    _card(column, t("kpi.documents"), percent(rate), caption, delta=t("kpi.documents.target", target=f"{target}%"),
          delta_color="green" if gap >= 0 else "red", delta_arrow="off", **_help("help.overview.documents"))  # fmt: skip


def _more(k: dict, documents_target=None) -> None:  # type: ignore[no-untyped-def]
    """The year's other figures."""
    req, row = k["requests"], st.columns(5)
    _card(
        row[0],
        t("kpi.full_text_rate"),
        percent(k["publications"]["full_text_rate"]),
        **_help("help.overview.full_text_rate"),
    )
    interpretations, hotline = k["interpretations"], k["hotline_duties"]
    _card(
        row[1],
        t("kpi.interpretations"),
        _figure(interpretations),
        **_help("help.overview.interpretations", interpretations),
    )
    _card(row[2], t("kpi.hotline"), _figure(hotline), **_help("help.overview.hotline", hotline))
    appeals = (req["reconsiderations"], req["litigations"], req["complaints"])
    _card(
        row[3],
        t("kpi.appeals"),
        " / ".join(str(_figure(v)) for v in appeals),
        **_help("help.overview.appeals", *appeals),
    )
    _documents(row[4], k.get("documents"), documents_target)
    missing = _missing(k)
    if missing:
        st.caption(t("kpi.not_entered.list", kinds="、".join(ENTRY_KINDS[kind] for kind in missing)))


def _missing(k: dict) -> list[str]:
    """The kinds of data_access.rules.entered not entered for the year (their figures are None)."""
    req = k["requests"]
    figures = {
        "topics": k["publications"]["by_topic"],
        "deliveries": k["deliveries"]["archive"],
        "interpretations": k["interpretations"],
        "hotline": k["hotline_duties"],
        "appeals": req["reconsiderations"],
        "complaints": req["complaints"],
        "projects": k.get("projects"),
    }
    return [kind for kind, value in figures.items() if value is None]


def _holiday_notice() -> None:
    """From 1 November, an admin is told when next year's holiday schedule is not entered yet."""
    principal = session.current()
    if principal is None or not principal.can("admin_holidays"):
        return
    missing = workdays.next_year_missing(dashboards.today(), admin_reads.calendar())
    if missing is not None:
        st.warning(t("overview.holidays_missing", year=missing), icon=":material/event:")
        st.page_link(
            "pages/admin_holidays.py",
            label=t("overview.holidays_missing.link", year=missing),
            query_params={"year": str(missing)},
        )


def render() -> None:
    """Draw the page."""
    if not cache.schema_ready():
        no_units()
        return
    unit = filters.unit_picker()
    if unit is None:
        no_units()
        return
    _holiday_notice()  # after the unit check: an empty database first asks for units
    unit_name = plain(dict((c, n) for c, n, _d in figures.units())[unit])  # for Markdown headings
    year = filters.year_picker(unit)
    if year is None:
        empty_state(t("overview2.common.no_year", unit=unit_name))
        return
    k = figures.year_kpis(unit, year)
    if k is None:
        empty_state(t("overview.no_data_year", unit=unit_name, year=year))
        return
    st.title(t("overview.heading", unit=unit_name, year=year))
    backup_status(only_when_overdue=True)  # admins only
    filters.scope_note(unit)
    st.caption(t("overview.as_of", year=year, month=k["month"]))
    has_last = year - 1 in figures.years(unit)
    summary = dashboards.leader_summary(unit, year, has_last)
    _top(k, figures.year_kpis(unit, year - 1, k["month"]) if has_last else None, summary)
    register_counts.overview_caption(dashboards.register_counts(unit, year, k["month"]))

    left, right = st.columns([2, 3])
    with left:
        attention(summary, unit, full=st.query_params.get("attention") == ALL)
    with right:
        labels = (t("chart.by_category.title"), t("chart.category"), t("chart.count"), t("chart.share"))
        st.vega_lite_chart(
            spec=chart_specs.category_chart_spec(tuple(k["publications"]["by_category"].items()), labels),
            width="stretch",
        )
        if "category_groups" in k["publications"]:  # units with different catalogues: by 领域
            others = k["publications"]["category_groups"]["other_units"]
            st.caption(t("catalogue.by_domain", units=plain("、".join(others)) or "—"))
    _more(k, figures.documents_target(unit, year).percent)


require_page(__file__)
try:
    render()
except DatabaseError:
    database_unavailable()
