"""Opening an uploaded file: the real format from its bytes, limits, decoding, sheets as grids.

`read_sheets(data)` returns every sheet as a list of rows (row 0 is Excel row 1,
column 0 is column A) plus the cells holding a formula without a cached value
(.xlsx: no stored value; .xls: a stored result that is empty).

Before any parser runs, every sheet's extent is checked against the caps (rows from
IMPORT_MAX_ROWS, columns, cells): for an .xlsx from each sheet's `<dimension>` and from
a streaming scan of its cell and row references (a dimension can lie), with the zip's
members, sharedStrings and XML nesting checked on the way; for an .xls from each sheet's
DIMENSIONS, ROW and cell records; a CSV is counted while it is read. A hostile file is
thus rejected in well under a second with a message naming the sheet and its size.
Excel files are then parsed with pandas' calamine engine in a child process with a
memory and a time limit (`sandbox`), so a parser that misbehaves anyway costs that
child, not the server. CSV is tried as strict UTF-8 (with or without BOM), UTF-16 with
a BOM, then GB18030 (a superset of GBK), never latin-1; text that is really Big5 is
recognised and rejected with a message saying so.
Anything unreadable raises FileRejected with a Chinese message.
"""

from __future__ import annotations

import array
import csv
import io
import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate, islice
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from defusedxml import ElementTree

from data_access import settings
from data_access.write.importing import sandbox

XLSX, XLS, CSV = "xlsx", "xls", "csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Zip-bomb guard: a real monthly sheet unpacks to a few MB at most.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
# A sheet may span this many rows more than IMPORT_MAX_ROWS: titles, headers, notes, blank rows.
SHEET_ROW_SLACK = 1000
# Excel's own grid; a reference beyond it is not a cell any program wrote.
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
MAX_XML_DEPTH = 64  # a real workbook nests about 10 deep
MAX_SMALL_XML = 4 * 1024 * 1024  # workbook.xml and its relationships, parsed as trees
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>((?:[^<]|<(?!/?c[\s/>]))*)</c>)")
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


@dataclass(frozen=True)
class Limits:
    """The caps on a sheet's extent (rows, columns) and on the cells of all sheets together."""

    rows: int
    columns: int
    cells: int

    @classmethod
    def from_settings(cls) -> Limits:
        """The caps in force: IMPORT_MAX_ROWS (+ SHEET_ROW_SLACK), IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS."""
        return cls(
            settings.get_int("IMPORT_MAX_ROWS") + SHEET_ROW_SLACK,
            settings.get_int("IMPORT_MAX_COLUMNS"),
            settings.get_int("IMPORT_MAX_CELLS"),
        )

    def describe(self) -> str:
        """The caps in words."""
        return f"{self.rows:,} 行 × {self.columns:,} 列，合计 {self.cells:,} 个单元格"

    def exceeded(self, rows: int, columns: int) -> bool:
        """True when a sheet of this extent is over a cap."""
        return rows > self.rows or columns > self.columns or rows * columns > self.cells

    def check(
        self, sheet: str, rows: int, columns: int, *, partial: bool = False, stated: bool = False
    ) -> None:
        """Reject a sheet whose extent (its last used row and column) is over a cap."""
        if self.exceeded(rows, columns):
            size = f"{_big(rows)} 行 × {_big(columns)} 列"
            raise FileRejected(
                f"工作表「{sheet}」{'标注' if stated else ''}的范围{'至少' if partial else ''}为 {size}，"
                f"超过上限（{self.describe()}）。"
                "请删除表格下方和右侧多余的行、列（包括只设置了格式的空白单元格）后重新上传"
            )

    def check_total(self, cells: int) -> None:
        """Reject a file whose sheets together span more cells than the cap."""
        if cells > self.cells:
            raise FileRejected(
                f"文件中各工作表的范围合计 {_big(cells)} 个单元格，超过上限（{self.cells:,} 个），"
                "请只保留需要导入的工作表"
            )


def _big(number: int) -> str:
    return f"{number:,}" if number < 10**12 else "超过 10¹² "


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


# ------------------------------------------------------------------ CSV
ACCEPTED_ENCODINGS = "UTF-8、GBK/GB18030 或带 BOM 的 UTF-16"


def decode_text(data: bytes) -> str:
    """CSV text: UTF-16 with a BOM, strict UTF-8 (BOM allowed), then GB18030 unless it is really Big5."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileRejected(
            f"不支持 UTF-32 编码的 CSV 文件：可用的编码为 {ACCEPTED_ENCODINGS}，请另存为 UTF-8 或 GBK"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected(
                "CSV 文件标明为 UTF-16 编码，但内容无法按 UTF-16 解码（文件可能已损坏）"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise FileRejected(
            f"无法识别 CSV 文件的编码（可用的编码为 {ACCEPTED_ENCODINGS}）：请另存为 UTF-8 或 GBK 编码"
        ) from None
    if _looks_big5(data, text):
        raise FileRejected("文件编码疑似繁体 Big5，请另存为 UTF-8 或 GBK 编码后重新上传")
    return text


def _looks_big5(data: bytes, text: str) -> bool:
    """True when bytes that decode as GB18030 read far better as Big5 (cp950).

    Big5 text read as GB18030 is mojibake of which about half the characters lie outside
    GB2312 (the common simplified characters), while read as Big5 nearly all are in its
    first level (lead bytes A4–C6, the common traditional characters). Real GBK text is
    nearly all GB2312.
    """
    sample = [ch for ch in text[:20000] if ord(ch) > 127]
    if len(sample) < 4:
        return False
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return False
    gb_common = sum(1 for ch in sample if _encodes(ch, "gb2312")) / len(sample)
    traditional = [ch for ch in big5[:20000] if ord(ch) > 127]
    if not traditional:
        return False
    big5_common = sum(1 for ch in traditional if 0xA4 <= ch.encode("cp950")[0] <= 0xC6) / len(traditional)
    return gb_common < 0.9 and big5_common > gb_common + 0.2


def _encodes(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _csv_rows(text: str, limits: Limits) -> list[list[Any]]:
    """The rows of a CSV text, counted as they are read: rejected as soon as they pass a cap."""
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    width = 0
    try:
        for row in islice(csv.reader(io.StringIO(text), dialect), limits.rows + 1):
            if len(row) > width:
                width = len(row)
                _csv_check(limits, len(rows) + 1, width, text)
            elif not len(rows) & 1023:
                _csv_check(limits, len(rows) + 1, width, text)
            rows.append([cell or None for cell in row])
    except csv.Error as exc:
        raise FileRejected(f"CSV 文件格式有误：{exc}") from exc
    _csv_check(limits, len(rows), width, text)
    return rows


def _csv_check(limits: Limits, rows: int, width: int, text: str) -> None:
    if limits.exceeded(rows, width):
        raise FileRejected(
            f"CSV 文件的范围至少为 {rows:,} 行 × {width:,} 列（全文约 {text.count(chr(10)) + 1:,} 行），"
            f"超过上限（{limits.describe()}）"
        )


# ------------------------------------------------------------------ .xlsx before parsing
# Every member is read as a stream of chunks (bounded memory; the zip checks each member's
# size and CRC on the way) and scanned with byte counts and regular expressions, never
# as a tree. In a sheet every <c> and <row> start tag counts: a cell's position is its r
# attribute, or the one after the previous cell (a row's: after the previous row), as
# parsers read it. The fast path takes a chunk where every tag is written the usual way
# (<c r="B12" …>, <row r="12" …>) from two regular expressions and byte counts; any other
# chunk is taken tag by tag, and a tag that is not a well-formed start tag of at most 32
# short attributes rejects the file, so no reference escapes the scan. Nesting depth is
# followed from chunk to chunk by counting '<', '</' and '/>'.
_CHUNK = 1 << 18
_TAIL = 1 << 16  # a tag longer than this is malformed anyway
_P = rb"(?:[A-Za-z_][\w.-]{0,32}:)?"  # an optional namespace prefix
_VALUE = rb"\s*=\s*(?:\"[^\"<]{0,256}\"|'[^'<]{0,256}')"
_ATTR = rb"\s+[A-Za-z_][\w.:-]{0,64}" + _VALUE
_TAG_START = re.compile(rb"<" + _P + rb"(c|row)(?=[\s/>])")
_TAG = re.compile(rb"<" + _P + rb"(c|row)((?:" + _ATTR + rb"){0,32})\s*/?>")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']([^\"']*)[\"']")
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_FAST_ROW = re.compile(rb'<row r="([1-9][0-9]{0,6})"')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_REF_VALUE = re.compile(rb"([A-Za-z]{1,12})([0-9]{1,15})")
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\s+ref\s*=\s*[\"']([^\"'<]{0,64})[\"']")
_SHEET_DATA = re.compile(rb"<" + _P + rb"sheetData[\s/>]")
_SST = re.compile(rb"<" + _P + rb"sst((?:" + _ATTR + rb"){0,32})\s*/?>")
_COUNT_ATTR = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*[\"']\s*([0-9]{1,15})\s*[\"']")
_SI = re.compile(rb"<" + _P + rb"si[\s/>]")
_ANY_TAG = re.compile(rb"<(/?)[A-Za-z_][^<>]*?(/?)>")


def _column_number(letters: bytes) -> int:
    """1-based column number of column letters (A → 1, XFD → 16384)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def _position(ref: bytes, sheet: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell reference such as B12; FileRejected for garbage."""
    match = _REF_VALUE.fullmatch(ref.strip())
    if match is None or int(match.group(2)) == 0:
        shown = ref[:20].decode("latin-1")
        raise FileRejected(f"文件已损坏：工作表「{sheet}」中有无效的单元格位置「{shown}」")
    return int(match.group(2)), _column_number(match.group(1))


def _damaged(sheet: str) -> FileRejected:
    return FileRejected(f"文件已损坏：工作表「{sheet}」中有无法识别的单元格标记")


class _Counts:
    """How often '<', '</', '/>', '<c', '<row' and ' r=' occur in a chunk (numpy compares bytes
    in bulk: several times faster than bytes.count where '<' is every 15 bytes)."""

    def __init__(self, chunk: bytes) -> None:
        data = np.frombuffer(chunk + b"   ", np.uint8)  # padded: every byte has 3 after it
        head, second, third, fourth = data[:-3], data[1:-2], data[2:-1], data[3:]
        opening = head == 60  # '<'
        self.lt = int(np.count_nonzero(opening))
        self.closing = int(np.count_nonzero(opening & (second == 47)))  # '</'
        self.empty = int(np.count_nonzero((head == 47) & (second == 62)))  # '/>'
        self.c = int(np.count_nonzero(opening & (second == 99)))  # '<c'
        self.row = int(np.count_nonzero(opening & (second == 114) & (third == 111) & (fourth == 119)))
        self.r = int(np.count_nonzero((head == 32) & (second == 114) & (third == 61)))  # ' r='


class _Depth:
    """The XML nesting depth at the end of each chunk, from counts."""

    def __init__(self, member: str) -> None:
        self.member, self.depth = member, 0

    def take(self, counts: _Counts) -> None:
        # '<?' and '<!' (the declaration, comments) count as opened and never closed: a pass
        # each saved on every chunk, at the price of an estimate too deep by their number
        self.depth += counts.lt - 2 * counts.closing - counts.empty
        if self.depth > MAX_XML_DEPTH + 1:  # + the XML declaration
            raise FileRejected(f"文件结构异常（{self.member} 的 XML 嵌套过深），已拒绝")


@dataclass
class _Extent:
    """What the scan of one sheet has found so far."""

    sheet: str
    rows: int = 0  # the last used row, 1-based
    columns: int = 0
    cells: int = 0
    row: int = 0  # the current row and column, for cells and rows without a reference
    column: int = 0

    def take(self, chunk: bytes, counts: _Counts) -> None:
        """Take the cell and row tags of a chunk."""
        if not self._fast(chunk, counts):
            self._slow(chunk)

    def _fast(self, chunk: bytes, counts: _Counts) -> bool:
        cells = _FAST_CELL.findall(chunk)
        if len(cells) != counts.c:
            return False
        rows = _FAST_ROW.findall(chunk)
        # each tag found has its one r attribute (parsers take the last of two), and no tag is
        # written otherwise (prefixed, …)
        if len(rows) != counts.row or len(cells) + len(rows) != counts.r:
            return False
        if _PREFIXED.search(chunk):
            return False
        if rows:
            self.rows = max(self.rows, max(map(int, rows)))
        if cells:
            self.rows = max(self.rows, max(map(int, set(map(itemgetter(1), cells)))))  # rows repeat
            self.columns = max(self.columns, max(map(_column_number, set(map(itemgetter(0), cells)))))
            self.cells += len(cells)
        last_cell = chunk.rfind(b"<c ")
        if rows and chunk.rfind(b"<row ") > last_cell:
            self.row, self.column = int(rows[-1]), 0
        elif cells:
            self.row, self.column = int(cells[-1][1]), _column_number(cells[-1][0])
        return True

    def _slow(self, chunk: bytes) -> None:
        names = _TAG_START.findall(chunk)
        tags = _TAG.findall(chunk)
        if len(tags) != len(names):
            raise _damaged(self.sheet)
        for name, attrs in tags:
            refs = _R_ATTR.findall(attrs)
            if len(refs) > 1:
                raise _damaged(self.sheet)
            if name == b"row":
                if refs:
                    number = refs[0].strip()
                    if not number.isdigit() or len(number) > 15 or int(number) == 0:
                        shown = refs[0][:20].decode("latin-1")
                        raise FileRejected(f"文件已损坏：工作表「{self.sheet}」中有无效的行号「{shown}」")
                    self.row = int(number)
                else:
                    self.row += 1
                self.column = 0
                self.rows = max(self.rows, self.row)
            else:
                if refs:
                    row, self.column = _position(refs[0], self.sheet)
                else:
                    row, self.column = max(self.row, 1), self.column + 1
                self.rows = max(self.rows, row)
                self.columns = max(self.columns, self.column)
                self.cells += 1


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in pieces that end before a '<' (no tag is cut), each at most about _CHUNK."""
    tail = b""
    with archive.open(info) as stream:
        while True:
            block = stream.read(_CHUNK)
            if not block:
                break
            buffer = tail + block
            cut = max(buffer.rfind(b"<"), len(buffer) - _TAIL)
            yield buffer[:cut]
            tail = buffer[cut:]
    if tail:
        yield tail


def _scan_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, limits: Limits) -> int:
    """The sheet's area (last row × last column); FileRejected when it or its dimension is over a cap."""
    extent = _Extent(sheet)
    depth = _Depth(info.filename)
    in_data = False
    for chunk in _chunks(archive, info):
        counts = _Counts(chunk)
        depth.take(counts)
        if not in_data:
            dimension = _DIMENSION.search(chunk)
            if dimension:
                last = dimension.group(1).split(b":")[-1].replace(b"$", b"")
                match = _REF_VALUE.fullmatch(last.strip())
                if match:
                    limits.check(sheet, int(match.group(2)), _column_number(match.group(1)), stated=True)
            in_data = _SHEET_DATA.search(chunk) is not None
        extent.take(chunk, counts)
        limits.check(sheet, extent.rows, extent.columns, partial=True)
        if extent.cells > limits.cells:
            raise FileRejected(
                f"工作表「{sheet}」中有 {extent.cells:,} 个以上的单元格，超过上限（{limits.cells:,} 个），已拒绝"
            )
    limits.check(sheet, extent.rows, extent.columns)
    return extent.rows * extent.columns


def _scan_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    """Reject a shared-string table that claims or holds more strings than the file may have cells."""
    strings = 0
    first = True
    depth = _Depth(info.filename)
    for chunk in _chunks(archive, info):
        depth.take(_Counts(chunk))
        if first:
            first = False
            head = _SST.search(chunk)
            for claimed in _COUNT_ATTR.findall(head.group(1) if head else b""):
                if int(claimed) > limits.cells:
                    raise FileRejected(
                        f"文件结构异常（共享字符串表声明有 {_big(int(claimed))} 个字符串，"
                        f"超过单元格上限 {limits.cells:,} 个），已拒绝"
                    )
        strings += len(_SI.findall(chunk))
        if strings > limits.cells:
            raise FileRejected(
                f"文件结构异常（共享字符串表有 {strings:,} 个以上的字符串，超过单元格上限 {limits.cells:,} 个），已拒绝"
            )


def _scan_other(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a member through (the zip checks its size and CRC); XML is checked for nesting."""
    depth = _Depth(info.filename) if info.filename.lower().endswith((".xml", ".rels", ".vml")) else None
    for chunk in _chunks(archive, info):
        if depth is not None:
            depth.take(_Counts(chunk))


def _member_key(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def scan_xlsx(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Check every member of an .xlsx before it is parsed: sheets' extents, shared strings, nesting, CRCs."""
    try:
        sheets = {_member_key(path): name for name, path in _sheet_paths(archive, strict=True).items()}
        total = 0
        for info in archive.infolist():
            key = _member_key(info.filename)
            if key in sheets or (key.startswith("xl/worksheets/") and key.endswith(".xml")):
                total += _scan_sheet(archive, info, sheets.get(key, info.filename), limits)
                limits.check_total(total)
            elif key.endswith("sharedstrings.xml"):
                _scan_shared_strings(archive, info, limits)
            else:
                _scan_other(archive, info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise FileRejected("文件已损坏：不是有效的 .xlsx 文件") from exc
    except Exception as exc:  # zlib.error and the like from a damaged member
        if type(exc).__module__ in ("zlib", "bz2", "lzma", "_lzma", "_bz2"):
            raise FileRejected("文件已损坏：不是有效的 .xlsx 文件") from exc
        raise


def _max_depth(doc: bytes) -> int:
    steps = [(-1 if close else 0 if empty else 1) for close, empty in _ANY_TAG.findall(doc)]
    return max(accumulate(steps), default=0)


def _small_xml(archive: zipfile.ZipFile, name: str, strict: bool) -> Any:
    """A small member (workbook.xml, relationships) as a tree; None when absent or unparsable.

    With strict, one too large or nested too deep to be a real one is rejected before it is parsed.
    """
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_SMALL_XML or (not strict and info.file_size > MAX_UNPACKED_BYTES):
        if strict:
            raise FileRejected(f"文件结构异常（{name} 过大），已拒绝")
        return None
    doc = archive.read(info)
    if _max_depth(doc) > MAX_XML_DEPTH:
        if strict:
            raise FileRejected(f"文件结构异常（{name} 的 XML 嵌套过深），已拒绝")
        return None
    try:
        return ElementTree.fromstring(doc)
    except (ElementTree.ParseError, ValueError):
        return None


def _sheet_paths(archive: zipfile.ZipFile, strict: bool = False) -> dict[str, str]:
    """Sheet name → path of its XML inside the xlsx."""
    book = _small_xml(archive, "xl/workbook.xml", strict)
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels", strict)
    if book is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    paths = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
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


def _uint32s(raw: bytes) -> array.array:
    table = array.array("I", raw[: len(raw) - len(raw) % 4])
    if sys.byteorder == "big":
        table.byteswap()
    return table


def _ole_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in `wanted` of an OLE2 compound file (None when absent or damaged).

    Bounded whatever the header says: the FAT has at most one entry per sector of the file,
    and every chain ends after as many steps as the table has entries.
    """
    if len(data) < 512 or not data.startswith(OLE2_MAGIC):
        return None
    sector_size = 1 << int.from_bytes(data[0x1E:0x20], "little")
    mini_size = 1 << int.from_bytes(data[0x20:0x22], "little")
    cutoff = int.from_bytes(data[0x38:0x3C], "little")
    if sector_size not in (512, 4096) or mini_size != 64:
        return None
    n_sectors = (len(data) - 512) // sector_size + 1
    per_sector = sector_size // 4
    fat_needed = n_sectors // per_sector + 1

    def sector(i: int) -> bytes:
        start = 512 + i * sector_size
        return data[start : start + sector_size]

    fat_sectors = [i for i in _uint32s(data[0x4C:0x200]) if i < n_sectors]
    difat = int.from_bytes(data[0x44:0x48], "little")
    for _ in range(n_sectors):
        if difat >= n_sectors or len(fat_sectors) >= fat_needed:
            break
        entries = _uint32s(sector(difat))
        fat_sectors += [i for i in entries[:-1] if i < n_sectors]
        difat = entries[-1]
    fat = _uint32s(b"".join(sector(i) for i in fat_sectors[:fat_needed]))

    def chain(first: int, table: array.array) -> list[int]:
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
    mini_fat = _uint32s(b"".join(sector(i) for i in chain(int.from_bytes(data[0x3C:0x40], "little"), fat)))
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


def _biff_records(stream: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, bytes]]:
    """(position, record type, record data) of the BIFF records from `start` (up to `end`)."""
    at = start
    stop = len(stream) if end is None else min(end, len(stream))
    while at + 4 <= stop:
        kind = int.from_bytes(stream[at : at + 2], "little")
        size = int.from_bytes(stream[at + 2 : at + 4], "little")
        yield at, kind, stream[at + 4 : at + 4 + size]
        at += 4 + size


def _sheet_name(record: bytes) -> str:
    """The name in a BOUNDSHEET record (a short unicode string after 6 bytes)."""
    count, flags = record[6], record[7]
    raw = record[8 : 8 + count * (2 if flags & 1 else 1)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _xls_sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its records) of each sheet, from the BOUNDSHEET records of the globals."""
    sheets: list[tuple[str, int]] = []
    for _at, kind, record in _biff_records(stream):
        if kind == 0x0085 and len(record) >= 8:  # BOUNDSHEET: where each sheet's records start
            sheets.append((_sheet_name(record), int.from_bytes(record[:4], "little")))
        elif kind == 0x000A:  # EOF of the workbook globals
            break
    return sheets


def xls_empty_formula_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, (row, column), 0-based, of .xls formulas whose stored result is empty."""
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
        if stream is None:
            return {}
        found: dict[str, set[tuple[int, int]]] = {}
        walked: set[int] = set()
        for name, offset in _xls_sheets(stream):
            if offset in walked:  # a damaged file's sheets sharing records: walked once
                continue
            walked.add(offset)
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


# ------------------------------------------------------------------ .xls before parsing
# Cell records start with the row and column (2 bytes each); MULRK and MULBLANK end with
# their last column; ROW gives its row and the column after its last cell; DIMENSIONS
# states the used range (rows as 4 bytes in BIFF8), which calamine trusts to size its grid: it
# may not be over the caps, nor far larger than what the records hold.
_XLS_CELL_RECORDS = frozenset(
    {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6, 0x0206, 0x0406}
)
_XLS_MULTI_RECORDS = frozenset({0x00BD, 0x00BE})
_XLS_ROW, _XLS_DIMENSIONS, _XLS_EOF = 0x0208, 0x0200, 0x000A
# calamine sizes an .xls sheet's grid by DIMENSIONS: a few-KB file stating 50,000 × 50 (within
# the caps) would cost as much as a real sheet of that size. Excel states the used range exactly.
XLS_DIMENSIONS_SLACK = 100_000


def scan_xls(data: bytes, limits: Limits) -> None:
    """Check each sheet's DIMENSIONS, ROW and cell records against the caps before parsing."""
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
    except (IndexError, ValueError):
        stream = None
    if stream is None:
        return  # not a workbook calamine can read either: it says so in its own words
    sheets = _xls_sheets(stream)
    starts = sorted({offset for _name, offset in sheets} | {len(stream)})
    following = dict(zip(starts, starts[1:], strict=False))  # a sheet's records end where the next begin
    total = 0
    walked: set[int] = set()
    for name, offset in sheets:
        if offset >= len(stream) or offset in walked:  # sheets sharing records are walked once
            continue
        walked.add(offset)
        end = following[offset]
        rows = columns = 0
        stated = (0, 0)
        at = offset
        while at + 4 <= end:
            kind = stream[at] | stream[at + 1] << 8
            size = stream[at + 2] | stream[at + 3] << 8
            body = at + 4
            at = body + size
            if size < 4 or at > end:
                if kind == _XLS_EOF:
                    break
                continue
            if kind in _XLS_CELL_RECORDS or kind == _XLS_ROW or kind in _XLS_MULTI_RECORDS:
                row = (stream[body] | stream[body + 1] << 8) + 1
                if kind == _XLS_ROW:
                    column = stream[body + 4] | stream[body + 5] << 8 if size >= 6 else 0
                elif kind in _XLS_MULTI_RECORDS:
                    column = (stream[at - 2] | stream[at - 1] << 8) + 1
                else:
                    column = (stream[body + 2] | stream[body + 3] << 8) + 1
                if row > rows:
                    rows = row
                if column > columns:
                    columns = column
            elif kind == _XLS_DIMENSIONS:
                if size >= 14:  # BIFF8: first row, row after the last (4 bytes each), columns (2 each)
                    stated = (
                        int.from_bytes(stream[body + 4 : body + 8], "little"),
                        int.from_bytes(stream[body + 10 : body + 12], "little"),
                    )
                else:  # BIFF5: 2 bytes each
                    stated = (
                        int.from_bytes(stream[body + 2 : body + 4], "little"),
                        int.from_bytes(stream[body + 6 : body + 8], "little"),
                    )
                limits.check(name, *stated, stated=True)
            elif kind == _XLS_EOF:
                break
        limits.check(name, rows, columns)
        if stated[0] * stated[1] > rows * columns + XLS_DIMENSIONS_SLACK:
            raise FileRejected(
                f"文件结构异常：工作表「{name}」标注的范围（{_big(stated[0])} 行 × {_big(stated[1])} 列）"
                f"远大于其实际内容（{rows:,} 行 × {columns:,} 列），已拒绝"
            )
        total += rows * columns
        limits.check_total(total)


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
        paths = _sheet_paths(archive)
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
        return fmt, [Sheet("CSV", _csv_rows(decode_text(data), limits))]
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
