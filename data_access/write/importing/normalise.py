"""Reading one cell: dates, numbers, percentages, yes/no and names as clerks write them.

Every parser returns the value or raises CellError with a Chinese message; a value
that cannot be read is never turned into a blank or a zero.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Every character _SPACES matches (a test checks this against all of Unicode).
BLANK_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_NEVER_BLANK = frozenset({int, bool, dt.date, dt.datetime})
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(份)?$")
_YES = {"是", "有", "y", "yes", "√", "✓", "1", "true", "已审查", "已审核", "通过"}
_NO = {"否", "无", "n", "no", "×", "✗", "0", "false", "未审查", "未审核"}


class CellError(ValueError):
    """A cell whose value cannot be read; the message says what was found and what is expected."""


def is_blank(value: Any) -> bool:
    """True for None, NaN, NaT and strings of only spaces."""
    if value is None:
        return True
    kind = type(value)
    if kind is str:
        return not value.strip(BLANK_CHARS)
    if kind in _NEVER_BLANK:
        return False
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return _SPACES.sub("", value) == ""
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def clean_text(value: Any) -> str:
    """Text with surrounding (also full-width and non-breaking) spaces removed; '' for blank."""
    if type(value) is str:
        if not value.strip(BLANK_CHARS):
            return ""
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value.strip(" \t\n\u3000\u00a0\u200b\ufeff")
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip(" \t\n\u3000\u00a0\u200b\ufeff")


def fold(text: Any) -> str:
    """A comparison key: NFKC (full-width → half-width), no spaces, lower case."""
    return _fold_text(text if type(text) is str else clean_text(text))


@lru_cache(maxsize=8192)
def _fold_text(text: str) -> str:
    # The same as removing the spaces of NFKC(clean_text(text)): clean_text only strips and
    # unifies characters that are spaces before and after NFKC. str.split() splits on exactly
    # the characters `\s` matches; U+200B and U+FEFF are the other two of _SPACES.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if "\u200b" in text or "\ufeff" in text:
            text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return "".join(text.split()).lower()


def shown(value: Any) -> str:
    """How a cell value is quoted back in a message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(value)
    return text if len(text) <= 40 else text[:40] + "…"


FIRST_YEAR, LAST_YEAR = 1990, 2100  # dates and months outside these years are typos


def _check_year(day: dt.date, raw: Any) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(f"日期「{shown(raw)}」超出合理范围（{FIRST_YEAR}–{LAST_YEAR} 年）")
    return day


def parse_date(value: Any) -> dt.date:
    """A date from 2018-12-03, 2018年12月4日, 2018.12.10, 2018/12/6, 20181203, Excel serials or date cells."""
    if type(value) is str:
        return _date_from_text(value)  # the same text is often on many rows
    if isinstance(value, dt.datetime):
        return _check_year(value.date(), value)
    if isinstance(value, dt.date):
        return _check_year(value, value)
    if hasattr(value, "to_pydatetime"):
        return _check_year(value.to_pydatetime().date(), value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value, value)
    if isinstance(value, str):
        return _date_from_text(value)  # the same text is often on many rows
    return _date_from_text.__wrapped__(value)


@lru_cache(maxsize=4096)
def _date_from_text(value: Any) -> dt.date:
    text = fold(value).replace("号", "日")
    text = text.split(" ")[0] if " " in text else text
    match = _DATE_PARTS.match(text)
    if match is None:
        match = _COMPACT_DATE.match(text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        try:
            found = dt.date(year, month, day)
        except ValueError:
            raise CellError(f"日期「{shown(value)}」不存在") from None
        return _check_year(found, value)  # outside the try: its CellError is a ValueError too
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text), value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}t?\d{2}:\d{2}(:\d{2})?", text):
        return parse_date(text[:10])
    raise CellError(f"无法识别的日期「{shown(value)}」，请写成 2018-12-03 这样的日期")


def _from_serial(number: float, raw: Any) -> dt.date:
    if not 20000 <= number <= 80000:
        raise CellError(f"无法识别的日期「{shown(raw)}」，请写成 2018-12-03 这样的日期")
    return _check_year(EXCEL_EPOCH + dt.timedelta(days=int(number)), raw)


def parse_month(value: Any) -> int:
    """A month as YYYYMM from 2018年1月, 2018-01, 2018.1, 201801 or a date cell."""
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "to_pydatetime"):
        day = parse_date(value)
        return day.year * 100 + day.month
    text = fold(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else text
    match = _MONTH_PARTS.match(text)
    if match is None and re.fullmatch(r"\d{6}", text):
        match = re.match(r"(\d{4})(\d{2})", text)
    if match is not None:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and not FIRST_YEAR <= year <= LAST_YEAR:
            raise CellError(f"月份「{shown(value)}」超出合理范围（{FIRST_YEAR}–{LAST_YEAR} 年）")
        if 1 <= month <= 12:
            return year * 100 + month
    try:
        day = parse_date(value)
    except CellError:
        raise CellError(f"无法识别的月份「{shown(value)}」，请写成 2018年1月 或 2018-01") from None
    return day.year * 100 + day.month


def parse_decimal(value: Any, *, unit: str = "万元") -> Decimal:
    """A number from 1,234.5, full-width digits, '12万元' or a numeric cell (never a guessed zero)."""
    if isinstance(value, bool):
        raise CellError(f"「{shown(value)}」不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise CellError("此处应为数字")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = fold(value)
    for suffix in (unit, "万元", "万", "元", "份", "件", "个"):
        if suffix and text.endswith(suffix):
            if suffix == "元" and unit == "万元":
                raise CellError(f"「{shown(value)}」的单位是元，本表金额应以万元为单位")
            text = text[: -len(suffix)]
            break
    text = text.replace(",", "").replace("，", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
        raise CellError(f"「{shown(value)}」不是数字")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"「{shown(value)}」不是数字") from None


def parse_count(value: Any) -> int:
    """A whole, non-negative number (e.g. an item count)."""
    number = parse_decimal(value, unit="份")
    if number != number.to_integral_value():
        raise CellError(f"「{shown(value)}」应为整数")
    if number < 0:
        raise CellError(f"「{shown(value)}」不能为负数")
    return int(number)


def parse_share(value: Any) -> Decimal:
    """A share as a fraction: '85.3%' → 0.853, 0.853 → 0.853, 85.3 → 0.853."""
    text = fold(value) if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        return parse_decimal(text[:-1], unit="") / 100
    number = parse_decimal(value, unit="")
    return number / 100 if abs(number) > 3 else number


def parse_bool(value: Any) -> bool:
    """Yes/no from 是/否, Y/N, √/×, 1/0."""
    key = fold(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"「{shown(value)}」应填“是”或“否”")
