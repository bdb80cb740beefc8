"""Cached reads for the leaders' dashboard pages (data_access.read.queries), keyed by the data version.

Every read is a `cached_read`, so an upload shows at once; only aggregates, small frames and one
register page at a time are cached, never a raw table. `today` is an argument of the cached
function so the cache turns over daily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from dashboard.reads.cache import cached_read, read_session
from data_access.read import kpis, reports, withdrawals
from data_access.read.queries import (
    duties,
    overview,
    projects,
    publications,
    register,
    registers,
    requests,
    scope,
    units,
)
from data_access.read.reports import docx as report_docx
from data_access.read.reports import xlsx as report_xlsx
from data_access.rules.permissions import Principal

# Named here for the pages, which import data_access only for rules/ and settings.
overdue_line = duties.overdue_line
COLUMNS = projects.COLUMNS
ytd_column = projects.ytd_column
PAGE_SIZES = register.PAGE_SIZES
RegisterCounts = registers.RegisterCounts
TEMPLATES = reports.TEMPLATES
default_template = reports.default_template


def _read(fn: Callable, *args):  # type: ignore[no-untyped-def]
    with read_session() as session:
        return fn(session, *args)


def today() -> dt.date:
    """The day duties and deadlines are judged on."""
    return dt.date.today()


@cached_read
def unit_scope(unit: str) -> scope.Scope:
    """The unit and every unit under it."""
    return _read(scope.scope, unit)


def unit_name(unit: str) -> str:
    """The unit's name as typed, for exported titles and file names (pages escape it for Markdown)."""
    return unit_scope(unit).name


@cached_read
def personal_ids(who: Principal, unit: str) -> tuple[int, ...]:
    """Units under `unit` whose withheld items and applicants' details this user may see."""
    return _read(scope.personal_unit_ids, who, unit_scope(unit).ids)


# ----------------------------------------------------------------------------- 主动公开
@cached_read
def register_counts(unit: str, year: int, month: int = 12) -> registers.RegisterCounts:
    """Items published from January to `month` per register, and counted once."""
    return _read(registers.counts, unit_scope(unit).ids, year * 100 + 1, year * 100 + month)


@cached_read
def _pub_summary(unit: str, year: int, day: dt.date) -> publications.PublicationSummary:
    return _read(publications.summary, unit_scope(unit), year, day)


def publication_summary(unit: str, year: int) -> publications.PublicationSummary:
    """Targets, trend, shares and timeliness for the year."""
    return _pub_summary(unit, year, today())


@cached_read
def register_count(unit: str, personal: tuple[int, ...], f: register.RegisterFilter) -> int:
    """How many register items match."""
    return _read(register.count, unit_scope(unit).ids, personal, f)


@cached_read
def register_page(
    unit: str, personal: tuple[int, ...], f: register.RegisterFilter, limit: int, offset: int
) -> pd.DataFrame:
    """One page of the register, withdrawn items marked 已撤回 (状态)."""
    ids = unit_scope(unit).ids
    with read_session() as session:
        return withdrawals.mark_frame(session, ids, register.page(session, ids, personal, f, limit, offset))


def register_frames(unit: str, personal: tuple[int, ...], f: register.RegisterFilter) -> list[pd.DataFrame]:
    """Every matching item, in chunks (not cached: only for the download, on click)."""
    ids = unit_scope(unit).ids
    with read_session() as session:
        chunks = list(register.chunks(session, ids, personal, f))
        return [withdrawals.mark_frame(session, ids, chunk) for chunk in chunks]


@cached_read
def withdrawn_items(unit: str, year: int) -> list[withdrawals.WithdrawnItem]:
    """The items published in the year under the unit that are withdrawn (撤回)."""
    return _read(withdrawals.withdrawn_items, unit_scope(unit).ids, year)


# ----------------------------------------------------------------------------- 重点项目
@cached_read
def project_months(unit: str, year: int) -> list[int]:
    """Months of the year with a key-project table."""
    return _read(projects.months, unit_scope(unit).ids, year)


@cached_read
def project_table(unit: str, year: int, month: int) -> projects.ProjectTable:
    """The completion table for a month."""
    return _read(projects.table, unit_scope(unit).ids, year, month)


@cached_read
def project_history(unit: str, project_id: int) -> pd.DataFrame:
    """One project month by month."""
    return _read(projects.history, project_id, unit_scope(unit).ids)


@cached_read
def project_findings(unit: str, year: int, month: int) -> tuple:
    """Reconciliation findings up to the month."""
    return _read(projects.findings, unit_scope(unit).ids, year, month)


# ----------------------------------------------------------------------------- 依申请公开
@cached_read(shared=True)  # a frozen dataclass of tuples: a city's open requests, not unpickled per page
def _request_stats(unit: str, personal: tuple, year: int, day: dt.date) -> requests.RequestStats:
    return _read(requests.stats, unit_scope(unit).ids, personal, year, day)


def request_stats(unit: str, personal: tuple[int, ...], year: int) -> requests.RequestStats:
    """The year's request figures and the open requests."""
    return _request_stats(unit, personal, year, today())


@cached_read
def _answered_count(unit: str, year: int, day: dt.date) -> int:
    return _read(requests.answered_count, unit_scope(unit).ids, year, day)


def answered_count(unit: str, year: int) -> int:
    """How many requests were answered in the year."""
    return _answered_count(unit, year, today())


@cached_read
def _answered_page(
    unit: str, personal: tuple, year: int, day: dt.date, limit: int, offset: int
) -> list[requests.RequestLine]:
    return _read(requests.answered, unit_scope(unit).ids, personal, year, day, offset, limit)


def answered_page(unit: str, personal: tuple[int, ...], year: int, limit: int, offset: int) -> list:
    """One page of the year's answered requests."""
    return _answered_page(unit, personal, year, today(), limit, offset)


@cached_read
def _request_explanation(
    unit: str, personal: tuple, unit_id: int, request_no: str, day: dt.date
) -> requests.RequestLine | None:
    return _read(requests.explain, unit_scope(unit).ids, personal, unit_id, request_no, day)


def request_explanation(
    unit: str, personal: tuple[int, ...], unit_id: int, request_no: str
) -> requests.RequestLine | None:
    """One request with the working-out of its due date."""
    return _request_explanation(unit, personal, unit_id, request_no, today())


def answered_all(unit: str, personal: tuple[int, ...], year: int) -> list[requests.RequestLine]:
    """Every answered request of the year (not cached: only for the download, on click)."""
    return _read(requests.answered, unit_scope(unit).ids, personal, year, today())


# ----------------------------------------------------------------------------- 公开栏与两馆
@cached_read(shared=True)  # frozen dataclasses of tuples: a city's boards, not unpickled per page
def _boards(unit: str, year: int, day: dt.date) -> tuple:
    return _read(duties.boards, unit_scope(unit).ids, year, day)


def boards(unit: str, year: int) -> tuple[duties.BoardLine, ...]:
    """Each board's year."""
    return _boards(unit, year, today())


@cached_read(shared=True)  # frozen dataclasses of tuples: a city's boards, not unpickled per page
def _deliveries(unit: str, year: int, day: dt.date) -> tuple:
    return _read(duties.deliveries, unit_scope(unit).ids, year, day)


def deliveries(unit: str, year: int) -> tuple[duties.DeliveryLine, ...]:
    """Each month's deliveries, judged."""
    return _deliveries(unit, year, today())


# ----------------------------------------------------------------------------- 总览 and 单位对比
@cached_read
def _leader(unit: str, year: int, day: dt.date, last: bool) -> overview.LeaderSummary:
    return _read(overview.summary, unit_scope(unit), year, day, last)


def leader_summary(unit: str, year: int, has_last_year: bool) -> overview.LeaderSummary:
    """The overview's extra figures and attention list."""
    return _leader(unit, year, today(), has_last_year)


@cached_read
def _ranking(unit: str, year: int, day: dt.date) -> pd.DataFrame:
    return _read(units.ranking, unit_scope(unit), year, day)


def unit_ranking(unit: str, year: int) -> pd.DataFrame:
    """The units under `unit`, side by side."""
    return _ranking(unit, year, today())


# ----------------------------------------------------------------------------- 年度报告
@cached_read(max_entries=32)
def annual_report(unit: str, year: int, template: str) -> tuple[dict | None, str | None]:
    """The report, or None and the Chinese reason it cannot be built."""
    try:
        return _read(reports.build, year, unit, template), None
    except kpis.KpiError as exc:
        return None, str(exc)


@cached_read(max_entries=16)
def report_file(unit: str, year: int, template: str, kind: str) -> bytes:
    """The report as .xlsx or .docx bytes."""
    report, _error = annual_report(unit, year, template)
    return report_xlsx.xlsx_bytes(report) if kind == "xlsx" else report_docx.docx_bytes(report)
