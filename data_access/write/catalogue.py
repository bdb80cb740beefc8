"""Administration writes for the catalogue (政务公开目录) and the annual publication targets.

Same conventions as `admin`: functions take the caller's write session, raise ValueError
with a Chinese message, audit a `settings_change` and bump the data version. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data_access.read.reports.format_2021 import NORMATIVE_CATEGORY
from data_access.rules.permissions import Principal, require
from data_access.store.models import AnnualTarget, Category, OrgUnit
from data_access.write.admin import (
    category_code_problem,
    check,
    locked_unit,
    name_problem,
    record_change,
    target_value,
    year_problem,
)
from data_access.write.importing.cells import category_key
from data_access.write.records.validate import STALE_MESSAGE

TARGET_METRIC = "publications"


# ------------------------------------------------------------------ catalogue
@dataclass(frozen=True)
class CategoryRow:
    """One catalogue entry, in tree order."""

    code: str
    name: str
    level: int
    parent_code: str | None


def list_category_rows(session: Session) -> list[CategoryRow]:
    """The three-level catalogue, each entry after its parent."""
    rows = session.execute(
        select(Category.id, Category.parent_id, Category.code, Category.name, Category.level).order_by(
            Category.sort_order, Category.code
        )
    ).all()
    children: dict[int | None, list] = {}
    codes = {r.id: r.code for r in rows}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out: list[CategoryRow] = []

    def walk(parent: int | None) -> None:
        for r in children.get(parent, []):
            out.append(CategoryRow(r.code, r.name, r.level, codes.get(r.parent_id)))
            walk(r.id)

    walk(None)
    return out


def _category(session: Session, code: str) -> Category:
    cat = session.scalar(select(Category).where(Category.code == code).with_for_update())
    if cat is None:
        raise ValueError(f"目录编码 {code} 不存在")
    return cat


def _name_taken(session: Session, name: str, except_code: str | None = None) -> str | None:
    """The code of another entry whose name reads the same (imports match categories by name)."""
    key = category_key(name)
    for code, other in session.execute(select(Category.code, Category.name)):
        if code != except_code and category_key(other) == key:
            return code
    return None


def add_category(
    session: Session,
    *,
    parent_code: str,
    code: str,
    name: str,
    actor: Principal,
    source: str | None = None,
) -> CategoryRow:
    """Add a level-two entry under a level-one category, or a level-three entry under a level-two one."""
    require(actor, "admin_catalogue")
    code, name = code.strip(), name.strip()
    check(name_problem(name, "目录名称"))
    parent = _category(session, parent_code)
    if parent.level >= 3:
        raise ValueError("三级目录下不能再添加下级目录")
    check(category_code_problem(code, parent.code))
    if session.scalar(select(Category.id).where(Category.code == code)) is not None:
        raise ValueError(f"目录编码 {code} 已存在")
    if (taken := _name_taken(session, name)) is not None:
        raise ValueError(f"目录名称“{name}”与编码 {taken} 的名称重复（上传时按名称识别类别）")
    last = session.scalar(select(func.max(Category.sort_order)).where(Category.parent_id == parent.id))
    cat = Category(
        code=code,
        name=name,
        level=parent.level + 1,
        parent_id=parent.id,
        sort_order=(last or 0) + 1,
        root_id=parent.root_id or parent.id,
    )
    session.add(cat)
    session.flush()
    record_change(
        session, actor, source, f"新增{cat.level}级目录 {code} {name}（上级 {parent.code} {parent.name}）"
    )
    return CategoryRow(code, name, cat.level, parent.code)


def rename_category(
    session: Session, code: str, name: str, *, actor: Principal, source: str | None = None
) -> bool:
    """Rename a catalogue entry; False when unchanged."""
    require(actor, "admin_catalogue")
    name = name.strip()
    check(name_problem(name, "目录名称"))
    cat = _category(session, code)
    if cat.name == name:
        return False
    if cat.level == 2 and cat.name == NORMATIVE_CATEGORY:
        raise ValueError(f"“{NORMATIVE_CATEGORY}”用于年度报告统计行政规范性文件，不能更名")
    if (taken := _name_taken(session, name, except_code=code)) is not None:
        raise ValueError(f"目录名称“{name}”与编码 {taken} 的名称重复（上传时按名称识别类别）")
    old, cat.name = cat.name, name
    record_change(session, actor, source, f"目录 {code} 更名：{old} → {name}")
    return True


# ------------------------------------------------------------------ annual targets
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
    """The total and every level-one category with its publication target (None: not set)."""
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
    roots = session.execute(
        select(Category.id, Category.code, Category.name)
        .where(Category.level == 1)
        .order_by(Category.sort_order)
    )
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
    roots = dict(session.execute(select(Category.code, Category.id).where(Category.level == 1)).all())
    names = dict(session.execute(select(Category.code, Category.name).where(Category.level == 1)).all())
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
