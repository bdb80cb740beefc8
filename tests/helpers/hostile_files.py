"""Hostile and odd spreadsheet files built in code: raw .xlsx parts, patched .xls records, big CSVs.

The .xlsx files are written part by part (zipfile), so a sheet can say anything: a cell at
XFD1048576, a dimension that lies, a row numbered four billion, a reference that is not
one, nesting a million deep. The .xls files are xlwt's, with one record overwritten in place.
"""

from __future__ import annotations

import io
import struct
import zipfile

from tests.helpers.builders import xls

_CT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def letters(column: int) -> str:
    """Column letters of a 1-based column number (any size: 16384 → XFD)."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def sheet_xml(body: bytes, dimension: str | None = None, after: bytes = b"") -> bytes:
    """A worksheet part around the given sheetData body."""
    dim = b'<dimension ref="%s"/>' % dimension.encode() if dimension else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s" xmlns:r="%s">%s'
        b"<sheetData>%s</sheetData>%s</worksheet>" % (_MAIN, _REL, dim, body, after)
    )


def row_xml(number: int | None, cells: list[tuple[str | None, str]]) -> bytes:
    """<row r=…> with cells given as (reference or None, text); inline strings."""
    r = b' r="%d"' % number if number is not None else b""
    parts = []
    for ref, text in cells:
        cr = b' r="%s"' % ref.encode() if ref is not None else b""
        parts.append(b'<c%s t="inlineStr"><is><t>%s</t></is></c>' % (cr, text.encode()))
    return b"<row%s>%s</row>" % (r, b"".join(parts))


def xlsx_parts(
    sheets: dict[str, bytes],
    *,
    shared: bytes | None = None,
    extra: dict[str, bytes] | None = None,
    workbook: bytes | None = None,
    level: int = 6,
) -> bytes:
    """An .xlsx from sheet parts (name → worksheet XML), an optional sharedStrings part and extra parts."""
    entries = b"".join(
        b'<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (name.encode(), i, i)
        for i, name in enumerate(sheets, start=1)
    )
    book = workbook or (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="%s" xmlns:r="%s">'
        b"<sheets>%s</sheets></workbook>" % (_MAIN, _REL, entries)
    )
    rels = b"".join(
        b'<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, _REL, i)
        for i in range(1, len(sheets) + 1)
    )
    if shared is not None:
        rels += b'<Relationship Id="rIdS" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % _REL
    book_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s'
        b"</Relationships>" % rels
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, part in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", part)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        for name, part in (extra or {}).items():
            archive.writestr(name, part)
    return out.getvalue()


def shared_strings(count: int | None, strings: int) -> bytes:
    """A sharedStrings part claiming `count` strings (count and uniqueCount) and holding `strings`."""
    claim = b' count="%d" uniqueCount="%d"' % (count, count) if count is not None else b""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="%s"%s>%s</sst>' % (
        _MAIN,
        claim,
        b"<si><t>x</t></si>" * strings,
    )


def two_corner_cells() -> bytes:
    """The 5 KB workbook of the issue: one cell at A1, one at XFD1048576."""
    body = row_xml(1, [("A1", "a")]) + row_xml(1_048_576, [("XFD1048576", "z")])
    return xlsx_parts({"Sheet1": sheet_xml(body)})


def many_rows_xlsx(rows: int = 1_048_576, *, dimension: bool = True) -> bytes:
    """A sheet of `rows` one-number rows, written as XML directly (fast); with or without its dimension."""
    body = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, rows + 1))
    return xlsx_parts({"Sheet1": sheet_xml(body, f"A1:A{rows}" if dimension else None)}, level=1)


def many_rows_csv(rows: int = 1_048_576, width: int = 2) -> bytes:
    """A CSV with a header and `rows` identical lines."""
    header = ",".join(f"列{j}" for j in range(width)).encode() + b"\n"
    return header + (",".join(["1"] * width).encode() + b"\n") * rows


def deep_xml(depth: int) -> bytes:
    """`depth` nested elements."""
    return b"<a>" * depth + b"</a>" * depth


def patch_xls(data: bytes, record: int, size: int, offset: int, value: bytes) -> bytes:
    """The .xls with the first record of that type and size overwritten at `offset` in its body."""
    at = data.find(struct.pack("<HH", record, size))
    assert at >= 0, f"no record {record:#06x} of {size} bytes"
    start = at + 4 + offset
    return data[:start] + value + data[start + len(value) :]


def small_xls() -> bytes:
    """A small, valid .xls (xlwt) to patch."""
    return xls([["索引号", "信息名称"], ["QY-1", "通知"], ["QY-2", "通知"]])


def xls_dimensions(rows: int, columns: int) -> bytes:
    """An .xls whose DIMENSIONS record states `rows` × `columns` (BIFF8: 4-byte rows, 2-byte columns)."""
    return patch_xls(
        small_xls(), 0x0200, 14, 4, struct.pack("<I", rows) + b"\0\0" + struct.pack("<H", columns)
    )


def xls_cell_at(row: int, column: int) -> bytes:
    """An .xls whose first LABELSST cell sits at (row, column), 0-based, 2 bytes each."""
    return patch_xls(small_xls(), 0x00FD, 10, 0, struct.pack("<HH", row, column))


def lying_zip_sizes(data: bytes, member: str, declared: int) -> bytes:
    """The zip with `member`'s uncompressed size (local header and central directory) set to `declared`."""
    name = member.encode()
    out = bytearray(data)
    at = out.find(b"PK\x03\x04")
    while at >= 0:
        name_len = int.from_bytes(out[at + 26 : at + 28], "little")
        if out[at + 30 : at + 30 + name_len] == name:
            out[at + 22 : at + 26] = struct.pack("<I", declared)
        at = out.find(b"PK\x03\x04", at + 4)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = int.from_bytes(out[at + 28 : at + 30], "little")
        if out[at + 46 : at + 46 + name_len] == name:
            out[at + 24 : at + 28] = struct.pack("<I", declared)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)
