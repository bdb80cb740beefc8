"""How exported files print and are named: text widths in a spreadsheet (a Chinese character takes
two columns), the A4 page with the margins of official documents, and file names safe on every system.

Pure: used by the report and letter writers (data_access/read) and by the page exports (dashboard)."""

from __future__ import annotations

import functools
import re
import unicodedata

# A4, portrait, and the margins of 党政机关公文格式 (GB/T 9704): top 37, bottom 35, left 28, right 26 mm.
A4_MM = (210, 297)
OFFICIAL_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}

_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@functools.cache
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """How many columns a text takes in a spreadsheet cell: a wide (CJK) character counts double
    (Unicode's East Asian Width W or F; each character looked up once: a city's register is a
    million cells)."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column `width` characters wide (a spreadsheet does not
    grow a row for wrapped text by itself: the writer sets the row's height from this)."""
    room = max(1, int(width) - 2)
    return max(1, sum(max(1, -(-display_width(line) // room)) for line in text.split("\n")))


def file_safe(text: str) -> str:
    """The text as a file name: path separators, characters Windows refuses and controls become _."""
    return _NOT_IN_FILE_NAMES.sub("_", text).strip(" .") or "_"
