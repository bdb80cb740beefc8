"""The annual report in the 2021 format (国办公开办函〔2021〕30号): tables 二, 三 and 四.

Table 二 prints the figures the office entered for the year (table annual_figure: the yearly form
on the 逐条登记 page or the `annual-figures` import): 未录入 where nothing was entered, 不适用 only
where the office marked the item so, never a guessed 0. 行政规范性文件 本年制发件数 entered is
checked against the catalogue's 规范性文件 category (items formed in the year): a warning when
they differ.
Table 四 counts the reconsiderations and lawsuits filed in the year, by their result
as of 31 December (no result yet, or closed after the year: 尚未审结); its cells are 未录入 when
appeals were not entered for the year (data_access.rules.entered), as are the section 一 figures
(interpretations, hotline duties, deliveries) that were not.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.read import kpis
from data_access.read.reports import requests_2021
from data_access.read.reports.common import (
    LAST_OLD_RULES_YEAR,
    Cell,
    Missing,
    is_number,
    publications_recorded,
    requests_recorded,
)
from data_access.read.reports.old_format import (
    Narrative,
    ReportProfile,
    documents_sentence,
    duty_hotline,
    narrative_figures,
    register_sentence,
    report_profile,
)
from data_access.read.reports.requests_2021 import Check, Table3
from data_access.rules import annual_figures as AF
from data_access.rules.entered import count_text
from data_access.store import catalogue
from data_access.store.id_lists import among
from data_access.store.models import AnnualFigure, Appeal, Category, Publication
from data_access.store.reference import unit_and_descendants, unit_profile

NA = Missing.NOT_APPLICABLE
NORMATIVE_CATEGORY = "规范性文件"  # level-two catalogue entry whose items are 行政规范性文件
APPEAL_RESULTS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_RESULT_COLUMN = {"维持": "结果维持", "纠正": "结果纠正", "其他结果": "其他结果", "尚未审结": "尚未审结"}
LITIGATION_GROUPS: dict[str, str] = {"direct": "未经复议直接起诉", "after_reconsideration": "复议后起诉"}
SECTION_TITLES: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


class Table2Line(TypedDict):
    label: str
    cells: list[Cell]


class Table2Section(TypedDict):
    title: str
    columns: list[str]
    rows: list[Table2Line]


class Table2(TypedDict):
    title: str
    sections: list[Table2Section]
    notes: list[str]


class Table4(TypedDict):
    """Counts per result column (APPEAL_RESULTS): 行政复议 one block, 行政诉讼 one per LITIGATION_GROUPS name."""

    title: str
    行政复议: dict[str, Cell]
    行政诉讼: dict[str, dict[str, Cell]]


class Tables2021(TypedDict):
    二: Table2
    三: Table3
    四: Table4


class Report2021(TypedDict):
    """What `build_2021` returns."""

    template: Literal["2021"]
    year: int
    unit: str
    unit_name: str
    title: str
    profile: ReportProfile
    tables: Tables2021
    checks: list[Check]
    findings: list[str]
    warnings: list[str]
    narrative: Narrative


def normative_issued(session: Session, ids: list[int], year: int) -> Cell:
    """行政规范性文件 formed in the year, from the 规范性文件 entry of the catalogues the units use that
    year; 不适用 when none of them has one (another office's catalogue having one does not count)."""
    schemes = {ref.id for ref in catalogue.schemes_for(session, ids, year).values() if ref is not None}
    entries = set(
        session.scalars(
            select(Category.id).where(
                Category.level == 2,
                Category.name == NORMATIVE_CATEGORY,
                Category.scheme_id.in_(sorted(schemes)),
            )
        )
    )
    if not entries:
        return NA
    leaves = set(session.scalars(select(Category.id).where(Category.parent_id.in_(entries))))
    return session.execute(
        select(func.count()).where(
            among(Publication.unit_id, ids),
            Publication.category_id.in_(sorted(entries | leaves)),
            Publication.formed_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        )
    ).scalar_one()


def _entered_figures(session: Session, ids: list[int], year: int) -> dict[str, list[Cell]]:
    """Each table 二 item's cells (in its figures' order) as entered for the units and the year.

    An item no unit entered: 未录入. Marked 不适用 by every unit that entered it: 不适用. Otherwise
    each figure is the sum over the units that gave it (未录入 when none did).
    """
    rows = session.execute(
        select(AnnualFigure).where(among(AnnualFigure.unit_id, ids), AnnualFigure.year == year)
    )
    by_item: dict[str, list[AnnualFigure]] = {}
    for (row,) in rows:
        by_item.setdefault(row.item, []).append(row)
    cells: dict[str, list[Cell]] = {}
    for item in AF.ITEMS:
        entered = by_item.get(item.key, [])
        if not entered:
            cells[item.key] = [Missing.BLANK] * len(item.figures)
        elif all(r.not_applicable for r in entered):
            cells[item.key] = [NA] * len(item.figures)
        else:
            line: list[Cell] = []
            for figure in item.figures:
                values = [getattr(r, figure) for r in entered if getattr(r, figure) is not None]
                if not values:
                    line.append(Missing.BLANK)
                elif figure == "fees":
                    line.append(float(sum(values)))
                else:
                    line.append(int(sum(values)))
            cells[item.key] = line
    return cells


def build_table_2(session: Session, ids: list[int], year: int) -> tuple[Table2, list[str]]:
    """Table 二 (主动公开) as the office entered it, with Chinese warnings."""
    cells = _entered_figures(session, ids, year)
    warnings = []
    missing = [i.label for i in AF.ITEMS if all(c == Missing.BLANK for c in cells[i.key])]
    if missing:
        warnings.append(
            f"{year} 年表二未录入：{'、'.join(missing)}（在“逐条登记—年报表二”填写或导入年报表二），相应单元格标为“未录入”"
        )
    issued = cells["normative"][0]
    if is_number(issued) and publications_recorded(session, ids, year):
        counted = normative_issued(session, ids, year)
        if is_number(counted) and counted != issued:
            warnings.append(
                f"表二行政规范性文件本年制发 {issued} 件，主动公开目录“{NORMATIVE_CATEGORY}”类本年形成的条目为 {counted} 条，请核对"
            )

    def line(key: str) -> Table2Line:
        return {"label": AF.BY_KEY[key].label, "cells": cells[key]}

    table: Table2 = {
        "title": "二、主动公开政府信息情况",
        "sections": [
            {
                "title": "第二十条第（一）项",
                "columns": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                "rows": [line("rules"), line("normative")],
            },
            {
                "title": "第二十条第（五）项",
                "columns": ["信息内容", "本年处理决定数量"],
                "rows": [line("licensing")],
            },
            {
                "title": "第二十条第（六）项",
                "columns": ["信息内容", "本年处理决定数量"],
                "rows": [line("penalty"), line("enforcement")],
            },
            {
                "title": "第二十条第（八）项",
                "columns": ["信息内容", "本年收费金额（单位：万元）"],
                "rows": [line("fees")],
            },
        ],
        "notes": [
            "表二按本单位录入的数字填列：“未录入”为尚未填写，“不适用”为本单位标明没有该类事项",
            f"行政规范性文件本年制发件数与主动公开目录“{NORMATIVE_CATEGORY}”类中形成日期在本年的条目核对，"
            "不一致时在提示中列出",
        ],
    }
    return table, warnings


def _appeal_block(value: Cell = 0) -> dict[str, Cell]:
    return dict.fromkeys(APPEAL_RESULTS, value)


def build_table_4(session: Session, ids: list[int], year: int, known: bool) -> tuple[Table4, list[str]]:
    """Table 四 (行政复议、行政诉讼) for appeals filed in the year, with Chinese warnings."""
    value: Cell = 0 if known else Missing.BLANK
    table: Table4 = {
        "title": "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议": _appeal_block(value),
        "行政诉讼": {name: _appeal_block(value) for name in LITIGATION_GROUPS.values()},
    }
    warnings: list[str] = []
    if not known:
        return table, warnings
    end = dt.date(year, 12, 31)
    appeals = session.execute(
        select(Appeal.id, Appeal.kind, Appeal.litigation_path, Appeal.result, Appeal.closed_date)
        .where(
            among(Appeal.unit_id, ids),
            Appeal.kind.in_(("reconsideration", "litigation")),
            Appeal.filed_date.between(dt.date(year, 1, 1), end),
        )
        .order_by(Appeal.filed_date, Appeal.id)
    ).all()
    for appeal_id, kind, path, result, closed in appeals:
        if kind == "reconsideration":
            block = table["行政复议"]
        elif path in LITIGATION_GROUPS:
            block = table["行政诉讼"][LITIGATION_GROUPS[path]]
        else:
            warnings.append(f"行政诉讼记录 {appeal_id} 未注明是否经复议后起诉，未计入表四")
            continue
        pending = result is None or (closed is not None and closed > end)
        counts = cast(dict[str, int], block)  # known: every cell started at 0
        counts["尚未审结" if pending or result is None else _RESULT_COLUMN[result]] += 1
        counts["总计"] += 1
    return table, warnings


def build_2021(session: Session, year: int, unit_code: str | None = None) -> Report2021:
    """The 2021-format report of a unit for a year: tables, cross-checks, findings and warnings."""
    k = kpis.compute(session, year, 12, unit_code, projects=False)
    unit = kpis.resolve_unit(session, unit_code)
    ids = unit_and_descendants(session, unit.id)
    known = requests_recorded(session, ids, year)
    appeals_known = k["requests"]["reconsiderations"] is not None  # appeals entered for the year
    warnings: list[str] = []
    if year <= LAST_OLD_RULES_YEAR:
        warnings.append(
            f"{year} 年适用旧格式（2008 年条例），本报告按 2021 年格式换算，请核对旧口径答复类型的对应关系"
        )
    if known:
        table_3, request_warnings = requests_2021.build_table_3(session, ids, year)
        warnings += request_warnings
    else:
        table_3 = requests_2021.blank_table_3()
        tables = "表三、表四" if not appeals_known else "表三"
        warnings.append(f"{year} 年未录入依申请公开记录，{tables}各单元格标为“未录入”，请核实后填写")
    table_4, appeal_warnings = build_table_4(session, ids, year, appeals_known)
    warnings += appeal_warnings
    if known and not appeals_known:
        warnings.append(
            f"{year} 年未录入行政复议、行政诉讼（可登记记录或零报告），表四各单元格标为“未录入”，请核实后填写"
        )
    table_2, table_2_warnings = build_table_2(session, ids, year)
    warnings += table_2_warnings
    checks = requests_2021.check_table_3(table_3)
    narrative = narrative_figures(session, ids, year, k, known)
    narrative["complaints_by_source"] = k["requests"]["complaints_by_source"]
    return {
        "template": "2021",
        "year": year,
        "unit": unit.code,
        "unit_name": unit.name,
        "title": f"{unit.name} {year} 年政府信息公开工作年度报告",
        "profile": report_profile(unit_profile(session, unit)),
        "tables": {"二": table_2, "三": table_3, "四": table_4},
        "checks": checks,
        "findings": requests_2021.findings(checks),
        "warnings": warnings,
        "narrative": narrative,
    }


def complaints_sentence(n: Narrative) -> str:
    """The year's 申诉、举报 with their sources, or 未录入 (never a guessed zero)."""
    figures = n["requests"] if n["requests"] is not None else n.get("appeals")
    count = figures["complaints"] if figures is not None else None
    sentence = f"本年接受政府信息公开工作申诉、举报{count_text(count, '件')}"
    by_source = {source: k for source, k in (n.get("complaints_by_source") or {}).items() if k}
    if isinstance(count, int) and count and by_source:
        sentence += "，其中" + "、".join(f"{source}{k}件" for source, k in by_source.items())
    return sentence + "。"


def overview_sentences(report: Report2021) -> list[str]:
    """Neutral sentences of section 一 (总体情况), built only from the report's figures."""
    year, unit, n, words = report["year"], report["unit_name"], report["narrative"], report["profile"]
    pub, deliveries, hotline = n["publications"], n["deliveries"], n["hotline"]
    sentences = [
        f"{year}年，{unit}主动公开政府信息{pub['total']}条，全文电子化率{pub['full_text_rate_text']}，"
        f"历年累计主动公开{pub['cumulative']}条。",
        *register_sentence(pub),
        documents_sentence(n["documents"]),
    ]
    cells = {row["key"]: row["cells"]["总计"] for row in report["tables"]["三"]["rows"]}
    if all(isinstance(v, int) for v in cells.values()):
        sentences.append(
            f"本年新收政府信息公开申请{cells['一']}件，上年结转{cells['二']}件，本年办结{cells[requests_2021.TOTAL_ROW]}件，"
            f"结转下年度继续办理{cells['四']}件。"
        )
    else:
        sentences.append(f"{year}年度未录入依申请公开记录。")
    sentences.append(complaints_sentence(n))
    if hotline_name := duty_hotline(words, hotline):
        sentences.append(
            f"本年开展政策解读{count_text(n['interpretations'], '次')}，轮值接听{hotline_name}{count_text(hotline['count'], '次')}。"
        )
    else:
        sentences.append(f"本年开展政策解读{count_text(n['interpretations'], '次')}。")
    sentences.append(
        f"向{words['archive_name']}、{words['library_name']}分别送交政府信息公开材料"
        f"{count_text(deliveries['archive'], '份')}、{count_text(deliveries['library'], '份')}。"
    )
    return sentences
