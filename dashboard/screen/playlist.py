"""The 大屏设置 table read back into a playlist, with a Chinese message for each bad cell."""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_SECONDS, MAX_SECONDS = 3, 600


def _empty(value: object) -> bool:
    """A cleared cell: None, NaN or blank text."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _number(value: object) -> float | None:
    """The cell as a finite number, or None (empty or not a number)."""
    if _empty(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def entries_from_table(
    keys: Sequence[str],
    titles: Sequence[str],
    orders: Sequence[object],
    shown: Sequence[object],
    seconds: Sequence[object],
) -> list[tuple[str, int, bool]]:
    """(key, seconds, enabled) in the order staff gave (ties and empty orders keep the table's order).

    Raises ValueError naming each row and slide whose seconds are empty, not a whole number or
    outside 3–600 (all of them at once).
    """
    problems = []
    rows = []
    table = zip(keys, titles, orders, shown, seconds, strict=True)
    for row, (key, title, order, on, secs) in enumerate(table, 1):
        number = _number(secs)
        where = f"第 {row} 行「{title}」的停留秒数"
        if _empty(secs):
            problems.append(f"{where}为空，请填写 {MIN_SECONDS}–{MAX_SECONDS} 之间的整数")
        elif number is None or number != int(number) or not MIN_SECONDS <= number <= MAX_SECONDS:
            problems.append(f"{where}应为 {MIN_SECONDS}–{MAX_SECONDS} 之间的整数，实际为 {secs}")
        position = _number(order)
        enabled = on is True or (not isinstance(on, float) and bool(on))
        rows.append((math.inf if position is None else position, row, key, int(number or 0), enabled))
    if problems:
        raise ValueError("；".join(problems))
    return [(key, secs, enabled) for _pos, _row, key, secs, enabled in sorted(rows)]
