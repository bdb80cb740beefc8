"""Domain rules as pure functions: dates and numbers in, answers out."""

from __future__ import annotations

from decimal import Decimal


def expected_share(month: int) -> Decimal:
    """Share of the annual plan expected by the end of a month on a straight line (N/12)."""
    return Decimal(month) / Decimal(12)


def is_lagging(ytd: Decimal, plan: Decimal | None, month: int, threshold_pp: Decimal) -> bool | None:
    """A key project lags when ytd ÷ plan is more than threshold_pp points below N/12.

    `plan_ytd` curves are a later refinement; without a plan the answer is None
    (unknown), never a guess.
    """
    if plan is None or plan <= 0:
        return None
    return Decimal(ytd) / Decimal(plan) < expected_share(month) - Decimal(threshold_pp) / 100


def reconciles(previous_ytd: Decimal | None, month_amount: Decimal, ytd: Decimal) -> bool:
    """1-N月累计 should equal last month's cumulative plus this month (January: this month)."""
    return Decimal(previous_ytd or 0) + Decimal(month_amount) == Decimal(ytd)
