"""Numbers the Chinese way: 万元 with thousands separators, percentages."""

from __future__ import annotations


def wan(value: float | int) -> str:
    """A 万元 amount with thousands separators, e.g. 231,200."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def percent(rate: float | None, places: int = 1) -> str:
    """A rate as a percentage, or an em dash when there is nothing to divide by."""
    return "—" if rate is None else f"{rate * 100:.{places}f}%"
