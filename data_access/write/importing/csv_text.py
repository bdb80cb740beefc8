"""A CSV upload: its text decoded, and its rows counted against the caps as they are read.

CSV is tried as strict UTF-8 (with or without BOM), UTF-16 with a BOM, then GB18030 (a
superset of GBK), never latin-1; text that is really Big5 is recognised and rejected with a
message saying so (`decode_text`). `csv_rows` reads the rows and refuses the file as soon as
they pass a cap.
"""

from __future__ import annotations

import csv
import io
from itertools import islice
from typing import Any

from data_access.write.importing.limits import FileRejected, Limits

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


def csv_rows(text: str, limits: Limits) -> list[list[Any]]:
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
