"""Writes for opening balances (历年累计期初数, admin) and 零报告 (zero reports, staff): one
transaction each through data_access.write.balances, then every cache sees the new version.

Each raises ValueError with a Chinese message when refused.
"""

from __future__ import annotations

from collections.abc import Mapping

from dashboard.reads.cache import engine, refresh
from data_access.rules.permissions import Principal
from data_access.store import db
from data_access.write import balances


def set_balance(
    who: Principal, unit: str, before_year: int, figures: Mapping[str, int | None], *, source: str | None
) -> bool:
    """Enter or replace a unit's opening balance; False when unchanged."""
    with db.write_session(engine()) as s:
        changed = balances.set_opening_balance(s, unit, before_year, figures, actor=who, source=source)
    refresh()
    return changed


def remove_balance(who: Principal, unit: str, *, source: str | None) -> bool:
    """Remove a unit's opening balance; False when it had none."""
    with db.write_session(engine()) as s:
        changed = balances.remove_opening_balance(s, unit, actor=who, source=source)
    refresh()
    return changed


def file_zero_report(who: Principal, unit: str, kind: str, year: int, *, source: str | None) -> bool:
    """File a 零报告 for a unit, kind and year; False when already filed."""
    with db.write_session(engine()) as s:
        changed = balances.record_zero_report(s, unit, kind, year, actor=who, source=source)
    refresh()
    return changed


def withdraw_zero_report(who: Principal, unit: str, kind: str, year: int, *, source: str | None) -> bool:
    """Withdraw a 零报告; False when there was none."""
    with db.write_session(engine()) as s:
        changed = balances.remove_zero_report(s, unit, kind, year, actor=who, source=source)
    refresh()
    return changed
