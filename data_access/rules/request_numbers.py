"""The 编号 a new disclosure request gets by default: YSQ-{year}-{next number}, the number one more
than the highest the unit used that year (three digits at least, as 2018's YSQ-2018-001). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX = "YSQ"


def next_request_no(existing: Iterable[str], year: int) -> str:
    """YSQ-{year}-NNN after the highest NNN among `existing` numbered that way for the year."""
    pattern = re.compile(rf"^\s*{PREFIX}\s*[-－—]\s*{year}\s*[-－—]\s*(\d+)\s*$", re.IGNORECASE)
    used = [int(m.group(1)) for no in existing if (m := pattern.match(no or ""))]
    return f"{PREFIX}-{year}-{max(used, default=0) + 1:03d}"
