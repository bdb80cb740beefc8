"""Issue 15's acceptance test: three invented offices in one database beside the 2018 demo.

A sub-district with ten level-one categories of its own (A), one with six (B), and a district (区)
whose catalogue its two sub-districts (街道) inherit (C), all under one invented city, each with its
own profile words. Each imports its catalogue from a 标准目录 spreadsheet and a year of monthly
publication uploads written here as real .xlsx files, through the paths the command line uses;
both report formats then print every figure as the office's own counts, in its own category names
and words. B renames a category from 2020 and A retires one; their 2019 reports stay as they were,
and so does the demo's 2018 report, which is captured before any of this and recomputed at the end.

The world is built once per backend (module scope); the tests only read it.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from sqlalchemy import Engine, select

from data_access.read import kpis, reports
from data_access.read.reports import Missing
from data_access.read.reports.format_2021 import normative_issued, overview_sentences
from data_access.read.reports.old_format import narrative_sentences
from data_access.read.reports.xlsx import write_xlsx
from data_access.rules.permissions import OPERATOR
from data_access.store import db, reference
from data_access.store.models import OrgUnit
from data_access.write import admin
from data_access.write import catalogue as admin_catalogue
from seed import qingyang2018
from tests.helpers.catalogues import (
    CITY,
    CITY_NAME,
    MONTHS,
    SIX,
    SIX_CATALOGUE,
    SIX_CATEGORIES,
    SIX_NAME,
    TEN,
    TEN_CATEGORIES,
    TEN_NAME,
    fingerprint,
    load_year,
    publication_file,
    report_fingerprint,
    split,
    standard_catalogue,
)
from tests.helpers.cli import run_cli
from tests.helpers.databases import BACKENDS, migrated_database

# One world per backend: with `--dist loadgroup` the module's tests stay on one worker, which builds it once.
pytestmark = pytest.mark.xdist_group("three_offices")

YEAR = 2019
TEMPLATES = ("old", "2021")
DEMO_WORDS = ("青阳", "晋江", "市档案馆", "市图书馆", "市长专线")  # the demo's own words

# Office C: the district's catalogue, which its sub-districts inherit.
DIST, EAST, WEST = "bingqu", "bingqu-east", "bingqu-west"
DIST_NAME, EAST_NAME, WEST_NAME = "丙区", "东湖街道", "西山街道"
DIST_CATALOGUE: list[tuple[str, str, list[str], str]] = [
    ("机构职能", "机构概况", ["领导之窗"], "信息形成（变更）之日起20个工作日内"),
    ("公示公告", "公示公告栏", ["公告"], "1个月内"),
    ("重点领域", "民生保障", ["低保救助"], "每季度"),
    ("城市管理", "城市管理", ["市容环境"], "每月"),
]

TEN_NAMES = [c[1] for c in TEN_CATEGORIES]
DIST_NAMES = [c[1] for c in DIST_CATALOGUE]
# 2019 uploads per category named in the file; A files three items under its level-two 规范性文件
# (level one 政策法规计划类), which the 2021 format counts as 行政规范性文件.
COUNTS: dict[str, dict[str, int]] = {
    TEN: {**{name: i + 2 for i, name in enumerate(TEN_NAMES)}, "规范性文件": 3},
    SIX: {name: 2 * i + 1 for i, name in enumerate(SIX_CATEGORIES)},
    EAST: {name: i + 3 for i, name in enumerate(DIST_NAMES)},
    WEST: {DIST_NAMES[0]: 2, DIST_NAMES[2]: 5, DIST_NAMES[3]: 1},
}
LEVEL_ONE = {"规范性文件": "政策法规计划类"}
CHANNEL_CYCLE = ("政府门户网站", "政府公报", "公开栏")
CHANNELS: dict[str, dict[str, str]] = {
    unit: {name: CHANNEL_CYCLE[i % len(CHANNEL_CYCLE)] for i, name in enumerate(counts)}
    for unit, counts in COUNTS.items()
}
# 2020: A retires 指南 and B renames 通知公告类 (code 03) to 公告公示类; both upload again.
RENAMED = ("03", SIX_CATEGORIES[2], "公告公示类")
COUNTS_2020 = {TEN: {"公示公告": 4, "年报": 1}, SIX: {RENAMED[2]: 5, SIX_CATEGORIES[0]: 2}}

PROFILES: dict[str, dict[str, str | None]] = {
    TEN: {"full_name": "试验市甲街道办事处", "archive_name": "甲街道档案室", "library_name": "甲街道图书室"},
    SIX: {"full_name": "试验市乙街道办事处", "archive_name": "乙街道档案室", "library_name": "乙街道图书室",
          "signature": "乙街道办事处"},
    DIST: {"full_name": "试验市丙区人民政府", "archive_name": "丙区档案馆", "library_name": "丙区图书馆"},
    EAST: {"full_name": "丙区人民政府东湖街道办事处"},
}  # fmt: skip
# The words each office's reports print: (signature, archive, library); the sub-districts deliver
# where their district does, and 西山街道 (no profile) signs with its own name.
WORDS = {
    TEN: ("试验市甲街道办事处", "甲街道档案室", "甲街道图书室"),
    SIX: ("乙街道办事处", "乙街道档案室", "乙街道图书室"),
    DIST: ("试验市丙区人民政府", "丙区档案馆", "丙区图书馆"),
    EAST: ("丙区人民政府东湖街道办事处", "丙区档案馆", "丙区图书馆"),
    WEST: (WEST_NAME, "丙区档案馆", "丙区图书馆"),
}
SCOPES = {TEN: (TEN,), SIX: (SIX,), DIST: (EAST, WEST), EAST: (EAST,), WEST: (WEST,)}
CATALOGUE_OF = {TEN: TEN_NAMES, SIX: SIX_CATEGORIES, DIST: DIST_NAMES, EAST: DIST_NAMES, WEST: DIST_NAMES}


def expected(unit: str) -> dict[str, Any]:
    """The office's own 2019 figures, counted from what was uploaded: per level-one category in
    catalogue order, per channel, and the total."""
    by_category: Counter[str] = Counter()
    by_channel: Counter[str] = Counter()
    for uploader in SCOPES[unit]:
        for name, n in COUNTS[uploader].items():
            by_category[LEVEL_ONE.get(name, name)] += n
            by_channel[CHANNELS[uploader][name]] += n
    return {
        "by_category": [(name, by_category[name]) for name in CATALOGUE_OF[unit]],
        "by_channel": by_channel,
        "total": sum(by_category.values()),
    }


def xlsx_cells(report: reports.AnnualReport) -> list[list[Any]]:
    """Every row of every sheet of the report's .xlsx (the file itself embeds its creation time)."""
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    return [[ws.title, *row] for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def capture(engine: Engine, unit: str, year: int) -> dict[str, Any]:
    """A unit's reports of the year in both formats: JSON and .docx text (report_fingerprint), and the
    .xlsx cell values. The .docx and .xlsx bytes embed the time they were written (zip entries and
    document properties), so their text and cells are compared, not their bytes."""
    with db.read_session(engine) as s:
        built = {template: reports.build(s, year, unit, template) for template in TEMPLATES}
    return {template: (fingerprint(report), xlsx_cells(report)) for template, report in built.items()}


def _units(engine: Engine) -> None:
    """The city; A and B under it; the district under it with its two sub-districts; profiles."""
    tree = (
        (CITY, CITY_NAME, "city", None),
        (TEN, TEN_NAME, "subdistrict", CITY),
        (SIX, SIX_NAME, "subdistrict", CITY),
        (DIST, DIST_NAME, "district", CITY),
        (EAST, EAST_NAME, "subdistrict", DIST),
        (WEST, WEST_NAME, "subdistrict", DIST),
    )
    with db.write_session(engine) as s:
        for code, name, level, parent in tree:
            admin.add_unit(s, code=code, name=name, level=level, parent_code=parent, actor=OPERATOR)
        for code, values in PROFILES.items():
            assert admin.set_profile(s, code, values, actor=OPERATOR)


def _catalogues(engine: Engine, url: str, tmp: Path) -> None:
    """A's catalogue through `catalogue import` of the command line, B's and the district's through
    the same write (data_access.write.catalogue.import_catalogue)."""
    path = tmp / "甲街道标准目录.xlsx"
    path.write_bytes(standard_catalogue(TEN_CATEGORIES, TEN_NAME))
    ran = run_cli(
        "--database-url", url, "catalogue", "import", "--unit", TEN, "--from-year", str(YEAR), str(path)
    )
    assert ran.returncode == 0, ran.stderr
    with db.write_session(engine) as s:
        admin_catalogue.import_catalogue(
            s, SIX, YEAR, standard_catalogue(SIX_CATALOGUE, SIX_NAME), actor=OPERATOR
        )
        admin_catalogue.import_catalogue(
            s, DIST, YEAR, standard_catalogue(DIST_CATALOGUE, DIST_NAME), actor=OPERATOR
        )


def _uploads(engine: Engine, url: str, tmp: Path) -> None:
    """The 2019 uploads: 东湖街道's first month through the command line's `import`, the rest
    through the same commit (data_access.write.importing.commit)."""
    first = split(COUNTS[EAST], 0)
    path = tmp / "东湖街道-3月.xlsx"
    path.write_bytes(publication_file(EAST.upper(), YEAR, MONTHS[0], first, CHANNELS[EAST]))
    ran = run_cli("--database-url", url, "import", "--kind", "publications", "--unit", EAST,
                  "--period", f"{YEAR}-{MONTHS[0]:02d}", str(path))  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    rest = {name: n - first.get(name, 0) for name, n in COUNTS[EAST].items()}
    load_year(engine, EAST, rest, YEAR, CHANNELS[EAST], months=MONTHS[1:])
    for unit in (TEN, SIX, WEST):
        load_year(engine, unit, COUNTS[unit], YEAR, CHANNELS[unit])


def _next_year(engine: Engine) -> None:
    """A retires 指南 and B renames a category from 2020; both upload 2020 in their new catalogues."""
    with db.write_session(engine) as s:
        assert admin_catalogue.retire_category(s, "10", unit_code=TEN, from_year=2020, actor=OPERATOR)
        assert admin_catalogue.rename_category(
            s, RENAMED[0], RENAMED[2], unit_code=SIX, from_year=2020, actor=OPERATOR
        )
    for unit, counts in COUNTS_2020.items():
        load_year(engine, unit, counts, 2020, months=(4,))


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The demo, captured; the three offices with their catalogues, profiles and 2019 uploads, their
    2019 reports captured; then 2020's rename, retirement and uploads."""
    tmp = tmp_path_factory.mktemp("offices")
    url, drop = migrated_database(request.param, tmp)
    engine = db.make_engine(url)
    try:
        with db.write_session(engine) as s:
            qingyang2018.load(s)
        demo = capture(engine, "qingyang", 2018)
        _units(engine)
        _catalogues(engine, url, tmp)
        _uploads(engine, url, tmp)
        before_2020 = {unit: capture(engine, unit, YEAR) for unit in (TEN, SIX)}
        _next_year(engine)
        yield {"engine": engine, "url": url, "tmp": tmp, "demo": demo, "before_2020": before_2020}
    finally:
        engine.dispose()
        drop()


def _row(report: reports.AnnualReport, name: str) -> tuple[Any, Any]:
    row = next(r for r in report["rows"] if r["指标名称"] == name)  # type: ignore[typeddict-item]
    return row["本年度"], row["历年累计"]


@pytest.mark.parametrize("unit", [TEN, SIX, DIST, EAST, WEST])
def test_both_formats_print_the_offices_own_figures_and_words(world: dict[str, Any], unit: str) -> None:
    engine, want = world["engine"], expected(unit)
    total, portal, gazette = want["total"], want["by_channel"]["政府门户网站"], want["by_channel"]["政府公报"]
    with db.read_session(engine) as s:
        old = reports.build(s, YEAR, unit, "old")
        new = reports.build(s, YEAR, unit, "2021")
    # (the 2021 format is 2019's default: the command-line test asks for it without --template)
    # the old format's 附表: the year's figures and (nothing before 2019) the same cumulative ones
    assert _row(old, "主动公开文件数") == (total, total)
    assert _row(old, "其中：1. 政务网站公开数") == (portal, portal)
    assert _row(old, "2. 政府公报公开数") == (gazette, gazette)
    assert _row(old, "受理政府信息公开申请总数") == (Missing.BLANK, Missing.BLANK)  # no requests recorded
    for report in (old, new):
        pub = report["narrative"]["publications"]
        assert [(c["name"], c["count"]) for c in pub["by_category"]] == want["by_category"]
        assert (pub["total"], pub["cumulative"]) == (total, total)
        assert pub["by_channel"] == {k: v for k, v in want["by_channel"].items() if v}
        assert pub["cumulative_by_channel"]["政府公报"] == gazette
        assert pub["full_text_rate_text"] == "100%"
        signature, archive, library = WORDS[unit]
        assert (report["profile"]["signature"], report["profile"]["archive_name"]) == (signature, archive)
        assert report["profile"]["library_name"] == library
        assert report["profile"]["full_name"] == PROFILES.get(unit, {}).get("full_name", report["unit_name"])
    # A's three items under its level-two 规范性文件 are what table 二's 行政规范性文件 is checked
    # against; the others' catalogues have no such entry (不适用). Nothing entered: 未录入, not 0
    issued = new["tables"]["二"]["sections"][0]["rows"][1]["cells"][0]
    assert issued == Missing.BLANK
    with db.read_session(engine) as s:
        ids = reference.unit_and_descendants(s, s.scalar(select(OrgUnit.id).where(OrgUnit.code == unit)))
        assert normative_issued(s, ids, YEAR) == (3 if unit == TEN else Missing.NOT_APPLICABLE)
    # the printed words: sentences, .docx and .xlsx
    old_text = "".join(line for lines in narrative_sentences(old).values() for line in lines)
    assert all(f"{name}信息{n}条，占" in old_text for name, n in want["by_category"])
    assert f"通过政府门户网站公开{portal}条，通过政府公报公开{gazette}条；向{archive}、{library}" in old_text
    assert overview_sentences(new)[0] == (
        f"{YEAR}年，{new['unit_name']}主动公开政府信息{total}条，全文电子化率100%，历年累计主动公开{total}条。"
    )
    for report in (old, new):
        as_json, docx_text = fingerprint(report)
        assert docx_text[0] == f"{report['unit_name']} {YEAR} 年政府信息公开工作年度报告"
        assert docx_text[docx_text.index("年    月    日") - 1] == signature
        printed = (
            as_json + "".join(docx_text) + json.dumps(xlsx_cells(report), ensure_ascii=False, default=str)
        )
        assert not [word for word in DEMO_WORDS if word in printed]
    cells = xlsx_cells(old)
    assert [row[1:3] for row in cells if row[0] == "主动公开分类"][2:-1] == [
        list(c) for c in want["by_category"]
    ]


def test_the_command_line_prints_the_same_reports(world: dict[str, Any]) -> None:
    engine, url, tmp = world["engine"], world["url"], world["tmp"]
    for unit, template in ((SIX, None), (TEN, "old"), (DIST, "old")):
        chosen = ("--template", template) if template else ()
        ran = run_cli("--database-url", url, "report", "--year", str(YEAR), "--unit", unit, *chosen)
        assert ran.returncode == 0, ran.stderr
        shown = json.loads(ran.stdout)
        assert shown["template"] == (template or "2021")  # 2019: the 2021 format by default
        assert shown == json.loads(report_fingerprint(engine, unit, YEAR, template)[0])
    path = tmp / "乙街道.docx"
    ran = run_cli("--database-url", url, "report", "--year", str(YEAR), "--unit", SIX, "--format", "docx",
                  "-o", str(path))  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    text = [p.text for p in docx.Document(str(path)).paragraphs]  # the file's paragraphs, then its cells
    assert text == report_fingerprint(engine, SIX, YEAR, "2021")[1][: len(text)]
    assert f"向{WORDS[SIX][1]}、{WORDS[SIX][2]}分别送交政府信息公开材料未录入、未录入。" in text


def test_the_district_totals_its_sub_districts_and_the_city_groups_by_domain(world: dict[str, Any]) -> None:
    engine = world["engine"]
    with db.read_session(engine) as s:
        figures = {u: kpis.compute(s, YEAR, None, u)["publications"] for u in (DIST, EAST, WEST, CITY)}
        inherited = admin_catalogue.catalogue_view(s, WEST, YEAR)
    assert inherited.source != "own" and [r.name for r in inherited.rows if r.level == 1] == DIST_NAMES
    for name in DIST_NAMES:
        assert figures[DIST]["by_category"][name] == (
            figures[EAST]["by_category"][name] + figures[WEST]["by_category"][name]
        )
    assert figures[DIST]["total"] == figures[EAST]["total"] + figures[WEST]["total"]
    # the city: three catalogues under it, so its figures go by 领域 (every item of theirs has one)
    domains: Counter[str] = Counter()
    for unit, catalogue in ((TEN, TEN_CATEGORIES), (SIX, SIX_CATALOGUE), (DIST, DIST_CATALOGUE)):
        domain_of = {level_one: domain for domain, level_one, _two, _limit in catalogue}
        for name, n in expected(unit)["by_category"]:
            domains[domain_of[name]] += n
    city = figures[CITY]
    assert city["category_groups"] == {"by": "领域", "other_units": []}  # type: ignore[typeddict-item]
    assert {k: v for k, v in city["by_category"].items() if v} == dict(domains)
    assert city["total"] == sum(expected(u)["total"] for u in (TEN, SIX, DIST)) == sum(domains.values())


def test_a_rename_and_a_retirement_from_2020_leave_2019_as_it_was(world: dict[str, Any]) -> None:
    engine = world["engine"]
    for unit in (TEN, SIX):
        assert capture(engine, unit, YEAR) == world["before_2020"][unit]
    with db.read_session(engine) as s:
        six = reports.build(s, 2020, SIX, "old")
        ten = reports.build(s, 2020, TEN)
        names_2019 = [
            c["name"] for c in reports.build(s, YEAR, SIX)["narrative"]["publications"]["by_category"]
        ]
    assert RENAMED[1] in names_2019 and RENAMED[2] not in names_2019
    pub = six["narrative"]["publications"]
    assert [(c["name"], c["count"]) for c in pub["by_category"] if c["count"]] == [
        (SIX_CATEGORIES[0], 2), (RENAMED[2], 5)
    ]  # fmt: skip
    assert RENAMED[1] not in [c["name"] for c in pub["by_category"]]
    total_2019 = expected(SIX)["total"]
    assert _row(six, "主动公开文件数") == (7, total_2019 + 7)
    assert _row(six, "其中：1. 政务网站公开数") == (7, expected(SIX)["by_channel"]["政府门户网站"] + 7)
    ten_names = [c["name"] for c in ten["narrative"]["publications"]["by_category"]]
    assert "指南" not in ten_names and len(ten_names) == 9
    assert ten["narrative"]["publications"]["cumulative"] == expected(TEN)["total"] + 5


def test_the_demos_2018_report_is_as_before_the_offices(world: dict[str, Any]) -> None:
    engine = world["engine"]
    with db.read_session(engine) as s:
        unit_count = len(s.scalars(select(OrgUnit.id)).all())
    assert unit_count > 6  # the offices are there
    assert capture(engine, "qingyang", 2018) == world["demo"]
