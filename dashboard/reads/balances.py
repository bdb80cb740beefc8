"""Reads for opening balances and 零报告, cached by the data version (every write bumps it)."""

from __future__ import annotations

from dashboard.reads.cache import cached_read, read_session
from data_access.store.reference import unit_and_descendants, unit_by_code
from data_access.write import balances


@cached_read(max_entries=16)
def balance_rows() -> list[balances.BalanceRow]:
    """Every unit's opening balance."""
    with read_session() as session:
        return balances.opening_balance_rows(session)


@cached_read(max_entries=64)
def zero_report_rows(unit: str) -> list[tuple[str, str, int]]:
    """The 零报告 of a unit and the units under it: (unit code, kind, year), newest first."""
    with read_session() as session:
        found = unit_by_code(session, unit)
        if found is None:
            return []
        return balances.zero_reports(session, unit_and_descendants(session, found.id))
