"""The annual report in the old format (until 2018): the 附表 and the figures of sections 二–四.

Row names and units are the ones the 2018 report prints in its 附表; the figures
come from `data_access.read.kpis.compute` for the whole year (December), cumulative
figures included. Request rows are `Missing.BLANK` when nothing about requests was
recorded for the year, so an unrecorded year never prints as 0; so are the appeal and complaint
rows, the topics, deliveries, interpretations and hotline duties of the narrative when they were
not entered (data_access.rules.entered), and a 历年累计 cell an opening balance left blank. The
历年累计 column adds the unit's opening balance (kpis.compute).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.read import kpis
from data_access.read.entries import balance_sums, opening_balances
from data_access.read.kpis import DocumentFigures, Kpis, RequestFigures
from data_access.read.queries import registers
from data_access.read.reports.common import (
    Cell,
    Missing,
    percent_text,
    publications_recorded,
    requests_recorded,
    share,
)
from data_access.rules.entered import NOT_ENTERED, count_text
from data_access.rules.vocab import DEFAULT_REGISTER, old_reply
from data_access.store.id_lists import among
from data_access.store.models import DisclosureRequest, HotlineDuty
from data_access.store.reference import UnitProfile, unit_and_descendants, unit_profile

COLUMNS: tuple[str, ...] = ("指标名称", "计量单位", "本年度", "历年累计")

# (row name as printed, unit, section, key): the key picks the figure out of kpis.compute.
ROWS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("主动公开文件数", "条", "publications", ("total",)),
    ("其中：1. 政务网站公开数", "条", "publications", ("by_channel", "政府门户网站")),
    ("2. 政府公报公开数", "条", "publications", ("by_channel", "政府公报")),
    ("受理政府信息公开申请总数", "条", "requests", ("received",)),
    ("其中：1. 当面申请数", "条", "requests", ("by_channel", "当面")),
    ("2. 网络申请数", "条", "requests", ("by_channel", "网络")),
    ("3. 信函、传真申请数", "条", "requests", ("by_channel", "信函、传真")),
    ("对申请的答复总数", "条", "requests", ("replied",)),
    ("其中：1. 同意公开答复数", "条", "requests", ("replies", "同意公开")),
    ("2. 同意部分公开答复数", "条", "requests", ("replies", "同意部分公开")),
    ("3. 不予公开答复总数", "条", "requests", ("replies", "不予公开")),
    ("4. 其他类型答复数", "条", "requests", ("replies", "其他")),
    ("接受行政申诉、举报数", "件", "appeals", ("complaints",)),
    ("行政复议数", "件", "appeals", ("reconsiderations",)),
    ("行政诉讼数", "件", "appeals", ("litigations",)),
)

# Where the cumulative figure of a section lives in kpis.compute (publications use other key names).
_CUMULATIVE_KEY = {
    ("publications", "total"): ("cumulative",),
    ("publications", "by_channel"): ("cumulative_by_channel",),
}


class OldRow(TypedDict):
    """A row of the 附表, keyed by COLUMNS."""

    指标名称: str
    计量单位: str
    本年度: Cell
    历年累计: Cell


class CategoryShare(TypedDict):
    name: str
    count: int
    share: float | None  # percent
    share_text: str


class TopicCount(TypedDict):
    name: str
    count: int


class NarrativePublications(TypedDict):
    total: int
    cumulative: int
    full_text_rate: float | None
    full_text_rate_text: str
    by_category: list[CategoryShare]
    by_topic: list[TopicCount] | None  # None: topics not entered
    by_channel: dict[str, int]
    cumulative_by_channel: dict[str, int | None]
    # The year's items per register (政府网站, 政务新媒体, …); an item in two registers counts in
    # each, once in `total`.
    by_register: dict[str, int]


class Deliveries(TypedDict):
    archive: Cell  # Missing.BLANK: deliveries not entered
    library: Cell


class ReportProfile(TypedDict):
    """The unit's words the report prints (store.reference.UnitProfile, fallbacks filled in)."""

    full_name: str
    archive_name: str
    library_name: str
    hotline_name: str | None  # None: the unit takes no hotline duty (no sentence about one)
    signature: str


NEUTRAL_HOTLINE = "值班热线"  # duties recorded by a unit whose profile names no hotline


def duty_hotline(words: ReportProfile, hotline: HotlineFigures) -> str | None:
    """The hotline the report's duty sentence names: the profile's; a neutral name when duties were
    recorded without one; None (no sentence) for a unit that takes no hotline duty."""
    count = hotline["count"]
    return words["hotline_name"] or (NEUTRAL_HOTLINE if isinstance(count, int) and count else None)


def report_profile(profile: UnitProfile) -> ReportProfile:
    """What of the unit's profile the annual report prints."""
    return {
        "full_name": profile.full_name,
        "archive_name": profile.archive_name,
        "library_name": profile.library_name,
        "hotline_name": profile.hotline_name,
        "signature": profile.signature,
    }


class HotlineFigures(TypedDict):
    count: Cell
    by_official: dict[str, int]
    topics: list[str]


class NarrativeRequests(TypedDict):
    received: int
    by_channel: dict[str, int]
    replied: int
    replies: dict[str, int]
    by_outcome: dict[str, int]
    withheld_reasons: dict[str, int]
    other_replies: dict[str, int]
    complaints: Cell
    reconsiderations: Cell
    litigations: Cell


class Appeals(TypedDict):
    """Section 四's figures: each Missing.BLANK when not entered."""

    reconsiderations: Cell
    litigations: Cell
    complaints: Cell


class Narrative(TypedDict):
    """The figures of sections 二–四 (both formats print them); requests None when not recorded."""

    publications: NarrativePublications
    deliveries: Deliveries
    interpretations: Cell
    hotline: HotlineFigures
    requests: NarrativeRequests | None
    documents: DocumentFigures | None  # 公文 made in the year; None: not entered
    # Section 四's figures when requests is None (else they are requests' own, so the JSON of a
    # report with requests is as before).
    appeals: NotRequired[Appeals]
    # The year's complaints by source (2021 format's 总体情况); None: complaints not entered.
    complaints_by_source: NotRequired[dict[str, int] | None]


class OldReport(TypedDict):
    """What `build_old` returns."""

    template: Literal["old"]
    year: int
    unit: str
    unit_name: str
    title: str
    profile: ReportProfile
    columns: list[str]
    rows: list[OldRow]
    narrative: Narrative
    warnings: list[str]


def _pick(section: Mapping[str, object], path: tuple[str, ...]) -> Cell:
    value: Any = section  # a figure, or a mapping of figures, walked down by the path's keys
    for key in path:
        value = value[key]
    return Missing.BLANK if value is None else int(value)


def cell(value: int | None) -> Cell:
    """A figure of kpis.compute as a report cell: None (not entered) is 未录入."""
    return Missing.BLANK if value is None else value


def _cells(k: Kpis, section: str, path: tuple[str, ...]) -> tuple[Cell, Cell]:
    if section == "publications":
        publications = k["publications"]
        cum_path = _CUMULATIVE_KEY[(section, path[0])] + path[1:]
        return _pick(publications, path), _pick(publications, cum_path)
    requests = k["requests"]
    return _pick(requests, path), _pick(requests["cumulative"], path)  # appeals: BLANK when not entered


def build_old(session: Session, year: int, unit_code: str | None = None) -> OldReport:
    """The old-format report of a unit for a year: 附表 rows, narrative figures and warnings."""
    k = kpis.compute(session, year, 12, unit_code, projects=False)
    unit = kpis.resolve_unit(session, unit_code)
    ids = unit_and_descendants(session, unit.id)
    recorded = {
        "publications": publications_recorded(session, ids, year),
        "requests": requests_recorded(session, ids, year),
        "appeals": True,  # kpis.compute gives None for what was not entered
    }
    opening = balance_sums(opening_balances(session, ids), year)  # an opening balance is entered, 0s too
    ever_recorded = {
        "publications": k["publications"]["cumulative"] > 0
        or recorded["publications"]
        or opening is not None,
        "requests": (k["requests"]["cumulative"]["received"] or 0) > 0
        or recorded["requests"]
        or (opening is not None and opening["requests"] is not None),
        "appeals": True,
    }
    rows: list[OldRow] = []
    for name, unit_name, section, path in ROWS:
        this_year, cumulative = _cells(k, section, path)
        rows.append(
            {
                "指标名称": name,
                "计量单位": unit_name,
                "本年度": this_year if recorded[section] else Missing.BLANK,
                "历年累计": cumulative if ever_recorded[section] else Missing.BLANK,
            }
        )
    warnings = []
    if not recorded["requests"]:
        warnings.append(f"{year} 年未录入依申请公开记录，附表中申请、答复各行标为“未录入”，请核实后填写")
    not_entered = [
        name
        for name, _u, section, path in ROWS
        if section == "appeals" and _cells(k, section, path)[0] is Missing.BLANK
    ]
    if not_entered:
        warnings.append(
            f"{year} 年未录入{'、'.join(not_entered)}（可登记记录或零报告），附表中标为“未录入”，请核实后填写"
        )
    if not recorded["publications"]:
        warnings.append(f"{year} 年未录入主动公开信息目录，附表中主动公开各行标为“未录入”，请核实后填写")
    return {
        "template": "old",
        "year": year,
        "unit": unit.code,
        "unit_name": unit.name,
        "title": f"{unit.name} {year} 年政府信息公开工作年度报告",
        "profile": report_profile(unit_profile(session, unit)),
        "columns": list(COLUMNS),
        "rows": rows,
        "narrative": narrative_figures(session, ids, year, k, recorded["requests"]),
        "warnings": warnings,
    }


def narrative_figures(
    session: Session, ids: list[int], year: int, k: Kpis, requests_known: bool
) -> Narrative:
    """The figures of sections 二–四: shares by category, topics, channels, hotline, requests."""
    pub, req = k["publications"], k["requests"]
    total = pub["total"]
    categories: list[CategoryShare] = []
    for name, count in pub["by_category"].items():
        pct = share(count, total)
        categories.append(
            {
                "name": name,
                "count": count,
                "share": float(pct) if pct is not None else None,
                "share_text": percent_text(pct),
            }
        )
    rate = pub["full_text_rate"]
    req_all = k["requests"]
    topics = pub["by_topic"]
    hotline = _hotline(session, ids, year)
    if k["hotline_duties"] is None:
        hotline["count"] = Missing.BLANK
    narrative: Narrative = {
        "publications": {
            "total": total,
            "cumulative": pub["cumulative"],
            "full_text_rate": rate,
            "full_text_rate_text": "—" if rate is None else f"{rate:.0%}",
            "by_category": categories,
            "by_topic": None
            if topics is None
            else [{"name": name, "count": n} for name, n in topics.items()],
            "by_channel": pub["by_channel"],
            "cumulative_by_channel": pub["cumulative_by_channel"],
            "by_register": dict(registers.year_counts(session, ids, year).by_register),
        },
        "deliveries": {
            "archive": cell(k["deliveries"]["archive"]),
            "library": cell(k["deliveries"]["library"]),
        },
        "interpretations": cell(k["interpretations"]),
        "hotline": hotline,
        "requests": _requests(session, ids, year, req) if requests_known else None,
        "documents": k["documents"],
    }
    if not requests_known:
        narrative["appeals"] = {
            "reconsiderations": cell(req_all["reconsiderations"]),
            "litigations": cell(req_all["litigations"]),
            "complaints": cell(req_all["complaints"]),
        }
    return narrative


def _hotline(session: Session, ids: list[int], year: int) -> HotlineFigures:
    rows = session.execute(
        select(HotlineDuty.official, HotlineDuty.topics)
        .where(
            among(HotlineDuty.unit_id, ids),
            HotlineDuty.duty_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        )
        .order_by(HotlineDuty.duty_date)
    ).all()
    by_official = Counter(official for official, _topics in rows)
    topics: list[str] = []
    for _official, text in rows:
        for topic in (text or "").replace("，", "、").split("、"):
            if topic.strip() and topic.strip() not in topics:
                topics.append(topic.strip())
    return {"count": len(rows), "by_official": dict(by_official), "topics": topics}


def _requests(session: Session, ids: list[int], year: int, req: RequestFigures) -> NarrativeRequests:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    outcomes = session.execute(
        select(DisclosureRequest.outcome, func.count())
        .where(among(DisclosureRequest.unit_id, ids), DisclosureRequest.reply_date.between(start, end))
        .group_by(DisclosureRequest.outcome)
        .order_by(DisclosureRequest.outcome)
    ).all()
    by_outcome = {outcome: n for outcome, n in outcomes if outcome}
    withheld = {
        outcome.partition("-")[2] or "未注明原因": n
        for outcome, n in by_outcome.items()
        if old_reply(outcome) == "不予公开"
    }
    other = {outcome: n for outcome, n in by_outcome.items() if old_reply(outcome) == "其他"}
    return {
        "received": req["received"] or 0,  # the year's own counts: never None
        "by_channel": {channel: n or 0 for channel, n in req["by_channel"].items()},
        "replied": req["replied"] or 0,
        "replies": {reply: n or 0 for reply, n in req["replies"].items()},
        "by_outcome": by_outcome,
        "withheld_reasons": withheld,
        "other_replies": other,
        "complaints": cell(req["complaints"]),
        "reconsiderations": cell(req["reconsiderations"]),
        "litigations": cell(req["litigations"]),
    }


def documents_sentence(documents: DocumentFigures | None) -> str:
    """The documents (公文) made in the year and 公文类信息主动公开率, or 未录入 (never a guessed zero)."""
    if documents is None:
        return f"本年度制发公文及其公开属性{NOT_ENTERED}。"
    rate = documents["proactive_rate"]
    shown_rate = "—" if rate is None else f"{rate:.1%}"
    return (
        f"本年度制发公文{documents['made']}件，其中主动公开{documents['proactive']}件、"
        f"依申请公开{documents['on_request']}件、不予公开{documents['withheld']}件，"
        f"公文类信息主动公开率{shown_rate}。"
    )


def register_sentence(pub: NarrativePublications) -> list[str]:
    """「按登记册统计：政府网站 N 条、政务新媒体 M 条……」 — when any register but 政府网站 lists items
    (with the 政府网站 register alone the total says it all)."""
    listed = {name: n for name, n in pub.get("by_register", {}).items() if n}
    if not set(listed) - {DEFAULT_REGISTER}:
        return []
    parts = "、".join(f"{name}{n}条" for name, n in listed.items())
    return [f"按登记册统计：{parts}（同一信息在多个登记册登记的，总数只计一次，共{pub['total']}条）。"]


def narrative_sentences(report: OldReport) -> dict[str, list[str]]:
    """Neutral sentences built only from the figures, per section (二 … 四) of the old report."""
    year, unit, n, words = report["year"], report["unit_name"], report["narrative"], report["profile"]
    pub = n["publications"]
    parts = "；".join(f"{c['name']}信息{c['count']}条，占{c['share_text']}" for c in pub["by_category"])
    topics = "；".join(f"{t['name']}类信息{t['count']}条" for t in pub["by_topic"] or ())
    channels = pub["by_channel"]
    deliveries = n["deliveries"]
    hotline = n["hotline"]
    officials = "、".join(f"{name}{count}次" for name, count in hotline["by_official"].items())
    one = [
        f"{year}年，{unit}主动公开政府信息{pub['total']}条，历年公开信息累计总量达{pub['cumulative']}条。",
        *register_sentence(pub),
        documents_sentence(n["documents"]),
    ]
    two = [
        f"{year}年度主动公开政府信息数量共{pub['total']}条，全文电子化率{pub['full_text_rate_text']}。"
        + (f"其中，{parts}。" if pub["total"] else "")
        + f"历年主动公开信息累计总量达{pub['cumulative']}条。",
        f"按重点领域分：{topics or '未录入'}。"
        if topics or pub["by_topic"] is None
        else "本年度未按重点领域登记主动公开信息。",
        f"通过政府门户网站公开{channels.get('政府门户网站', 0)}条，通过政府公报公开{channels.get('政府公报', 0)}条；"
        f"向{words['archive_name']}、{words['library_name']}分别送交政府信息公开材料"
        f"{count_text(deliveries['archive'], '份')}、{count_text(deliveries['library'], '份')}。",
        f"{year}年度开展政策解读{count_text(n['interpretations'], '次')}。",
    ]
    if hotline_name := duty_hotline(words, hotline):
        two.append(
            f"{year}年度轮值接听{hotline_name}{count_text(hotline['count'], '次')}"
            + (f"（{officials}）。" if officials else "。")
        )
    req = n["requests"]
    appeals: Appeals = (
        {
            "reconsiderations": req["reconsiderations"],
            "litigations": req["litigations"],
            "complaints": req["complaints"],
        }
        if req is not None
        else n.get("appeals")
        or {"reconsiderations": Missing.BLANK, "litigations": Missing.BLANK, "complaints": Missing.BLANK}
    )
    if all(value is Missing.BLANK for value in appeals.values()):
        four = [f"{year}年度未录入行政复议、行政诉讼及申诉举报记录。"]
    else:
        four = [
            f"{year}年度因政府信息公开申请行政复议{count_text(appeals['reconsiderations'], '件')}，"
            f"提起行政诉讼{count_text(appeals['litigations'], '件')}，"
            f"接受行政申诉、举报{count_text(appeals['complaints'], '件')}。"
        ]
    if req is None:
        three = [f"{year}年度未录入依申请公开记录。"]
    else:
        ch, rp = req["by_channel"], req["replies"]
        other = "、".join(f"{o.partition('-')[2] or o}{c}件" for o, c in req["other_replies"].items())
        withheld = "；".join(f"{reason}{c}件" for reason, c in req["withheld_reasons"].items())
        three = [
            f"{year}年度共受理政府信息公开申请{req['received']}件，其中当面申请{ch['当面']}件，"
            f"网络申请{ch['网络']}件，信函、传真申请{ch['信函、传真']}件。",
            f"共答复{req['replied']}件，其中同意公开{rp['同意公开']}件，同意部分公开{rp['同意部分公开']}件，"
            f"不予公开{rp['不予公开']}件，其他类型答复{rp['其他']}件" + (f"（{other}）。" if other else "。"),
            f"不予公开的原因：{withheld}。" if withheld else "“不予公开”的政府信息：无。",
        ]
    return {"一": one, "二": two, "三": three, "四": four}
