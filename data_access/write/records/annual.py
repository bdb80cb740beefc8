"""The yearly form of table 二 (年报表二 on the 逐条登记 page): a unit's figures for a year.

The form shows every item of table 二 with its figures and a 不适用 box; saving replaces the
unit's entry for the year whole, exactly as an `annual-figures` upload does (same plan, store,
change log and supersede), so undo takes either back. An item left with no figure and not
marked 不适用 is not entered (未录入). The save files an UploadBatch of kind 'annual-figures'
for the year ('YYYY'): like an upload it supersedes the entry in force for the year (form or upload),
and a later upload or form save supersedes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.rules import annual_figures as AF
from data_access.rules.permissions import Principal, require
from data_access.store.models import AnnualFigure, OrgUnit
from data_access.store.reference import unit_and_descendants
from data_access.write.importing import batches, store
from data_access.write.importing.annual import KIND
from data_access.write.importing.batches import lock as upload_lock
from data_access.write.importing.cells import Context
from data_access.write.importing.changelog import ChangeLog
from data_access.write.records import validate as V
from data_access.write.records.batches import Saved, _batch, _finish
from data_access.write.records.store import unit_in_scope


@dataclass(frozen=True)
class AnnualFormItem:
    """One item as the form holds it: each figure as typed ('' = blank) and the 不适用 box."""

    texts: Mapping[str, str]
    not_applicable: bool = False


def parse_form(year: int, items: Mapping[str, AnnualFormItem]) -> list[dict]:
    """The records the form's items make; RecordError naming each bad field (item:figure)."""
    problems: list[V.Problem] = []
    if not 1990 <= year <= 2100:
        problems.append(V.Problem("year", "年度", f"年度应在 1990–2100 之间：{year}"))
    records = []
    for key, entry in items.items():
        item = AF.BY_KEY.get(key)
        if item is None:
            problems.append(V.Problem(key, key, "不是表二的事项"))
            continue
        figures: dict[str, int | Decimal | None] = dict.fromkeys(AF.FIGURES)
        bad = False
        for figure, text in entry.texts.items():
            try:
                figures[figure] = AF.parse_figure(figure, text)
            except (ValueError, KeyError) as exc:
                problems.append(
                    V.Problem(f"{key}:{figure}", f"{item.label}{AF.FIGURES.get(figure, figure)}", str(exc))
                )
                bad = True
        if bad:
            continue
        if not entry.not_applicable and all(v is None for v in figures.values()):
            continue  # nothing typed: 未录入
        for field, message in AF.entry_problems(item, figures, entry.not_applicable):
            problems.append(V.Problem(f"{key}:{field}", f"{item.label}{AF.FIGURES.get(field, '')}", message))
        records.append({"item": key, **figures, "not_applicable": entry.not_applicable, "year": year})
    if problems:
        raise V.RecordError(problems)
    return records


def entered_items(session: Session, unit_code: str, year: int) -> dict[str, AnnualFigure]:
    """The unit's own entered items of the year (what the form starts from)."""
    unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == unit_code))
    rows = session.scalars(
        select(AnnualFigure).where(AnnualFigure.unit_id == unit_id, AnnualFigure.year == year)
    )
    return {r.item: r for r in rows}


def save_annual_figures(
    session: Session, principal: Principal, unit_code: str, year: int, items: Mapping[str, AnnualFormItem]
) -> Saved:
    """Save the unit's table 二 for the year from the form (the whole year's entry replaced)."""
    require(principal, "edit_records")
    unit = unit_in_scope(session, principal, unit_code)
    records = parse_form(year, items)
    upload_lock(session, KIND, unit.id)
    period = str(year)
    label = f"表单：年报表二 {year}年"
    ctx = Context(unit.id, unit.code, unit.name, unit_and_descendants(session, unit.id), year)
    previous = batches.active_for_key(session, KIND, unit.id, period)
    plan = store.make_plan(
        KIND, records, store.scope(session, KIND, ctx, period, records, [b.id for b in previous])
    )
    if not plan.added and not plan.removed and not plan.changed(KIND):
        return Saved("unchanged", None, label)
    for old in previous:  # out of force first: one active entry per unit and year
        batches.retire(session, old.id)
    batch_id = _batch(
        session, principal, KIND, unit, period, label, dict(form="annual-figures", records=records)
    )
    log = ChangeLog(batch_id)
    for old in previous:
        log.add("upload_batch", old.id, "update", {"id": old.id, "status": "active"})
    store.apply(session, KIND, ctx, period, batch_id, plan, log, False)
    return _finish(session, principal, log, unit, KIND, period, label)
