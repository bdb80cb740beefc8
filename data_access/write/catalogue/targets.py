"""The annual publication targets of a unit: the total and each level-one entry of the catalogue it
uses that year (`list_targets`), and saving them with the versions the editor was drawn with
(`save_targets` refuses a save over a newer value)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data_access.rules.permissions import Principal, require
from data_access.store import catalogue
from data_access.store.models import AnnualTarget, OrgUnit
from data_access.write.admin import check, locked_unit, record_change, target_value, year_problem
from data_access.write.records.validate import STALE_MESSAGE

TARGET_METRIC = "publications"


@dataclass(frozen=True)
class TargetRow:
    """One line of a unit's targets for a year: the total (category None) or a level-one category.

    `version` is the stored row's (None while the target is not set): the editor hands the
    versions it was drawn with back to `save_targets`, which refuses a save over a newer value.
    """

    category_code: str | None
    category_name: str | None
    target: int | None
    version: int | None = None


def list_targets(session: Session, unit_code: str, year: int) -> list[TargetRow]:
    """The total and every level-one category of the unit's catalogue for the year (under its name
    that year) with its publication target (None: not set)."""
    unit = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    if unit is None:
        raise ValueError(f"单位代码 {unit_code} 不存在")
    stored = {
        cat: (int(value), version)
        for cat, value, version in session.execute(
            select(AnnualTarget.category_id, AnnualTarget.target, AnnualTarget.version).where(
                AnnualTarget.unit_id == unit, AnnualTarget.year == year, AnnualTarget.metric == TARGET_METRIC
            )
        )
    }
    roots = [(i.id, i.code, i.name) for i in catalogue.unit_items(session, unit, year) if i.level == 1]
    return [TargetRow(None, None, *stored.get(None, (None, None)))] + [
        TargetRow(code, name, *stored.get(cid, (None, None))) for cid, code, name in roots
    ]


def save_targets(
    session: Session,
    unit_code: str,
    year: int,
    values: Mapping[str | None, object],
    *,
    loaded: Mapping[str | None, int | None] | None = None,
    actor: Principal,
    source: str | None = None,
) -> int:
    """Set a unit's targets for a year ({category code or None for the total: value}); return changes.

    `loaded` ({code: version, None while unset}) is what the editor was drawn with: a target it
    changes must still have that version (the unit lock queues simultaneous saves), else
    ValueError "该记录已被他人修改，请刷新后重试" and nothing is written. The ORM checks the
    version again in each UPDATE/DELETE (AnnualTarget's version_id_col).
    """
    require(actor, "admin_targets")
    check(year_problem(year))
    unit = locked_unit(session, unit_code)
    level_one = [i for i in catalogue.unit_items(session, unit.id, year) if i.level == 1]
    roots = {i.code: i.id for i in level_one}
    names = {i.code: i.name for i in level_one}
    wanted: dict[int | None, int | None] = {}
    for code, raw in values.items():
        if code is not None and code not in roots:
            raise ValueError(f"一级目录编码 {code} 不存在")
        try:
            wanted[roots.get(code) if code else None] = target_value(raw)
        except ValueError as exc:
            raise ValueError(f"{names.get(code, '总计') if code else '总计'}：{exc}") from None
    existing = {
        t.category_id: t
        for t in session.scalars(
            select(AnnualTarget).where(
                AnnualTarget.unit_id == unit.id,
                AnnualTarget.year == year,
                AnnualTarget.metric == TARGET_METRIC,
            )
        )
    }
    label = {cid: names[code] for code, cid in roots.items()} | {None: "总计"}
    changes: list[str] = []
    code_of = {cid: code for code, cid in roots.items()} | {None: None}
    for cid, value in wanted.items():
        row = existing.get(cid)
        old = int(row.target) if row is not None else None
        if old == value:
            continue
        if loaded is not None and (row.version if row is not None else None) != loaded.get(code_of[cid]):
            raise ValueError(STALE_MESSAGE)
        if value is None and row is not None:
            session.delete(row)
        elif row is None:
            session.add(
                AnnualTarget(unit_id=unit.id, year=year, metric=TARGET_METRIC, category_id=cid, target=value)
            )
        else:
            row.target = Decimal(value)
        changes.append(
            f"{label[cid]} {'未设' if old is None else old} → {'未设' if value is None else value}"
        )
    if changes:
        try:
            session.flush()
        except StaleDataError:
            raise ValueError(STALE_MESSAGE) from None
        record_change(session, actor, source, f"{unit.name} {year} 年主动公开目标：" + "；".join(changes))
    return len(changes)
