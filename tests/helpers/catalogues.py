"""Invented offices with catalogues of their own, for the catalogue tests (issue 15).

`TEN` is a sub-district whose catalogue has ten level-one categories, imported from a 标准目录
spreadsheet in the shape offices publish (title row, two header rows, merged 领域 cells, blank
一级事项 cells meaning "the same as above"); `SIX` is one whose six level-one categories are
added one by one. Both sit under an invented city (`CITY`), away from the demo's units.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import docx
from sqlalchemy import Engine

from data_access.read import reports
from data_access.read.reports.docx import write_docx
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import OrgUnit
from data_access.write import catalogue as admin_catalogue
from data_access.write import importing
from tests.helpers.builders import PUB_HEADER, xlsx

CITY, TEN, SIX = "testcity", "tenoffice", "sixoffice"
CITY_NAME, TEN_NAME, SIX_NAME = "试验市", "甲街道", "乙街道"

# (领域, 一级事项, [二级事项 …], 公开时限 of the level-one row)
TEN_CATEGORIES: list[tuple[str, str, list[str], str]] = [
    ("机构职能", "机构职能类", ["领导信息", "内设机构"], "信息形成（变更）之日起20个工作日内"),
    ("政策文件", "政策法规计划类", ["规范性文件"], "信息形成（变更）之日起20个工作日内"),
    ("规划计划", "规划计划类", ["年度计划"], "每年"),
    ("人事", "人事信息", ["人事任免"], "实时"),
    ("行政权力", "行政权力运行公开", ["行政许可", "行政处罚"], "即时"),
    ("重点领域", "重点领域信息公开", ["财政预决算", "社会救助"], "每季度"),
    ("公示公告", "公示公告", ["通知公告"], "1个月内"),
    ("安全生产", "应急管理", ["应急预案"], "长期公开"),
    ("年报", "年报", ["工作年报"], "每年"),
    ("指南", "指南", ["公开指南"], "长期公开"),
]
SIX_CATEGORIES = [
    "工作动态信息类",
    "问题咨询类",
    "通知公告类",
    "社区服务及建设经费类",
    "执法监督类",
    "政府在线其他各类",
]

# The six as a 标准目录 spreadsheet gives them (one 领域 each, one level-two item under each).
SIX_CATALOGUE: list[tuple[str, str, list[str], str]] = [
    ("工作动态", SIX_CATEGORIES[0], ["工作动态"], "实时"),
    ("政务咨询", SIX_CATEGORIES[1], ["咨询答复"], "即时"),
    ("公示公告", SIX_CATEGORIES[2], ["通知公告"], "1个月内"),
    ("社区服务", SIX_CATEGORIES[3], ["社区经费"], "每季度"),
    ("执法监督", SIX_CATEGORIES[4], ["执法公示"], "即时"),
    ("政务服务", SIX_CATEGORIES[5], ["其他信息"], "长期公开"),
]


def standard_catalogue(
    categories: list[tuple[str, str, list[str], str]] = TEN_CATEGORIES, office: str = TEN_NAME
) -> bytes:
    """A 基层政务公开标准目录 .xlsx of an office: title, the two header rows of the published tables,
    merged 领域 cells (blank below their first row) and blank 一级事项 cells under each level-one item."""
    rows: list[list[Any]] = [
        [f"{office}基层政务公开标准目录"],
        ["序号", "领域", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
         "公开对象", "公开方式"],
        [None, None, "一级事项", "二级事项", None, None, None, None, None, None, None],
    ]  # fmt: skip
    merges = [
        "A1:K1",
        "A2:A3",
        "B2:B3",
        "C2:D2",
        "E2:E3",
        "F2:F3",
        "G2:G3",
        "H2:H3",
        "I2:I3",
        "J2:J3",
        "K2:K3",
    ]
    n = 0
    for domain, level_one, level_two, limit in categories:
        first = len(rows) + 1
        for j, name in enumerate(level_two):
            n += 1
            rows.append([
                n, domain if j == 0 else None, level_one if j == 0 else None, name, f"{name}的内容", "《条例》",
                limit, f"{office}办事处", "政府网站、公开栏", "全社会", "主动",
            ])  # fmt: skip
        if len(level_two) > 1:
            merges.append(f"B{first}:B{first + len(level_two) - 1}")
    return xlsx(rows, title="标准目录", merges=tuple(merges))


def add_offices(engine: Engine) -> None:
    """The city, the ten-category office (imported catalogue) and the six-category one (added by hand)."""
    with db.write_session(engine) as s:
        city = OrgUnit(code=CITY, name=CITY_NAME, level="city", sort_order=9)
        s.add(city)
        s.flush()
        s.add_all([
            OrgUnit(code=TEN, name=TEN_NAME, level="subdistrict", parent_id=city.id, sort_order=1),
            OrgUnit(code=SIX, name=SIX_NAME, level="subdistrict", parent_id=city.id, sort_order=2),
        ])  # fmt: skip
    with db.write_session(engine) as s:
        admin_catalogue.import_catalogue(s, TEN, 2019, standard_catalogue(), actor=OPERATOR, source="测试")
        admin_catalogue.create_scheme(s, SIX, 2019, copy="empty", actor=OPERATOR, source="测试")
        for i, name in enumerate(SIX_CATEGORIES, start=1):
            admin_catalogue.add_category(
                s, parent_code=None, code=f"{i:02d}", name=name, unit_code=SIX, year=2019, actor=OPERATOR
            )


def publication_file(
    prefix: str, year: int, month: int, counts: dict[str, int], channels: Mapping[str, str] | None = None
) -> bytes:
    """A month's 主动公开 upload: counts[category] items in each category, published through
    channels[category] (default 政府门户网站)."""
    channels = channels or {}
    rows: list[list[Any]] = [PUB_HEADER]
    n = 0
    for category, count in counts.items():
        for _ in range(count):
            n += 1
            day = 1 + n % 20
            rows.append([
                f"{prefix}-{year}-{month:02d}{n:03d}", f"{category}信息{n}", category, None,
                dt.date(year, month, day).isoformat(), dt.date(year, month, day + 5).isoformat(),
                channels.get(category, "政府门户网站"), "是",
            ])  # fmt: skip
    return xlsx(rows)


def upload(
    engine: Engine,
    unit: str,
    year: int,
    month: int,
    counts: dict[str, int],
    channels: Mapping[str, str] | None = None,
) -> importing.ImportResult:
    """Commit a month's publications for the unit (the result, committed or not)."""
    data = publication_file(unit.upper(), year, month, counts, channels)
    return importing.commit(engine, OPERATOR, data, "publications", unit, f"{year}-{month:02d}", "p.xlsx")


MONTHS = (3, 7, 11)  # the months a year's uploads are spread over


def split(counts: dict[str, int], part: int, k: int = len(MONTHS)) -> dict[str, int]:
    """The part-th of k monthly shares of the year's counts (the k shares add up to the counts);
    categories with no item that month are left out."""
    shares = {name: n // k + (1 if part < n % k else 0) for name, n in counts.items()}
    return {name: n for name, n in shares.items() if n}


def load_year(
    engine: Engine,
    unit: str,
    counts: dict[str, int],
    year: int = 2019,
    channels: Mapping[str, str] | None = None,
    months: Sequence[int] = MONTHS,
) -> None:
    """Upload a year's publications (counts per category) in one file per month of `months`."""
    for part, month in enumerate(months):
        result = upload(engine, unit, year, month, split(counts, part, len(months)), channels)
        assert result.status == "committed", [i.message for i in result.issues]


def report_fingerprint(
    engine: Engine, unit: str, year: int, template: str | None = None
) -> tuple[str, list[str]]:
    """The annual report as JSON and the text of its .docx (paragraphs and table cells)."""
    with db.read_session(engine) as s:
        return fingerprint(reports.build(s, year, unit, template))


def fingerprint(report: reports.AnnualReport) -> tuple[str, list[str]]:
    """A built report as JSON and the text of its .docx (paragraphs and table cells)."""
    as_json = json.dumps(report, ensure_ascii=False, sort_keys=True, default=str)
    buffer = io.BytesIO()
    write_docx(report, buffer)
    document = docx.Document(io.BytesIO(buffer.getvalue()))
    text = [p.text for p in document.paragraphs]
    text += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return as_json, text
