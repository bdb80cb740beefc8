"""A month picker whose choice lives in the URL (?month=N) and is remembered across pages, like
filters.unit_picker / year_picker."""

from __future__ import annotations

from dashboard.i18n import t
from dashboard.panels.filters import forget, keep, pick, remembered


def month_picker(months: list[int], *, default: int | None = None, allow_all: bool = False) -> int | None:
    """Pick one of `months` (default: `default`, else the latest); None means every month when allowed.

    The URL's month, else the month last chosen on another page, comes first."""
    options: list[int | None] = ([None] if allow_all else []) + list(months)
    if not options:
        return None
    raw = remembered("month")
    fallback = default if default in options else (None if allow_all else options[-1])
    chosen = next((m for m in options if m is not None and str(m) == raw), fallback)
    picked = pick(
        "month",
        t("overview2.common.month"),
        options,
        chosen,
        lambda m: t("overview2.common.all_months") if m is None else t("overview2.common.month_n", m=m),
    )
    keep("month", picked)
    if picked == fallback:  # the page's own default (e.g. the latest month with data) is no choice
        forget("month")
    return picked
