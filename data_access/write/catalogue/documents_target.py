"""Setting the annual target of a unit's 公文类信息主动公开率 (data_access.read.documents): one
percentage per unit and year, an AnnualTarget of metric "documents_rate" (no category).
`save_documents_target` sets or clears it, refusing a save over a newer value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data_access.read.documents import DOCUMENTS_RATE_METRIC
from data_access.rules.permissions import Principal, require
from data_access.store.models import AnnualTarget
from data_access.write.admin import check, locked_unit, record_change, year_problem
from data_access.write.records.validate import STALE_MESSAGE


def rate_value(value: object) -> Decimal | None:
    """A rate target as typed (34, "34.5", "34.5%", blank) → percent with one decimal, None for none."""
    if value is None:
        return None
    text = str(value).strip().replace("％", "%").removesuffix("%").strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"公文类信息主动公开率目标应为 0–100 之间的百分数，而不是“{value}”") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(f"公文类信息主动公开率目标应在 0–100 之间：{value}")
    return number.quantize(Decimal("0.1"))


def save_documents_target(
    session: Session,
    unit_code: str,
    year: int,
    value: object,
    *,
    loaded: int | None = None,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Set (or with a blank value clear) the unit's rate target for the year; True when it changed.

    `loaded` is the version the editor was drawn with (None while unset): a save over a target
    changed since is refused (ValueError "该记录已被他人修改，请刷新后重试"), nothing written."""
    require(actor, "admin_targets")
    check(year_problem(year))
    wanted = rate_value(value)
    unit = locked_unit(session, unit_code)
    row = session.scalar(
        select(AnnualTarget).where(
            AnnualTarget.unit_id == unit.id,
            AnnualTarget.year == year,
            AnnualTarget.metric == DOCUMENTS_RATE_METRIC,
            AnnualTarget.category_id.is_(None),
        )
    )
    old = Decimal(row.target).quantize(Decimal("0.1")) if row is not None else None
    if old == wanted:
        return False
    if (row.version if row is not None else None) != loaded:
        raise ValueError(STALE_MESSAGE)
    if wanted is None and row is not None:
        session.delete(row)
    elif row is None:
        session.add(
            AnnualTarget(
                unit_id=unit.id, year=year, metric=DOCUMENTS_RATE_METRIC, category_id=None, target=wanted
            )
        )
    else:
        row.target = wanted
    try:
        session.flush()
    except StaleDataError:
        raise ValueError(STALE_MESSAGE) from None
    record_change(
        session,
        actor,
        source,
        f"{unit.name} {year} 年公文类信息主动公开率目标：{_shown(old)} → {_shown(wanted)}",
    )
    return True


def _shown(value: Decimal | None) -> str:
    return "未设" if value is None else f"{value}%"
