"""The old-format annual report (until 2018) reproduces the 2018 report's 附表 cell for cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from data_access.read import kpis, reports
from data_access.read.reports import Missing
from data_access.read.reports.old_format import narrative_sentences
from data_access.store import db
from data_access.store.models import Category, OrgUnit, Publication, UploadBatch
from data_access.store.reference import ensure_reference_data
from tests.helpers.figures import EXPECTED_2018

# The published report the demo reproduces, kept beside the repository (absent: that test is skipped).
SOURCE = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "qingyang-2018-annual-report.txt"
EXPECTED_ROWS = [
    dict(zip(("指标名称", "计量单位", "本年度", "历年累计"), row, strict=True)) for row in EXPECTED_2018
]

# Section 二（一）: "机构职能类信息35条，占22.15%；…"
EXPECTED_CATEGORIES = [
    ("机构职能类", 35, "22.15%"),
    ("政策、规范性文件类", 3, "1.90%"),
    ("规划计划类", 6, "3.80%"),
    ("重大建设项目", 13, "8.23%"),
    ("为民办实事类", 5, "3.16%"),
    ("民政扶贫救灾社会保障就业类", 24, "15.19%"),
    ("国土资源城乡建设环保能源类", 22, "13.92%"),
    ("科教文体卫生类", 20, "12.66%"),
    ("安全生产、应急管理类", 30, "18.99%"),
]


@pytest.fixture(scope="module")
def report_2018(seeded_db):
    with db.read_session(seeded_db) as session:
        return reports.build(session, 2018, "qingyang")


def test_the_annex_equals_the_source_document(report_2018):
    assert report_2018["template"] == "old"
    assert (report_2018["year"], report_2018["unit"]) == (2018, "qingyang")
    assert report_2018["columns"] == ["指标名称", "计量单位", "本年度", "历年累计"]
    assert report_2018["rows"] == EXPECTED_ROWS
    assert report_2018["warnings"] == []


def source_annex(text: str) -> tuple[list[str], list[list[str]]]:
    """The 附表 at the end of the source document: its header and rows, cell by cell as printed."""
    lines = text.splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == "附表")
    table = [line.split("\t") for line in lines[start + 1 :] if line.strip()]
    return table[0], table[1:]


@pytest.mark.skipif(not SOURCE.is_file(), reason="the source report is not beside the repository")
def test_the_annex_equals_the_source_document_file(report_2018):
    header, rows = source_annex(SOURCE.read_text(encoding="utf-8"))
    assert header == ["指标名称", "计量单位", "2018年度", "历年累计"]
    printed = [
        [r["指标名称"], r["计量单位"], str(r["本年度"]), str(r["历年累计"])] for r in report_2018["rows"]
    ]
    assert printed == rows
    assert len(rows) == len(EXPECTED_2018) == 15


def test_narrative_figures_of_sections_two_to_four(report_2018):
    n = report_2018["narrative"]
    pub = n["publications"]
    assert (pub["total"], pub["cumulative"], pub["full_text_rate_text"]) == (158, 954, "100%")
    assert [(c["name"], c["count"], c["share_text"]) for c in pub["by_category"]] == EXPECTED_CATEGORIES
    assert [(t["name"], t["count"]) for t in pub["by_topic"]] == [
        ("财政资金", 21),
        ("重大建设项目", 13),
        ("公共服务", 40),
        ("监督检查", 38),
    ]
    assert n["deliveries"] == {"archive": 158, "library": 158}
    assert n["interpretations"] == 0
    assert n["hotline"]["count"] == 2 and n["hotline"]["by_official"] == {"吴靖宇": 2}
    req = n["requests"]
    assert req["by_channel"] == {"当面": 0, "网络": 1, "信函、传真": 0}
    assert req["replies"] == {"同意公开": 0, "同意部分公开": 0, "不予公开": 0, "其他": 1}
    assert req["other_replies"] == {"无法提供-本机关不掌握相关政府信息": 1}
    assert req["withheld_reasons"] == {}
    assert (req["reconsiderations"], req["litigations"], req["complaints"]) == (0, 0, 0)


def test_sentences_use_the_documents_figures(report_2018):
    text = "".join(line for lines in narrative_sentences(report_2018).values() for line in lines)
    assert "2018年度主动公开政府信息数量共158条，全文电子化率100%。" in text
    assert "其中，机构职能类信息35条，占22.15%；政策、规范性文件类信息3条，占1.90%；" in text
    assert "历年主动公开信息累计总量达954条。" in text
    assert "网络申请1件" in text and "其他类型答复1件（本机关不掌握相关政府信息1件）" in text
    assert "分别送交政府信息公开材料158份、158份" in text


def test_template_defaults_by_year():
    assert reports.default_template(2018) == "old"
    assert reports.default_template(2019) == "2021"


def test_city_rolls_up(seeded_db):
    with db.read_session(seeded_db) as session:
        city = reports.build(session, 2018, "jinjiang", "old")
    assert city["rows"] == EXPECTED_ROWS


def test_unknown_unit_year_without_data_and_unknown_template_are_errors(seeded_db):
    with db.read_session(seeded_db) as session:
        with pytest.raises(kpis.KpiError, match="未知单位代码：nowhere"):
            reports.build(session, 2018, "nowhere")
        with pytest.raises(kpis.KpiError, match="2030 年没有任何数据"):
            reports.build(session, 2030, "qingyang")
        with pytest.raises(kpis.KpiError, match="未知的报告格式"):
            reports.build(session, 2018, "qingyang", "1999")


def test_requests_not_recorded_are_blank_not_zero(empty_sqlite):
    """A year with publications but no request records: request rows are 未录入, publication rows counted."""
    with db.write_session(empty_sqlite) as s:
        ensure_reference_data(s)
        unit = OrgUnit(code="t", name="测试街道", level="subdistrict")
        s.add(unit)
        s.flush()
        batch = UploadBatch(
            kind="publications", unit_id=unit.id, period_key="2017-03", file_name="a.xlsx", file_hash="h"
        )
        s.add(batch)
        s.flush()
        leaf = s.scalar(select(Category).where(Category.code == "010101"))
        s.add(
            Publication(
                unit_id=unit.id,
                index_no="T-0101-2017-0001",
                title="测试条目",
                category_id=leaf.id,
                category_root_id=leaf.root_id,
                formed_date=dt.date(2017, 3, 1),
                published_date=dt.date(2017, 3, 2),
                published_year=2017,
                published_ym=201703,
                channel="政府公报",
                batch_id=batch.id,
            )
        )
    with db.read_session(empty_sqlite) as s:
        report = reports.build(s, 2017, "t")
    by_name = {row["指标名称"]: row for row in report["rows"]}
    assert (by_name["主动公开文件数"]["本年度"], by_name["主动公开文件数"]["历年累计"]) == (1, 1)
    assert by_name["其中：1. 政务网站公开数"]["本年度"] == 0
    assert by_name["2. 政府公报公开数"]["本年度"] == 1
    for name in ("受理政府信息公开申请总数", "4. 其他类型答复数", "行政复议数"):
        assert by_name[name]["本年度"] is Missing.BLANK
        assert by_name[name]["历年累计"] is Missing.BLANK
    assert report["narrative"]["requests"] is None
    assert any("未录入依申请公开记录" in w for w in report["warnings"])
