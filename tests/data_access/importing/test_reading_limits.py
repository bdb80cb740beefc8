"""Issue item 1: a file's extent is checked before any parser runs, and parsing happens in a limited child.

On the code before this change the two-cell workbook, the lying .xls and the huge shared-string
count abort the Python process (calamine's failed allocation is not an exception), and the
million-row files are read in full before IMPORT_MAX_ROWS rejects them.
"""

from __future__ import annotations

import os
import re
import struct
import time

import pytest

from data_access.write.importing import limits, reading, sandbox, xls_records
from data_access.write.importing.reading import FileRejected, read_sheets
from tests.helpers import hostile_files as hostile
from tests.helpers.builders import xlsx


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the file reaches the parser: it must be rejected before."""

    def refuse(*_args: object) -> None:
        raise AssertionError("the parser ran")

    monkeypatch.setattr(sandbox, "run", refuse)


def _rejected(data: bytes, within: float = 1.0) -> str:
    """The rejection's message; it must come within the CPU time (best of three). CPU seconds, not
    the wall clock: the bound is about the work the reader does, which other load does not change."""
    fastest = float("inf")
    for _attempt in range(3):
        start = time.process_time()
        with pytest.raises(FileRejected) as caught:
            read_sheets(data)
        fastest = min(fastest, time.process_time() - start)
        if fastest < within:
            break
    assert fastest < within
    return str(caught.value)


def test_a_cell_in_the_far_corner_is_rejected_in_milliseconds(no_parsing: None) -> None:
    data = hostile.two_corner_cells()
    assert len(data) < 6 * 1024
    message = _rejected(data, within=0.2)
    assert "工作表「Sheet1」" in message
    assert "1,048,576 行 × 16,384 列" in message
    assert "超过上限（101,000 行 × 200 列，合计 3,000,000 个单元格）" in message


@pytest.mark.parametrize("dimension", [True, False], ids=["with-dimension", "without-dimension"])
def test_a_million_row_sheet_is_rejected_before_it_is_parsed(no_parsing: None, dimension: bool) -> None:
    data = hostile.many_rows_xlsx(dimension=dimension)
    assert len(data) < limits.max_bytes()
    message = _rejected(data)
    assert "工作表「Sheet1」" in message
    if dimension:
        assert "标注的范围为 1,048,576 行 × 1 列" in message
    else:  # the scan stops as soon as the sheet is past the cap
        found = re.search(r"范围至少为 ([\d,]+) 行 × 1 列", message)
        assert found and 101_000 < int(found.group(1).replace(",", "")) < 200_000


def test_a_million_row_csv_is_rejected_while_it_is_read() -> None:
    data = hostile.many_rows_csv()
    assert len(data) < limits.max_bytes()
    message = _rejected(data)
    assert "CSV 文件的范围至少为 101,001 行" in message and "约 1,048,578 行" in message


def test_a_dimension_that_understates_the_sheet_hides_nothing(no_parsing: None) -> None:
    body = hostile.row_xml(1, [("A1", "a")]) + hostile.row_xml(200_000, [("B200000", "b")])
    message = _rejected(hostile.xlsx_parts({"数据": hostile.sheet_xml(body, "A1:A1")}))
    assert "工作表「数据」的范围至少为 200,000 行 × 2 列" in message


def test_a_dimension_that_overstates_the_sheet_is_rejected_by_what_it_says(no_parsing: None) -> None:
    body = hostile.row_xml(1, [("A1", "a")])
    message = _rejected(hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body, "A1:XFD1048576")}))
    assert "工作表「Sheet1」标注的范围为 1,048,576 行 × 16,384 列" in message


def test_a_row_numbered_four_billion_is_rejected(no_parsing: None) -> None:
    body = b'<row r="4000000000"><c><v>1</v></c></row>'
    message = _rejected(hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}))
    assert "4,000,000,000 行" in message


@pytest.mark.parametrize("ref", ["A-5", "!!", "", "A0", "1A"])
def test_a_reference_that_is_not_one_is_damage(no_parsing: None, ref: str) -> None:
    body = b'<row r="1"><c r="%s"><v>1</v></c></row>' % ref.encode()
    message = _rejected(hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}))
    assert "文件已损坏：工作表「Sheet1」中有无效的单元格位置" in message


def test_cells_and_rows_without_references_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    body = hostile.row_xml(None, [(None, "a"), (None, "b")]) + hostile.row_xml(
        None, [(None, "c"), ("D2", "d")]
    )
    data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)})
    _fmt, sheets = read_sheets(data)
    assert sheets[0].rows == [["a", "b", None, None], ["c", None, None, "d"]]
    monkeypatch.setenv("IMPORT_MAX_COLUMNS", "3")
    assert "2 行 × 4 列" in _rejected(data)
    wide = hostile.row_xml(7, [(None, str(j)) for j in range(5)])  # columns A–E of row 7
    assert "7 行 × 5 列" in _rejected(hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(wide)}))


def test_the_caps_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPORT_MAX_ROWS", "100")
    rows = [["索引号", "信息名称"], *[[f"QY-{i}", "通知"] for i in range(1200)]]
    assert "1,201 行 × 2 列，超过上限（1,100 行 × 200 列" in _rejected(xlsx(rows))
    monkeypatch.setenv("IMPORT_MAX_ROWS", "100000")
    monkeypatch.setenv("IMPORT_MAX_CELLS", "2000")
    assert "合计 2,000 个单元格" in _rejected(xlsx(rows))


def test_sheets_together_may_not_pass_the_cell_cap(no_parsing: None) -> None:
    sheet = hostile.sheet_xml(hostile.row_xml(100_000, [("A100000", "x")]))
    message = _rejected(hostile.xlsx_parts({f"S{i}": sheet for i in range(31)}))
    assert "合计 3,100,000 个单元格" in message


def test_a_shared_string_table_that_claims_billions_is_rejected(
    no_parsing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    data = hostile.xlsx_parts(
        {"Sheet1": hostile.sheet_xml(body)}, shared=hostile.shared_strings(4_000_000_000, 1)
    )
    assert "共享字符串表声明有 4,000,000,000 个字符串" in _rejected(data)
    monkeypatch.setenv("IMPORT_MAX_CELLS", "1000")  # 3 million would be a zip bomb, refused before
    many = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, shared=hostile.shared_strings(None, 1001))
    assert "共享字符串表有 1,001 个以上的字符串，超过单元格上限 1,000 个" in _rejected(many)


@pytest.mark.parametrize("where", ["sheet", "sharedStrings", "workbook", "styles"])
def test_deep_nesting_is_rejected(no_parsing: None, where: str) -> None:
    deep = hostile.deep_xml(100_000)
    body = hostile.row_xml(1, [("A1", "a")])
    if where == "sheet":
        data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body, after=deep)})
    elif where == "sharedStrings":
        data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, shared=b"<sst>" + deep + b"</sst>")
    elif where == "workbook":
        book = b'<workbook xmlns="%s"><sheets/>%s</workbook>' % (hostile._MAIN, deep)
        data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, workbook=book)
    else:
        data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)}, extra={"xl/styles.xml": deep})
    assert "嵌套过深" in _rejected(data)


def test_a_member_whose_size_lies_is_rejected(no_parsing: None) -> None:
    body = b"".join(hostile.row_xml(i, [(f"A{i}", "x" * 50)]) for i in range(1, 2000))
    data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)})
    assert "损坏" in _rejected(hostile.lying_zip_sizes(data, "xl/worksheets/sheet1.xml", 1000))


def test_an_xls_whose_dimensions_lie_is_rejected(no_parsing: None) -> None:
    message = _rejected(hostile.xls_dimensions(0xFFFFFFFF, 0xFFFF))
    assert "工作表「Sheet1」标注的范围为 4,294,967,295 行 × 65,535 列" in message


def test_an_xls_whose_dimensions_overstate_it_within_the_caps_is_rejected(no_parsing: None) -> None:
    # calamine would build a 50,000 × 50 grid from a 6 KB file
    message = _rejected(hostile.xls_dimensions(50_000, 50))
    assert "工作表「Sheet1」标注的范围（50,000 行 × 50 列）远大于其实际内容（3 行 × 2 列）" in message


def test_an_xls_with_a_million_sheets_on_the_same_records_is_walked_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    sheet = record(0x0809, b"\0" * 16) + record(0x00FD, struct.pack("<HHHI", 5, 5, 0, 0)) * 50_000
    sheet += record(0x000A, b"")
    name = b"\x01\x00S"  # BOUNDSHEET's short string: 1 character, 8-bit
    globals_size = 300_000 * 13 + 4
    boundsheet = record(0x0085, struct.pack("<IH", globals_size, 0) + name)
    stream = boundsheet * 300_000 + record(0x000A, b"") + sheet
    monkeypatch.setattr(xls_records, "_ole_stream", lambda _data, _wanted: stream)
    start = time.perf_counter()
    xls_records.scan_xls(b"", limits.Limits.from_settings())  # 6 rows × 6 columns: within the caps
    assert time.perf_counter() - start < 5  # about 0.5 s; walking each sheet took minutes


def test_an_xls_cell_far_away_is_rejected(no_parsing: None) -> None:
    assert "工作表「Sheet1」的范围为 65,536 行 × 65,536 列" in _rejected(hostile.xls_cell_at(0xFFFF, 0xFFFF))
    # inside Excel 97's grid, but 16.7 million cells: 17 s and 1.5 GB in pandas before
    assert "65,536 行 × 256 列" in _rejected(hostile.xls_cell_at(0xFFFF, 0xFF))


def test_an_ordinary_xls_and_xlsx_still_read() -> None:
    rows = [["索引号", "信息名称"], *[[f"QY-{i}", "通知"] for i in range(300)]]
    for data in (xlsx(rows), hostile.small_xls()):
        _fmt, sheets = read_sheets(data)
        assert sheets[0].rows[1][0] in ("QY-0", "QY-1")


# ------------------------------------------------------------------ the child process
def _abort() -> None:
    os.abort()


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _refuse() -> None:
    raise FileRejected("不要这个文件")


def test_a_parser_that_aborts_costs_the_child_only() -> None:
    with pytest.raises(sandbox.SandboxFailed, match="文件解析失败（解析进程异常终止"):
        sandbox.run(_abort, (), 512, 30)
    # calamine itself on the two-cell workbook, the pre-checks bypassed: it aborts the child
    with pytest.raises(sandbox.SandboxFailed, match="异常终止，可能超出内存限制 512 MB"):
        sandbox.run(reading.parse_excel, (hostile.two_corner_cells(), reading.XLSX), 512, 30)
    assert sandbox.run(_allocate, (10,), 512, 30) == 10 * 1024 * 1024  # the next child is fine


def test_the_child_has_a_memory_limit() -> None:
    with pytest.raises(sandbox.SandboxFailed, match="超出内存限制 200 MB"):
        sandbox.run(_allocate, (1024,), 200, 30)


def test_the_child_has_a_time_limit() -> None:
    start = time.perf_counter()
    with pytest.raises(sandbox.SandboxFailed, match="超出时间限制 1 秒"):
        sandbox.run(_sleep, (30,), 512, 1)
    assert time.perf_counter() - start < 3


def test_the_childs_exception_is_raised_in_the_parent() -> None:
    with pytest.raises(FileRejected, match="不要这个文件"):
        sandbox.run(_refuse, (), 512, 30)


def test_read_sheets_turns_a_child_out_of_memory_into_a_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    body = b"".join(
        hostile.row_xml(i, [(f"A{i}", f"QY-{i}"), (f"B{i}", "通知" * 10)]) for i in range(1, 80_001)
    )
    data = hostile.xlsx_parts({"Sheet1": hostile.sheet_xml(body)})
    monkeypatch.setenv("IMPORT_PARSE_MAX_MB", "2")  # beyond the free heap the child starts with
    with pytest.raises(FileRejected, match="文件解析失败（.*超出内存限制 2 MB"):
        read_sheets(data)
    monkeypatch.setenv("IMPORT_PARSE_MAX_MB", "1024")
    assert len(read_sheets(data)[1][0].rows) == 80_000
