"""Issue item 9: UTF-16 and Big5 CSVs, NUL characters in cells, dates in year 9999.

Before this change a UTF-16 CSV was "neither Excel nor CSV", a Big5 CSV was read as
GB18030 mojibake and then "找不到表头", a NUL after the first 4 KB reached the database
(PostgreSQL's commit raised an unhandled DataError), and 9999-01-01 was "不存在".
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from data_access.rules.permissions import OPERATOR
from data_access.write.importing import commit, preview
from data_access.write.importing.normalise import CellError, parse_date, parse_month
from data_access.write.importing.reading import CSV, FileRejected, read_sheets
from tests.helpers.builders import (
    PUB_HEADER,
    UNIT,
    csv_bytes,
    publication_rows,
    setup_unit,
    table_counts,
    xlsx,
)

ROWS = [["索引号", "信息名称"], ["QY-1", "青阳街道通知"]]
TRADITIONAL = [
    ["索引號", "信息名稱", "所屬類別", "發布機構", "生成日期", "公開日期"],
    ["QY-1", "青陽街道關於開展政務公開工作的通知", "工作動態", "青陽街道辦事處", "2018-12-01", "2018-12-02"],
    ["QY-2", "關於調整辦公時間的公告", "通知公告", "青陽街道辦事處", "2018-12-03", "2018-12-04"],
]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_with_a_bom_reads_like_utf8(encoding: str) -> None:
    text = csv_bytes(ROWS).decode("utf-8")
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-16": ""}[encoding]
    fmt, sheets = read_sheets((bom + text).encode(encoding))
    assert fmt == CSV
    assert sheets[0].rows == ROWS


def test_excels_unicode_text_export_reads() -> None:
    """Excel's 'Unicode Text (*.txt)': UTF-16 LE with a BOM, tab-separated."""
    data = "\ufeff" + "\r\n".join("\t".join(row) for row in ROWS) + "\r\n"
    assert read_sheets(data.encode("utf-16-le"))[1][0].rows == ROWS


def test_utf32_is_refused_naming_the_accepted_encodings() -> None:
    with pytest.raises(FileRejected, match="不支持 UTF-32 编码.*UTF-8、GBK/GB18030 或带 BOM 的 UTF-16"):
        read_sheets(("\ufeff" + csv_bytes(ROWS).decode()).encode("utf-32"))


def test_a_big5_csv_is_named_as_big5() -> None:
    data = csv_bytes(TRADITIONAL, "cp950")
    with pytest.raises(FileRejected, match="文件编码疑似繁体 Big5，请另存为 UTF-8 或 GBK"):
        read_sheets(data)
    for encoding in ("utf-8", "gb18030"):  # the same traditional text in an accepted encoding reads
        assert read_sheets(csv_bytes(TRADITIONAL, encoding))[1][0].rows == TRADITIONAL


def test_gbk_files_are_not_taken_for_big5() -> None:
    rows = [PUB_HEADER, *publication_rows(40)]
    for encoding in ("gbk", "gb18030"):
        assert read_sheets(csv_bytes(rows, encoding))[1][0].rows[1][1] == "测试信息0"
    names = [
        ["姓名", "单位"],
        ["王喆", "青阳街道"],
        ["李堃", "西园社区"],
        ["赵珺", "东湖社区"],
    ]  # GBK-only characters
    assert read_sheets(csv_bytes(names, "gbk"))[1][0].rows == names


# ------------------------------------------------------------------ NUL
def _nul_csv() -> tuple[bytes, int]:
    rows = [PUB_HEADER, *publication_rows(120)]
    row = 100  # Excel row 101: far past the first 4 KB that the format check looks at
    rows[row][1] = "测试\x00信息"
    data = csv_bytes(rows)
    assert data.index(b"\x00") > 4096
    return data, row + 1


def _nul_xlsx() -> tuple[bytes, int]:
    rows = [PUB_HEADER, *publication_rows(20)]
    rows[5][1] = "测试_x0000_信息"  # the OOXML escape of U+0000: calamine reads a NUL
    return xlsx(rows), 6


@pytest.mark.parametrize("build", [_nul_csv, _nul_xlsx], ids=["csv", "xlsx"])
def test_a_nul_in_a_cell_is_rejected_at_that_cell_and_nothing_is_written(empty_db: Engine, build) -> None:  # type: ignore[no-untyped-def]
    setup_unit(empty_db)
    data, excel_row = build()
    before = table_counts(empty_db)
    result = commit(empty_db, OPERATOR, data, "publications", UNIT, "2018-12", "nul.csv")
    assert result.status == "rejected"
    nul = [i for i in result.issues if "空字符" in i.message]
    assert len(nul) == 1, result.issues
    assert (nul[0].sheet, nul[0].row, nul[0].column_letter, nul[0].column) == (
        "CSV" if build is _nul_csv else "Sheet1",
        excel_row,
        "B",
        "信息名称",
    )
    assert "NUL" in nul[0].message
    assert len([i for i in result.issues if i.level == "error"]) == 1  # no second error for that cell
    assert table_counts(empty_db) == before


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("raw", ["9999-01-01", "9999年1月1日", "99990101", "1899-12-30", "2101-01-01"])
def test_a_real_date_out_of_range_says_so(raw: str) -> None:
    with pytest.raises(CellError, match=r"超出合理范围（1990–2100 年）"):
        parse_date(raw)


def test_a_date_that_does_not_exist_still_says_so() -> None:
    with pytest.raises(CellError, match="日期「2018-02-30」不存在"):
        parse_date("2018-02-30")


def test_a_month_out_of_range_says_so() -> None:
    with pytest.raises(CellError, match="月份「9999年1月」超出合理范围（1990–2100 年）"):
        parse_month("9999年1月")


def test_year_9999_in_an_upload(empty_sqlite: Engine) -> None:
    setup_unit(empty_sqlite)
    rows = [PUB_HEADER, *publication_rows(3)]
    rows[1][5] = "9999-01-01"  # text
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws["F4"].value = dt.datetime(9999, 1, 1)  # a date cell
    out = io.BytesIO()
    wb.save(out)
    result = preview(empty_sqlite, out.getvalue(), "publications", UNIT, "2018-12")
    errors = {(i.row, i.column_letter): i.message for i in result.issues if i.level == "error"}
    assert errors[(2, "F")] == "日期「9999-01-01」超出合理范围（1990–2100 年）"
    assert errors[(4, "F")] == "日期「9999-01-01 00:00:00」超出合理范围（1990–2100 年）"
