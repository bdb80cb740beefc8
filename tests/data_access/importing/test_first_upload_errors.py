"""One upload shows every problem: a duplicate key among rows that have other errors too; category
names quoted 「」 (they contain 、); the missing month says which file and cells; no warning without
its row. Previews only (nothing is written), so SQLite suffices."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_access.write.importing import preview
from tests.helpers.builders import (
    PROJECT_HEADER,
    PUB_HEADER,
    UNIT,
    project_rows,
    publication_rows,
    setup_unit,
    xlsx,
)

TITLE = ["青阳街道2018年12月主动公开政府信息目录"]


@pytest.fixture
def engine(empty_sqlite: Engine) -> Engine:
    setup_unit(empty_sqlite)
    return empty_sqlite


def _errors(result) -> list:  # type: ignore[no-untyped-def]
    return [i for i in result.issues if i.level == "error"]


def test_a_duplicate_index_number_is_reported_beside_the_rows_other_errors(engine: Engine) -> None:
    rows = publication_rows(4)
    rows[2][0] = rows[0][0]  # the same 索引号 on Excel rows 3 and 5
    rows[2][4] = "不是日期"  # …and row 5 has another error
    rows[3][0] = rows[1][0]  # rows 4 and 6: both with errors
    rows[1][5] = "2018-13-40"
    rows[3][2] = "没有这个类别"
    result = preview(engine, xlsx([TITLE, PUB_HEADER, *rows]), "publications", UNIT, None, "dec.xlsx")
    duplicates = sorted((i.row, i.message) for i in _errors(result) if "重复出现" in i.message)
    assert duplicates == [
        (3, "索引号「QY-T-2018-00000」重复出现在第 3、5 行（共 2 行），每项只能出现一次"),
        (4, "索引号「QY-T-2018-00001」重复出现在第 4、6 行（共 2 行），每项只能出现一次"),
    ]
    assert any(i.row == 5 and i.column_letter == "E" for i in _errors(result))


def test_a_duplicate_project_among_rows_with_errors(engine: Engine) -> None:
    rows = project_rows()
    rows[2][1] = "甲项目"
    rows[2][3] = "约五百"
    title = ["青阳街道2018年10月份重大项目完成情况表"]
    result = preview(engine, xlsx([title, PROJECT_HEADER, *rows]), "projects", UNIT, None, "p.xlsx")
    assert any("「甲项目」重复出现在第 3、5 行" in i.message for i in _errors(result)), result.issues


def test_the_valid_categories_are_quoted(engine: Engine) -> None:
    rows = publication_rows(1)
    rows[0][2] = "不存在的类"
    result = preview(engine, xlsx([TITLE, PUB_HEADER, *rows]), "publications", UNIT, None, "dec.xlsx")
    message = next(i.message for i in _errors(result) if "不在公开目录中" in i.message)
    valid = message.split("应为：")[1]
    assert "「安全生产、应急管理类」" in valid and "「机构职能类」「" in valid
    assert "类、" not in valid


def test_the_missing_month_says_which_file_and_cells(engine: Engine) -> None:
    rows = [["序号", "项目名称", "总投资", "本月完成投资", "累计完成投资", "年度计划完成投资"]]
    rows += [[1, "甲项目", 1000, 10, 100, 200]]
    result = preview(engine, xlsx([["重大项目完成情况表"], *rows]), "projects", UNIT, None, "项目.xlsx")
    issue = next(i for i in _errors(result) if "所属月份" in i.message)
    assert "文件「项目.xlsx」标题「重大项目完成情况表」，第 2 行的表头中也没有写明年月" in issue.message
    assert "所属期间" in issue.message and "--period" in issue.message
    assert (issue.sheet, issue.row) == ("Sheet1", 2)


def test_every_warning_has_its_row(engine: Engine) -> None:
    rows = publication_rows(3)
    rows[1][4:6] = ["2018-11-02", "2018-11-20"]  # published in November, in a December file
    result = preview(engine, xlsx([TITLE, PUB_HEADER, *rows]), "publications", UNIT, "2018-12", "dec.xlsx")
    warnings = [i for i in result.issues if i.level == "warning"]
    assert warnings and all(i.row for i in warnings), warnings
    outside = next(i for i in warnings if "不在 2018-12 月内" in i.message)
    assert outside.row == 4
    no_column = next(i for i in warnings if "没有“公开属性”列" in i.message)
    assert no_column.row == 2  # the header row: the column it misses would be there
