"""An .xlsx checked before it is parsed: every member streamed, every sheet's extent counted.

`scan_xlsx(archive, limits)` reads each member of the zip through (so the zip checks its size
and CRC), checks the nesting of its XML, counts each sheet's extent from its `<dimension>` and
from every cell and row reference (a dimension can lie) and the shared-string table's size, and
raises FileRejected as soon as one passes a cap.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from data_access.write.importing.limits import FileRejected, Limits, big
from data_access.write.importing.xlsx_book import MAX_XML_DEPTH, sheet_paths

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
                        f"文件结构异常（共享字符串表声明有 {big(int(claimed))} 个字符串，"
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
        sheets = {_member_key(path): name for name, path in sheet_paths(archive, strict=True).items()}
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
