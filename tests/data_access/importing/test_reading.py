"""Format sniffing, encodings, limits and cell parsing."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from data_access.write.importing.normalise import (
    CellError,
    parse_bool,
    parse_count,
    parse_date,
    parse_decimal,
    parse_month,
    parse_share,
)
from data_access.write.importing.reading import CSV, XLS, XLSX, FileRejected, read_sheets, sniff
from tests.helpers.builders import csv_bytes, xls, xlsx

ROWS = [["索引号", "信息名称"], ["QY-1", "青阳街道通知"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_decode_to_the_same_text(encoding: str) -> None:
    fmt, sheets = read_sheets(csv_bytes(ROWS, encoding))
    assert fmt == CSV
    assert sheets[0].rows == [["索引号", "信息名称"], ["QY-1", "青阳街道通知"]]


def test_format_comes_from_bytes_not_name() -> None:
    assert sniff(xlsx(ROWS)) == XLSX
    assert sniff(xls(ROWS)) == XLS
    assert sniff(csv_bytes(ROWS)) == CSV
    fmt, sheets = read_sheets(xls(ROWS))
    assert fmt == XLS and sheets[0].rows[1] == ["QY-1", "青阳街道通知"]


def test_binary_garbage_and_empty_files_are_rejected() -> None:
    with pytest.raises(FileRejected, match="既不是"):
        read_sheets(b"\x00\x01\x02" * 100)
    with pytest.raises(FileRejected, match="空的"):
        read_sheets(b"")
    with pytest.raises(FileRejected, match="损坏"):
        read_sheets(b"PK\x03\x04 not really a zip")


def test_size_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLOAD_MAX_MB", "0.001")
    with pytest.raises(FileRejected, match="文件过大"):
        read_sheets(csv_bytes(ROWS * 100))


def test_zip_bomb_is_rejected_in_milliseconds() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (120 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(FileRejected, match="解压后过大"):
        read_sheets(data)
    assert time.perf_counter() - start < 0.5


def test_formula_without_cached_value_is_found() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["a", "b"])
    ws.append([1, "=A2*2"])
    out = io.BytesIO()
    wb.save(out)
    _fmt, sheets = read_sheets(out.getvalue())
    assert sheets[0].empty_formulas == {(1, 1)}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2018-12-03", dt.date(2018, 12, 3)),
        ("2018年12月4日", dt.date(2018, 12, 4)),
        ("2018.12.10", dt.date(2018, 12, 10)),
        ("2018/12/6", dt.date(2018, 12, 6)),
        ("２０１８－１２－０７", dt.date(2018, 12, 7)),
        (43442, dt.date(2018, 12, 8)),
        (43442.0, dt.date(2018, 12, 8)),
        ("43445", dt.date(2018, 12, 11)),
        (dt.datetime(2018, 12, 3, 0, 0), dt.date(2018, 12, 3)),
        ("20181203", dt.date(2018, 12, 3)),
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2018-13-01", "2018-02-30", "明天", "12/3", 12, "1899-01-01"])
def test_unreadable_dates_are_errors(raw: object) -> None:
    with pytest.raises(CellError):
        parse_date(raw)


def test_numbers() -> None:
    assert parse_decimal("16,486") == Decimal("16486")
    assert parse_decimal("６２０００") == Decimal("62000")
    assert parse_decimal("12.5万元") == Decimal("12.5")
    assert parse_decimal(3285.0) == Decimal("3285.0")
    with pytest.raises(CellError, match="元"):
        parse_decimal("120000元")
    with pytest.raises(CellError):
        parse_decimal("约三千")
    assert parse_share("85.3%") == Decimal("0.853")
    assert parse_share(0.853) == Decimal("0.853")
    assert parse_count("14") == 14
    with pytest.raises(CellError):
        parse_count("1.5")
    assert parse_month("2018年1月") == 201801
    assert parse_month("2018-09") == 201809
    assert parse_bool("是") is True and parse_bool("否") is False
    with pytest.raises(CellError):
        parse_bool("也许")


def test_truncated_or_damaged_xls_is_rejected_not_a_crash() -> None:
    data = xls([["索引号", "信息名称"], *[[f"QY-{i}", "通知" * 20] for i in range(200)]])
    for cut in range(600, len(data), max(1, len(data) // 40)):
        try:
            fmt, _sheets = read_sheets(data[:cut])
        except FileRejected as exc:
            assert "损坏" in str(exc)
        else:
            assert fmt == XLS
