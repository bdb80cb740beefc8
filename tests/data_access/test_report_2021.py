"""The 2021-format annual report: table cells from varied requests, the cross-check, and old-rule mapping."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import select

from data_access.read import reports
from data_access.read.reports import Missing, check_table_3, classify_outcome
from data_access.read.reports.requests_2021 import COLUMNS
from data_access.store import db
from data_access.store.models import Category, OrgUnit, Publication, UploadBatch
from seed import scale
from tests.helpers.requests_2021 import EXPECTED_3, add_requests, add_unit, enter_table_2, populate_2021

D = dt.date
ZERO_4 = {"结果维持": 0, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 0}


def cells_by_key(table: dict) -> dict[str, dict]:
    return {row["key"]: row["cells"] for row in table["rows"]}


@pytest.fixture
def report_2021(empty_db):
    populate_2021(empty_db)
    with db.read_session(empty_db) as s:
        return reports.build(s, 2021, "test")


def test_table_three_cells(report_2021):
    assert report_2021["template"] == "2021"
    table = report_2021["tables"]["三"]
    assert table["columns"] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    cells = cells_by_key(table)
    assert len(cells) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
    for key, row in cells.items():
        expected = {column: EXPECTED_3.get(key, {}).get(column, 0) for column in COLUMNS}
        assert row == expected, key


def test_cross_check_passes_for_every_column(report_2021):
    checks = report_2021["checks"]
    assert [c["column"] for c in checks] == list(COLUMNS)
    assert all(c["passed"] is True for c in checks)
    assert report_2021["findings"] == []
    assert "一 + 二 = 3 + 1 = 4，三（七）+ 四 = 3 + 1 = 4，相符" in checks[0]["message"]


def test_an_inconsistent_table_fails_the_check(report_2021):
    table = copy.deepcopy(report_2021["tables"]["三"])
    cells = cells_by_key(table)
    cells["四"]["自然人"] = 2
    checks = check_table_3(table)
    failed = [c for c in checks if c["passed"] is False]
    assert {(c["check"], c["column"]) for c in failed} == {
        ("一+二=三（七）+四", "自然人"),
        ("总计列=各类申请人之和", "总计"),
    }
    messages = reports.findings(checks)
    assert any("自然人：一 + 二 = 3 + 1 = 4，三（七）+ 四 = 3 + 2 = 5，不相符" in m for m in messages)
    assert all(m.startswith("校验未通过：") for m in messages)

    table = copy.deepcopy(report_2021["tables"]["三"])
    cells_by_key(table)["三（一）"]["商业企业"] = 1  # a result row that （七） does not add up
    failed = [c for c in check_table_3(table) if c["passed"] is False]
    assert ("（七）总计=（一）至（六）之和", "商业企业") in {(c["check"], c["column"]) for c in failed}


def test_a_partly_disclosed_request_counts_once(report_2021):
    cells = cells_by_key(report_2021["tables"]["三"])
    lawyers = {key: row["法律服务机构"] for key, row in cells.items() if row["法律服务机构"]}
    assert lawyers == {"一": 1, "三（二）": 1, "三（七）": 1}


def test_table_four(report_2021):
    table = report_2021["tables"]["四"]
    assert table["行政复议"] == {**ZERO_4, "结果维持": 1, "尚未审结": 1, "总计": 2}
    assert table["行政诉讼"]["未经复议直接起诉"] == {**ZERO_4, "结果纠正": 1, "总计": 1}
    assert table["行政诉讼"]["复议后起诉"] == {**ZERO_4, "尚未审结": 1, "总计": 1}


def test_table_two_prints_what_was_entered_and_未录入_otherwise(report_2021, empty_db):
    def cells(report):  # type: ignore[no-untyped-def]
        return {
            row["label"]: row["cells"] for sec in report["tables"]["二"]["sections"] for row in sec["rows"]
        }

    B, NA = Missing.BLANK, Missing.NOT_APPLICABLE
    assert cells(report_2021) == {
        "规章": [B] * 3,
        "行政规范性文件": [B] * 3,  # never counted from the catalogue, never 不适用 unless marked
        **{name: [B] for name in ("行政许可", "行政处罚", "行政强制", "行政事业性收费")},
    }
    assert any(
        w.startswith("2021 年表二未录入：规章、行政规范性文件、行政许可") for w in report_2021["warnings"]
    )
    assert report_2021["tables"]["二"]["sections"][3]["columns"] == ["信息内容", "本年收费金额（单位：万元）"]
    enter_table_2(empty_db)
    with db.read_session(empty_db) as s:
        entered = reports.build(s, 2021, "test")
    assert cells(entered) == {
        "规章": [NA] * 3,
        "行政规范性文件": [1, B, 5],
        "行政许可": [41],
        **{name: [B] for name in ("行政处罚", "行政强制", "行政事业性收费")},
    }
    assert any(
        w.startswith("2021 年表二未录入：行政处罚、行政强制、行政事业性收费") for w in entered["warnings"]
    )
    assert not any("表二行政规范性文件本年制发" in w for w in entered["warnings"])  # 1 = the catalogue's 1


def test_a_year_without_request_records_is_blank_not_zero(empty_sqlite):
    populate_2021(empty_sqlite)
    with db.read_session(empty_sqlite) as s:
        report = reports.build(s, 2020, "test")  # 2020 holds R02/R03 and an appeal: recorded
        assert cells_by_key(report["tables"]["三"])["一"]["总计"] == 3
    with db.write_session(empty_sqlite) as s:
        unit = add_unit(s, "other")
        add_requests(s, unit, [])
        batch = UploadBatch(
            kind="publications", unit_id=unit.id, period_key="2021-01", file_name="m.xlsx", file_hash="q"
        )
        s.add(batch)
        s.flush()
        leaf = s.scalar(select(Category).where(Category.code == "030101"))
        for year in (2021, 2022):
            s.add(
                Publication(
                    unit_id=unit.id,
                    index_no=f"O-{year}",
                    title=f"{year}年工作计划",
                    category_id=leaf.id,
                    category_root_id=leaf.root_id,
                    formed_date=D(year, 1, 2),
                    published_date=D(year, 1, 5),
                    published_year=year,
                    published_ym=year * 100 + 1,
                    batch_id=batch.id,
                )
            )
    with db.read_session(empty_sqlite) as s:
        empty_year = reports.build(s, 2021, "other")  # an upload of no requests: counted zeros
        blank_year = reports.build(s, 2022, "other")  # nothing uploaded about requests: 未录入
    assert all(v == 0 for row in empty_year["tables"]["三"]["rows"] for v in row["cells"].values())
    assert all(c["passed"] is True for c in empty_year["checks"])
    assert all(
        v is Missing.BLANK for row in blank_year["tables"]["三"]["rows"] for v in row["cells"].values()
    )
    assert all(c["passed"] is None for c in blank_year["checks"]) and blank_year["findings"] == []
    assert blank_year["tables"]["四"]["行政复议"] == dict.fromkeys(ZERO_4, Missing.BLANK)
    assert (
        blank_year["tables"]["二"]["sections"][0]["rows"][1]["cells"][0] is Missing.BLANK
    )  # table 二 not entered: 未录入, not a 0 counted from the catalogue
    assert any("未录入依申请公开记录" in w for w in blank_year["warnings"])


@pytest.mark.parametrize(
    ("outcome", "year", "row", "warns"),
    [
        ("予以公开", 2021, "三（一）", None),
        ("无法提供-本机关不掌握相关政府信息", 2018, "三（四）1", None),
        ("同意公开", 2018, "三（一）", None),
        ("同意部分公开", 2018, "三（二）", None),
        ("予以公开；不予公开-属于国家秘密", 2021, "三（二）", None),
        ("部分公开;无法提供-本机关不掌握相关政府信息", 2021, "三（二）", None),
        ("其他", 2018, "三（六）3", "旧口径"),
        ("其他处理-其他", 2018, "三（六）3", "旧口径"),
        ("其他处理-其他", 2021, "三（六）3", None),
        ("不予公开", 2018, None, "未注明 2021 年格式的细项"),
        ("不予处理-重复申请；不予处理-信访举报投诉类申请", 2021, "三（五）2", "按第一项统计"),
        ("随便写的", 2021, None, "无法识别"),
        (None, 2021, None, "未录入办理结果"),
    ],
)
def test_classify_outcome(outcome, year, row, warns):
    key, warning = classify_outcome(outcome, year)
    assert key == row
    if warns is None:
        assert warning is None
    else:
        assert warns in warning


def test_old_rules_year_maps_to_2021_rows_with_warnings(empty_sqlite):
    requests = [
        ("A1", D(2018, 3, 1), "自然人", D(2018, 3, 9), "其他"),
        ("A2", D(2018, 4, 1), "商业企业", D(2018, 4, 9), "不予公开"),
        ("A3", D(2018, 5, 1), "自然人", D(2018, 5, 9), "无法提供-本机关不掌握相关政府信息"),
    ]
    with db.write_session(empty_sqlite) as s:
        add_requests(s, add_unit(s), requests, period="2018")
    with db.read_session(empty_sqlite) as s:
        report = reports.build(s, 2018, "test", "2021")
    cells = cells_by_key(report["tables"]["三"])
    assert cells["三（六）3"]["自然人"] == 1 and cells["三（四）1"]["自然人"] == 1
    assert cells["三（七）"] == {**dict.fromkeys(COLUMNS, 0), "自然人": 2, "总计": 2}
    warnings = "\n".join(report["warnings"])
    assert "适用旧格式" in warnings
    assert "申请 A1：办理结果“其他”（旧口径）无对应的 2021 年细项" in warnings
    assert "申请 A2：办理结果“不予公开”（旧口径）未注明 2021 年格式的细项" in warnings
    # A2 has no row, so its column no longer balances: the check says so.
    assert [c["column"] for c in report["checks"] if c["passed"] is False] == ["商业企业", "总计"]
    assert any(
        "商业企业：一 + 二 = 1 + 0 = 1，三（七）+ 四 = 0 + 0 = 0，不相符" in f for f in report["findings"]
    )


def test_seeded_2018_in_the_2021_format(seeded_db):
    with db.read_session(seeded_db) as s:
        report = reports.build(s, 2018, "qingyang", "2021")
    cells = cells_by_key(report["tables"]["三"])
    assert cells["一"]["自然人"] == 1 and cells["三（四）1"]["自然人"] == 1 and cells["四"]["总计"] == 0
    assert all(c["passed"] for c in report["checks"])
    assert report["tables"]["四"]["行政复议"] == ZERO_4
    # The stored outcome names its 2021 row (无法提供-本机关不掌握…): only the format note and table 二
    # not entered, no mapping warning.
    assert len(report["warnings"]) == 2 and "适用旧格式" in report["warnings"][0]
    assert report["warnings"][1].startswith("2018 年表二未录入：规章、")


def test_generated_years_pass_their_own_cross_checks(empty_db):
    """Seeded years of varied requests (most outcomes and applicant types, carried over and open at the
    year end): table 三 of every sub-district and of the city balances, column by column."""
    spec = scale.ScaleSpec(units=2, years=2, per_year=300, seed=7)
    scale.load(empty_db, spec)
    with db.read_session(empty_db) as s:
        levels = dict(s.execute(select(OrgUnit.code, OrgUnit.level)).all())
        codes = sorted(code for code, level in levels.items() if level in ("city", "subdistrict"))
        assert spec.city_code in codes and len(codes) == 1 + spec.units
        reports_by_unit = {
            (code, year): reports.build(s, year, code, "2021")
            for code in codes
            for year in range(spec.first_year, spec.last_year + 1)
        }
    for (code, year), report in reports_by_unit.items():
        assert report["findings"] == [], (code, year)
        assert [c["passed"] for c in report["checks"]] == [True] * len(COLUMNS), (code, year)
        cells = cells_by_key(report["tables"]["三"])
        result_rows = [k for k in cells if k.startswith("三（") and k != "三（七）"]
        assert sum(cells[k]["总计"] for k in result_rows) == cells["三（七）"]["总计"] > 0
    last = cells_by_key(reports_by_unit[(spec.city_code, spec.last_year)]["tables"]["三"])
    assert last["二"]["总计"] > 0 and last["四"]["总计"] > 0  # carried in and carried on
    assert sum(1 for k, row in last.items() if k.startswith("三（") and row["总计"]) >= 10
    applicants = {c for c in COLUMNS if last["一"][c]}
    assert {"自然人", "商业企业", "总计"} <= applicants and len(applicants) >= 5
