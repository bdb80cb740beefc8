"""An .xls walked record by record: its extent before parsing, its uncomputed formulas after.

The compound file (OLE2) is walked just far enough to get the workbook stream (`_ole_stream`),
whose BIFF records give each sheet's stated and real extent (`scan_xls`, checked against the
caps before calamine sizes its grid by them) and the formulas whose stored result is empty
(`xls_empty_formula_cells`).
"""

from __future__ import annotations

import array
import sys
from collections.abc import Iterator

from data_access.write.importing.limits import FileRejected, Limits, big

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

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
                f"文件结构异常：工作表「{name}」标注的范围（{big(stated[0])} 行 × {big(stated[1])} 列）"
                f"远大于其实际内容（{rows:,} 行 × {columns:,} 列），已拒绝"
            )
        total += rows * columns
        limits.check_total(total)
