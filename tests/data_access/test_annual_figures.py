"""2021 table 二 entered and imported (issue 16, item 4): one `annual-figures` file fills table 二
(the report's JSON and the .docx text), an item marked 不适用 prints 不适用, an item left out prints
未录入; the yearly form saves the same figures; undo takes an entry back; bad rows are refused at
their cells with nothing written — on every backend."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import docx
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from data_access.read.reports.docx import docx_bytes
from data_access.read.reports.format_2021 import build_2021
from data_access.rules.permissions import OPERATOR
from data_access.store import db
from data_access.store.models import AnnualFigure, UploadBatch
from data_access.write.importing import commit, preview
from data_access.write.records import RecordError
from data_access.write.records.annual import AnnualFormItem, save_annual_figures
from data_access.write.undo import undo
from tests.helpers.builders import PUB_HEADER, UNIT, publication_rows, setup_unit

HEADER = [
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额（万元）",
    "不适用",
]
ROWS: list[list[Any]] = [
    ["规章", None, None, None, None, None, "是"],
    ["行政规范性文件", 3, 1, 12, None, None, None],
    ["行政许可", None, None, None, 41, None, None],
    ["行政处罚", None, None, None, 7, None, None],
    ["行政事业性收费", None, None, None, None, 12.5, None],
]  # 行政强制 left out: 未录入


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["青阳街道2018年政府信息公开工作年度报告表二"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def engine(empty_db: Engine) -> Engine:
    setup_unit(empty_db)
    wb = Workbook()
    ws = wb.active
    ws.append(PUB_HEADER)
    for row in publication_rows(4):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    assert commit(empty_db, OPERATOR, out.getvalue(), "publications", UNIT, "2018-12", "p.xlsx").status == (
        "committed"
    )
    return empty_db


def _table_2(engine: Engine) -> dict[str, list[object]]:
    with db.read_session(engine) as s:
        report = build_2021(s, 2018, UNIT)
    return {
        line["label"]: [str(c) for c in line["cells"]]
        for section in report["tables"]["二"]["sections"]
        for line in section["rows"]
    }


def test_table_2_from_one_import(engine: Engine) -> None:
    before = _table_2(engine)
    assert set(map(tuple, before.values())) <= {("未录入",), ("未录入",) * 3}  # nothing entered, no 不适用
    checked = preview(engine, _xlsx(ROWS), "annual-figures", UNIT, "2018", "t2.xlsx")
    assert checked.status == "valid" and len(checked.added) == 5
    (warning,) = [i for i in checked.issues if i.level == "warning"]
    assert "行政规范性文件本年制发 3 件" in warning.message and "0 条" in warning.message
    assert (warning.row, warning.column_letter) == (4, "B")
    data = _xlsx(ROWS)
    result = commit(engine, OPERATOR, data, "annual-figures", UNIT, "2018", "t2.xlsx")
    assert result.status == "committed", result.issues
    assert _table_2(engine) == {
        "规章": ["不适用"] * 3,
        "行政规范性文件": ["3", "1", "12"],
        "行政许可": ["41"],
        "行政处罚": ["7"],
        "行政强制": ["未录入"],
        "行政事业性收费": ["12.5"],
    }
    with db.read_session(engine) as s:
        report = build_2021(s, 2018, UNIT)
    assert any("表二未录入：行政强制" in w for w in report["warnings"])
    assert any("规范性文件" in w and "0 条" in w for w in report["warnings"])
    text = docx.Document(io.BytesIO(docx_bytes(report)))
    table_rows = [[c.text for c in row.cells] for t in text.tables for row in t.rows]
    assert ["规章", "不适用", "不适用", "不适用"] in table_rows
    assert ["行政规范性文件", "3", "1", "12"] in table_rows
    assert ["行政许可", "41", "41", "41"] in table_rows  # the merged figure cell
    assert ["行政强制", "", "", ""] in table_rows  # 未录入: empty on yellow
    assert ["行政事业性收费", "12.5", "12.5", "12.5"] in table_rows
    # The same file again changes nothing; undo takes the entry back to 未录入.
    assert commit(engine, OPERATOR, data, "annual-figures", UNIT, "2018", "t2.xlsx").status == "unchanged"
    undo(engine, OPERATOR, result.batch_id)
    assert _table_2(engine) == before


def test_the_form_saves_and_a_later_upload_replaces_it(engine: Engine) -> None:
    items = {
        "normative": AnnualFormItem({"issued": "2", "abolished": "", "in_force": "9"}),
        "enforcement": AnnualFormItem({"decisions": "0"}),
        "fees": AnnualFormItem({}, not_applicable=True),
        "rules": AnnualFormItem({"issued": "", "abolished": "", "in_force": ""}),  # nothing typed: 未录入
    }
    with db.write_session(engine) as s:
        saved = save_annual_figures(s, OPERATOR, UNIT, 2018, items)
    assert saved.status == "saved"
    table = _table_2(engine)
    assert (table["行政规范性文件"], table["行政强制"], table["行政事业性收费"], table["规章"]) == (
        ["2", "未录入", "9"],
        ["0"],
        ["不适用"],
        ["未录入"] * 3,
    )
    with db.write_session(engine) as s:
        assert save_annual_figures(s, OPERATOR, UNIT, 2018, items).status == "unchanged"
    with db.write_session(engine) as s, pytest.raises(RecordError) as bad:
        save_annual_figures(
            s,
            OPERATOR,
            UNIT,
            2018,
            {"licensing": AnnualFormItem({"decisions": "三"}), "fees": AnnualFormItem({"fees": "1.234"})},
        )
    assert [p.field for p in bad.value.problems] == ["licensing:decisions", "fees:fees"]
    upload = commit(engine, OPERATOR, _xlsx(ROWS), "annual-figures", UNIT, "2018", "t2.xlsx")
    assert upload.status == "committed"
    assert _table_2(engine)["行政强制"] == ["未录入"]  # the file replaces the year's entry whole
    with db.read_session(engine) as s:
        statuses = dict(s.execute(select(UploadBatch.id, UploadBatch.status)).all())
    assert statuses[saved.batch_id] == "superseded"
    undo(engine, OPERATOR, upload.batch_id)  # the form's entry is back
    assert _table_2(engine)["行政强制"] == ["0"]
    undo(engine, OPERATOR, saved.batch_id)
    with db.read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AnnualFigure)) == 0


def test_bad_rows_are_refused_at_their_cells(engine: Engine) -> None:
    rows = [
        ["规章", -1, None, None, None, None, None],
        ["行政许可", 2, None, None, 5, None, None],
        ["行政处罚", None, None, None, 3, None, "是"],
        ["行政强制", None, None, None, None, None, None],
        ["行政复议", None, None, None, 1, None, None],
        ["行政事业性收费", None, None, None, None, "一万", None],
        ["行政规范性文件", 1, 0, 5, None, None, None],
        ["行政规范性文件", 1, 0, 5, None, None, None],
    ]
    result = commit(engine, OPERATOR, _xlsx(rows), "annual-figures", UNIT, "2018", "bad.xlsx")
    assert result.status == "rejected"
    errors = {(i.row, i.column_letter): i.message for i in result.issues if i.level == "error"}
    assert "整数" in errors[(3, "B")]
    assert "没有“本年制发件数”" in errors[(4, "B")]
    assert "不适用" in errors[(5, "E")]
    assert "未填写任何数字" in errors[(6, "E")]
    assert "无法识别" in errors[(7, "A")]
    assert "万元" in errors[(8, "F")]
    assert "重复" in errors[(9, "A")]
    assert all(i.sheet for i in result.issues if i.level == "error")
    no_year = commit(engine, OPERATOR, _xlsx(ROWS), "annual-figures", UNIT, None, "t2.xlsx")
    assert no_year.status == "rejected" and any("请指定年份" in i.message for i in no_year.issues)
    with db.read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AnnualFigure)) == 0
        assert s.scalar(select(func.count()).where(UploadBatch.kind == "annual-figures")) == 0


def test_figures_parse_as_entered() -> None:
    from data_access.rules.annual_figures import parse_figure

    assert parse_figure("fees", "1,234.5") == Decimal("1234.50")
    assert parse_figure("issued", " 7 ") == 7 and parse_figure("issued", "") is None
    with pytest.raises(ValueError, match="整数"):
        parse_figure("decisions", "2.5")
