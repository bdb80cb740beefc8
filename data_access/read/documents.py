"""The 公文类信息主动公开率 target of a unit for a year (the rate itself is in kpis `documents`).

Stored as an AnnualTarget of metric "documents_rate" without a category, in percent; set on the
目录与年度目标 page (data_access.write.catalogue.save_documents_target).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.store.models import AnnualTarget, OrgUnit

DOCUMENTS_RATE_METRIC = "documents_rate"


@dataclass(frozen=True)
class RateTarget:
    """A unit's target rate for a year in percent (None: not set) and the stored row's version."""

    percent: Decimal | None
    version: int | None = None


def documents_target(session: Session, unit_code: str, year: int) -> RateTarget:
    """The unit's own 公文类信息主动公开率 target for the year (percent) with its version."""
    unit = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    if unit is None:
        raise ValueError(f"单位代码 {unit_code} 不存在")
    row = session.execute(
        select(AnnualTarget.target, AnnualTarget.version).where(
            AnnualTarget.unit_id == unit,
            AnnualTarget.year == year,
            AnnualTarget.metric == DOCUMENTS_RATE_METRIC,
            AnnualTarget.category_id.is_(None),
        )
    ).first()
    if row is None:
        return RateTarget(None)
    return RateTarget(Decimal(row.target).quantize(Decimal("0.1")), row.version)
