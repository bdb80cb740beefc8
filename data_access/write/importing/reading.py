"""Opening an uploaded file: the real format from its bytes, then its sheets as grids.

`read_sheets(data)` returns every sheet as a list of rows (row 0 is Excel row 1,
column 0 is column A) plus the cells holding a formula without a cached value
(.xlsx: no stored value; .xls: a stored result that is empty).

Before any parser runs, every sheet's extent is checked against the caps (`limits`: rows
from IMPORT_MAX_ROWS, columns, cells): for an .xlsx from each sheet's `<dimension>` and from
a streaming scan of its cell and row references (a dimension can lie), with the zip's
members, sharedStrings and XML nesting checked on the way (`xlsx_book`, `xlsx_scan`); for
an .xls from each sheet's DIMENSIONS, ROW and cell records (`xls_records`); a CSV is
decoded and counted while it is read (`csv_text`). A hostile file is thus rejected in well
under a second with a message naming the sheet and its size. Excel files are then parsed
with pandas' calamine engine in a child process with a memory and a time limit
(`sandbox`; `parse_excel` is the function the child runs), so a parser that misbehaves
anyway costs that child, not the server.
Anything unreadable raises FileRejected with a Chinese message.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data_access import settings
from data_access.write.importing import sandbox
from data_access.write.importing.csv_text import csv_rows, decode_text
from data_access.write.importing.limits import FileRejected, Limits, check_size
from data_access.write.importing.xls_records import OLE2_MAGIC, scan_xls, xls_empty_formula_cells
from data_access.write.importing.xlsx_book import check_zip, empty_formula_cells, sheet_paths
from data_access.write.importing.xlsx_scan import scan_xlsx

__all__ = ["CSV", "XLS", "XLSX", "FileRejected", "Sheet", "parse_excel", "read_sheets", "sniff"]

XLSX, XLS, CSV = "xlsx", "xls", "csv"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    """One sheet as a grid of cell values (None for empty) and its uncomputed formula cells."""

    name: str
    rows: list[list[Any]]
    empty_formulas: set[tuple[int, int]] = field(default_factory=set)


def sniff(data: bytes) -> str:
    """The real format of the bytes: xlsx (zip), xls (OLE2) or csv (text)."""
    if data.startswith(ZIP_MAGIC):
        return XLSX
    if data.startswith(OLE2_MAGIC):
        return XLS
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 (or UTF-32) byte order mark
        return CSV
    if b"\x00" in data[:4096]:
        raise FileRejected("文件既不是 Excel 表格（.xlsx/.xls）也不是 CSV 文本文件")
    return CSV


# ------------------------------------------------------------------ parsing (in the sandbox)
def _frame_rows(frame: pd.DataFrame) -> list[list[Any]]:
    """The frame as rows of plain values (None for empty).

    A text column's equal strings become one object (pandas' factorize), so the rows pickle
    and unpickle once per distinct text, not once per cell: the rows cross from the child
    process to the parent. Other columns (numbers and text mixed) keep their cell objects.
    """
    grid = np.empty(frame.shape, dtype=object)
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            table = np.empty(len(uniques) + 1, dtype=object)
            table[:-1] = np.asarray(uniques, dtype=object)
            table[-1] = None  # code -1: empty
            grid[:, j] = table[codes]
        else:
            grid[:, j] = column.astype(object).where(column.notna(), None).to_numpy(dtype=object)
    rows = grid.tolist()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def parse_excel(data: bytes, fmt: str) -> list[tuple[str, list[list[Any]], set[tuple[int, int]]]]:
    """Every sheet of an .xlsx/.xls as plain values: (name, rows, uncomputed formula cells).

    Runs in the sandbox's child process; FileRejected for a file calamine cannot read.
    """
    try:
        frames = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, sheet_name=None)
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises many kinds of errors for damaged files
        raise FileRejected(f"无法读取 Excel 文件（文件可能已损坏或加密）：{type(exc).__name__}") from None
    except BaseException as exc:  # and a Rust panic (e.g. a truncated .xls) is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise FileRejected("无法读取 Excel 文件（文件可能已损坏或加密）：文件结构异常") from None
    sheets = []
    if fmt == XLSX:
        archive = zipfile.ZipFile(io.BytesIO(data))
        paths = sheet_paths(archive)
        for name, frame in frames.items():
            formulas = empty_formula_cells(archive, paths[name]) if name in paths else set()
            sheets.append((str(name), _frame_rows(frame), formulas))
    else:
        xls_formulas = xls_empty_formula_cells(data)
        for name, frame in frames.items():
            sheets.append((str(name), _frame_rows(frame), xls_formulas.get(str(name), set())))
    return sheets


def read_sheets(data: bytes) -> tuple[str, list[Sheet]]:
    """The file's format and its sheets as grids; FileRejected when it cannot be read."""
    check_size(data)
    fmt = sniff(data)
    limits = Limits.from_settings()
    if fmt == CSV:
        return fmt, [Sheet("CSV", csv_rows(decode_text(data), limits))]
    if fmt == XLSX:
        scan_xlsx(check_zip(data), limits)
    else:
        scan_xls(data, limits)
    memory_mb = settings.get_float("IMPORT_PARSE_MAX_MB")
    seconds = settings.get_float("IMPORT_PARSE_TIMEOUT_SECONDS")
    try:
        parsed = sandbox.run(parse_excel, (data, fmt), memory_mb, seconds)
    except sandbox.SandboxFailed as exc:
        raise FileRejected(str(exc)) from None
    sheets = [Sheet(name, rows, formulas) for name, rows, formulas in parsed]
    if not sheets:
        raise FileRejected("文件中没有工作表")
    return fmt, sheets
