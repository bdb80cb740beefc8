"""An .xlsx as a workbook: the zip opened with its bomb checks, the sheets' paths, formula cells.

`check_zip` opens the bytes as a zip and refuses, before anything is unpacked, one that would
unpack too big or has too many members. `sheet_paths` reads workbook.xml and its relationships
(small members, parsed as trees after their size and nesting are checked) for each sheet's XML;
`empty_formula_cells` finds the cells of a sheet holding a formula without a cached value.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from itertools import accumulate
from typing import Any

from defusedxml import ElementTree

from data_access.write.importing.limits import FileRejected

# Zip-bomb guard: a real monthly sheet unpacks to a few MB at most.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000
MAX_XML_DEPTH = 64  # a real workbook nests about 10 deep
MAX_SMALL_XML = 4 * 1024 * 1024  # workbook.xml and its relationships, parsed as trees
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>((?:[^<]|<(?!/?c[\s/>]))*)</c>)")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_HAS_VALUE = re.compile(rb"<v>[^<]|<is>")
_ANY_TAG = re.compile(rb"<(/?)[A-Za-z_][^<>]*?(/?)>")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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


def sheet_paths(archive: zipfile.ZipFile, strict: bool = False) -> dict[str, str]:
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
