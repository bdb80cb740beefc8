"""Cached reads for the leaders' dashboard pages (data_access.read.queries), keyed by the data version.

Like dashboard/resources.py: every cached function takes the database URL and data version
first, so an upload shows at once; only aggregates, small frames and one register page at
a time are cached, never a raw table. `today` is an argument so the cache turns over daily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.reads import cache as resources
from data_access import settings
from data_access.read import kpis, reports
from data_access.read.queries import (
    duties,
    overview,
    projects,
    publications,
    register,
    requests,
    scope,
    units,
)
from data_access.read.reports import docx as report_docx
from data_access.read.reports import xlsx as report_xlsx
from data_access.rules.permissions import Principal
from data_access.store import db

_SMALL = {"show_spinner": False, "max_entries": 128}


def _key() -> tuple[str, int]:
    return settings.database_url(), resources.data_version()


def _read(fn: Callable, *args):  # type: ignore[no-untyped-def]
    with db.read_session(resources.engine()) as session:
        return fn(session, *args)


def today() -> dt.date:
    """The day duties and deadlines are judged on."""
    return dt.date.today()


@st.cache_data(**_SMALL)
def _scope(url: str, version: int, unit: str) -> scope.Scope:
    return _read(scope.scope, unit)


def unit_scope(unit: str) -> scope.Scope:
    """The unit and every unit under it."""
    return _scope(*_key(), unit)


@st.cache_data(**_SMALL)
def _personal(url: str, version: int, who: Principal, unit: str) -> tuple[int, ...]:
    return _read(scope.personal_unit_ids, who, _scope(url, version, unit).ids)


def personal_ids(who: Principal, unit: str) -> tuple[int, ...]:
    """Units under `unit` whose withheld items and applicants' details this user may see."""
    return _personal(*_key(), who, unit)


# ----------------------------------------------------------------------------- 主动公开
@st.cache_data(**_SMALL)
def _pub_summary(
    url: str, version: int, unit: str, year: int, day: dt.date
) -> publications.PublicationSummary:
    return _read(publications.summary, _scope(url, version, unit), year, day)


def publication_summary(unit: str, year: int) -> publications.PublicationSummary:
    """Targets, trend, shares and timeliness for the year."""
    return _pub_summary(*_key(), unit, year, today())


@st.cache_data(**_SMALL)
def _register_count(url: str, version: int, unit: str, personal: tuple, f: register.RegisterFilter) -> int:
    return _read(register.count, _scope(url, version, unit).ids, personal, f)


@st.cache_data(**_SMALL)
def _register_page(
    url: str, version: int, unit: str, personal: tuple, f: register.RegisterFilter, limit: int, offset: int
) -> pd.DataFrame:
    return _read(register.page, _scope(url, version, unit).ids, personal, f, limit, offset)


def register_count(unit: str, personal: tuple[int, ...], f: register.RegisterFilter) -> int:
    """How many register items match."""
    return _register_count(*_key(), unit, personal, f)


def register_page(
    unit: str, personal: tuple[int, ...], f: register.RegisterFilter, limit: int, offset: int
) -> pd.DataFrame:
    """One page of the register."""
    return _register_page(*_key(), unit, personal, f, limit, offset)


def register_frames(unit: str, personal: tuple[int, ...], f: register.RegisterFilter) -> list[pd.DataFrame]:
    """Every matching item, in chunks (not cached: only for the download, on click)."""
    ids = unit_scope(unit).ids
    with db.read_session(resources.engine()) as session:
        return list(register.chunks(session, ids, personal, f))


# ----------------------------------------------------------------------------- 重点项目
@st.cache_data(**_SMALL)
def _project_months(url: str, version: int, unit: str, year: int) -> list[int]:
    return _read(projects.months, _scope(url, version, unit).ids, year)


def project_months(unit: str, year: int) -> list[int]:
    """Months of the year with a key-project table."""
    return _project_months(*_key(), unit, year)


@st.cache_data(**_SMALL)
def _project_table(url: str, version: int, unit: str, year: int, month: int) -> projects.ProjectTable:
    return _read(projects.table, _scope(url, version, unit).ids, year, month)


def project_table(unit: str, year: int, month: int) -> projects.ProjectTable:
    """The completion table for a month."""
    return _project_table(*_key(), unit, year, month)


@st.cache_data(**_SMALL)
def _project_history(url: str, version: int, unit: str, project_id: int) -> pd.DataFrame:
    return _read(projects.history, project_id, _scope(url, version, unit).ids)


def project_history(unit: str, project_id: int) -> pd.DataFrame:
    """One project month by month."""
    return _project_history(*_key(), unit, project_id)


@st.cache_data(**_SMALL)
def _project_findings(url: str, version: int, unit: str, year: int, month: int) -> tuple:
    return _read(projects.findings, _scope(url, version, unit).ids, year, month)


def project_findings(unit: str, year: int, month: int) -> tuple:
    """Reconciliation findings up to the month."""
    return _project_findings(*_key(), unit, year, month)


# ----------------------------------------------------------------------------- 依申请公开
@st.cache_data(**_SMALL)
def _request_stats(
    url: str, version: int, unit: str, personal: tuple, year: int, day: dt.date
) -> requests.RequestStats:
    return _read(requests.stats, _scope(url, version, unit).ids, personal, year, day)


def request_stats(unit: str, personal: tuple[int, ...], year: int) -> requests.RequestStats:
    """The year's request figures and the open requests."""
    return _request_stats(*_key(), unit, personal, year, today())


@st.cache_data(**_SMALL)
def _answered_count(url: str, version: int, unit: str, year: int, day: dt.date) -> int:
    return _read(requests.answered_count, _scope(url, version, unit).ids, year, day)


def answered_count(unit: str, year: int) -> int:
    """How many requests were answered in the year."""
    return _answered_count(*_key(), unit, year, today())


@st.cache_data(**_SMALL)
def _answered_page(
    url: str, version: int, unit: str, personal: tuple, year: int, day: dt.date, limit: int, offset: int
) -> list[requests.RequestLine]:
    return _read(requests.answered, _scope(url, version, unit).ids, personal, year, day, offset, limit)


def answered_page(unit: str, personal: tuple[int, ...], year: int, limit: int, offset: int) -> list:
    """One page of the year's answered requests."""
    return _answered_page(*_key(), unit, personal, year, today(), limit, offset)


@st.cache_data(**_SMALL)
def _request_explanation(
    url: str, version: int, unit: str, personal: tuple, unit_id: int, request_no: str, day: dt.date
) -> requests.RequestLine | None:
    return _read(requests.explain, _scope(url, version, unit).ids, personal, unit_id, request_no, day)


def request_explanation(
    unit: str, personal: tuple[int, ...], unit_id: int, request_no: str
) -> requests.RequestLine | None:
    """One request with the working-out of its due date."""
    return _request_explanation(*_key(), unit, personal, unit_id, request_no, today())


def answered_all(unit: str, personal: tuple[int, ...], year: int) -> list[requests.RequestLine]:
    """Every answered request of the year (not cached: only for the download, on click)."""
    return _read(requests.answered, unit_scope(unit).ids, personal, year, today())


# ----------------------------------------------------------------------------- 公开栏与两馆
@st.cache_data(**_SMALL)
def _boards(url: str, version: int, unit: str, year: int, day: dt.date) -> tuple:
    return _read(duties.boards, _scope(url, version, unit).ids, year, day)


def boards(unit: str, year: int) -> tuple[duties.BoardLine, ...]:
    """Each board's year."""
    return _boards(*_key(), unit, year, today())


@st.cache_data(**_SMALL)
def _deliveries(url: str, version: int, unit: str, year: int, day: dt.date) -> tuple:
    return _read(duties.deliveries, _scope(url, version, unit).ids, year, day)


def deliveries(unit: str, year: int) -> tuple[duties.DeliveryLine, ...]:
    """Each month's deliveries, judged."""
    return _deliveries(*_key(), unit, year, today())


# ----------------------------------------------------------------------------- 总览 and 单位对比
@st.cache_data(**_SMALL)
def _leader(url: str, version: int, unit: str, year: int, day: dt.date, last: bool) -> overview.LeaderSummary:
    return _read(overview.summary, _scope(url, version, unit), year, day, last)


def leader_summary(unit: str, year: int, has_last_year: bool) -> overview.LeaderSummary:
    """The overview's extra figures and attention list."""
    return _leader(*_key(), unit, year, today(), has_last_year)


@st.cache_data(**_SMALL)
def _ranking(url: str, version: int, unit: str, year: int, day: dt.date) -> pd.DataFrame:
    return _read(units.ranking, _scope(url, version, unit), year, day)


def unit_ranking(unit: str, year: int) -> pd.DataFrame:
    """The units under `unit`, side by side."""
    return _ranking(*_key(), unit, year, today())


# ----------------------------------------------------------------------------- 年度报告
@st.cache_data(show_spinner=False, max_entries=32)
def _report(url: str, version: int, unit: str, year: int, template: str) -> tuple[dict | None, str | None]:
    try:
        return _read(reports.build, year, unit, template), None
    except kpis.KpiError as exc:
        return None, str(exc)


def annual_report(unit: str, year: int, template: str) -> tuple[dict | None, str | None]:
    """The report, or None and the Chinese reason it cannot be built."""
    return _report(*_key(), unit, year, template)


@st.cache_data(show_spinner=False, max_entries=16)
def _report_file(url: str, version: int, unit: str, year: int, template: str, kind: str) -> bytes:
    report, _error = _report(url, version, unit, year, template)
    return report_xlsx.xlsx_bytes(report) if kind == "xlsx" else report_docx.docx_bytes(report)


def report_file(unit: str, year: int, template: str, kind: str) -> bytes:
    """The report as .xlsx or .docx bytes."""
    return _report_file(*_key(), unit, year, template, kind)
