"""Real-looking files: title rows, merged and two-row headers, synonyms, 合计 rows, notes, bad cells."""

from __future__ import annotations

import datetime as dt

import pytest
import xlwt
from sqlalchemy import Engine, select

from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import Project, ProjectProgress, Publication
from data_access.write.importing import commit, preview
from tests.helpers.builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    csv_bytes,
    project_rows,
    publication_rows,
    setup_unit,
    table_counts,
    xls,
    xlsx,
)


@pytest.fixture
def engine(empty_sqlite: Engine) -> Engine:
    setup_unit(empty_sqlite)
    return empty_sqlite


def _errors(result) -> list:  # type: ignore[no-untyped-def]
    return [i for i in result.issues if i.level == "error"]


def test_projects_with_title_merged_cells_two_row_header_totals_and_notes(engine: Engine) -> None:
    rows = [
        ["青阳街道2018年10月份重大项目完成情况表", None, None, None, None, None, None, None],
        ["填报单位：青阳街道办事处　　单位：万元"],
        ["序号", "项目名称", "总投资", "完成投资", None, "年度计划完成投资", "完成进度", "主要实施情况"],
        [None, None, None, "本月", "1-10月累计", None, None, None],
        *project_rows()[:2],
        [None] * 8,
        project_rows()[2],
        ["合计", None, 6000, 60, 1300, 1600, "81.3%", None],
        ["填报人：张三　　审核人：李四"],
    ]
    data = xlsx(
        rows,
        title="10月",
        merges=("A1:H1", "D3:E3", "A3:A4", "B3:B4"),
        extra={"填表说明": [["金额单位为万元"]]},
    )
    result = commit(engine, OPERATOR, data, "projects", UNIT, None, "p.xlsx")
    assert result.status == "committed", result.issues
    assert result.period == "2018-10" and result.rows == 3
    messages = " ".join(i.message for i in result.issues)
    assert "合计行已识别并核对" in messages and "读取了工作表「10月」" in messages
    with db.read_session(engine) as s:
        assert (
            s.scalar(select(ProjectProgress.ytd_invested).join(Project).where(Project.name == "乙项目"))
            == 900
        )
        assert sorted(s.scalars(select(ProjectProgress.ym))) == [201810] * 3


def test_totals_mismatch_is_an_error_at_the_total_cell(engine: Engine) -> None:
    rows = [PROJECT_HEADER, *project_rows(), ["合计", None, 6000, 61, 1300, 1600, None, None]]
    result = preview(engine, xlsx(rows), "projects", UNIT, "2018-10")
    errors = _errors(result)
    assert result.status == "rejected" and len(errors) == 1
    assert (
        errors[0].row == 5
        and errors[0].column_letter == "D"
        and "61" in errors[0].message
        and "60" in errors[0].message
    )


def test_headers_with_spaces_full_width_synonyms_any_order(engine: Engine) -> None:
    header = ["公开 日期", "标题", "索引号", "类别", "成文日期", "全文电子化", "公开方式", "备用列"]
    rows = [
        header,
        ["2018-12-05", "通知一", "QY-0101-2018-0001", "机构职能类", "2018-12-01", "是", "门户网站", "x"],
    ]
    result = preview(engine, xls(rows), "publications", UNIT, "2018-12")
    assert result.status == "valid", result.issues
    assert any("不属于本表" in i.message and "备用列" in i.message for i in result.issues)
    assert result.added[0]["channel"] == "政府门户网站" and result.added[0]["published_date"] == dt.date(
        2018, 12, 5
    )


def test_missing_required_column_names_found_and_expected(engine: Engine) -> None:
    rows = [["索引号", "信息名称", "形成日期", "公开日期"], ["QY-1", "x", "2018-12-01", "2018-12-02"]]
    result = preview(engine, csv_bytes(rows), "publications", UNIT, "2018-12")
    (error,) = _errors(result)
    assert "缺少必填列：所属类别" in error.message
    assert (
        "文件中找到的列：索引号、信息名称、形成日期、公开日期" in error.message
        and "本表应有的列" in error.message
    )


def test_unknown_category_names_row_and_valid_ones_and_variant_is_mapped(engine: Engine) -> None:
    rows = [PUB_HEADER, *publication_rows(2)]
    rows[1][2] = "安全生产应急管理类"
    rows[2][2] = "扶贫帮困类"
    result = preview(engine, xlsx(rows), "publications", UNIT, "2018-12")
    (error,) = _errors(result)
    assert error.row == 3 and error.column_letter == "C" and error.column == "所属类别"
    assert (
        "扶贫帮困类" in error.message
        and "安全生产、应急管理类" in error.message
        and "第 3 行" in error.message
    )


def test_every_bad_cell_is_reported_at_once_and_nothing_is_blank_or_zero(engine: Engine) -> None:
    rows = [PUB_HEADER, *publication_rows(4)]
    rows[1][4] = "十二月一日"
    rows[3][5] = "2018-02-30"
    rows[4][7] = "也许"
    before = table_counts(engine)
    result = commit(engine, OPERATOR, xlsx(rows), "publications", UNIT, "2018-12", "bad.xlsx")
    assert result.status == "rejected"
    assert {(i.row, i.column_letter) for i in _errors(result)} == {(2, "E"), (4, "F"), (5, "H")}
    assert table_counts(engine) == before


def test_duplicate_index_numbers_name_every_row(engine: Engine) -> None:
    rows = [PUB_HEADER, *publication_rows(5)]
    rows[4][0] = rows[1][0]
    rows[5][0] = rows[1][0]
    (error,) = _errors(preview(engine, xlsx(rows), "publications", UNIT, "2018-12"))
    assert "第 2、5、6 行" in error.message and rows[1][0] in error.message


def test_header_on_second_sheet_is_found(engine: Engine) -> None:
    data = xlsx(
        [PUB_HEADER, *publication_rows(3)],
        title="目录",
        extra={"封面": [["青阳街道"], ["2018年12月"]]},
        extra_first=True,
    )
    result = commit(engine, OPERATOR, data, "publications", UNIT, "2018-12", "x.xlsx")
    assert result.status == "committed" and result.rows == 3
    assert any("读取了工作表「目录」" in i.message for i in result.issues)
    with db.read_session(engine) as s:
        assert len(list(s.scalars(select(Publication.id)))) == 3


def test_project_period_mismatch_and_cumulative_warning(engine: Engine) -> None:
    rows = [["青阳街道2018年10月份重大项目完成情况表"], PROJECT_HEADER, *project_rows()]
    assert commit(engine, OPERATOR, xlsx(rows), "projects", UNIT, None, "oct.xlsx").status == "committed"
    nov = [["青阳街道2018年11月份重大项目完成情况表"], [h.replace("1-10", "1-11") for h in PROJECT_HEADER]]
    nov += [[1, "甲项目", 1000, 5, 105, 200, None, None], [2, "乙项目", 2000, 5, 999, 1000, None, None]]
    result = preview(engine, xlsx(nov), "projects", UNIT, "2018-12")
    warnings = [i.message for i in result.issues if i.level == "warning"]
    assert result.status == "valid"
    assert any("2018-11" in w and "2018-12" in w for w in warnings)
    result = preview(engine, xlsx(nov), "projects", UNIT, None)
    warnings = [(i.row, i.message) for i in result.issues if i.level == "warning"]
    assert warnings == [(4, "1-11月累计 999.00 ≠ 上月累计 900.00 + 本月 5.00")]


def test_requests_channels_applicants_outcomes_and_appeals(engine: Engine) -> None:
    header = [
        "编号",
        "收到日期",
        "申请方式",
        "申请人类型",
        "申请内容摘要",
        "答复日期",
        "答复类型",
        "复议诉讼类型",
        "复议诉讼日期",
        "复议诉讼结果",
    ]
    rows = [
        header,
        ["A-1", "2019-06-03", "网络申请", "自然人", "摘要一", "2019-06-20", "予以公开", None, None, None],
        [
            "A-2",
            "2019-06-04",
            "信函申请",
            "法人或其他组织",
            "摘要二",
            "2019-06-21",
            "不予公开-个人隐私",
            "行政复议",
            "2019-07-01",
            "维持",
        ],
        ["A-3", "2019-06-05", "当面申请", "自然人", "摘要三", None, None, None, None, None],
        ["A-4", "2019-06-06", "飞鸽传书", "自然人", "摘要四", "2019-06-10", "不予公开", None, None, None],
    ]
    result = preview(engine, csv_bytes(rows, "gbk"), "requests", UNIT)
    errors = _errors(result)
    assert {(e.row, e.column) for e in errors} == {(5, "申请方式"), (5, "答复类型")}
    assert any(i.level == "warning" and i.row == 3 and "其他" in i.message for i in result.issues)
    result = commit(engine, OPERATOR, csv_bytes(rows[:4], "gbk"), "requests", UNIT, None, "r.csv")
    assert result.status == "committed" and result.period == "2019"
    from data_access.store.models import Appeal, DisclosureRequest

    with db.read_session(engine) as s:
        got = {
            r.request_no: (r.channel, r.applicant_type, r.outcome)
            for r in s.scalars(select(DisclosureRequest))
        }
        assert got["A-2"] == ("信函", "其他", "不予公开-保护第三方合法权益")
        assert got["A-3"] == ("当面", "自然人", None)
        appeal = s.scalars(select(Appeal)).one()
        assert (appeal.kind, appeal.result, appeal.filed_date) == (
            "reconsideration",
            "维持",
            dt.date(2019, 7, 1),
        )


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_formula_without_cached_value_is_an_error_at_its_cell(engine: Engine, fmt: str) -> None:
    rows = [PROJECT_HEADER, *project_rows()]
    if fmt == "xlsx":
        rows[2][4] = "=E2+20"
        rows[3][7] = "=H2"  # an optional column: still not read as blank
        data = xlsx(rows)
    else:  # xlwt stores no result for its formulas, like a file never opened in Excel
        rows[2][4] = xlwt.Formula("E2+20")
        rows[3][7] = xlwt.Formula("H2")
        data = xls(rows)
    result = preview(engine, data, "projects", UNIT, "2018-10")
    errors = _errors(result)
    assert {(e.row, e.column_letter) for e in errors} == {(3, "E"), (4, "H")}
    assert all("公式单元格没有计算结果" in e.message for e in errors)


def test_xls_formula_scan_survives_damaged_files() -> None:
    from data_access.write.importing.xls_records import xls_empty_formula_cells

    rows = [PROJECT_HEADER, *project_rows()]
    rows[2][4] = xlwt.Formula("E2+20")
    data = xls(rows, title="重大项目")
    assert xls_empty_formula_cells(data) == {"重大项目": {(2, 4)}}
    for cut in (0, 100, 600, len(data) // 2, len(data) - 1):
        assert isinstance(xls_empty_formula_cells(data[:cut]), dict)
    assert xls_empty_formula_cells(xlsx([PROJECT_HEADER, *project_rows()])) == {}
