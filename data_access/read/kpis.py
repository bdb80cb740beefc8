"""The year's key figures for one unit (and the units under it), from SQL aggregates.

`compute(session, year, month, unit_code)` returns the dict that
`python -m data_access kpis --json` prints; the overview page shows the same.

Never a guessed zero (data_access.rules.entered): topics (`by_topic`), deliveries, policy
interpretations, hotline duties, appeals (reconsiderations, litigations), complaints and key
projects are `None` (JSON `null`) unless *entered* for the unit or a unit under it in the year:
a record of the kind exists in the year (a delivery month of 0 items counts), the office filed a
零报告 (zero report) for the kind and year, or — for appeals and complaints — an active yearly
依申请公开 spreadsheet upload covers the year. A cumulative figure of these kinds is entered when
the kind was entered in any year up to this one. An entered kind with nothing counted is 0.

Opening balances: 历年累计 (`cumulative*`) add the balance of the unit (or of units under it)
when the year is on or after its `before_year`; the records of the units a balance covers count
from that year on. A balance's figure the office left blank makes the cumulative figure that
needs it `None` (the channels other than 政府门户网站 and 政府公报 take no balance).

Documents (公文, `documents`): the documents the unit and the units under it made in the year, by
disclosure attribute, and 公文类信息主动公开率 (proactive ÷ made); `None` when no documents were
entered for the year (the whole year: documents are uploaded per year, not per month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, NotRequired, TypedDict

from sqlalchemy import Date, Integer, cast, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from data_access import settings
from data_access.read.entries import Balance, balance_sums, entered_kinds, entered_spans, opening_balances
from data_access.read.queries.coverage import coverage
from data_access.read.queries.projects import may_lag
from data_access.rules.coverage import judging_day
from data_access.rules.entered import counted_from, shown
from data_access.rules.projects import lag_bound, lags_below
from data_access.rules.vocab import (
    COMPLAINT_SOURCES,
    OLD_REPLIES,
    OLD_REQUEST_CHANNELS,
    old_reply,
    old_request_channel,
)
from data_access.store import catalogue, tally
from data_access.store.built import built, each_bound
from data_access.store.id_lists import among
from data_access.store.models import (
    Appeal,
    Board,
    BoardUpdate,
    Delivery,
    Document,
    HotlineDuty,
    OrgUnit,
    PolicyInterpretation,
    Project,
    ProjectProgress,
    Topic,
)
from data_access.store.reference import unit_and_descendants, unit_by_code
from data_access.store.tally import rollup


class KpiError(Exception):
    """A question the data cannot answer (unknown unit, a year without data); message in Chinese."""


class CategoryGroups(TypedDict):
    """How by_category groups a scope whose units use different catalogues: by the standard 领域
    each level-one item maps to ('其他' for none), and the units with items mapped to none."""

    by: str
    other_units: list[str]


class PublicationFigures(TypedDict):
    """Proactively published items: the year up to the month, and all years (cumulative*).

    by_category: the unit's own level-one categories for the year, under the names in force that
    year; for a scope whose units use different catalogues, by 领域 (see `category_groups`)."""

    total: int
    cumulative: int
    full_text_rate: float | None
    by_category: dict[str, int]
    category_groups: NotRequired[CategoryGroups]  # only when grouped by 领域
    by_topic: dict[str, int] | None  # None: topics not entered
    by_channel: dict[str, int]
    cumulative_by_channel: dict[str, int | None]


# A complaint entered without its source (on the form, or before migration 0017).
UNSPECIFIED_SOURCE = "未注明"


class RequestTotals(TypedDict):
    """Requests received and answered (by the old channels and replies), and appeals.

    None: not entered (appeals, complaints), or an opening balance left the figure blank."""

    received: int | None
    by_channel: dict[str, int | None]
    replied: int | None
    replies: dict[str, int | None]
    reconsiderations: int | None
    litigations: int | None
    complaints: int | None


class RequestFigures(RequestTotals):
    """The year up to the month, with the same figures for all years."""

    cumulative: RequestTotals
    # The year's complaints by source (rules.vocab.COMPLAINT_SOURCES, 未注明 for none); None: not entered.
    complaints_by_source: dict[str, int] | None


class DeliveryFigures(TypedDict):
    archive: int | None  # None: deliveries not entered
    library: int | None


class ProjectFigures(TypedDict):
    """The key projects of the month (万元), and the ones lagging."""

    month: int
    count: int
    ytd_invested: int | float
    annual_plan: int | float
    completion_rate: float | None
    lag_threshold_pp: int | float
    lagging: list[str]


class DocumentFigures(TypedDict):
    """The documents (公文) made in the year by disclosure attribute, and the proactive rate."""

    made: int
    proactive: int
    on_request: int
    withheld: int
    proactive_rate: float | None


class Kpis(TypedDict):
    """What `compute` returns (and `python -m data_access kpis --json` prints)."""

    year: int
    month: int
    unit: str
    unit_name: str
    publications: PublicationFigures
    requests: RequestFigures
    deliveries: DeliveryFigures
    interpretations: int | None  # None: not entered (data_access.rules.entered)
    hotline_duties: int | None
    # Periodic catalogue items' periods {"due", "on_time", "late", "missing"}; None: none owed.
    coverage: dict[str, int] | None
    projects: NotRequired[ProjectFigures | None]  # left out with projects=False; None: not entered
    documents: DocumentFigures | None  # None: no documents entered for the year


def _num(value: Decimal | int | None) -> int | float:
    """A JSON number: integral values as int, others as float with two decimals."""
    d = Decimal(value or 0)
    return int(d) if d == d.to_integral_value() else float(round(d, 2))


def _rate(part: Decimal | int, whole: Decimal | int, places: int = 4) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by (never a guessed zero)."""
    if not whole:
        return None
    return round(float(Decimal(part) / Decimal(whole)), places)


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def resolve_unit(session: Session, code: str | None) -> OrgUnit:
    """The unit for a code (default: the configured default unit), or a KpiError listing valid codes."""
    code = code or settings.get("DEFAULT_UNIT")
    unit = unit_by_code(session, code)
    if unit is None:
        known = "、".join(session.scalars(select(OrgUnit.code).order_by(OrgUnit.id))) or "（无）"
        raise KpiError(f"未知单位代码：{code}。可用的单位代码：{known}")
    return unit


# Months with a publication date, key-project figures, or a received request (and the same per year).
DATA_DIMS = ("pf", "pp", "rr")
DATA_YEAR_DIMS = ("yf", "yp", "yr")
# Whole-year counts → the month dims they sum (data_access.store.tally).
YEAR_DIMS = {"yh": "ph", "yr": "rr", "ya": "ra"}
# Running counts summed per (dim, item), as data_access.store.tally.sums returns them.
_Counts = dict[tuple[str, str], int]


def last_month_with_data(session: Session, year: int, unit_ids: list[int]) -> int | None:
    """The last month of the year for which any record exists, or None."""
    first, last = year * 100 + 1, year * 100 + 12
    months = [
        ym for _d, ym, _n in tally.monthly(session, unit_ids, DATA_DIMS, tally.ANY_ATTRIBUTE, first, last)
    ]
    delivered = session.connection().scalar(_last_delivered(tuple(unit_ids), year))
    found = [ym % 100 for ym in [*months, delivered] if ym]
    return max(found) if found else None


@built
def _last_delivered(unit_ids: tuple[int, ...], year: int) -> Any:
    d = Delivery.__table__.c
    return select(func.max(d.period_ym)).where(
        among(d.unit_id, unit_ids), d.period_ym.between(year * 100 + 1, year * 100 + 12)
    )


def compute(
    session: Session,
    year: int,
    month: int | None = None,
    unit_code: str | None = None,
    *,
    projects: bool = True,
    today: dt.date | None = None,
) -> Kpis:
    """Key figures of a unit for a year, as of the end of `month` (default: last month with data).

    Counts come from the running counts (data_access.store.tally) in two statements (the year so
    far, all years), the small tables in two more: a handful of round trips at any size.
    `projects=False` leaves out the key projects (the annual report does not print them; a city
    has thousands, each judged for lagging). `coverage` is judged on `today` (default: the date)
    or the day after `month` ends when that is earlier (data_access.rules.coverage.judging_day).
    """
    unit = resolve_unit(session, unit_code)
    ids = unit_and_descendants(session, unit.id)
    if month is not None and not 1 <= month <= 12:
        raise KpiError(f"月份应在 1–12 之间，实际为 {month}")
    last = last_month_with_data(session, year, ids)
    documents = document_figures(session, ids, year)
    if last is None and (
        entered_kinds(session, ids, year, year) or documents is not None or board_years(session, ids, year)
    ):
        last = 12  # only 零报告, board updates or other entries without a month: the whole year, all zeros
    if last is None:
        raise KpiError(f"{unit.name}（{unit.code}）{year} 年没有任何数据")
    month = month or last
    ym_end = year * 100 + month
    # Publication dims carry their attribute, request dims ''; asking for both gives each its own.
    mine = ("proactive", "")
    in_year = tally.sums(session, ids, ("pc", "pt", "ph", "pf", "rr", "ra"), mine, year * 100 + 1, ym_end)
    balances = opening_balances(session, ids)
    starts = _count_from(ids, balances, year)
    # All years so far: the whole-year counts of the years before (from each unit's opening
    # balance's year on), plus this year's months.
    so_far: dict[tuple[str, str], int] = defaultdict(int)
    for first, group in _groups(starts):
        if first < year:
            for (dim, item), n in tally.sums(session, group, tuple(YEAR_DIMS), mine, first * 100, (year - 1) * 100).items():  # fmt: skip
                so_far[(YEAR_DIMS[dim], item)] += n
    for (dim, item), n in in_year.items():
        if dim in YEAR_DIMS.values():
            so_far[(dim, item)] += n
    this_year, ever = entered_spans(session, ids, ((year, year), (0, year)))
    opening = balance_sums(balances, year)
    small = _small_tables(session, ids, year, month)
    appeals = _appeals(session, starts, year, month)

    def delivered(recipient: str) -> int | None:
        return shown(small[("delivery", recipient)], "deliveries" in this_year)

    figures: Kpis = {
        "year": year,
        "month": month,
        "unit": unit.code,
        "unit_name": unit.name,
        "publications": _publications(
            session, in_year, so_far, (unit.id, ids, year), opening, "topics" in this_year
        ),
        "requests": _requests(in_year, so_far, appeals, opening, this_year, ever),
        "deliveries": {"archive": delivered("archive"), "library": delivered("library")},
        "interpretations": shown(small[("interpretations", "")], "interpretations" in this_year),
        "hotline_duties": shown(small[("hotline", "")], "hotline" in this_year),
        "coverage": _coverage(session, ids, year, judging_day(year, month, today or dt.date.today())),
        "documents": documents,
    }
    if projects:
        figures["projects"] = shown(_projects(session, ids, year, month), "projects" in this_year)
    return figures


def document_figures(session: Session, ids: list[int], year: int) -> DocumentFigures | None:
    """The year's documents (公文) of the units by attribute, or None when none were entered."""
    counts = dict(session.execute(_documents(tuple(ids), year)).all())
    made = sum(counts.values())
    if not made:
        return None
    proactive = counts.get("proactive", 0)
    return {
        "made": made,
        "proactive": proactive,
        "on_request": counts.get("on_request", 0),
        "withheld": counts.get("withheld", 0),
        "proactive_rate": _rate(proactive, made),
    }


@built
def _documents(ids: tuple[int, ...], year: int) -> Any:
    d = Document.__table__.c
    return (
        select(d.attribute, func.count()).where(among(d.unit_id, ids), d.year == year).group_by(d.attribute)
    )


def _coverage(session: Session, ids: list[int], year: int, day: dt.date) -> dict[str, int] | None:
    found = coverage(session, ids, year, day)
    return found.as_dict() if found is not None else None


def _count_from(ids: list[int], balances: list[Balance], year: int) -> dict[int, int]:
    """Per unit, the first year whose records count toward the year's 历年累计 (0: every year)."""
    starts = dict.fromkeys(ids, 0)
    for balance in balances:
        for uid in balance.covers:
            starts[uid] = counted_from(balance.before_year, year)
    return starts


def _groups(starts: dict[int, int]) -> list[tuple[int, list[int]]]:
    """The units grouped by the year their records start counting from."""
    by_start: dict[int, list[int]] = defaultdict(list)
    for uid, first in starts.items():
        by_start[first].append(uid)
    return sorted((first, sorted(group)) for first, group in by_start.items())


def _small_tables(session: Session, ids: list[int], year: int, month: int) -> dict[tuple[str, str], int]:
    """Deliveries, interpretations, hotline duties of the year up to the month: one statement."""
    found: dict[tuple[str, str], int] = defaultdict(int)
    for part, key, n in session.connection().execute(_small_statement(tuple(ids), year, month)).all():
        found[(part, key)] = int(n or 0)
    return found


@built
def _small_statement(ids: tuple[int, ...], year: int, month: int) -> Any:
    start, end = dt.date(year, 1, 1), month_end(year, month)
    d = Delivery.__table__.c
    p, h = PolicyInterpretation.__table__.c, HotlineDuty.__table__.c
    parts = [
        select(literal_column("'delivery'"), d.recipient, func.sum(d.item_count))
        .where(among(d.unit_id, ids), d.period_ym.between(year * 100 + 1, year * 100 + month))
        .group_by(d.recipient),
        select(literal_column("'interpretations'"), literal_column("''"), func.count())
        .where(among(p.unit_id, ids), p.published_date.between(start, end)),
        select(literal_column("'hotline'"), literal_column("''"), func.count()).where(among(h.unit_id, ids), h.duty_date.between(start, end)),
    ]  # fmt: skip
    return union_all(*parts)


def _appeals(session: Session, starts: dict[int, int], year: int, month: int) -> dict[tuple[str, str], int]:
    """Appeals per kind filed in the year up to the month ('appeal', and complaints per source) and
    in all years counted toward its 历年累计 ('appeal_all': each unit's from its opening balance's
    year on, which is never after the year: rules.entered.counted_from)."""
    found: dict[tuple[str, str], int] = defaultdict(int)
    if not starts:
        return found
    groups = tuple((first, tuple(group)) for first, group in _groups(starts) if first < year)
    for part, kind, source, n in (
        session.connection().execute(_appeal_counts(tuple(sorted(starts)), groups, year, month)).all()
    ):
        found[("appeal_all", kind)] += int(n)
        if part == "y":
            found[("appeal", kind)] += int(n)
            if kind == "complaint":
                found[("complaint_source", source or UNSPECIFIED_SOURCE)] += int(n)
    return found


@built
def _appeal_counts(
    ids: tuple[int, ...], groups: tuple[tuple[int, tuple[int, ...]], ...], year: int, month: int
) -> Any:
    """The year's appeals up to the month by kind and source ('y'), and each group's (units
    counting from the same year) appeals of the years before by kind ('b')."""
    a = Appeal.__table__.c
    # The year's by kind and source over every unit; the years before by kind alone, per group of
    # units that start counting from the same year (most often one group), not per unit. Each is a
    # short range of the (unit, kind, filed_date) index: grouping all years by source as well made
    # SQLite sort a city's 15,000 appeals.
    parts = [
        select(literal_column("'y'"), a.kind, a.source, func.count())
        .where(
            among(a.unit_id, ids),
            a.filed_date.between(dt.date(year, 1, 1), month_end(year, month)),
        )
        .group_by(a.kind, a.source)
    ]
    parts += [
        select(literal_column("'b'"), a.kind, null(), func.count())
        .where(among(a.unit_id, group), a.filed_date.between(dt.date(max(first, 1), 1, 1), dt.date(year - 1, 12, 31)))
        .group_by(a.kind)
        for first, group in groups
    ]  # fmt: skip
    return union_all(*parts)


def _plus(own: int, opening: dict[str, int | None] | None, key: str) -> int | None:
    """A cumulative figure: own records plus the opening balance's (None when the balance left it blank)."""
    if opening is None:
        return own
    value = opening[key]
    return None if value is None else own + value


def _publications(
    session: Session,
    in_year: _Counts,
    so_far: _Counts,
    scope: tuple[int, list[int], int],
    opening: dict[str, int | None] | None,
    topics_entered: bool,
) -> PublicationFigures:
    """Proactively published items of the year up to the month, and of all years; `scope` is
    (the unit's id, the ids of it and the units under it, the year) for the catalogue's names."""
    unit_id, ids, year = scope
    by_cat = {int(item): n for item, n in tally.of_dim(in_year, "pc").items()}
    groups = catalogue.grouping(session, unit_id, ids, year, (cid for cid, n in by_cat.items() if n))
    by_topic_id = {int(item) if item else None: n for item, n in tally.of_dim(in_year, "pt").items()}
    by_channel = tally.of_dim(in_year, "ph")
    total, full_text = sum(by_cat.values()), in_year.get(("pf", "1"), 0)
    cum_channel = tally.of_dim(so_far, "ph")
    cumulative = sum(cum_channel.values()) + ((opening["publications"] or 0) if opening else 0)
    conn = session.connection()
    topics = conn.execute(select(Topic.id, Topic.name, Topic.code).order_by(Topic.sort_order)).all()
    by_topic = {
        name: by_topic_id.get(tid, 0) for tid, name, code in topics if code != "other" or by_topic_id.get(tid)
    }
    cumulative_by_channel: dict[str, int | None] = {
        "政府门户网站": _plus(cum_channel.pop("政府门户网站", 0), opening, "publications_website"),
        "政府公报": _plus(cum_channel.pop("政府公报", 0), opening, "publications_gazette"),
        **cum_channel,
    }
    figures: PublicationFigures = {
        "total": total,
        "cumulative": cumulative,
        "full_text_rate": _rate(full_text, total),
        "by_category": groups.count(by_cat),
        "by_topic": shown(by_topic, topics_entered),
        "by_channel": {
            "政府门户网站": by_channel.pop("政府门户网站", 0),
            "政府公报": by_channel.pop("政府公报", 0),
            **by_channel,
        },
        "cumulative_by_channel": cumulative_by_channel,
    }
    if groups.by == "domain":
        figures["category_groups"] = {"by": "领域", "other_units": list(groups.other_units)}
    return figures


# The opening balance's figure for each old request channel and reply.
_BALANCE_CHANNELS = {"当面": "requests_in_person", "网络": "requests_online", "信函、传真": "requests_letter"}
_BALANCE_REPLIES = {
    "同意公开": "replies_disclosed",
    "同意部分公开": "replies_partial",
    "不予公开": "replies_withheld",
    "其他": "replies_other",
}


def _requests(
    in_year: _Counts,
    so_far: _Counts,
    appeals: _Counts,
    opening: dict[str, int | None] | None,
    this_year: frozenset[str],
    ever: frozenset[str],
) -> RequestFigures:
    """Requests received and answered from January to the month (whole months), and appeals."""

    def channels(counts: _Counts) -> dict[str, int]:
        out = dict.fromkeys(OLD_REQUEST_CHANNELS, 0)
        for channel, n in tally.of_dim(counts, "rr").items():
            out[old_request_channel(channel)] += n
        return out

    def replies(counts: _Counts) -> dict[str, int]:
        out = dict.fromkeys(OLD_REPLIES, 0)
        for outcome, n in tally.of_dim(counts, "ra").items():
            kind = old_reply(outcome)
            if kind:
                out[kind] += n
        return out

    by_channel, by_reply = channels(in_year), replies(in_year)
    cum_channel, cum_reply = channels(so_far), replies(so_far)

    def appeal(kind: str, entry: str) -> int | None:
        return shown(appeals[("appeal", kind)], entry in this_year)

    def appeal_all(key: str, kind: str, entry: str) -> int | None:
        given = opening is not None and opening[key] is not None
        return shown(_plus(appeals[("appeal_all", kind)], opening, key), entry in ever or given)

    by_source = {s: appeals[("complaint_source", s)] for s in (*COMPLAINT_SOURCES, UNSPECIFIED_SOURCE)}
    if not by_source[UNSPECIFIED_SOURCE]:
        del by_source[UNSPECIFIED_SOURCE]
    return {
        "complaints_by_source": shown(by_source, "complaints" in this_year),
        "received": sum(by_channel.values()),
        "by_channel": dict(by_channel),
        "replied": sum(by_reply.values()),
        "replies": dict(by_reply),
        "reconsiderations": appeal("reconsideration", "appeals"),
        "litigations": appeal("litigation", "appeals"),
        "complaints": appeal("complaint", "complaints"),
        "cumulative": {
            "received": _plus(sum(cum_channel.values()), opening, "requests"),
            "by_channel": {c: _plus(n, opening, _BALANCE_CHANNELS[c]) for c, n in cum_channel.items()},
            "replied": _plus(sum(cum_reply.values()), opening, "replied"),
            "replies": {r: _plus(n, opening, _BALANCE_REPLIES[r]) for r, n in cum_reply.items()},
            "reconsiderations": appeal_all("reconsiderations", "reconsideration", "appeals"),
            "litigations": appeal_all("litigations", "litigation", "appeals"),
            "complaints": appeal_all("complaints", "complaint", "complaints"),
        },
    }


def _projects(session: Session, ids: list[int], year: int, month: int) -> ProjectFigures:
    """The month's key projects summed, and the ones lagging (data_access.rules.projects) by name.

    A city reports thousands a month: the database sums them, and returns only the projects that
    may lag (data_access.read.queries.projects.may_lag) for the rule to judge exactly."""
    threshold = Decimal(settings.get("LAG_THRESHOLD_PP"))
    bound = lag_bound(month, threshold)
    summed, may = _project_statements(tuple(ids), year, month, bound)
    conn = session.connection()
    count, ytd, plan = conn.execute(summed).one()
    candidates = conn.execute(may).all()
    ytd, plan = Decimal(ytd or 0), Decimal(plan or 0)
    return {
        "month": month,
        "count": int(count),
        "ytd_invested": _num(ytd),
        "annual_plan": _num(plan),
        "completion_rate": _rate(ytd, plan),
        "lag_threshold_pp": _num(threshold),
        "lagging": [r.name for r in candidates if lags_below(r.ytd_invested, r.annual_plan, bound)],
    }


@built
def _project_statements(ids: tuple[int, ...], year: int, month: int, bound: Decimal) -> tuple[Any, Any]:
    """The month's projects summed, and the ones that may lag (their names, year-to-date and plan)."""
    pp = ProjectProgress.__table__.c
    mine = (among(pp.unit_id, ids), pp.year == year, pp.month == month)
    summed = select(func.count(), func.sum(pp.ytd_invested), func.sum(pp.annual_plan)).where(*mine)
    may = (
        select(Project.name, pp.ytd_invested, pp.annual_plan)
        .join(Project, Project.id == pp.project_id)
        .where(*mine, may_lag(bound))
        .order_by(pp.unit_id, Project.seq)
    )
    return summed, may


def years_with_data(session: Session, unit_code: str | None = None) -> list[int]:
    """Years in which the unit (and those under it) published items or reported projects, newest first."""
    scope = rollup.scope_of_code(session, unit_code or settings.get("DEFAULT_UNIT"))
    if scope is None:
        resolve_unit(session, unit_code)  # raises the error that lists the known codes
        return []
    ids, root = scope
    years: set[int] = set()
    lo = hi = None
    source = ("units", tuple(ids)) if root is None else ("rollup", (root,))  # as tally.rows_of reads them
    for ym, first, last in session.connection().execute(_data_years(source, tuple(ids))).all():
        if ym is None:
            lo, hi = first, last
        else:
            years.add(ym // 100)
    # Board updates: only the years between the first and the last update that the counts do not
    # already give are looked for (a city's ten years of updates are not read to find none).
    if lo is not None and hi is not None:
        for year in range(lo.year, hi.year + 1):
            if year not in years and board_years(session, ids, year):
                years.add(year)
    return sorted(years, reverse=True)


@built
def _data_years(source: tuple[str, tuple[int, ...]], ids: tuple[int, ...]) -> Any:
    """In one statement: the boards' first and last update (ym None; each board's by an index
    seek), then the months with a count of DATA_YEAR_DIMS (counts are never negative: a row
    above zero is a month with data)."""
    no_month = cast(null(), Integer)
    first = (
        select(func.min(BoardUpdate.update_date)).where(BoardUpdate.board_id == Board.id).scalar_subquery()
    )
    last = select(func.max(BoardUpdate.update_date)).where(BoardUpdate.board_id == Board.id).scalar_subquery()
    ends = select(no_month, func.min(first), func.max(last)).where(
        among(Board.unit_id, ids), Board.kind != "led"
    )
    no_day = cast(null(), Date)
    months = [
        select(c.ym, no_day, no_day).where(
            mine,
            c.dim.in_(each_bound(DATA_YEAR_DIMS)),
            c.attribute.in_(each_bound(tally.ANY_ATTRIBUTE)),
            c.n > 0,
        )
        for c, mine in tally.rows_of(source)
    ]
    return union_all(ends, *months)


def board_years(session: Session, ids: list[int], year: int | None = None) -> list[int]:
    """Years in which the units recorded a bulletin-board update (all years, or only `year`): a
    community whose only records are its boards still has a year to show (its overdue board is
    data, not "no data")."""
    board_year = func.extract("year", BoardUpdate.update_date)
    query = (
        select(board_year)
        .join(Board, Board.id == BoardUpdate.board_id)
        .where(among(Board.unit_id, ids), Board.kind != "led")
        .distinct()
    )
    if year is not None:
        query = query.where(BoardUpdate.update_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [int(y) for y in session.scalars(query)]
