"""The figures every dashboard starts from: the units, a unit's scope, its years and key figures."""

from __future__ import annotations

from dashboard.reads.cache import cached_read, read_session
from data_access.read import kpis
from data_access.read.documents import RateTarget
from data_access.read.documents import documents_target as _documents_target
from data_access.store import reference


@cached_read(max_entries=64)
def units() -> list[tuple[str, str, int]]:
    """All units as (code, name, depth) in hierarchy order."""
    with read_session() as session:
        return reference.list_units(session)


@cached_read(max_entries=256)
def unit_scope(unit: str) -> list[str]:
    """Codes of the unit and every unit under it (what a user of that unit may see)."""
    with read_session() as session:
        return reference.scope_codes(session, unit)


@cached_read(max_entries=256)
def years(unit: str) -> list[int]:
    """Years with data for the unit, newest first."""
    with read_session() as session:
        return kpis.years_with_data(session, unit)


@cached_read(max_entries=256)
def year_kpis(unit: str, year: int, month: int | None = None) -> dict | None:
    """The unit's key figures for the year (None when the year has no data)."""
    with read_session() as session:
        try:
            return kpis.compute(session, year, month, unit)
        except kpis.KpiError:
            return None


@cached_read(max_entries=64)
def documents_target(unit: str, year: int) -> RateTarget:
    """The unit's 公文类信息主动公开率 target for the year (percent, None when not set) and its version."""
    with read_session() as session:
        return _documents_target(session, unit, year)
