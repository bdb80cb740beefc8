"""What the office states rather than records row by row: opening balances and 零报告.

- `set_opening_balance` / `remove_opening_balance` (admin_units): a unit's 历年累计 before the
  year it starts using the product (data_access.rules.entered.BALANCE_FIGURES; publications
  required, every other figure optional);
- `record_zero_report` / `remove_zero_report` (edit_records): "nothing of this kind this year" for
  a unit, which turns the kind's 未录入 into an explicit 0 (data_access.rules.entered.ENTRY_KINDS).

Each takes the caller's session and the acting principal as `actor`, refuses bad input with a
ValueError in Chinese before changing anything, writes an audit entry and bumps the data version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.read.entries import entered_kinds
from data_access.rules import entered as rule
from data_access.rules.permissions import Principal, require
from data_access.store import audit, db
from data_access.store.models import OpeningBalance, OrgUnit, ZeroReport
from data_access.store.reference import visible_unit_ids


@dataclass(frozen=True)
class BalanceRow:
    """A unit's opening balance as the admin page lists it."""

    unit_code: str
    unit_name: str
    before_year: int
    figures: Mapping[str, int | None]


def _unit(session: Session, code: str, actor: Principal) -> OrgUnit:
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise ValueError(f"单位代码 {code} 不存在")
    if unit.id not in visible_unit_ids(session, actor):
        raise ValueError(f"「{code}」不是您所在的单位或其下属单位")
    return unit


def _changed(session: Session, actor: Principal, source: str | None, detail: str) -> None:
    audit.record(session, "settings_change", user=actor, detail=detail, source=source)
    db.bump_data_version(session)


def _figures_text(figures: Mapping[str, int | None]) -> str:
    names = dict(rule.BALANCE_FIGURES)
    return "，".join(f"{names[k]} {v}" for k, v in figures.items() if v is not None)


def set_opening_balance(
    session: Session,
    unit_code: str,
    before_year: int,
    figures: Mapping[str, int | None],
    *,
    actor: Principal,
    source: str | None = None,
) -> bool:
    """Enter (or replace) a unit's opening balance; False when it is unchanged."""
    require(actor, "admin_units")
    problems = rule.balance_problems(before_year, figures)
    if problems:
        raise ValueError("期初数有误：" + "；".join(problems))
    unit = _unit(session, unit_code, actor)
    values = {key: figures.get(key) for key in rule.BALANCE_KEYS}
    row = session.scalar(select(OpeningBalance).where(OpeningBalance.unit_id == unit.id).with_for_update())
    if row is not None:
        if row.before_year == before_year and all(getattr(row, k) == v for k, v in values.items()):
            return False
        row.before_year = before_year
        for key, value in values.items():
            setattr(row, key, value)
        row.entered_by, row.entered_at = actor.account_id, audit.local_now()
    else:
        session.add(
            OpeningBalance(
                unit_id=unit.id,
                before_year=before_year,
                entered_by=actor.account_id,
                entered_at=audit.local_now(),
                **values,
            )
        )
    session.flush()
    text = _figures_text(values)
    _changed(
        session, actor, source, f"单位 {unit.name}（{unit.code}）{before_year} 年以前的历年累计期初数：{text}"
    )
    return True


def remove_opening_balance(
    session: Session, unit_code: str, *, actor: Principal, source: str | None = None
) -> bool:
    """Remove a unit's opening balance; False when it had none."""
    require(actor, "admin_units")
    unit = _unit(session, unit_code, actor)
    gone = session.execute(delete(OpeningBalance).where(OpeningBalance.unit_id == unit.id)).rowcount
    if not gone:
        return False
    _changed(session, actor, source, f"删除单位 {unit.name}（{unit.code}）的历年累计期初数")
    return True


def opening_balance_rows(session: Session) -> list[BalanceRow]:
    """Every unit's opening balance, by unit."""
    rows = session.execute(
        select(OpeningBalance, OrgUnit.code, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == OpeningBalance.unit_id)
        .order_by(OrgUnit.sort_order, OrgUnit.id)
    ).all()
    return [
        BalanceRow(code, name, b.before_year, {k: getattr(b, k) for k in rule.BALANCE_KEYS})
        for b, code, name in rows
    ]


def _kind(kind: str) -> str:
    if kind not in rule.ENTRY_KINDS:
        raise ValueError(f"未知的零报告类别：{kind}（可选：{'、'.join(rule.ENTRY_KINDS.values())}）")
    return rule.ENTRY_KINDS[kind]


def _year(year: int) -> None:
    if not 1990 <= year <= 2100:
        raise ValueError(f"年份应在 1990–2100 之间：{year}")


def record_zero_report(
    session: Session, unit_code: str, kind: str, year: int, *, actor: Principal, source: str | None = None
) -> bool:
    """File a 零报告: the unit had nothing of `kind` in `year`. False when already filed.

    Refused when the unit already has records of the kind for the year (they are the figure)."""
    require(actor, "edit_records")
    label = _kind(kind)
    _year(year)
    unit = _unit(session, unit_code, actor)
    filed = session.scalar(
        select(ZeroReport.id).where(
            ZeroReport.unit_id == unit.id, ZeroReport.kind == kind, ZeroReport.year == year
        )
    )
    if filed is not None:
        return False
    if kind in entered_kinds(session, [unit.id], year, year):
        raise ValueError(f"{unit.name} {year} 年已有{label}记录，无需零报告")
    try:
        with session.begin_nested():
            session.add(
                ZeroReport(
                    unit_id=unit.id,
                    kind=kind,
                    year=year,
                    entered_by=actor.account_id,
                    entered_at=audit.local_now(),
                )
            )
    except IntegrityError:
        return False  # someone filed the same 零报告 meanwhile
    _changed(session, actor, source, f"零报告：{unit.name}（{unit.code}）{year} 年无{label}")
    return True


def remove_zero_report(
    session: Session, unit_code: str, kind: str, year: int, *, actor: Principal, source: str | None = None
) -> bool:
    """Withdraw a 零报告 (the figure is 未录入 again until records or a new one); False when none."""
    require(actor, "edit_records")
    label = _kind(kind)
    unit = _unit(session, unit_code, actor)
    gone = session.execute(
        delete(ZeroReport).where(
            ZeroReport.unit_id == unit.id, ZeroReport.kind == kind, ZeroReport.year == year
        )
    ).rowcount
    if not gone:
        return False
    _changed(session, actor, source, f"撤回零报告：{unit.name}（{unit.code}）{year} 年{label}")
    return True


def zero_reports(session: Session, unit_ids: list[int]) -> list[tuple[str, str, int]]:
    """The zero reports of these units as (unit code, kind, year), newest year first."""
    rows = session.execute(
        select(OrgUnit.code, ZeroReport.kind, ZeroReport.year)
        .join(OrgUnit, OrgUnit.id == ZeroReport.unit_id)
        .where(ZeroReport.unit_id.in_(unit_ids))
        .order_by(ZeroReport.year.desc(), OrgUnit.code, ZeroReport.kind)
    ).all()
    return [(code, kind, year) for code, kind, year in rows]
