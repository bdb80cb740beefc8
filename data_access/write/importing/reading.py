"""Opening an uploaded file: the real format from its bytes, limits, decoding, sheets as grids.

`read_sheets(data)` returns every sheet as a list of rows (row 0 is Excel row 1,
column 0 is column A) plus the cells holding a formula without a cached value
(.xlsx: no stored value; .xls: a stored result that is empty).
Excel files are read with pandas' calamine engine; CSV is tried as strict UTF-8
(with or without BOM), then GB18030 (a superset of GBK), never latin-1.
Anything unreadable raises FileRejected with a Chinese message.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from defusedxml import ElementTree

from data_access import settings

XLSX, XLS, CSV = "xlsx", "xls", "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Zip-bomb guard: a real monthly sheet unpacks to a few MB at most.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_HAS_VALUE = re.compile(rb"<v>[^<]|<is>")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class FileRejected(Exception):
    """The file cannot be read at all (format, size, encoding, damage); message in Chinese."""


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
    if b"\x00" in data[:4096]:
        raise FileRejected("文件既不是 Excel 表格（.xlsx/.xls）也不是 CSV 文本文件")
    return CSV


def max_bytes() -> int:
    """The upload size cap from the UPLOAD_MAX_MB setting."""
    return int(settings.get_float("UPLOAD_MAX_MB") * 1024 * 1024)


def check_size(data: bytes) -> None:
    """Reject an empty file or one over the size cap."""
    if not data:
        raise FileRejected("文件是空的")
    if len(data) > max_bytes():
        raise FileRejected(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限为 {settings.get('UPLOAD_MAX_MB')} MB"
        )


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open an xlsx as a zip and reject it, before any parsing, when it would unpack too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected("文件已损坏：不是有效的 .xlsx 文件") from exc
    if len(members) > MAX_MEMBERS:
        raise FileRejected("文件结构异常（内部文件过多），已拒绝")
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise FileRejected(
            f"文件解压后过大（约 {unpacked / 1024 / 1024:.0f} MB，压缩比 {unpacked / packed:.0f}），疑似异常文件，已拒绝"
        )
    return archive


def decode_text(data: bytes) -> str:
    """CSV text: strict UTF-8 (BOM allowed), then GB18030; anything else is rejected."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK 编码")


def _csv_rows(text: str) -> list[list[Any]]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            [cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text), dialect)
        ]
    except csv.Error as exc:
        raise FileRejected(f"CSV 文件格式有误：{exc}") from exc


def _frame_rows(frame: pd.DataFrame) -> list[list[Any]]:
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML inside the xlsx."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, ValueError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    paths = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        paths[sheet.get("name", "")] = target
    return paths


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def empty_formula_cells(archive: zipfile.ZipFile, path: str) -> set[tuple[int, int]]:
    """(row, column), 0-based, of cells with a formula but no cached value (never calculated)."""
    try:
        xml = archive.read(path)
    except KeyError:
        return set()
    if b"<f" not in xml:
        return set()
    found = set()
    for match in _CELL.finditer(xml):
        body = match.group(2) or b""
        if b"<f" in body and not _HAS_VALUE.search(body):
            ref = _REF.search(match.group(1))
            if ref:
                found.add((int(ref.group(2)) - 1, _col_index(ref.group(1))))
    return found


# ------------------------------------------------------------------ .xls formulas
# An .xls (BIFF8) keeps each formula's last result in its FORMULA record; a program that
# writes formulas without calculating them (xlwt, some exporters) leaves the result "empty
# string", which calamine reads as a blank cell. As for an .xlsx formula without a cached
# value, such cells are reported instead of being read as blank. The compound file (OLE2)
# is walked just far enough to get the workbook stream.
_ENDOFCHAIN = 0xFFFFFFFE


def _ole_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in `wanted` of an OLE2 compound file (None when absent or damaged)."""
    if len(data) < 512 or not data.startswith(OLE2_MAGIC):
        return None
    sector_size = 1 << int.from_bytes(data[0x1E:0x20], "little")
    mini_size = 1 << int.from_bytes(data[0x20:0x22], "little")
    cutoff = int.from_bytes(data[0x38:0x3C], "little")
    if sector_size not in (512, 4096) or mini_size != 64:
        return None
    n_sectors = (len(data) - 512) // sector_size + 1

    def sector(i: int) -> bytes:
        start = 512 + i * sector_size
        return data[start : start + sector_size]

    def ints(raw: bytes) -> list[int]:
        return [int.from_bytes(raw[k : k + 4], "little") for k in range(0, len(raw) - 3, 4)]

    fat_sectors = [i for i in ints(data[0x4C:0x200]) if i < n_sectors]
    difat = int.from_bytes(data[0x44:0x48], "little")
    for _ in range(n_sectors):
        if difat >= n_sectors:
            break
        entries = ints(sector(difat))
        fat_sectors += [i for i in entries[:-1] if i < n_sectors]
        difat = entries[-1]
    fat = [e for i in fat_sectors for e in ints(sector(i))]

    def chain(first: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while first < len(table) and len(out) <= len(table):
            out.append(first)
            first = table[first]
        return out

    directory = b"".join(sector(i) for i in chain(int.from_bytes(data[0x30:0x34], "little"), fat))
    entries = [directory[k : k + 128] for k in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root = entries[0]
    mini_stream = b"".join(sector(i) for i in chain(int.from_bytes(root[0x74:0x78], "little"), fat))
    mini_fat = ints(b"".join(sector(i) for i in chain(int.from_bytes(data[0x3C:0x40], "little"), fat)))
    for name in wanted:
        for entry in entries:
            length = int.from_bytes(entry[0x40:0x42], "little")
            if entry[0x42] != 2 or entry[: max(0, length - 2)].decode("utf-16-le", "replace") != name:
                continue
            first = int.from_bytes(entry[0x74:0x78], "little")
            size = int.from_bytes(entry[0x78:0x7C], "little")
            if size < cutoff:
                parts = [mini_stream[i * mini_size : (i + 1) * mini_size] for i in chain(first, mini_fat)]
            else:
                parts = [sector(i) for i in chain(first, fat)]
            return b"".join(parts)[:size]
    return None


def _biff_records(stream: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(position, record type, record data) of the BIFF records from `start`."""
    at = start
    while at + 4 <= len(stream):
        kind = int.from_bytes(stream[at : at + 2], "little")
        size = int.from_bytes(stream[at + 2 : at + 4], "little")
        yield at, kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def _sheet_name(record: bytes) -> str:
    """The name in a BOUNDSHEET record (a short unicode string after 6 bytes)."""
    count, flags = record[6], record[7]
    raw = record[8 : 8 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def xls_empty_formula_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, (row, column), 0-based, of .xls formulas whose stored result is empty."""
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
        if stream is None:
            return {}
        sheets: list[tuple[str, int]] = []
        for _at, kind, record in _biff_records(stream):
            if kind == 0x0085 and len(record) >= 8:  # BOUNDSHEET: where each sheet's records start
                sheets.append((_sheet_name(record), int.from_bytes(record[:4], "little")))
            elif kind == 0x000A:  # EOF of the workbook globals
                break
        found: dict[str, set[tuple[int, int]]] = {}
        for name, offset in sheets:
            cells = found.setdefault(name, set())
            for _at, kind, record in _biff_records(stream, offset):
                if kind == 0x000A:
                    break
                # FORMULA: row, column, XF, then the result; bytes 6 and 12–13 = 3 and FFFF: empty text
                if kind == 0x0006 and len(record) >= 14 and record[6] == 3 and record[12:14] == b"\xff\xff":
                    cells.add((int.from_bytes(record[0:2], "little"), int.from_bytes(record[2:4], "little")))
        return found
    except (IndexError, ValueError):  # a damaged structure: calamine has read the values anyway
        return {}


def read_sheets(data: bytes) -> tuple[str, list[Sheet]]:
    """The file's format and its sheets as grids; FileRejected when it cannot be read."""
    check_size(data)
    fmt = sniff(data)
    if fmt == CSV:
        return fmt, [Sheet("CSV", _csv_rows(decode_text(data)))]
    archive = check_zip(data) if fmt == XLSX else None
    try:
        frames = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, sheet_name=None)
    except Exception as exc:  # calamine raises many kinds of errors for damaged files
        raise FileRejected(f"无法读取 Excel 文件（文件可能已损坏或加密）：{type(exc).__name__}") from exc
    except BaseException as exc:  # and a Rust panic (e.g. a truncated .xls) is a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise FileRejected("无法读取 Excel 文件（文件可能已损坏或加密）：文件结构异常") from exc
    paths = _sheet_paths(archive) if archive is not None else {}
    xls_formulas = xls_empty_formula_cells(data) if fmt == XLS else {}
    sheets = []
    for name, frame in frames.items():
        if archive is not None:
            formulas = empty_formula_cells(archive, paths[name]) if name in paths else set()
        else:
            formulas = xls_formulas.get(str(name), set())
        sheets.append(Sheet(str(name), _frame_rows(frame), formulas))
    if not sheets:
        raise FileRejected("文件中没有工作表")
    return fmt, sheets
